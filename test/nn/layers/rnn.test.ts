// What the recurrent layers share (src/nn/layers/rnn.ts), checked on LSTM, GRU and SimpleRNN alike: masks, goBackwards,
// returnState, initial states (values, gradients, the graph's node inputs), dropout, errors and configs.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { gradients } from '../../../src/autograd/backward.js';
import { input, layers, model, noGrad, sequential, setSeed, type SymbolicTensor } from '../../../src/index.js';
import { fromKerasConfig, toKerasConfig } from '../../../src/io/keras-json.js';
import { layerFromConfig } from '../../../src/io/layer-registry.js';
import { GRU } from '../../../src/nn/layers/gru.js';
import { LSTM } from '../../../src/nn/layers/lstm.js';
import { type RNN, type RNNArgs, withComposedRecurrence } from '../../../src/nn/layers/rnn.js';
import { SimpleRNN } from '../../../src/nn/layers/simple-rnn.js';
import { add, mul } from '../../../src/ops/binary.js';
import { sum } from '../../../src/ops/reduce.js';
import { concat, slice } from '../../../src/ops/slice.js';
import { setBufferPoisoning } from '../../../src/tensor/buffer-pool.js';
import { tensor, zeros } from '../../../src/tensor/create.js';
import { fillBernoulliMask } from '../../../src/tensor/rng.js';
import type { Tensor } from '../../../src/tensor/tensor.js';
import { assertClose } from '../../helpers.js';
import { nd } from '../../gradcheck.js';
import { randomTensor } from './layer-checks.js';
import { rnnReference, toND, type RefOptions } from './rnn-reference.js';
import { tf } from './tfjs-reference.js';

type Kind = 'lstm' | 'gru' | 'simple';
const KINDS: Kind[] = ['lstm', 'gru', 'simple'];
const STATES: Record<Kind, number> = { lstm: 2, gru: 1, simple: 1 };

/** A recurrent layer of the kind, with random weights in [-1, 1) once built for `features` (typed as one output: see `outs`). */
function make(kind: Kind, args: RNNArgs<boolean>, features: number, seed = 5): RNN<false> {
  const a = args as RNNArgs<false>;
  const layer = kind === 'lstm' ? new LSTM(a) : kind === 'gru' ? new GRU(a) : new SimpleRNN(a);
  layer.ensureBuilt([null, null, features]);
  layer.weights.forEach((w, i) => {
    w.assign(randomTensor(w.shape, seed + i));
  });
  return layer;
}

/** The outputs as a list (a layer with returnState gives one). */
function outs(y: Tensor | Tensor[]): Tensor[] {
  return Array.isArray(y) ? y : [y];
}

/** The float64 reference of a layer made by `make` (its weights read back). */
function reference(kind: Kind, layer: RNN<boolean>, x: Tensor, o: Omit<RefOptions, 'cell' | 'units'> = {}) {
  const [k, r, b] = layer.weights.map(toND);
  const resetAfter = layer instanceof GRU && layer.resetAfter;
  return rnnReference(toND(x), k, r, b ?? null, {
    cell: kind,
    units: layer.units,
    resetAfter,
    returnSequences: layer.returnSequences,
    goBackwards: layer.goBackwards,
    ...o,
  });
}

/** The sequence of sample `n` from step `from` for `length` steps, as a batch of one. */
function steps(x: Tensor, n: number, from: number, length: number): Tensor {
  return slice(x, [n, from, 0], [1, length, x.shape[2]]);
}

for (const kind of KINDS) {
  describe(`recurrent layers: ${kind}`, () => {
    test('a padded batch with its mask gives each sequence the final states it has alone (padding after or before)', () => {
      const layer = make(kind, { units: 3, returnState: true }, 2);
      const x = randomTensor([3, 6, 2], 1);
      // sample 0: 4 real steps then padding; sample 1: 2 padding steps then 4 real; sample 2: all 6 real
      const mask = tensor([1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [3, 6]);
      const padded = outs(layer.apply(x, { mask }));
      const alone = [outs(layer.apply(steps(x, 0, 0, 4))), outs(layer.apply(steps(x, 1, 2, 4))), outs(layer.apply(steps(x, 2, 0, 6)))];
      padded.forEach((p, k) => {
        assertClose(
          p,
          concat(
            alone.map((a) => a[k]),
            0,
          ).values,
          { rtol: 1e-5, atol: 1e-6 },
        );
      });
      // the padding's values do not matter
      const noisy = add(x, mul(randomTensor([3, 6, 1], 2), tensor([0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], [3, 6, 1])));
      assertClose(outs(layer.apply(noisy, { mask }))[0], padded[0].values, { rtol: 0, atol: 0 });
    });

    test('with returnSequences a padded step outputs the previous output (the initial state before any real step); the output mask is the input mask', () => {
      const layer = make(kind, { units: 2, returnSequences: true }, 3);
      const x = randomTensor([2, 5, 3], 3);
      const mask = tensor([0, 1, 1, 0, 1, 1, 1, 0, 0, 1], [2, 5]);
      const y = layer.apply(x, { mask }) as Tensor;
      const at = (n: number, t: number) => [...y.values.slice((n * 5 + t) * 2, (n * 5 + t) * 2 + 2)];
      assert.deepEqual(at(0, 0), [0, 0]);
      assert.deepEqual(at(0, 3), at(0, 2));
      assert.deepEqual(at(1, 3), at(1, 2));
      assert.deepEqual(at(1, 4).length, 2);
      assert.notDeepEqual(at(1, 4), at(1, 2));
      assertClose(y, reference(kind, layer, x, { mask: toND(mask) }).output.data, { rtol: 1e-5, atol: 1e-6 });
      assert.equal(layer.computeMask(x, mask), mask);
      assert.equal(make(kind, { units: 2 }, 3).computeMask(x, mask), null);
      assert.deepEqual(make(kind, { units: 2, returnSequences: true, returnState: true }, 3).computeMask(x, [mask]), [
        mask,
        ...new Array(STATES[kind]).fill(null),
      ]);
    });

    test('a Masking layer before it in a Sequential: padded and unpadded sequences predict the same', () => {
      setSeed(4);
      const net = sequential([layers.masking({ maskValue: 0, batchInputShape: [null, null, 2] }), make(kind, { units: 3 }, 2), layers.dense({ units: 1 })]);
      const x = randomTensor([2, 3, 2], 4);
      const padded = concat([x, zeros([2, 2, 2])], 1);
      assertClose(net.predict(padded), net.predict(x).values, { rtol: 1e-5, atol: 1e-6 });
      assert.ok(Math.abs(net.predict(concat([x, randomTensor([2, 2, 2], 5)], 1)).values[0] - net.predict(x).values[0]) > 1e-6, 'unmasked steps count');
    });

    test('goBackwards reads the sequence from its end: the same as the reversed sequence forwards, outputs in processing order', () => {
      const x = randomTensor([2, 4, 3], 6);
      const backwards = make(kind, { units: 2, returnSequences: true, goBackwards: true }, 3);
      const forwards = make(kind, { units: 2, returnSequences: true }, 3);
      const reversed = concat(
        [3, 2, 1, 0].map((t) => slice(x, [0, t, 0], [2, 1, 3])),
        1,
      );
      assertClose(backwards.apply(x) as Tensor, (forwards.apply(reversed) as Tensor).values, { rtol: 1e-6, atol: 1e-7 });
      assert.notDeepEqual([...(forwards.apply(x) as Tensor).values], [...(forwards.apply(reversed) as Tensor).values]);
    });

    test('returnState gives [output, ...states]; the output is the first state (the last step of the sequence)', () => {
      const x = randomTensor([2, 4, 3], 7);
      const y = outs(make(kind, { units: 3, returnState: true }, 3).apply(x));
      assert.equal(y.length, 1 + STATES[kind]);
      assert.deepEqual([...y[0].values], [...y[1].values]);
      const s = outs(make(kind, { units: 3, returnState: true, returnSequences: true }, 3).apply(x));
      assert.deepEqual([...s[0].shape], [2, 4, 3]);
      assert.deepEqual([...slice(s[0], [0, 3, 0], [2, 1, 3]).values], [...s[1].values]);
      assert.deepEqual(make(kind, { units: 3, returnState: true, returnSequences: true }, 3).computeOutputShape([null, 4, 3]), [
        [null, 4, 3],
        ...new Array(STATES[kind]).fill([null, 3]),
      ]);
    });

    test('initial states: values and gradients (input, states, weights) against float64 finite differences', () => {
      const layer = make(kind, { units: 2, returnSequences: true }, 3);
      const x = randomTensor([2, 3, 3], 8).requireGrad();
      const states = Array.from({ length: STATES[kind] }, (_, i) => randomTensor([2, 2], 9 + i).requireGrad());
      const y = layer.apply([x, ...states]) as Tensor;
      assertClose(layer.apply(x, { initialState: states }) as Tensor, y.values, { rtol: 0, atol: 0 });
      const ref = (xv: number[], sv: number[][], wv: number[][]) => {
        const [k, r, b] = layer.weights.map((w, i) => nd([...w.shape], wv[i]));
        const resetAfter = layer instanceof GRU && layer.resetAfter;
        return rnnReference(nd([2, 3, 3], xv), k, r, b ?? null, {
          cell: kind,
          units: 2,
          resetAfter,
          returnSequences: true,
          initialState: sv.map((v) => nd([2, 2], v)),
        }).output.data;
      };
      const xv = [...x.values];
      const sv = states.map((s) => [...s.values]);
      const wv = layer.weights.map((w) => [...w.values]);
      assertClose(y, ref(xv, sv, wv), { rtol: 1e-5, atol: 1e-6 });
      const upstream = randomTensor(y.shape, 10);
      const analytic = gradients(sum(mul(y, upstream)), [x, ...states, ...layer.weights]);
      const loss = (a: number[], b: number[][], c: number[][]) => ref(a, b, c).reduce((s, v, j) => s + v * upstream.values[j], 0);
      const h = 1e-6;
      const all = [xv, ...sv, ...wv];
      all.forEach((values, i) => {
        const numeric = values.map((_, j) => {
          const plus = all.map((v) => [...v]);
          const minus = all.map((v) => [...v]);
          plus[i][j] += h;
          minus[i][j] -= h;
          const split = (vs: number[][]) => loss(vs[0], vs.slice(1, 1 + sv.length), vs.slice(1 + sv.length));
          return (split(plus) - split(minus)) / (2 * h);
        });
        assertClose(analytic[i], numeric, { rtol: 1e-3, atol: 1e-4 });
      });
    });

    test('initial states in a graph model are inputs of the call (as TF.js records them), in both forms', () => {
      const x = input({ shape: [4, 3] });
      const states = Array.from({ length: STATES[kind] }, () => input({ shape: [2] }));
      const layer = make(kind, { units: 2 }, 3);
      const y = layer.apply(x, { initialState: states });
      assert.deepEqual(layer.inboundNodes[0].inputTensors, [x, ...states]);
      assert.equal(layer.inboundNodes[0].callArgs.initialState, undefined);
      const net = model({ inputs: [x, ...states], outputs: y });
      const xv = randomTensor([2, 4, 3], 11);
      const sv = states.map((_, i) => randomTensor([2, 2], 12 + i));
      assertClose(net.predict([xv, ...sv]) as Tensor, (layer.apply([xv, ...sv]) as Tensor).values, { rtol: 0, atol: 0 });
      const listed = layer.apply([x, ...states]);
      assert.deepEqual(layer.inboundNodes[1].inputTensors, [x, ...states]);
      assert.deepEqual((listed as SymbolicTensor).shape, [null, 2]);
    });

    test('dropout: only in training, one mask per sequence (input mask first, then the recurrent one), reproducible with setSeed or the layer seed', () => {
      const x = randomTensor([3, 5, 4], 13);
      const layer = make(kind, { units: 3, returnSequences: true, dropout: 0.4, recurrentDropout: 0.3 }, 4);
      const plain = layer.apply(x) as Tensor;
      assertClose(reference(kind, layer, x).output.data, plain.values, { rtol: 1e-5, atol: 1e-6 });
      assert.deepEqual([...(layer.apply(x, { training: false }) as Tensor).values], [...plain.values]);
      setSeed(21);
      const trained = layer.apply(x, { training: true }) as Tensor;
      setSeed(21);
      const inputMask = new Float32Array(3 * 4);
      fillBernoulliMask(inputMask, 0.6, 1 / 0.6);
      const recurrentMask = new Float32Array(3 * 3);
      fillBernoulliMask(recurrentMask, 0.7, 1 / 0.7);
      assert.ok(inputMask.includes(0) && recurrentMask.includes(0));
      const expected = reference(kind, layer, x, { inputMask: nd([3, 4], [...inputMask]), recurrentMask: nd([3, 3], [...recurrentMask]) }).output.data;
      assertClose(trained, expected, { rtol: 1e-5, atol: 1e-6 });
      setSeed(21);
      assert.deepEqual([...(layer.apply(x, { training: true }) as Tensor).values], [...trained.values]);
      assert.notDeepEqual([...(layer.apply(x, { training: true }) as Tensor).values], [...trained.values]);
      // with its own seed the masks do not depend on the global stream
      const seeded = () => make(kind, { units: 3, dropout: 0.5, seed: 3 }, 4).apply(x, { training: true }) as Tensor;
      setSeed(1);
      const a = seeded();
      setSeed(2);
      assert.deepEqual([...seeded().values], [...a.values]);
    });

    test('errors name the layer and the shapes', () => {
      const layer = make(kind, { units: 3, name: 'seq' }, 4);
      const cls = layer.className;
      const fresh =
        kind === 'lstm' ? new LSTM({ units: 3, name: 'seq' }) : kind === 'gru' ? new GRU({ units: 3, name: 'seq' }) : new SimpleRNN({ units: 3, name: 'seq' });
      assert.throws(
        () => fresh.apply(randomTensor([2, 4], 1)),
        new RegExp(
          `Layer 'seq' \\(${cls}\\) expects inputs of rank 3 \\[batch, timesteps, features\\], got shape \\[null, 4\\] of rank 2\\. For one feature per step, reshape \\[batch, timesteps\\] to \\[batch, timesteps, 1\\]\\.`,
        ),
      );
      assert.throws(() => layer.apply(randomTensor([2, 5, 3], 1)), /Layer 'seq' .* expects input of shape \[null, null, 4\], got \[2, 5, 3\]/);
      assert.throws(() => layer.apply(randomTensor([2, 4], 1)), /Layer 'seq' .* expects input of shape \[null, null, 4\], got \[2, 4\]/);
      assert.throws(
        () => layer.apply([randomTensor([2, 5, 3], 1), ...new Array(STATES[kind]).fill(zeros([2, 3]))]),
        /Layer 'seq' .* expects inputs of shape \[null, null, 4\] \(it was built for 4 features\), got \[2, 5, 3\]/,
      );
      assert.throws(() => layer.apply(randomTensor([2, 0, 4], 1)), /Layer 'seq' .* needs at least one timestep, got input of shape \[2, 0, 4\]/);
      assert.throws(
        () => layer.apply([randomTensor([2, 5, 4], 1), ...new Array(STATES[kind] + 1).fill(zeros([2, 3]))]),
        new RegExp(`Layer 'seq' \\(${cls}\\) has ${STATES[kind]} state\\(s\\) .*, but was given ${STATES[kind] + 1} initial state\\(s\\)\\.`),
      );
      assert.throws(
        () => layer.apply(randomTensor([2, 5, 4], 1), { initialState: new Array(STATES[kind]).fill(zeros([2, 4])) }),
        /Layer 'seq' .*: initial state 0 must have shape \[2, 3\] \(\[batch, units\]\), got \[2, 4\]\./,
      );
      assert.throws(
        () => layer.apply(randomTensor([2, 5, 4], 1), { initialState: new Array(STATES[kind]).fill(zeros([3, 3])) }),
        /initial state 0 must have shape \[2, 3\] \(\[batch, units\]\), got \[3, 3\]/,
      );
      assert.throws(
        () => layer.apply(randomTensor([2, 5, 4], 1), { mask: zeros([2, 4]) }),
        /Layer 'seq' .*: the mask must have shape \[2, 5\] \(\[batch, timesteps\]\) for input of shape \[2, 5, 4\], got \[2, 4\]\./,
      );
      assert.throws(() => make(kind, { units: 0, name: 'z' }, 2), /Layer 'z' .*: units must be a positive integer, got 0\./);
      assert.throws(() => make(kind, { units: 2, name: 's', stateful: true }, 2), /Layer 's' .*: stateful RNNs are not supported/);
      assert.throws(() => make(kind, { units: 2, name: 'd', dropout: 1 }, 2), /Layer 'd' .*: dropout must be in \[0, 1\) \(a fraction to drop\), got 1\./);
      assert.throws(
        () => make(kind, { units: 2 }, 2).ensureBuilt([null, 5, null]),
        /needs the size of the features axis \(the last one\) to create its kernel, got shape \[null, 5, null\]/,
      );
    });

    test('getConfig / fromConfig round trip (Keras names), and the layer registry builds it from a snake_case file config', () => {
      const layer = make(
        kind,
        { units: 4, returnSequences: true, goBackwards: true, dropout: 0.25, recurrentDropout: 0.125, useBias: false, name: 'r', seed: 9 },
        3,
      );
      const config = layer.getConfig();
      assert.equal(config.units, 4);
      assert.equal(config.returnSequences, true);
      assert.equal(config.stateful, false);
      const back = (layer.constructor as unknown as { fromConfig(c: Record<string, unknown>): RNN<boolean> }).fromConfig(config);
      assert.deepEqual(back.getConfig(), config);
      const file = JSON.parse(JSON.stringify(toKerasConfig(config)));
      assert.equal(file.return_sequences, true);
      const fromFile = layerFromConfig(layer.className, fromKerasConfig(file) as never);
      assert.deepEqual(fromFile.getConfig(), config);
      // the three regularizers count in the loss
      const regularized = make(kind, { units: 2, kernelRegularizer: 'l2', recurrentRegularizer: 'l1', biasRegularizer: 'l2' }, 3);
      assert.equal(regularized.regularizers.length, 3);
      assert.ok(regularized.regularizationLoss().values[0] > 0);
      assert.deepEqual((regularized.getConfig().recurrentRegularizer as { className: string }).className, 'L1L2');
    });
  });
}

describe('recurrent layers: configs as TF.js writes them (a key it leaves out means its default)', () => {
  /** A TF.js layer's config as its model file holds it: snake_case keys and string values (TF.js' convertTsToPythonic). */
  function tfjsFileConfig(layer: tf.layers.Layer): Record<string, unknown> {
    return toKerasConfig(layer.getConfig()) as Record<string, unknown>;
  }

  test("tf.layers.lstm / gru / simpleRNN's configs load with TF.js' defaults: hardSigmoid gates, resetAfter false", () => {
    const lstm = layerFromConfig('LSTM', fromKerasConfig(tfjsFileConfig(tf.layers.lstm({ units: 3, returnSequences: true }))) as never) as LSTM;
    assert.equal(lstm.recurrentActivation.name, 'hardSigmoid');
    assert.equal(lstm.returnSequences, true);
    assert.equal(lstm.unitForgetBias, false);
    assert.equal(lstm.units, 3);
    const gru = layerFromConfig('GRU', fromKerasConfig(tfjsFileConfig(tf.layers.gru({ units: 2, goBackwards: true }))) as never) as GRU;
    assert.equal(gru.resetAfter, false);
    assert.equal(gru.recurrentActivation.name, 'hardSigmoid');
    assert.equal(gru.goBackwards, true);
    const simple = layerFromConfig('SimpleRNN', fromKerasConfig(tfjsFileConfig(tf.layers.simpleRNN({ units: 5, activation: 'relu' }))) as never) as SimpleRNN;
    assert.equal(simple.activation.name, 'relu');
    // without the keys at all
    assert.equal((LSTM.fromConfig({ units: 2 }) as LSTM).recurrentActivation.name, 'hardSigmoid');
    assert.equal(GRU.fromConfig({ units: 2 }).resetAfter, false);
    assert.equal(GRU.fromConfig({ units: 2, resetAfter: true }).resetAfter, true);
    // made in code: Keras 3's defaults
    assert.equal(new LSTM({ units: 2 }).recurrentActivation.name, 'sigmoid');
    assert.equal(new GRU({ units: 2 }).resetAfter, true);
  });

  test('features dendrite lacks are refused with the key', () => {
    assert.throws(() => LSTM.fromConfig({ units: 2, stateful: true }), /stateful RNNs are not supported by dendrite/);
    assert.throws(() => GRU.fromConfig({ units: 2, zeroOutputForMask: true }), /zero_output_for_mask true is not supported/);
    assert.throws(
      () => SimpleRNN.fromConfig({ units: 2, kernelConstraint: { className: 'MaxNorm', config: {} } }),
      /kernelConstraint .* is not supported by dendrite/,
    );
    assert.throws(
      () => LSTM.fromConfig({ units: 2, activityRegularizer: { className: 'L1L2', config: {} } }),
      /activityRegularizer .* is not supported by dendrite/,
    );
  });
});

describe('recurrent layers: the fused loops (src/ops/recurrent.ts) against the composed reference', () => {
  /** The op names on the tape below `y`. */
  function ops(y: Tensor): Set<string> {
    const seen = new Set<Tensor>();
    const names = new Set<string>();
    const stack = [y];
    while (stack.length > 0) {
      const t = stack.pop()!;
      if (seen.has(t) || !t.gradFn) continue;
      seen.add(t);
      names.add(t.gradFn.op);
      stack.push(...t.gradFn.inputs);
    }
    return names;
  }

  const CASES: [Kind, RNNArgs<boolean> & { activation?: string; recurrentActivation?: string; resetAfter?: boolean }][] = [
    ['lstm', { units: 3, returnSequences: true }],
    ['lstm', { units: 2, goBackwards: true, returnState: true, recurrentActivation: 'hardSigmoid', activation: 'relu' }],
    ['lstm', { units: 3, returnSequences: true, returnState: true, recurrentDropout: 0.3, dropout: 0.2, activation: 'linear' }],
    ['gru', { units: 3, returnSequences: true }],
    ['gru', { units: 2, goBackwards: true, returnState: true, resetAfter: false, recurrentActivation: 'hardSigmoid' }],
    ['gru', { units: 3, returnSequences: true, recurrentDropout: 0.3, resetAfter: false, activation: 'relu' }],
    ['gru', { units: 2, returnSequences: true, recurrentDropout: 0.4, useBias: false }],
    ['simple', { units: 3, returnSequences: true, activation: 'relu' }],
    ['simple', { units: 2, goBackwards: true, returnState: true, recurrentDropout: 0.3, activation: 'sigmoid' }],
  ];

  for (const [i, [kind, args]] of CASES.entries()) {
    test(`${kind} ${JSON.stringify(args)}: outputs and gradients (input, states, weights) equal, with a mask and initial states`, () => {
      const layer = make(kind, args as RNNArgs<boolean>, 3, 30 + i);
      const x = randomTensor([3, 5, 3], 40 + i).requireGrad();
      const states = Array.from({ length: STATES[kind] }, (_, k) => randomTensor([3, args.units], 50 + k).requireGrad());
      const mask = tensor([1, 1, 0, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1], [3, 5]);
      const run = () => {
        setSeed(60 + i);
        const y = outs(layer.apply([x, ...states], { mask, training: true }));
        let loss = sum(mul(y[0], randomTensor(y[0].shape, 70)));
        for (const extra of y.slice(1)) loss = add(loss, sum(mul(extra, randomTensor(extra.shape, 71))));
        return { y, ops: ops(y[0]), grads: gradients(loss, [x, ...states, ...layer.trainableWeights]) };
      };
      const fused = run();
      const composed = withComposedRecurrence(run);
      const op = { lstm: 'lstmSequence', gru: 'gruSequence', simple: 'simpleRnnSequence' }[kind];
      assert.ok(fused.ops.has(op), `the fused ${op} ran`);
      assert.ok(!composed.ops.has(op), 'the composed loop ran');
      fused.y.forEach((y, k) => {
        assertClose(y, composed.y[k].values, { rtol: 1e-5, atol: 1e-6 });
      });
      fused.grads.forEach((g, k) => {
        assertClose(g, composed.grads[k].values, { rtol: 1e-4, atol: 1e-5 });
      });
    });
  }

  test('without a backward to feed (noGrad, predict) the loops keep one step of intermediate values and give the same outputs', () => {
    for (const [i, [kind, args]] of CASES.entries()) {
      const layer = make(kind, args as RNNArgs<boolean>, 3, 30 + i);
      const x = randomTensor([3, 5, 3], 40 + i);
      const mask = tensor([1, 1, 0, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1], [3, 5]);
      const recorded = outs(layer.apply(x.requireGrad(), { mask }));
      const plain = outs(noGrad(() => layer.apply(x, { mask })));
      assert.ok(recorded[0].requiresGrad && !plain[0].requiresGrad);
      plain.forEach((y, k) => {
        assert.deepEqual([...y.values], [...recorded[k].values], `${kind} case ${i} output ${k}`);
      });
    }
  });

  test("an activation the fused loops lack (a user's function) runs the composed loop, with the same values", () => {
    const custom = (t: Tensor) => mul(t, 0.5);
    const layer = make('lstm', { units: 2, activation: custom, returnSequences: true }, 3);
    const x = randomTensor([2, 4, 3], 1);
    const y = layer.apply(x) as Tensor;
    assert.ok(!ops(y).has('lstmSequence'));
    assertClose(y, (withComposedRecurrence(() => layer.apply(x)) as Tensor).values, { rtol: 0, atol: 0 });
  });
});

test("fit's buffer reuse (poisoned: a buffer reused too early turns into NaN) trains the recurrent layers exactly as without it", async () => {
  const train = async (reuse: boolean) => {
    if (!reuse) process.env.DENDRITE_BUFFER_REUSE = '0';
    setBufferPoisoning(true);
    try {
      setSeed(8);
      const x = randomTensor([24, 6, 3], 80);
      const y = randomTensor([24, 2], 81);
      const net = sequential([
        layers.masking({ maskValue: 0, inputShape: [6, 3] }),
        layers.lstm({ units: 4, returnSequences: true, recurrentDropout: 0.2 }),
        layers.gru({ units: 3, returnSequences: true, goBackwards: true, dropout: 0.1 }),
        layers.gru({ units: 3, returnSequences: true, resetAfter: false }),
        layers.simpleRNN({ units: 2 }),
      ]);
      net.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
      const history = await net.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
      return { weights: net.getWeights().map((w) => [...w.values]), loss: history.history.loss as number[] };
    } finally {
      setBufferPoisoning(false);
      delete process.env.DENDRITE_BUFFER_REUSE;
    }
  };
  const reused = await train(true);
  const fresh = await train(false);
  assert.ok(reused.loss.every(Number.isFinite));
  assert.deepEqual(reused.loss, fresh.loss);
  assert.deepEqual(reused.weights, fresh.weights);
});
