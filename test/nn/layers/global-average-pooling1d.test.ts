import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GlobalAveragePooling1D, globalAveragePooling1d } from '../../../src/nn/layers/global-average-pooling1d.js';
import { layers, sequential, setSeed, tensor } from '../../../src/index.js';
import { assertClose } from '../../helpers.js';
import { nd, type ND } from '../../gradcheck.js';
import { layerGradCheck } from './layer-gradcheck.js';
import { randomTensor } from './layer-checks.js';
import { tf, tfjsApply } from './tfjs-reference.js';

/** Float64 reference: the mean over the steps whose mask is 1 (all steps without a mask). */
function refMean(x: ND, mask: readonly number[] | null): ND {
  const [n, t, c] = x.shape;
  const data: number[] = [];
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      let total = 0;
      let count = 0;
      for (let s = 0; s < t; s++) {
        if (mask && mask[b * t + s] === 0) continue;
        total += x.data[(b * t + s) * c + ch];
        count++;
      }
      data.push(total / count);
    }
  }
  return nd([n, c], data);
}

describe('GlobalAveragePooling1D', () => {
  test('[N, steps, C] -> [N, C], or [N, 1, C] with keepDims', () => {
    assert.deepEqual(globalAveragePooling1d().computeOutputShape([null, 100, 64]), [null, 64]);
    assert.deepEqual(globalAveragePooling1d({ keepDims: true }).computeOutputShape([null, 100, 64]), [null, 1, 64]);
    const x = tensor([1, 2, 3, 4, 5, 6], [1, 3, 2]);
    assertClose(globalAveragePooling1d().apply(x), [3, 4], { shape: [1, 2] });
    assertClose(globalAveragePooling1d({ keepDims: true }).apply(x), [3, 4], { shape: [1, 1, 2] });
  });

  test('input gradient against float64 finite differences, without and with a mask', () => {
    layerGradCheck(globalAveragePooling1d(), { shape: [2, 5, 3] }, (x) => refMean(x, null));
    const mask = [1, 0, 1, 1, 0, 0, 1, 1, 1, 1];
    layerGradCheck(globalAveragePooling1d(), { shape: [2, 5, 3] }, (x) => refMean(x, mask), { callArgs: { mask: tensor(mask, [2, 5]) } });
  });

  test('the same values as TF.js (tf.layers.globalAveragePooling1d) without a mask', async () => {
    const x = randomTensor([3, 7, 4], 2);
    assertClose(globalAveragePooling1d().apply(x), await tfjsApply(tf.layers.globalAveragePooling1d(), x), { rtol: 1e-6, atol: 1e-7 });
  });

  test("with a mask, the mean over the unmasked steps only; the mask ends here; a sample with none left is NaN, as Keras'", () => {
    const layer = globalAveragePooling1d();
    assert.equal(layer.supportsMasking, true);
    const x = tensor([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], [2, 3, 2]);
    const mask = tensor([1, 0, 1, 0, 0, 0], [2, 3]);
    // Keras 3.15: [[2, 3], [nan, nan]] for the same input and mask
    const y = layer.apply(x, { mask });
    assert.deepEqual([...y.values.slice(0, 2)], [2, 3]);
    assert.ok(Number.isNaN(y.values[2]) && Number.isNaN(y.values[3]));
    assert.equal(layer.computeMask(x, mask), null);
    // a mask given as the list of a layer's one input
    assertClose(layer.apply(x, { mask: [tensor([1, 1, 0, 1, 1, 1], [2, 3])] }), [1, 2, 8, 9]);
  });

  test('in a model after Embedding({ maskZero }): padding ids do not count', () => {
    setSeed(5);
    const model = sequential([layers.embedding({ inputDim: 6, outputDim: 3, maskZero: true, inputShape: [4] }), layers.globalAveragePooling1d()]);
    const table = model.layers[0].getWeights()[0].values;
    const ids = [3, 5, 0, 0, 1, 0, 2, 0];
    const y = model.predict(tensor(ids, [2, 4]));
    const row = (id: number) => [0, 1, 2].map((k) => table[id * 3 + k]);
    const expected = [
      [row(3), row(5)],
      [row(1), row(2)],
    ].flatMap((rows) => [0, 1, 2].map((k) => (rows[0][k] + rows[1][k]) / 2));
    assertClose(y, expected, { atol: 1e-7 });
  });

  test('a mask of the wrong shape and a wrong rank are errors naming the layer', () => {
    assert.throws(
      () => globalAveragePooling1d({ name: 'gap' }).apply(randomTensor([2, 3, 2], 1), { mask: tensor([1, 1, 1, 1], [2, 2]) }),
      /Layer 'gap' \(GlobalAveragePooling1D\) got a mask of shape \[2, 2\] for inputs of shape \[2, 3, 2\]; it must be \[batch, steps\] = \[2, 3\]\./,
    );
    assert.throws(
      () => globalAveragePooling1d({ name: 'gap1' }).ensureBuilt([null, 4, 4, 1]),
      /Layer 'gap1' \(GlobalAveragePooling1D\) expects inputs of rank 3/,
    );
  });

  test('config (TF.js writes none of its own), keepdims from Keras 3', () => {
    const config = globalAveragePooling1d({ name: 'g' }).getConfig();
    assert.deepEqual(config, { name: 'g', trainable: true, keepDims: false });
    assert.deepEqual(GlobalAveragePooling1D.fromConfig(config).getConfig(), config);
    assert.equal(GlobalAveragePooling1D.fromConfig({ dataFormat: 'channelsLast', keepdims: true }).keepDims, true);
    assert.throws(() => GlobalAveragePooling1D.fromConfig({ dataFormat: 'channelsFirst' }), /channels_last/);
  });
});
