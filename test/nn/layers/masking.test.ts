import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { gradients } from '../../../src/autograd/backward.js';
import { Masking, masking } from '../../../src/nn/layers/masking.js';
import { mul } from '../../../src/ops/binary.js';
import { sum } from '../../../src/ops/reduce.js';
import { tensor } from '../../../src/tensor/create.js';
import type { Tensor } from '../../../src/tensor/tensor.js';
import { assertClose } from '../../helpers.js';
import { randomTensor } from './layer-checks.js';
import { tf, tfjsApply } from './tfjs-reference.js';

/** A [2, 4, 3] batch whose steps (0, 1), (0, 3) and (1, 0) are all `pad`, and step (1, 2) is pad in one feature only. */
function padded(pad: number): Tensor {
  const x = randomTensor([2, 4, 3], 5);
  const v = x.values;
  for (const [b, t] of [
    [0, 1],
    [0, 3],
    [1, 0],
  ])
    v.fill(pad, (b * 4 + t) * 3, (b * 4 + t + 1) * 3);
  v[(1 * 4 + 2) * 3 + 1] = pad;
  return x;
}

describe('Masking', () => {
  test('masks the steps whose features all equal maskValue, zeroes them in the output, and keeps the others', () => {
    for (const pad of [0, -1.5]) {
      const x = padded(pad);
      const layer = masking({ maskValue: pad });
      const y = layer.apply(x);
      const mask = layer.computeMask(x, null) as Tensor;
      assertClose(mask, [1, 0, 1, 0, 0, 1, 1, 1], { shape: [2, 4], rtol: 0, atol: 0 });
      const expected = Float32Array.from(x.values, (v, i) => (mask.values[Math.floor(i / 3)] ? v : 0));
      assertClose(y, expected, { shape: [2, 4, 3], rtol: 0, atol: 0 });
    }
  });

  test('the same output and mask as TF.js (tf.layers.masking)', async () => {
    const x = padded(2);
    const layer = masking({ maskValue: 2 });
    const theirs = tf.layers.masking({ maskValue: 2 });
    assertClose(layer.apply(x), await tfjsApply(theirs, x), { rtol: 0, atol: 0 });
    const theirMask = theirs.computeMask(tf.tensor(x.values, [...x.shape])) as unknown as { dataSync(): Float32Array | Uint8Array; shape: number[] };
    assert.deepEqual(theirMask.shape, [2, 4]);
    assertClose(layer.computeMask(x, null) as Tensor, Array.from(theirMask.dataSync(), Number), { rtol: 0, atol: 0 });
  });

  test('the gradient passes to the kept steps and not to the masked ones', () => {
    const x = padded(0).requireGrad();
    const upstream = randomTensor([2, 4, 3], 9);
    const [dx] = gradients(sum(mul(masking().apply(x), upstream)), [x]);
    const kept = [1, 0, 1, 0, 0, 1, 1, 1];
    assertClose(
      dx,
      Array.from(upstream.values, (u, i) => (kept[Math.floor(i / 3)] ? u : 0)),
      { shape: [2, 4, 3], rtol: 0, atol: 0 },
    );
  });

  test('errors name the layer; config', () => {
    assert.throws(
      () => masking({ name: 'm0' }).ensureBuilt([null]),
      /Layer 'm0' \(Masking\) expects sequences \[batch, timesteps, features\] \(rank 2 or more\), got shape \[null\] of rank 1\./,
    );
    assert.throws(() => masking({ name: 'm1', maskValue: Number.NaN }), /Layer 'm1' \(Masking\): maskValue must be a number, got NaN\./);
    assert.deepEqual(masking({ name: 'm2', maskValue: -1 }).getConfig(), { name: 'm2', trainable: true, maskValue: -1 });
    assert.equal(Masking.fromConfig({ maskValue: 3 }).maskValue, 3);
    assert.equal(Masking.fromConfig({}).maskValue, 0);
    assert.equal(masking().supportsMasking, true);
    assert.deepEqual([...(masking().computeMask(tensor([0, 0, 1, 0], [1, 2, 2]), null) as Tensor).values], [0, 1]);
  });
});
