import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { withComposedRecurrence } from '../../../src/nn/layers/rnn.js';
import { simpleRNN, type SimpleRNNArgs } from '../../../src/nn/layers/simple-rnn.js';
import { tensor } from '../../../src/tensor/create.js';
import { assertClose } from '../../helpers.js';
import { layerGradCheck } from './layer-gradcheck.js';
import { randomTensor } from './layer-checks.js';
import { randomWeights, rnnReference, runWithWeights, tfjsRecurrent, toND, type RefActivation } from './rnn-reference.js';
import { tf } from './tfjs-reference.js';

describe('SimpleRNN', () => {
  test('the same values as TF.js (tf.layers.simpleRNN): tanh and relu, sequences, goBackwards, returnState, no bias, initial state', async () => {
    const cases: SimpleRNNArgs[] = [
      { units: 3 },
      { units: 4, returnSequences: true, activation: 'relu' },
      { units: 2, returnSequences: true, goBackwards: true },
      { units: 3, goBackwards: true, returnState: true, useBias: false },
    ];
    for (const [i, args] of cases.entries()) {
      const x = randomTensor([3, 5, 4], 50 + i, -2, 2);
      const weights = randomWeights([[4, args.units], [args.units, args.units], ...(args.useBias === false ? [] : [[args.units]])], 60 + 3 * i);
      const ours = runWithWeights(simpleRNN(args), x, weights);
      const theirs = await tfjsRecurrent(tf.layers.simpleRNN(args as never), x, weights);
      assert.equal(ours.length, theirs.length, `case ${i}: number of outputs`);
      ours.forEach((o, k) => {
        assertClose(o, theirs[k], { rtol: 1e-5, atol: 1e-5 });
      });
    }
    const x = randomTensor([2, 4, 3], 1);
    const weights = randomWeights([[3, 5], [5, 5], [5]], 2);
    const h0 = randomTensor([2, 5], 6);
    const theirs = await tfjsRecurrent(tf.layers.simpleRNN({ units: 5, returnSequences: true }), x, weights, [h0]);
    assertClose(runWithWeights(simpleRNN({ units: 5, returnSequences: true }), x, weights, [h0])[0], theirs[0], { rtol: 1e-5, atol: 1e-5 });
  });

  for (const [name, args, ref] of [
    ['last output, tanh', { units: 3 }, {}],
    [
      'sequences, goBackwards, relu',
      { units: 2, returnSequences: true, goBackwards: true, activation: 'relu' },
      { returnSequences: true, goBackwards: true, activation: 'relu' },
    ],
    ['no bias, sigmoid', { units: 2, useBias: false, activation: 'sigmoid' }, { activation: 'sigmoid' }],
  ] as [string, SimpleRNNArgs<false>, { returnSequences?: boolean; goBackwards?: boolean; activation?: RefActivation }][]) {
    test(`gradients for the input and every weight against float64 finite differences (${name})`, () => {
      const check = () =>
        layerGradCheck(
          simpleRNN(args),
          { shape: [2, 4, 3] },
          (x, kernel, recurrent, bias) =>
            rnnReference(x, kernel, recurrent, args.useBias === false ? null : bias, { cell: 'simple', units: args.units, ...ref }).output,
        );
      check();
      withComposedRecurrence(check);
    });
  }

  test('gradients with a mask against float64 finite differences', () => {
    const mask = tensor([0, 1, 1, 1, 1, 1, 0, 1], [2, 4]);
    const check = () =>
      layerGradCheck(
        simpleRNN({ units: 3, returnSequences: true }),
        { shape: [2, 4, 2] },
        (x, kernel, recurrent, bias) => rnnReference(x, kernel, recurrent, bias, { cell: 'simple', units: 3, returnSequences: true, mask: toND(mask) }).output,
        { callArgs: { mask } },
      );
    check();
    withComposedRecurrence(check);
  });
});
