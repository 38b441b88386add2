import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { lstm, type LSTMArgs } from '../../../src/nn/layers/lstm.js';
import { withComposedRecurrence } from '../../../src/nn/layers/rnn.js';
import { tensor } from '../../../src/tensor/create.js';
import type { Tensor } from '../../../src/tensor/tensor.js';
import { assertClose } from '../../helpers.js';
import { layerGradCheck } from './layer-gradcheck.js';
import { randomTensor } from './layer-checks.js';
import { randomWeights, rnnReference, runWithWeights, tfjsRecurrent, type RefActivation } from './rnn-reference.js';
import { tf } from './tfjs-reference.js';

/** Random weights for an LSTM of `units` on `features`, in [-1, 1). */
function lstmWeights(features: number, units: number, seed: number, useBias = true): Tensor[] {
  return randomWeights([[features, 4 * units], [units, 4 * units], ...(useBias ? [[4 * units]] : [])], seed);
}

describe('LSTM', () => {
  test('the same values as TF.js (tf.layers.lstm): sigmoid and hardSigmoid gates, sequences, goBackwards, returnState, no bias, relu', async () => {
    const cases: LSTMArgs[] = [
      { units: 3 },
      { units: 4, returnSequences: true, recurrentActivation: 'hardSigmoid' },
      { units: 2, returnSequences: true, goBackwards: true },
      { units: 3, goBackwards: true, returnState: true, useBias: false },
      { units: 3, activation: 'relu', returnSequences: true, returnState: true },
    ];
    for (const [i, args] of cases.entries()) {
      const x = randomTensor([3, 5, 4], 10 + i, -2, 2);
      const weights = lstmWeights(4, args.units, 20 + 3 * i, args.useBias ?? true);
      const ours = runWithWeights(lstm({ recurrentActivation: 'sigmoid', ...args }), x, weights);
      const theirs = await tfjsRecurrent(tf.layers.lstm({ recurrentActivation: 'sigmoid', ...args } as never), x, weights);
      assert.equal(ours.length, theirs.length, `case ${i}: number of outputs`);
      ours.forEach((o, k) => {
        assertClose(o, theirs[k], { rtol: 1e-5, atol: 1e-5 });
      });
    }
  });

  test('initial states ({ initialState } and the list form) give the same values as TF.js', async () => {
    const x = randomTensor([2, 4, 3], 1);
    const weights = lstmWeights(3, 5, 2);
    const h0 = randomTensor([2, 5], 6);
    const c0 = randomTensor([2, 5], 7);
    const args: LSTMArgs<true> = { units: 5, returnSequences: true, returnState: true, recurrentActivation: 'sigmoid' };
    const theirs = await tfjsRecurrent(tf.layers.lstm(args as never), x, weights, [h0, c0]);
    const ours = runWithWeights(lstm(args), x, weights, [h0, c0]);
    ours.forEach((o, k) => {
      assertClose(o, theirs[k], { rtol: 1e-5, atol: 1e-5 });
    });
    const layer = lstm(args);
    runWithWeights(layer, x, weights);
    const listed = layer.apply([x, h0, c0]);
    listed.forEach((o, k) => {
      assertClose(o, ours[k].values, { rtol: 0, atol: 0 });
    });
  });

  for (const [name, args, ref] of [
    ['last output, tanh and sigmoid', { units: 3 }, {}],
    [
      'sequences, goBackwards, hardSigmoid gates, unitForgetBias off',
      { units: 2, returnSequences: true, goBackwards: true, recurrentActivation: 'hardSigmoid', unitForgetBias: false },
      { returnSequences: true, goBackwards: true, recurrentActivation: 'hardSigmoid' },
    ],
    ['no bias, relu', { units: 2, useBias: false, activation: 'relu', returnSequences: true }, { activation: 'relu', returnSequences: true }],
  ] as [string, LSTMArgs<false>, { returnSequences?: boolean; goBackwards?: boolean; activation?: RefActivation; recurrentActivation?: RefActivation }][]) {
    test(`gradients for the input and every weight against float64 finite differences (${name})`, () => {
      const check = () =>
        layerGradCheck(
          lstm(args),
          { shape: [2, 4, 3] },
          (x, kernel, recurrent, bias) =>
            rnnReference(x, kernel, recurrent, args.useBias === false ? null : bias, { cell: 'lstm', units: args.units, ...ref }).output,
        );
      check();
      withComposedRecurrence(check);
    });
  }

  test('gradients with a mask (padded steps skipped) against float64 finite differences', () => {
    const mask = tensor(
      [
        [1, 1, 1, 0, 0],
        [0, 1, 1, 1, 1],
      ],
      [2, 5],
    );
    for (const returnSequences of [false, true]) {
      const check = () =>
        layerGradCheck(
          lstm({ units: 2, returnSequences }),
          { shape: [2, 5, 3] },
          (x, kernel, recurrent, bias) =>
            rnnReference(x, kernel, recurrent, bias, { cell: 'lstm', units: 2, returnSequences, mask: { shape: [2, 5], data: [...mask.values] } }).output,
          { callArgs: { mask } },
        );
      check();
      withComposedRecurrence(check);
    }
  });

  test('weights: Keras names and shapes, bias with ones on the forget gate (unitForgetBias, default true)', () => {
    const layer = lstm({ units: 2, name: 'enc' });
    layer.apply(randomTensor([1, 3, 5], 1));
    assert.deepEqual(
      layer.weights.map((w) => [w.name, [...w.shape]]),
      [
        ['enc/kernel', [5, 8]],
        ['enc/recurrent_kernel', [2, 8]],
        ['enc/bias', [8]],
      ],
    );
    assert.deepEqual([...layer.bias!.values], [0, 0, 1, 1, 0, 0, 0, 0]);
    const plain = lstm({ units: 2, unitForgetBias: false, biasInitializer: 'ones' });
    plain.apply(randomTensor([1, 3, 5], 1));
    assert.deepEqual([...plain.bias!.values], [1, 1, 1, 1, 1, 1, 1, 1]);
    assert.equal(layer.recurrentKernel!.shape[1], 8);
    assert.equal(lstm({ units: 2 }).recurrentActivation.name, 'sigmoid');
  });
});
