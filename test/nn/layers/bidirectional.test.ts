import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { input, loadModel, model, sequential, type SymbolicTensor } from '../../../src/index.js';
import { fromKerasConfig } from '../../../src/io/keras-json.js';
import { layerEntry } from '../../../src/io/layer-config.js';
import { layerFromConfig } from '../../../src/io/layer-registry.js';
import { Bidirectional, bidirectional, type BidirectionalMergeMode } from '../../../src/nn/layers/bidirectional.js';
import type { LayerConfig } from '../../../src/nn/layers/config-args.js';
import { dense } from '../../../src/nn/layers/dense.js';
import { LSTM, lstm } from '../../../src/nn/layers/lstm.js';
import { masking } from '../../../src/nn/layers/masking.js';
import { concat, slice } from '../../../src/ops/slice.js';
import { tensor } from '../../../src/tensor/create.js';
import type { Tensor } from '../../../src/tensor/tensor.js';
import { assertClose } from '../../helpers.js';
import { nd, type ND } from '../../gradcheck.js';
import { REPO_ROOT } from '../../keras/python.js';
import { layerGradCheck } from './layer-gradcheck.js';
import { randomTensor } from './layer-checks.js';
import { tf } from './tfjs-reference.js';

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/**
 * A float64 LSTM (Keras gates i, f, c, o; sigmoid and tanh) over x [n, t, f]: the outputs of every step in time
 * order, read forwards or backwards; `mask` [n][t] skips steps (states carried, output repeated).
 */
function lstm64(x: ND, kernel: ND, recurrent: ND, bias: ND, backwards: boolean, mask?: number[][]): { seq: number[][][]; h: number[][]; c: number[][] } {
  const [n, t, f] = x.shape;
  const u = recurrent.shape[0];
  const seq: number[][][] = [];
  const hs: number[][] = [];
  const cs: number[][] = [];
  for (let b = 0; b < n; b++) {
    let h = new Array<number>(u).fill(0);
    let c = new Array<number>(u).fill(0);
    const out: number[][] = new Array(t);
    for (let s = 0; s < t; s++) {
      const step = backwards ? t - 1 - s : s;
      if (mask && !mask[b][step]) {
        out[step] = [...h];
        continue;
      }
      const z = Array.from({ length: 4 * u }, (_, j) => {
        let acc = bias.data[j];
        for (let k = 0; k < f; k++) acc += x.data[(b * t + step) * f + k] * kernel.data[k * 4 * u + j];
        for (let k = 0; k < u; k++) acc += h[k] * recurrent.data[k * 4 * u + j];
        return acc;
      });
      const c2 = c.map((cv, k) => sigmoid(z[u + k]) * cv + sigmoid(z[k]) * Math.tanh(z[2 * u + k]));
      h = c2.map((cv, k) => sigmoid(z[3 * u + k]) * Math.tanh(cv));
      c = c2;
      out[step] = [...h];
    }
    seq.push(out);
    hs.push(h);
    cs.push(c);
  }
  return { seq, h: hs, c: cs };
}

function merge64(a: number, b: number, mode: Exclude<BidirectionalMergeMode, 'concat' | null>): number {
  return mode === 'sum' ? a + b : mode === 'mul' ? a * b : (a + b) / 2;
}

/** Bidirectional(LSTM) in float64, weights forward then backward. */
function bidirectional64(sequences: boolean, mode: Exclude<BidirectionalMergeMode, null>) {
  return (x: ND, ...w: ND[]): ND => {
    const fw = lstm64(x, w[0], w[1], w[2], false);
    const bw = lstm64(x, w[3], w[4], w[5], true);
    const [n, t] = x.shape;
    const u = w[1].shape[0];
    const combine = (a: number[], b: number[]) => (mode === 'concat' ? [...a, ...b] : a.map((v, k) => merge64(v, b[k], mode)));
    const width = mode === 'concat' ? 2 * u : u;
    if (!sequences) {
      // the backward layer's last output is the one after reading the first step
      return nd(
        [n, width],
        fw.h.flatMap((h, b) => combine(h, bw.h[b])),
      );
    }
    return nd(
      [n, t, width],
      fw.seq.flatMap((steps, b) => steps.flatMap((h, s) => combine(h, bw.seq[b][s]))),
    );
  };
}

/** TF.js' outputs of `layer` on x (one array per output), its weights set to `weights` (forward's, then backward's). */
async function tfjsOutputs(layer: tf.layers.Layer, x: Tensor, weights: readonly Tensor[], kwargs: Record<string, unknown> = {}): Promise<Float32Array[]> {
  await tf.setBackend('cpu');
  const input = tf.tensor(x.values, [...x.shape]);
  // NOTE: TF.js' Bidirectional writes its halves of initialState into the kwargs it is given: a copy each time
  layer.apply(input, { ...kwargs });
  layer.setWeights(weights.map((w) => tf.tensor(w.values, [...w.shape])));
  const out = layer.apply(input, { ...kwargs }) as tf.Tensor | tf.Tensor[];
  return (Array.isArray(out) ? out : [out]).map((o) => o.dataSync() as Float32Array);
}

const asList = (y: Tensor | Tensor[]): Tensor[] => (Array.isArray(y) ? y : [y]);

describe('Bidirectional', () => {
  test('output shapes for each merge mode, sequences or last outputs, and states', () => {
    const shape = (args: Parameters<typeof bidirectional>[0]) => bidirectional(args).computeOutputShape([null, 7, 4]);
    assert.deepEqual(shape({ layer: lstm({ units: 3 }) }), [null, 6]);
    assert.deepEqual(shape({ layer: lstm({ units: 3, returnSequences: true }) }), [null, 7, 6]);
    for (const mergeMode of ['sum', 'mul', 'ave'] as const) assert.deepEqual(shape({ layer: lstm({ units: 3 }), mergeMode }), [null, 3]);
    assert.deepEqual(shape({ layer: lstm({ units: 3, returnSequences: true }), mergeMode: null }), [
      [null, 7, 3],
      [null, 7, 3],
    ]);
    assert.deepEqual(shape({ layer: lstm({ units: 3, returnState: true }) }), [
      [null, 6],
      [null, 3],
      [null, 3],
      [null, 3],
      [null, 3],
    ]);
  });

  test('a backwardLayer of other units: concatenation declares the sum of both, the value-by-value modes refuse', () => {
    const b = bidirectional({ layer: lstm({ units: 3, returnState: true }), backwardLayer: lstm({ units: 2, goBackwards: true, returnState: true }) });
    assert.deepEqual(b.computeOutputShape([null, 4, 5]), [
      [null, 5],
      [null, 3],
      [null, 3],
      [null, 2],
      [null, 2],
    ]);
    const [y, ...states] = b.apply(randomTensor([1, 4, 5], 2)) as Tensor[];
    assert.deepEqual(
      [y.shape, ...states.map((s) => s.shape)],
      [
        [1, 5],
        [1, 3],
        [1, 3],
        [1, 2],
        [1, 2],
      ],
    );
    assert.throws(
      () =>
        bidirectional({ name: 'bs', mergeMode: 'sum', layer: lstm({ units: 3 }), backwardLayer: lstm({ units: 2, goBackwards: true }) }).ensureBuilt([
          null,
          4,
          5,
        ]),
      /Layer 'bs' \(Bidirectional\): mergeMode 'sum' needs the forward and backward layers to have the same units, got 3 and 2/,
    );
  });

  test('the forward copy and the backward copy of the layer: names, directions and weights (forward first), as TF.js and Keras files name them', () => {
    const inner = lstm({ units: 3, name: 'enc' });
    const layer = bidirectional({ layer: inner, name: 'bi' });
    assert.equal(layer.forwardLayer.name, 'forward_enc');
    assert.equal(layer.backwardLayer.name, 'backward_enc');
    assert.equal(layer.forwardLayer.goBackwards, false);
    assert.equal(layer.backwardLayer.goBackwards, true);
    assert.ok(layer.forwardLayer !== inner && layer.forwardLayer instanceof LSTM);
    layer.apply(randomTensor([2, 5, 4], 1));
    assert.deepEqual(
      layer.weights.map((w) => `${w.name} [${w.shape}]`),
      [
        'bi/forward_enc/kernel [4,12]',
        'bi/forward_enc/recurrent_kernel [3,12]',
        'bi/forward_enc/bias [12]',
        'bi/backward_enc/kernel [4,12]',
        'bi/backward_enc/recurrent_kernel [3,12]',
        'bi/backward_enc/bias [12]',
      ],
    );
    assert.equal(layer.countParams(), 2 * (48 + 36 + 12));
    assert.equal(inner.built, false);
    // a layer read back from a Keras file is named forward_enc already: not forward_forward_enc
    assert.equal(bidirectional({ layer: lstm({ units: 2, name: 'forward_enc' }) }).forwardLayer.name, 'forward_enc');
    // a layer reading backwards has a forward copy reading backwards and a backward copy reading forwards, as TF.js
    const reversed = bidirectional({ layer: lstm({ units: 2, goBackwards: true }) });
    assert.deepEqual([reversed.forwardLayer.goBackwards, reversed.backwardLayer.goBackwards], [true, false]);
    layer.trainable = false;
    assert.deepEqual([layer.forwardLayer.trainable, layer.backwardLayer.trainable, layer.trainableWeights.length], [false, false, 0]);
  });

  for (const sequences of [true, false]) {
    for (const mode of ['concat', 'sum', 'mul', 'ave'] as const) {
      test(`${mode}, ${sequences ? 'sequences' : 'last outputs'}: values and gradients of the input and the six weights against a float64 LSTM`, () => {
        const layer = bidirectional({ layer: lstm({ units: 2, returnSequences: sequences }), mergeMode: mode });
        layerGradCheck(layer, { shape: [2, 3, 3] }, bidirectional64(sequences, mode), { weightLow: -0.8, weightHigh: 0.8 });
      });
    }
  }

  test('the same values as TF.js (tf.layers.bidirectional over tf.layers.lstm), every merge mode, with states', async () => {
    const x = randomTensor([3, 5, 4], 2);
    for (const mergeMode of ['concat', 'sum', 'mul', 'ave', null] as const) {
      for (const returnSequences of [true, false]) {
        const layer = bidirectional({ layer: lstm({ units: 3, returnSequences, returnState: true }), mergeMode });
        const ours = asList(layer.apply(x));
        const theirs = tf.layers.bidirectional({
          layer: tf.layers.lstm({ units: 3, returnSequences, returnState: true, recurrentActivation: 'sigmoid' }) as tf.RNN,
          mergeMode: mergeMode ?? undefined,
        });
        if (mergeMode === null) (theirs as unknown as { mergeMode: null }).mergeMode = null;
        const expected = await tfjsOutputs(theirs, x, layer.getWeights());
        assert.equal(ours.length, expected.length, `${mergeMode} ${returnSequences}: number of outputs`);
        ours.forEach((o, i) => {
          assertClose(o, expected[i], { rtol: 1e-5, atol: 1e-6 });
        });
      }
    }
  });

  test('a mask reaches both directions: a padded batch gives the last outputs of each sequence unpadded', () => {
    const layer = bidirectional({ layer: lstm({ units: 3 }) });
    const x = randomTensor([3, 6, 2], 3);
    // padding at the end, at the start, and none
    const lengths: [number, number][] = [
      [0, 4],
      [2, 6],
      [0, 6],
    ];
    const mask = tensor(
      lengths.flatMap(([from, to]) => Array.from({ length: 6 }, (_, t) => (t >= from && t < to ? 1 : 0))),
      [3, 6],
    );
    const padded = layer.apply(x, { mask });
    lengths.forEach(([from, to], b) => {
      const alone = layer.apply(slice(x, [b, from, 0], [1, to - from, 2]));
      assertClose(slice(padded, [b, 0], [1, 6]), alone.values, { rtol: 1e-5, atol: 1e-6 });
    });
  });

  test('Masking -> Bidirectional(LSTM) in a Sequential: a padded batch gives what each sequence gives unpadded', () => {
    const model = sequential([
      masking({ batchInputShape: [null, null, 2] }),
      bidirectional({ layer: lstm({ units: 3 }), mergeMode: 'sum' }),
      dense({ units: 2 }),
    ]);
    const a = randomTensor([1, 4, 2], 4, 0.5, 1);
    const b = randomTensor([1, 2, 2], 5, 0.5, 1);
    const pad = tensor(new Float32Array(4), [1, 2, 2]);
    const batch = concat([a, concat([b, pad], 1), concat([pad, b], 1)], 0);
    const both = model.predict(batch);
    const ya = model.predict(a).values;
    const yb = model.predict(b).values;
    assertClose(both, [...ya, ...yb, ...yb], { rtol: 1e-5, atol: 1e-6 });
  });

  test('with returnSequences and a mask, padded steps output zeros as in Keras, or the previous output as in TF.js (zeroOutputForMask: false)', async () => {
    const x = randomTensor([2, 5, 3], 6);
    const mask = tensor([1, 1, 1, 0, 0, 0, 1, 1, 1, 1], [2, 5]);
    const keras = bidirectional({ layer: lstm({ units: 2, returnSequences: true }) });
    const y = keras.apply(x, { mask });
    const zeroed = [3, 4, 5];
    for (const step of zeroed) assertClose(slice(y, [Math.floor(step / 5), step % 5, 0], [1, 1, 4]), [0, 0, 0, 0], { rtol: 0, atol: 0 });
    const tfjsLike = bidirectional({ layer: lstm({ units: 2, returnSequences: true }), zeroOutputForMask: false });
    tfjsLike.apply(x);
    tfjsLike.setWeights(keras.getWeights());
    const theirs = tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 2, returnSequences: true, recurrentActivation: 'sigmoid' }) as tf.RNN });
    const expected = await tfjsOutputs(theirs, x, keras.getWeights(), { mask: tf.tensor(mask.values, [2, 5]) });
    assertClose(tfjsLike.apply(x, { mask }), expected[0], { rtol: 1e-5, atol: 1e-6 });
    // the two agree on the real steps
    const real = Array.from(mask.values).flatMap((m) => [m, m, m, m]);
    assertClose(
      y.values.map((v, i) => (real[i] ? v : 0)),
      expected[0].map((v, i) => (real[i] ? v : 0)),
      { rtol: 1e-5, atol: 1e-6 },
    );
    assert.deepEqual(keras.computeMask(x, mask), mask);
    assert.equal(bidirectional({ layer: lstm({ units: 2 }) }).computeMask(x, mask), null);
    assert.deepEqual(bidirectional({ layer: lstm({ units: 2, returnSequences: true, returnState: true }), mergeMode: null }).computeMask(x, mask), [
      mask,
      mask,
      null,
      null,
      null,
      null,
    ]);
  });

  test("the same values as Keras 3 with a mask (test/fixtures/recurrent/bidirectional_lstm_mask_sequences.json, Keras' own config)", async () => {
    const fx = JSON.parse(await readFile(join(REPO_ROOT, 'test/fixtures/recurrent/bidirectional_lstm_mask_sequences.json'), 'utf8'));
    const layer = layerFromConfig('Bidirectional', fromKerasConfig(fx.layers[0].config) as LayerConfig) as Bidirectional;
    assert.equal(layer.zeroOutputForMask, true);
    const x = tensor(fx.inputs.x.values, fx.inputs.x.shape);
    const mask = tensor(fx.inputs.mask.values, fx.inputs.mask.shape);
    layer.apply(x);
    layer.setWeights(fx.weights.map((w: { values: number[]; shape: number[] }) => tensor(w.values, w.shape)));
    assertClose(layer.apply(x, { mask }), fx.outputs[0].values, { rtol: 1e-5, atol: 2e-6 });
  });

  test('initial states: the forward half to the forward layer, the backward half to the backward one', async () => {
    const layer = bidirectional({ layer: lstm({ units: 2, returnSequences: true, returnState: true }) });
    const x = randomTensor([3, 4, 3], 7);
    const states = [8, 9, 10, 11].map((seed) => randomTensor([3, 2], seed));
    const ours = asList(layer.apply([x, ...states]));
    assert.equal(ours.length, 5);
    const viaArgs = asList(layer.apply(x, { initialState: states }));
    ours.forEach((o, i) => {
      assertClose(viaArgs[i], o.values, { rtol: 0, atol: 0 });
    });
    const forward = asList(layer.forwardLayer.apply([x, states[0], states[1]]));
    const backward = asList(layer.backwardLayer.apply([x, states[2], states[3]]));
    // the states: forward h, c, then backward h, c
    [forward[1], forward[2], backward[1], backward[2]].forEach((s, i) => {
      assertClose(ours[1 + i], s.values, { rtol: 0, atol: 0 });
    });
    const theirs = tf.layers.bidirectional({
      layer: tf.layers.lstm({ units: 2, returnSequences: true, returnState: true, recurrentActivation: 'sigmoid' }) as tf.RNN,
    });
    const expected = await tfjsOutputs(theirs, x, layer.getWeights(), { initialState: states.map((s) => tf.tensor(s.values, [...s.shape])) });
    ours.forEach((o, i) => {
      assertClose(o, expected[i], { rtol: 1e-5, atol: 1e-6 });
    });
    assert.throws(
      () => layer.apply([x, states[0]]),
      /Layer '.*' \(Bidirectional\) takes 4 initial states \(the forward layer's 2, then the backward layer's 2\), got 1\./,
    );
  });

  test('in a graph model, initial states given as { initialState } become inputs of the call, and the model computes as the layer, saved and loaded too', async () => {
    const layer = bidirectional({ layer: lstm({ units: 2, returnSequences: true }) });
    const x = input({ shape: [4, 3] });
    const states = [0, 1, 2, 3].map(() => input({ shape: [2] }));
    const y = layer.apply(x, { initialState: states }) as SymbolicTensor;
    assert.deepEqual(y.shape, [null, 4, 4]);
    assert.deepEqual(layer.inboundNodes[0].inputTensors, [x, ...states]);
    const m = model({ inputs: [x, ...states], outputs: y });
    const xs = [randomTensor([2, 4, 3], 12), ...[13, 14, 15, 16].map((seed) => randomTensor([2, 2], seed))];
    assertClose(m.predict(xs) as Tensor, (layer.apply(xs) as Tensor).values, { rtol: 0, atol: 0 });
    assert.throws(() => layer.apply(x, { initialState: [states[0]] }), /takes 4 initial states/);
    const dir = await mkdtemp(join(tmpdir(), 'dendrite-bi-states-'));
    try {
      await m.save(dir);
      assertClose((await loadModel(dir)).predict(xs) as Tensor, (m.predict(xs) as Tensor).values, { rtol: 0, atol: 0 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a backward layer of its own (Keras backwardLayer)', () => {
    const back = lstm({ units: 3, goBackwards: true, name: 'back' });
    const layer = bidirectional({ layer: lstm({ units: 3, name: 'fwd' }), backwardLayer: back, name: 'bi2' });
    assert.equal(layer.backwardLayer, back);
    layer.apply(randomTensor([1, 2, 2], 8));
    assert.equal(layer.weights[3].name, 'bi2/back/kernel');
    assert.throws(
      () => bidirectional({ layer: lstm({ units: 3 }), backwardLayer: lstm({ units: 3 }), name: 'bi3' }),
      /Layer 'bi3' \(Bidirectional\): the forward and backward layers must read in different directions, but both have goBackwards false\./,
    );
    assert.throws(
      () => bidirectional({ layer: lstm({ units: 3 }), backwardLayer: lstm({ units: 3, goBackwards: true, returnSequences: true }), name: 'bi4' }),
      /Layer 'bi4' \(Bidirectional\): the forward and backward layers must have the same returnSequences, got false and true\./,
    );
    const entry = layerEntry(layer, null);
    assert.equal((entry.config.backward_layer as { config: { name: string } }).config.name, 'back');
    const back2 = layerFromConfig('Bidirectional', fromKerasConfig(entry.config) as LayerConfig) as Bidirectional;
    assert.equal(back2.backwardLayer.name, 'back');
    assert.deepEqual(layerEntry(back2, null), entry);
  });

  test('a subclass of a recurrent layer needs a fromConfig of its own to be copied (else it would be copied as its parent)', () => {
    class Peephole extends LSTM {}
    assert.throws(
      () => bidirectional({ layer: new Peephole({ units: 2 }) }),
      /Bidirectional copies its layer from its config, but Peephole\.fromConfig made a LSTM: give Peephole a static fromConfig of its own\./,
    );
    class Own extends LSTM {
      static override fromConfig(c: LayerConfig): Own {
        return new Own({ units: Number(c.units), goBackwards: c.goBackwards === true, name: String(c.name) });
      }
    }
    const layer = bidirectional({ layer: new Own({ units: 2 }) });
    assert.ok(layer.forwardLayer instanceof Own && layer.backwardLayer instanceof Own);
  });

  test('errors name the layer', () => {
    assert.throws(
      () => bidirectional({ layer: dense({ units: 2 }) as never, name: 'b1' }),
      /Layer 'b1' \(Bidirectional\): layer must be a recurrent layer \(lstm, gru, simpleRNN\), got Dense\./,
    );
    assert.throws(
      () => bidirectional({ layer: lstm({ units: 2 }), mergeMode: 'max' as never, name: 'b2' }),
      /Layer 'b2' \(Bidirectional\): mergeMode must be 'concat', 'sum', 'mul', 'ave' or null, got "max"\./,
    );
    assert.throws(() => bidirectional({ layer: lstm({ units: 2 }), name: 'b3' }).apply(randomTensor([2, 3], 1)), /expects inputs of rank 3/);
  });

  test('config as TF.js writes it: the layer given, nested, and the merge mode; read back through the file format', () => {
    const layer = bidirectional({ layer: lstm({ units: 3, name: 'enc', returnSequences: true }), mergeMode: 'ave', name: 'bi' });
    const entry = layerEntry(layer, null);
    assert.equal(entry.class_name, 'Bidirectional');
    assert.equal(entry.config.merge_mode, 'ave');
    assert.equal(entry.config.backward_layer, undefined);
    const nested = entry.config.layer as { class_name: string; config: Record<string, unknown> };
    assert.equal(nested.class_name, 'LSTM');
    assert.equal(nested.config.name, 'enc');
    assert.equal(nested.config.return_sequences, true);
    // as Keras records it, so that dendrite reads back Keras' outputs at masked steps
    assert.equal(nested.config.zero_output_for_mask, true);
    const back = layerFromConfig('Bidirectional', fromKerasConfig(entry.config) as LayerConfig) as Bidirectional;
    assert.deepEqual([back.name, back.mergeMode, back.forwardLayer.name, back.zeroOutputForMask], ['bi', 'ave', 'forward_enc', true]);
    assert.deepEqual(layerEntry(back, null), entry);
    // a TF.js file's layer has no zero_output_for_mask: TF.js' outputs
    delete nested.config.zero_output_for_mask;
    const tfjs = layerFromConfig('Bidirectional', fromKerasConfig(entry.config) as LayerConfig) as Bidirectional;
    assert.equal(tfjs.zeroOutputForMask, false);
    assert.equal((layerEntry(tfjs, null).config.layer as { config: Record<string, unknown> }).config.zero_output_for_mask, undefined);
    const none = layerEntry(new Bidirectional({ layer: lstm({ units: 2 }), mergeMode: null }), null);
    assert.equal(none.config.merge_mode, null);
    assert.equal((layerFromConfig('Bidirectional', fromKerasConfig(none.config) as LayerConfig) as Bidirectional).mergeMode, null);
    assert.throws(() => layerFromConfig('Bidirectional', { mergeMode: 'concat' }), /layer is missing/);
    assert.throws(
      () => layerFromConfig('Bidirectional', { layer: { className: 'Dense', config: { units: 2 } } }),
      /layer must be a recurrent layer \(LSTM, GRU, SimpleRNN\), got Dense/,
    );
  });

  test('a model with it saves and loads with the same predictions', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dendrite-bi-'));
    try {
      const model = sequential([
        bidirectional({ layer: lstm({ units: 3, returnSequences: true }), inputShape: [4, 2] }),
        bidirectional({ layer: lstm({ units: 2 }), mergeMode: 'mul' }),
      ]);
      await model.save(dir);
      const loaded = await loadModel(dir);
      const x = randomTensor([3, 4, 2], 9);
      assertClose(loaded.predict(x), model.predict(x).values, { rtol: 0, atol: 0 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
