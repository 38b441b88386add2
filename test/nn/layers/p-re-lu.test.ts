import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PReLU, prelu } from '../../../src/nn/layers/p-re-lu.js';
import { tensor } from '../../../src/tensor/create.js';
import { assertClose } from '../../helpers.js';
import { ndMap } from '../../gradcheck.js';
import { layerGradCheck } from './layer-gradcheck.js';
import { assertGradientsFlow, randomTensor } from './layer-checks.js';
import { tf, tfjsApply } from './tfjs-reference.js';

describe('PReLU', () => {
  test("weight 'alpha' of the sample shape, 1 on the shared axes; zeros at first (a ReLU)", () => {
    const layer = prelu();
    assert.match(layer.name, /^p_re_lu(_\d+)?$/);
    layer.ensureBuilt([null, 4, 5, 3]);
    assert.deepEqual(layer.alpha!.shape, [4, 5, 3]);
    assert.equal(layer.alpha!.name, `${layer.name}/alpha`);
    assert.deepEqual([...layer.alpha!.values].slice(0, 3), [0, 0, 0]);
    const shared = prelu({ sharedAxes: [1, 2] });
    shared.ensureBuilt([null, 4, 5, 3]);
    assert.deepEqual(shared.alpha!.shape, [1, 1, 3]);
    // a shared axis may be unknown
    const ragged = prelu({ sharedAxes: 1 });
    ragged.ensureBuilt([null, null, 6]);
    assert.deepEqual(ragged.alpha!.shape, [1, 6]);
    assert.equal(shared.countParams(), 3);
  });

  test('x where x > 0, alpha * x elsewhere, alpha per channel', () => {
    const layer = prelu({ sharedAxes: [1, 2] });
    layer.ensureBuilt([null, 1, 2, 2]);
    layer.setWeights([tensor([0.1, 0.5], [1, 1, 2])]);
    assertClose(layer.apply(tensor([-1, -2, 3, -4], [1, 1, 2, 2])), [-0.1, -1, 3, -2], { shape: [1, 1, 2, 2] });
  });

  test('gradients of the input and of alpha against float64 finite differences', () => {
    // alpha [1, 4] shared over axis 1: its gradient sums over the batch and that axis
    layerGradCheck(prelu({ sharedAxes: [1] }), { shape: [2, 3, 4], awayFromZero: 0.05 }, (x, alpha) => ndMap([x, alpha], (v, a) => (v > 0 ? v : a * v)));
    layerGradCheck(prelu(), { shape: [3, 5], awayFromZero: 0.05 }, (x, alpha) => ndMap([x, alpha], (v, a) => (v > 0 ? v : a * v)));
    assertGradientsFlow(prelu({ alphaInitializer: 'ones' }), randomTensor([2, 3, 3, 2], 1));
  });

  test('the same values as TF.js (tf.layers.prelu), with the same alpha', async () => {
    const x = randomTensor([2, 3, 4, 2], 2, -2, 2);
    const alpha = randomTensor([1, 1, 2], 3, 0, 0.5);
    const layer = prelu({ sharedAxes: [1, 2] });
    layer.ensureBuilt([null, 3, 4, 2]);
    layer.setWeights([alpha]);
    assertClose(layer.apply(x), await tfjsApply(tf.layers.prelu({ sharedAxes: [1, 2] }), x, [alpha]));
  });

  test('errors name the layer; config', () => {
    assert.throws(
      () => prelu({ sharedAxes: [0], name: 'p0' }),
      /Layer 'p0' \(PReLU\): sharedAxes must be a positive integer or a list of them \(1-based: axis 0 is the batch\), got \[0\]\./,
    );
    assert.throws(
      () => prelu({ name: 'p1' }).ensureBuilt([null, null, 3]),
      /Layer 'p1' \(PReLU\) needs every non-batch axis it does not share to be known to create alpha, got inputs of shape \[null, null, 3\]; share the unknown axes with sharedAxes\./,
    );
    assert.throws(
      () => prelu({ sharedAxes: [3], name: 'p2' }).ensureBuilt([null, 4, 3]),
      /Layer 'p2' \(PReLU\): sharedAxes \[3\] names axis 3, but inputs of shape \[null, 4, 3\] have axes 1 to 2\./,
    );
    assert.deepEqual(prelu({ name: 'p3', sharedAxes: 2, alphaRegularizer: 'l2' }).getConfig(), {
      name: 'p3',
      trainable: true,
      alphaInitializer: { className: 'Zeros', config: {} },
      alphaRegularizer: { className: 'L1L2', config: { l1: 0, l2: 0.01 } },
      sharedAxes: [2],
    });
    const back = PReLU.fromConfig({ alphaInitializer: { className: 'Constant', config: { value: 0.25 } }, sharedAxes: [1, 2] });
    assert.deepEqual(back.sharedAxes, [1, 2]);
    back.ensureBuilt([null, 2, 2, 3]);
    assertClose(back.alpha!, [0.25, 0.25, 0.25]);
    assert.throws(() => PReLU.fromConfig({ alphaConstraint: { className: 'NonNeg', config: {} } }), /alphaConstraint .* is not supported/);
  });
});
