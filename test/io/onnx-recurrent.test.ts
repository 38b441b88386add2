// ONNX export of the recurrent layers (issue 18): LSTM, GRU and SimpleRNN as ONNX's LSTM, GRU and RNN operators,
// Bidirectional, Embedding, and masks, each checked against ONNX Runtime's CPU provider on random weights (every
// bias non-zero) to 1e-5: returnSequences, returnState, goBackwards, initial states, the activations ONNX lists,
// sequences of unknown length, and masked sequences padded at the end, at the start and in the middle.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import * as ort from 'onnxruntime-node';
import onnxProto, { type onnx } from 'onnx-proto';
import { input, layers, loadModel, type Model, model, randomNormal, sequential, setSeed, tensor, type SymbolicTensor, type Tensor } from '../../src/index.js';
import { onnxSignature, toOnnxModel } from '../../src/io/onnx/export.js';
import { assertClose } from '../helpers.js';

const { onnx: proto } = onnxProto;

/** Every bias non-zero (a GRU's two rows included), so that a bias in the wrong slot shows. */
function randomizeBiases(m: Model): void {
  for (const w of m.weights) if (w.name.endsWith('/bias')) w.assign(randomNormal(w.shape, 0, 0.5));
}

/** The model's outputs as a list. */
function predictList(m: Model, xs: Tensor[]): Tensor[] {
  const y = m.predict(xs.length === 1 ? xs[0] : xs);
  return Array.isArray(y) ? y : [y];
}

/**
 * Exports `m` and checks that ONNX Runtime gives `m.predict`'s outputs (same shapes, to 1e-5) on each list of
 * inputs in `feeds`. Returns the decoded graph.
 */
async function checkAgainstOrt(m: Model, feeds: readonly Tensor[][]): Promise<onnx.GraphProto> {
  const bytes = toOnnxModel(m);
  const signature = onnxSignature(m);
  const session = await ort.InferenceSession.create(bytes);
  for (const xs of feeds) {
    const expected = predictList(m, xs);
    const result = await session.run(Object.fromEntries(signature.inputs.map((t, i) => [t.name, new ort.Tensor('float32', xs[i].values, [...xs[i].shape])])));
    signature.outputs.forEach((t, i) => {
      const actual = result[t.name];
      assert.deepEqual([...actual.dims], [...expected[i].shape], `shape of output '${t.name}' for inputs ${xs.map((x) => `[${x.shape}]`).join(', ')}`);
      assertClose(actual.data as Float32Array, expected[i].values, { atol: 1e-5, rtol: 1e-5 });
    });
  }
  return proto.ModelProto.decode(bytes).graph as onnx.GraphProto;
}

/** Random sequences [n, t, features] for each (n, t). */
function sequences(
  features: number,
  sizes: readonly [number, number][] = [
    [1, 5],
    [3, 5],
  ],
): Tensor[][] {
  return sizes.map(([n, t]) => [randomNormal([n, t, features], 0, 1.5)]);
}

const opTypes = (graph: onnx.GraphProto) => graph.node.map((n) => n.opType);

test('LSTM: the last output or every step, read forwards or backwards, with and without a bias, is one LSTM operator', async () => {
  setSeed(1);
  for (const returnSequences of [false, true]) {
    for (const goBackwards of [false, true]) {
      for (const useBias of [true, false]) {
        const m = sequential([layers.lstm({ units: 4, returnSequences, goBackwards, useBias, inputShape: [5, 3] })]);
        randomizeBiases(m);
        const graph = await checkAgainstOrt(m, sequences(3));
        const lstm = graph.node.filter((n) => n.opType === 'LSTM');
        assert.equal(lstm.length, 1);
        const direction = lstm[0].attribute!.find((a) => a.name === 'direction')!;
        assert.equal(new TextDecoder().decode(direction.s as Uint8Array), goBackwards ? 'reverse' : 'forward');
        assert.equal(lstm[0].input!.length >= 4, useBias, 'B only with a bias');
      }
    }
  }
});

test('sequences of unknown length export with a symbolic time axis', async () => {
  setSeed(2);
  const m = sequential([layers.lstm({ units: 3, returnSequences: true, goBackwards: true, batchInputShape: [null, null, 2] }), layers.lstm({ units: 2 })]);
  randomizeBiases(m);
  await checkAgainstOrt(
    m,
    sequences(2, [
      [2, 1],
      [3, 7],
    ]),
  );
});

test('LSTM activations ONNX lists (relu, hardSigmoid, linear, softsign, elu, leakyRelu, softplus) match, in every slot', async () => {
  setSeed(3);
  const pairs = [
    ['relu', 'hardSigmoid'],
    ['linear', 'sigmoid'],
    ['softsign', 'hardSigmoid'],
    ['elu', 'leakyRelu'],
    ['softplus', 'tanh'],
  ] as const;
  for (const [activation, recurrentActivation] of pairs) {
    const m = sequential([layers.lstm({ units: 3, activation, recurrentActivation, returnSequences: true, inputShape: [4, 2] })]);
    randomizeBiases(m);
    await checkAgainstOrt(m, sequences(2, [[3, 4]]));
  }
});

test('returnState gives the output and the final h and c; initial states are inputs of the call', async () => {
  setSeed(4);
  const x = input({ shape: [6, 3], name: 'x' });
  const h0 = input({ shape: [4], name: 'h0' });
  const c0 = input({ shape: [4], name: 'c0' });
  for (const returnSequences of [false, true]) {
    for (const goBackwards of [false, true]) {
      const lstm = layers.lstm({ units: 4, returnSequences, returnState: true, goBackwards });
      const [out, h, c] = lstm.apply([x, h0, c0]) as SymbolicTensor[];
      const m = model({ inputs: [x, h0, c0], outputs: [out, h, c] });
      randomizeBiases(m);
      await checkAgainstOrt(m, [[randomNormal([3, 6, 3]), randomNormal([3, 4]), randomNormal([3, 4])]]);
      // and without initial states, through { initialState } of another call style: the states alone
      const free = layers.lstm({ units: 4, returnSequences, returnState: true, goBackwards });
      const [, hf, cf] = free.apply(x) as SymbolicTensor[];
      const m2 = model({ inputs: x, outputs: [hf, cf] });
      randomizeBiases(m2);
      await checkAgainstOrt(m2, [[randomNormal([2, 6, 3])]]);
    }
  }
});

test('initial states given as { initialState } export as inputs of the operator', async () => {
  setSeed(5);
  const x = input({ shape: [5, 2] });
  const h0 = input({ shape: [3] });
  const c0 = input({ shape: [3] });
  const y = layers.lstm({ units: 3, returnSequences: true }).apply(x, { initialState: [h0, c0] }) as SymbolicTensor;
  const m = model({ inputs: [x, h0, c0], outputs: y });
  randomizeBiases(m);
  await checkAgainstOrt(m, [[randomNormal([2, 5, 2]), randomNormal([2, 3]), randomNormal([2, 3])]]);
});

/** Token ids [n, t] with 0 as padding, as float32. */
function ids(rows: readonly (readonly number[])[]): Tensor {
  return tensor(rows.map((r) => [...r]));
}

/** Right-padded, left-padded, holes in the middle, a full row and an all-padding row. */
const PADDED = [
  ids([
    [3, 1, 4, 0, 0, 0],
    [0, 0, 2, 7, 1, 8],
    [5, 0, 9, 0, 0, 2],
    [6, 5, 3, 5, 8, 9],
    [0, 0, 0, 0, 0, 0],
  ]),
  ids([[4, 4, 0, 0, 0, 0]]),
];

test('Embedding(maskZero) + LSTM: the masked steps are skipped exactly, whatever the padding (right, left, holes, none, all)', async () => {
  setSeed(6);
  for (const returnSequences of [false, true]) {
    for (const goBackwards of [false, true]) {
      // the first layer's output is an output (padded steps included), and so is a second layer reading it masked
      const tokens = input({ shape: [6] });
      const embedded = layers.embedding({ inputDim: 10, outputDim: 3, maskZero: true }).apply(tokens) as SymbolicTensor;
      const first = layers.lstm({ units: 4, returnSequences, goBackwards }).apply(embedded) as SymbolicTensor;
      const outputs = returnSequences ? [first, layers.lstm({ units: 2, goBackwards: !goBackwards }).apply(first) as SymbolicTensor] : [first];
      const m = model({ inputs: tokens, outputs });
      randomizeBiases(m);
      const graph = await checkAgainstOrt(
        m,
        PADDED.map((x) => [x]),
      );
      assert.ok(opTypes(graph).includes('ScatterElements'), 'the masked sequence is compacted');
    }
  }
});

test('a masked LSTM with returnState and initial states keeps the initial states over padding', async () => {
  setSeed(7);
  const tokens = input({ shape: [6], name: 'tokens' });
  const h0 = input({ shape: [4], name: 'h0' });
  const c0 = input({ shape: [4], name: 'c0' });
  for (const goBackwards of [false, true]) {
    const embedded = layers.embedding({ inputDim: 10, outputDim: 3, maskZero: true }).apply(tokens) as SymbolicTensor;
    const [out, h, c] = layers.lstm({ units: 4, returnSequences: true, returnState: true, goBackwards }).apply([embedded, h0, c0]) as SymbolicTensor[];
    const m = model({ inputs: [tokens, h0, c0], outputs: [out, h, c] });
    randomizeBiases(m);
    const [x] = PADDED;
    await checkAgainstOrt(m, [[x, randomNormal([5, 4]), randomNormal([5, 4])]]);
  }
});

test('Masking + LSTM: steps whose features all equal maskValue are skipped (at the end, the start and in between)', async () => {
  setSeed(9);
  const x = randomNormal([4, 5, 2]);
  // padded steps: row 0 at the end, row 1 at the start, row 2 in between; row 3 has one feature equal to the value only
  const padded = x.values.slice();
  const pad = (n: number, t: number) => padded.fill(-1, (n * 5 + t) * 2, (n * 5 + t + 1) * 2);
  for (const [n, t] of [
    [0, 3],
    [0, 4],
    [1, 0],
    [1, 1],
    [2, 2],
  ])
    pad(n, t);
  padded[(3 * 5 + 1) * 2] = -1;
  const xs = tensor(Array.from(padded), [4, 5, 2]);
  for (const returnSequences of [false, true]) {
    const m = sequential([layers.masking({ maskValue: -1, inputShape: [5, 2] }), layers.lstm({ units: 3, returnSequences, goBackwards: returnSequences })]);
    randomizeBiases(m);
    await checkAgainstOrt(m, [[xs]]);
  }
});

test('GRU (resetAfter as Keras, and TF.js reset-before) and SimpleRNN match in every direction, bias or none', async () => {
  setSeed(11);
  for (const returnSequences of [false, true]) {
    for (const goBackwards of [false, true]) {
      for (const resetAfter of [true, false]) {
        const m = sequential([layers.gru({ units: 4, returnSequences, goBackwards, resetAfter, inputShape: [5, 3] })]);
        randomizeBiases(m);
        const graph = await checkAgainstOrt(m, sequences(3));
        const gru = graph.node.find((n) => n.opType === 'GRU')!;
        assert.equal(Number(gru.attribute!.find((a) => a.name === 'linear_before_reset')!.i), resetAfter ? 1 : 0);
      }
      const rnn = sequential([
        layers.simpleRNN({ units: 4, returnSequences, goBackwards, inputShape: [5, 3] }),
        ...(returnSequences ? [layers.simpleRNN({ units: 2, activation: 'relu', useBias: false })] : []),
      ]);
      randomizeBiases(rnn);
      const graph = await checkAgainstOrt(rnn, sequences(3));
      assert.ok(opTypes(graph).includes('RNN'));
    }
  }
  const noBias = sequential([layers.gru({ units: 3, useBias: false, recurrentActivation: 'hardSigmoid', activation: 'relu', inputShape: [5, 2] })]);
  await checkAgainstOrt(noBias, sequences(2));
});

test('GRU and SimpleRNN: returnState and initial states', async () => {
  setSeed(12);
  const x = input({ shape: [5, 3] });
  const h0 = input({ shape: [4] });
  for (const make of [
    () => layers.gru({ units: 4, returnSequences: true, returnState: true, goBackwards: true }),
    () => layers.simpleRNN({ units: 4, returnState: true }),
  ]) {
    const [out, h] = make().apply([x, h0]) as SymbolicTensor[];
    const m = model({ inputs: [x, h0], outputs: [out, h] });
    randomizeBiases(m);
    await checkAgainstOrt(m, [[randomNormal([3, 5, 3]), randomNormal([3, 4])]]);
  }
});

test('Embedding(maskZero) + GRU and SimpleRNN skip the masked steps exactly', async () => {
  setSeed(13);
  for (const goBackwards of [false, true]) {
    const m = sequential([
      layers.embedding({ inputDim: 10, outputDim: 3, maskZero: true, inputLength: 6 }),
      layers.gru({ units: 4, returnSequences: true, goBackwards }),
      layers.simpleRNN({ units: 3, goBackwards: !goBackwards }),
    ]);
    randomizeBiases(m);
    await checkAgainstOrt(
      m,
      PADDED.map((x) => [x]),
    );
  }
});

test('Bidirectional LSTM, GRU and SimpleRNN: one bidirectional operator, every merge mode, last output or sequences', async () => {
  setSeed(14);
  const makers = [
    (o: object) => layers.lstm({ units: 3, ...o }),
    (o: object) => layers.gru({ units: 3, ...o }),
    (o: object) => layers.simpleRNN({ units: 3, ...o }),
  ];
  for (const make of makers) {
    for (const returnSequences of [false, true]) {
      for (const mergeMode of ['concat', 'sum', 'mul', 'ave', null] as const) {
        const x = input({ shape: [5, 2] });
        const y = layers.bidirectional({ layer: make({ returnSequences }), mergeMode }).apply(x) as SymbolicTensor | SymbolicTensor[];
        const m = model({ inputs: x, outputs: y });
        randomizeBiases(m);
        const graph = await checkAgainstOrt(m, sequences(2));
        const ops = graph.node.filter((n) => ['LSTM', 'GRU', 'RNN'].includes(n.opType!));
        assert.equal(ops.length, 1, 'one operator for both directions');
        assert.equal(new TextDecoder().decode(ops[0].attribute!.find((a) => a.name === 'direction')!.s as Uint8Array), 'bidirectional');
      }
    }
  }
});

test('Bidirectional with returnState and initial states gives the merged output, then the forward and the backward states', async () => {
  setSeed(15);
  const x = input({ shape: [5, 2] });
  const states = [input({ shape: [3] }), input({ shape: [3] }), input({ shape: [3] }), input({ shape: [3] })];
  for (const returnSequences of [false, true]) {
    const outs = layers.bidirectional({ layer: layers.lstm({ units: 3, returnSequences, returnState: true }) }).apply([x, ...states]) as SymbolicTensor[];
    const m = model({ inputs: [x, ...states], outputs: outs });
    randomizeBiases(m);
    await checkAgainstOrt(m, [[randomNormal([2, 5, 2]), ...[0, 1, 2, 3].map(() => randomNormal([2, 3]))]]);
  }
  // masked: each direction keeps its own initial states over the padding (an all-padding row keeps them whole)
  const tokens = input({ shape: [6] });
  const embedded = layers.embedding({ inputDim: 10, outputDim: 2, maskZero: true }).apply(tokens) as SymbolicTensor;
  const masked = layers
    .bidirectional({ layer: layers.lstm({ units: 3, returnSequences: true, returnState: true }), zeroOutputForMask: false })
    .apply([embedded, ...states]) as SymbolicTensor[];
  const m = model({ inputs: [tokens, ...states], outputs: masked });
  randomizeBiases(m);
  await checkAgainstOrt(m, [[PADDED[0], ...[0, 1, 2, 3].map(() => randomNormal([5, 3]))]]);
});

test('a Bidirectional whose layers do not fit one operator runs two (forward layer reading backwards, backward layer of other units)', async () => {
  setSeed(16);
  for (const returnSequences of [false, true]) {
    const reversed = sequential([
      layers.bidirectional({ layer: layers.gru({ units: 3, returnSequences, goBackwards: true }), mergeMode: 'sum', inputShape: [5, 2] }),
    ]);
    randomizeBiases(reversed);
    const graph = await checkAgainstOrt(reversed, sequences(2));
    assert.equal(graph.node.filter((n) => n.opType === 'GRU').length, 2);
    const other = sequential([
      layers.bidirectional({
        layer: layers.lstm({ units: 3, returnSequences }),
        backwardLayer: layers.lstm({ units: 2, returnSequences, goBackwards: true, activation: 'relu' }),
        inputShape: [5, 2],
      }),
    ]);
    randomizeBiases(other);
    await checkAgainstOrt(other, sequences(2));
  }
});

test('Embedding(maskZero) + Bidirectional: padded steps output zeros (zeroOutputForMask, as Keras) or the previous output', async () => {
  setSeed(17);
  for (const zeroOutputForMask of [true, false]) {
    for (const mergeMode of ['concat', 'ave', null] as const) {
      // the masked sequence itself is an output, padded steps included, and so is what a masked layer makes of it
      const tokens = input({ shape: [6] });
      const embedded = layers.embedding({ inputDim: 10, outputDim: 3, maskZero: true }).apply(tokens) as SymbolicTensor;
      const sequence = layers.bidirectional({ layer: layers.lstm({ units: 3, returnSequences: true }), mergeMode, zeroOutputForMask }).apply(embedded);
      const halves = Array.isArray(sequence) ? sequence : [sequence];
      const last = layers.bidirectional({ layer: layers.gru({ units: 2 }) }).apply(halves[0]) as SymbolicTensor;
      const m = model({ inputs: tokens, outputs: [...halves, last] });
      randomizeBiases(m);
      await checkAgainstOrt(
        m,
        PADDED.map((x) => [x]),
      );
    }
  }
  // two operators over one mask
  const two = sequential([
    layers.embedding({ inputDim: 10, outputDim: 3, maskZero: true, inputLength: 6 }),
    layers.bidirectional({ layer: layers.simpleRNN({ units: 3, returnSequences: true, goBackwards: true }), zeroOutputForMask: false }),
  ]);
  randomizeBiases(two);
  await checkAgainstOrt(
    two,
    PADDED.map((x) => [x]),
  );
});

test('TimeDistributed runs its layer on every step (Dense, Conv2D); the mask passes through it', async () => {
  setSeed(18);
  const dense = sequential([layers.timeDistributed({ layer: layers.dense({ units: 3, activation: 'softmax' }), inputShape: [5, 2] })]);
  randomizeBiases(dense);
  await checkAgainstOrt(dense, sequences(2));
  const conv = sequential([
    layers.timeDistributed({ layer: layers.conv2d({ filters: 2, kernelSize: 2 }), inputShape: [3, 4, 4, 1] }),
    layers.timeDistributed({ layer: layers.flatten() }),
    layers.gru({ units: 2 }),
  ]);
  randomizeBiases(conv);
  await checkAgainstOrt(conv, [[randomNormal([2, 3, 4, 4, 1])]]);
  const masked = sequential([
    layers.embedding({ inputDim: 10, outputDim: 3, maskZero: true, inputLength: 6 }),
    layers.timeDistributed({ layer: layers.dense({ units: 4, activation: 'tanh' }) }),
    layers.lstm({ units: 3 }),
  ]);
  randomizeBiases(masked);
  await checkAgainstOrt(
    masked,
    PADDED.map((x) => [x]),
  );
});

test('the addition-RNN shape (encoder LSTM, RepeatVector, decoder LSTM, TimeDistributed softmax) exports whole', async () => {
  setSeed(19);
  const m = sequential([
    layers.lstm({ units: 8, inputShape: [7, 12] }),
    layers.repeatVector({ n: 4 }),
    layers.lstm({ units: 8, returnSequences: true }),
    layers.timeDistributed({ layer: layers.dense({ units: 12, activation: 'softmax' }) }),
  ]);
  randomizeBiases(m);
  await checkAgainstOrt(m, sequences(12, [[3, 7]]));
});

test('Keras 3 models loaded from files (Embedding(mask_zero) + LSTM, Bidirectional GRU tagger both ways, SimpleRNN) predict in ONNX Runtime as in Keras', async () => {
  const root = join(import.meta.dirname, '..', 'fixtures', 'sequence-files');
  const files = ['keras3-converted/text-lstm', 'keras3-converted/bigru-tagger', 'keras215-converted/bigru-tagger-reset-before', 'keras3-converted/simple-rnn'];
  for (const file of files) {
    const folder = join(root, file);
    assert.ok(existsSync(join(folder, 'model.json')), `fixture ${file}`);
    const expected = JSON.parse(readFileSync(join(folder, 'expected.json'), 'utf8')) as {
      inputs: { shape: number[]; values: number[] }[];
      outputs: { values: number[] }[];
    };
    const m = await loadModel(join(folder, 'model.json'));
    const x = tensor(expected.inputs[0].values, expected.inputs[0].shape);
    await checkAgainstOrt(m, [[x]]);
    const session = await ort.InferenceSession.create(toOnnxModel(m));
    const result = await session.run({ input: new ort.Tensor('float32', x.values, [...x.shape]) });
    assertClose(result.output.data as Float32Array, Float32Array.from(expected.outputs[0].values), { atol: 1e-5, rtol: 1e-5 });
  }
});

test('masks pass through layers that support masking and merge as the model merges them (the product of the masks)', async () => {
  setSeed(10);
  const a = input({ shape: [6], name: 'a' });
  const b = input({ shape: [6], name: 'b' });
  const ea = layers
    .dense({ units: 3, activation: 'tanh' })
    .apply(layers.embedding({ inputDim: 10, outputDim: 3, maskZero: true }).apply(a) as SymbolicTensor) as SymbolicTensor;
  const eb = layers.embedding({ inputDim: 10, outputDim: 3, maskZero: true }).apply(b) as SymbolicTensor;
  const y = layers.lstm({ units: 4, returnSequences: true }).apply(layers.add().apply([ea, eb]) as SymbolicTensor) as SymbolicTensor;
  const m = model({ inputs: [a, b], outputs: y });
  randomizeBiases(m);
  const [x] = PADDED;
  const other = ids([
    [1, 1, 1, 1, 1, 0],
    [2, 2, 2, 2, 2, 2],
    [3, 3, 3, 0, 3, 3],
    [0, 4, 4, 4, 4, 4],
    [5, 5, 5, 5, 5, 5],
  ]);
  await checkAgainstOrt(m, [[x, other]]);
});

test('a recurrent layer reading a mask the export cannot compute is refused, naming both layers', () => {
  const dense = layers.dense({ units: 3, name: 'odd_mask' });
  // a layer whose computeMask is its own, with no rule for the export
  dense.computeMask = (_inputs, mask) => mask ?? null;
  const m = sequential([layers.embedding({ inputDim: 10, outputDim: 3, maskZero: true, inputLength: 6 }), dense, layers.lstm({ units: 2, name: 'reader' })]);
  assert.throws(() => toOnnxModel(m), /'reader' \(LSTM\) reads the mask made by 'odd_mask' \(Dense\), which the export cannot compute/);
});

test('Embedding alone is a Gather of its table', async () => {
  setSeed(8);
  const m = sequential([layers.embedding({ inputDim: 10, outputDim: 4, inputLength: 6 })]);
  const graph = await checkAgainstOrt(
    m,
    PADDED.map((x) => [x]),
  );
  assert.deepEqual(opTypes(graph), ['Cast', 'Gather']);
});

test('an activation ONNX cannot apply inside its LSTM operator is refused, naming the layer and the activation', () => {
  const m = sequential([layers.lstm({ units: 2, activation: 'gelu', inputShape: [3, 2], name: 'encoder' })]);
  assert.throws(() => toOnnxModel(m), /'encoder' \(LSTM\) with the activation 'gelu'/);
  const custom = sequential([layers.lstm({ units: 2, recurrentActivation: (t: Tensor) => t, inputShape: [3, 2], name: 'odd' })]);
  assert.throws(() => toOnnxModel(custom), /'odd' \(LSTM\) with the recurrentActivation/);
});
