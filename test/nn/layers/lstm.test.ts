import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  loadModel,
  model as graphModel,
  input,
  modelFromArtifacts,
  modelToArtifacts,
  optimizers,
  randomUniform,
  sequential,
  setSeed,
} from '../../../src/index.js';
import { dense } from '../../../src/nn/layers/dense.js';
import { gru } from '../../../src/nn/layers/gru.js';
import { simpleRNN } from '../../../src/nn/layers/simple-rnn.js';
import { lstm, type LSTMArgs } from '../../../src/nn/layers/lstm.js';
import { withComposedRecurrence } from '../../../src/nn/layers/rnn.js';
import { tensor } from '../../../src/tensor/create.js';
import type { Tensor } from '../../../src/tensor/tensor.js';
import { fileHandler, randomizeDendrite, randomizeTfjs, tfjsArtifacts, tfjsModelJson, tfPredict, tfPredictAll, weightBytes } from '../../io/tfjs-files.js';
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

describe('LSTM in model files (TF.js layers format)', () => {
  let dir: string;
  before(async () => {
    await tf.setBackend('cpu');
    dir = await mkdtemp(join(tmpdir(), 'dendrite-lstm-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('a Sequential with an LSTM survives model.save and loadModel: same file, same predictions; TF.js loads it and predicts the same', async () => {
    setSeed(3);
    const model = sequential([
      lstm({ units: 4, returnSequences: true, recurrentActivation: 'hardSigmoid', inputShape: [5, 3] }),
      gru({ units: 3, resetAfter: false, returnSequences: true, goBackwards: true }),
      simpleRNN({ units: 3, activation: 'relu' }),
      dense({ units: 2 }),
    ]);
    randomizeDendrite(model);
    const folder = join(dir, 'dendrite');
    await model.save(folder);
    const loaded = await loadModel(folder);
    assert.deepEqual(modelToArtifacts(loaded).modelJson.modelTopology, modelToArtifacts(model).modelJson.modelTopology);
    const x = randomTensor([4, 5, 3], 9);
    assert.deepEqual([...loaded.predict(x).values], [...model.predict(x).values]);
    const theirs = await tf.loadLayersModel(fileHandler(folder));
    assertClose(tfPredict(theirs, x), model.predict(x).values, { rtol: 1e-5, atol: 1e-5 });
  });

  test("a model TF.js saved (its LSTM, GRU and SimpleRNN with TF.js' defaults) loads and predicts the same", async () => {
    const original = tf.sequential({
      layers: [
        tf.layers.lstm({ units: 4, returnSequences: true, inputShape: [5, 3] }),
        tf.layers.gru({ units: 3, returnSequences: true }),
        tf.layers.simpleRNN({ units: 2, goBackwards: true }),
      ],
    });
    randomizeTfjs(original, 7);
    const artifacts = await tfjsArtifacts(original);
    const model = modelFromArtifacts(tfjsModelJson(artifacts), weightBytes(artifacts));
    assert.deepEqual(
      model.layers.map((l) => l.className),
      ['LSTM', 'GRU', 'SimpleRNN'],
    );
    const x = randomTensor([3, 5, 3], 10, -2, 2);
    assertClose(model.predict(x), tfPredict(original, x), { rtol: 1e-5, atol: 1e-5 });
  });

  test('a graph model whose LSTM takes initial states as inputs: saved, read back, and read by TF.js, predicting the same', async () => {
    setSeed(5);
    const x = input({ shape: [4, 3] });
    const h0 = input({ shape: [2] });
    const c0 = input({ shape: [2] });
    const [out, h, c] = lstm({ units: 2, returnSequences: true, returnState: true, recurrentActivation: 'hardSigmoid' }).apply(x, { initialState: [h0, c0] });
    const net = graphModel({ inputs: [x, h0, c0], outputs: [out, h, c] });
    randomizeDendrite(net);
    const folder = join(dir, 'graph');
    await net.save(folder);
    const xs = [randomTensor([2, 4, 3], 1), randomTensor([2, 2], 2), randomTensor([2, 2], 3)];
    const ours = net.predict(xs) as unknown as Tensor[];
    const back = (await loadModel(folder)).predict(xs) as unknown as Tensor[];
    const theirs = tfPredictAll(await tf.loadLayersModel(fileHandler(folder)), xs);
    ours.forEach((o, i) => {
      assert.deepEqual([...back[i].values], [...o.values]);
      assertClose(theirs[i], o.values, { rtol: 1e-5, atol: 1e-5 });
    });
  });
});

test('training: an LSTM learns whether a sequence sums to more than zero', async () => {
  setSeed(11);
  const n = 512;
  const x = randomUniform([n, 8, 1], -1, 1);
  const sums = Array.from({ length: n }, (_, i) => x.values.slice(i * 8, i * 8 + 8).reduce((s, v) => s + v, 0));
  const y = tensor(
    sums.map((s) => (s > 0 ? 1 : 0)),
    [n, 1],
  );
  const net = sequential([lstm({ units: 8, inputShape: [8, 1] }), dense({ units: 1, activation: 'sigmoid' })]);
  net.compile({ optimizer: optimizers.adam({ learningRate: 0.02 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  const before = (await net.evaluate(x, y)) as Record<string, number>;
  await net.fit(x, y, { epochs: 25, batchSize: 32, verbose: 0 });
  const test = randomUniform([256, 8, 1], -1, 1);
  const labels = tensor(
    Array.from({ length: 256 }, (_, i) => (test.values.slice(i * 8, i * 8 + 8).reduce((s, v) => s + v, 0) > 0 ? 1 : 0)),
    [256, 1],
  );
  const { accuracy } = (await net.evaluate(test, labels)) as Record<string, number>;
  assert.ok(accuracy > 0.9, `held-out accuracy ${accuracy} (before training: ${before.accuracy})`);
});
