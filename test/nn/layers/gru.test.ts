import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { gru, type GRUArgs } from '../../../src/nn/layers/gru.js';
import { withComposedRecurrence } from '../../../src/nn/layers/rnn.js';
import { tensor } from '../../../src/tensor/create.js';
import type { Tensor } from '../../../src/tensor/tensor.js';
import { assertClose } from '../../helpers.js';
import { layerGradCheck } from './layer-gradcheck.js';
import { randomTensor } from './layer-checks.js';
import { randomWeights, rnnReference, runWithWeights, tfjsRecurrent, toND, type RefActivation } from './rnn-reference.js';
import { tf } from './tfjs-reference.js';

/** Random weights for a GRU of `units` on `features`, in [-1, 1) (resetAfter: bias [2, 3 units]). */
function gruWeights(features: number, units: number, seed: number, useBias = true, resetAfter = false): Tensor[] {
  return randomWeights([[features, 3 * units], [units, 3 * units], ...(useBias ? [resetAfter ? [2, 3 * units] : [3 * units]] : [])], seed);
}

type RefArgs = { returnSequences?: boolean; goBackwards?: boolean; activation?: RefActivation; recurrentActivation?: RefActivation };

describe('GRU', () => {
  test('the same values as TF.js (tf.layers.gru, whose only variant is resetAfter false): gates, sequences, goBackwards, returnState, no bias', async () => {
    const cases: GRUArgs[] = [
      { units: 3 },
      { units: 4, returnSequences: true, recurrentActivation: 'hardSigmoid' },
      { units: 2, returnSequences: true, goBackwards: true },
      { units: 3, goBackwards: true, returnState: true, useBias: false },
      { units: 3, activation: 'relu', returnSequences: true, returnState: true },
    ];
    for (const [i, args] of cases.entries()) {
      const x = randomTensor([3, 5, 4], 30 + i, -2, 2);
      const weights = gruWeights(4, args.units, 40 + 3 * i, args.useBias ?? true);
      const ours = runWithWeights(gru({ recurrentActivation: 'sigmoid', ...args, resetAfter: false }), x, weights);
      const theirs = await tfjsRecurrent(tf.layers.gru({ recurrentActivation: 'sigmoid', ...args } as never), x, weights);
      assert.equal(ours.length, theirs.length, `case ${i}: number of outputs`);
      ours.forEach((o, k) => {
        assertClose(o, theirs[k], { rtol: 1e-5, atol: 1e-5 });
      });
    }
    // with an initial state
    const x = randomTensor([2, 4, 3], 1);
    const weights = gruWeights(3, 5, 2);
    const h0 = randomTensor([2, 5], 6);
    const theirs = await tfjsRecurrent(tf.layers.gru({ units: 5, returnSequences: true, recurrentActivation: 'sigmoid' }), x, weights, [h0]);
    assertClose(runWithWeights(gru({ units: 5, returnSequences: true, resetAfter: false }), x, weights, [h0])[0], theirs[0], { rtol: 1e-5, atol: 1e-5 });
  });

  test('resetAfter (the default, Keras 3): values against the float64 reference, bias [2, 3 units]', () => {
    const x = randomTensor([3, 5, 4], 3, -2, 2);
    const weights = gruWeights(4, 3, 4, true, true);
    const layer = gru({ units: 3, returnSequences: true, returnState: true });
    assert.equal(layer.resetAfter, true);
    const [out, h] = runWithWeights(layer, x, weights);
    const ref = rnnReference(toND(x), toND(weights[0]), toND(weights[1]), toND(weights[2]), { cell: 'gru', units: 3, resetAfter: true, returnSequences: true });
    assertClose(out, ref.output.data, { shape: ref.output.shape, rtol: 1e-5, atol: 1e-6 });
    assertClose(h, ref.states[0].data, { rtol: 1e-5, atol: 1e-6 });
    assert.deepEqual([...layer.bias!.shape], [2, 9]);
    // the two variants differ on the same weights (the recurrent bias row at zero)
    const inputBias = tensor(weights[2].values.slice(0, 9), [9]);
    const before = runWithWeights(gru({ units: 3, resetAfter: false }), x, [weights[0], weights[1], inputBias])[0];
    const after = runWithWeights(gru({ units: 3 }), x, [weights[0], weights[1], tensor([...inputBias.values, ...new Array(9).fill(0)], [2, 9])])[0];
    assert.ok(
      before.values.some((v, i) => Math.abs(v - after.values[i]) > 1e-3),
      'resetAfter changes the values',
    );
  });

  for (const [name, args, ref] of [
    ['resetAfter, last output', { units: 3 }, {}],
    [
      'resetAfter false (TF.js), sequences, goBackwards, hardSigmoid gates',
      { units: 2, resetAfter: false, returnSequences: true, goBackwards: true, recurrentActivation: 'hardSigmoid' },
      { returnSequences: true, goBackwards: true, recurrentActivation: 'hardSigmoid' },
    ],
    [
      'resetAfter, no bias, relu, sequences',
      { units: 2, useBias: false, activation: 'relu', returnSequences: true },
      { activation: 'relu', returnSequences: true },
    ],
    ['resetAfter false, no bias', { units: 2, useBias: false, resetAfter: false }, {}],
  ] as [string, GRUArgs<false>, RefArgs][]) {
    test(`gradients for the input and every weight against float64 finite differences (${name})`, () => {
      const resetAfter = args.resetAfter ?? true;
      const check = () =>
        layerGradCheck(
          gru(args),
          { shape: [2, 4, 3] },
          (x, kernel, recurrent, bias) =>
            rnnReference(x, kernel, recurrent, args.useBias === false ? null : bias, { cell: 'gru', units: args.units, resetAfter, ...ref }).output,
        );
      check();
      withComposedRecurrence(check);
    });
  }

  test('gradients with a mask against float64 finite differences (both variants)', () => {
    const mask = tensor([1, 1, 0, 0, 1, 1, 1, 0], [2, 4]);
    for (const resetAfter of [true, false]) {
      const check = () =>
        layerGradCheck(
          gru({ units: 2, returnSequences: true, resetAfter }),
          { shape: [2, 4, 3] },
          (x, kernel, recurrent, bias) =>
            rnnReference(x, kernel, recurrent, bias, { cell: 'gru', units: 2, resetAfter, returnSequences: true, mask: toND(mask) }).output,
          { callArgs: { mask } },
        );
      check();
      withComposedRecurrence(check);
    }
  });
});
