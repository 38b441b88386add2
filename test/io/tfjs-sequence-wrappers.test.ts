// The sequence wrappers of issue 18 (Bidirectional, TimeDistributed) with masks (Embedding maskZero, Masking) in
// model files, against real TensorFlow.js: dendrite writes the model.json TF.js writes, a model TF.js wrote loads in
// dendrite and predicts what TF.js predicts on padded batches, and a model dendrite wrote loads in TF.js and
// predicts the same.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { layers, loadModel, modelFromArtifacts, modelToArtifacts, sequential, setSeed, type Sequential, type Tensor, tensor } from '../../src/index.js';
import { makeRng } from '../gradcheck.js';
import { assertClose } from '../helpers.js';
import { asDendriteWrites, fileHandler, randomizeDendrite, randomizeTfjs, tfjsArtifacts, tfjsModelJson, tfPredict, weightBytes } from './tfjs-files.js';

let dir: string;
before(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'dendrite-wrappers-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const STEPS = 6;
const FEATURES = 3;
const VOCABULARY = 12;

interface Case {
  name: string;
  /** Token ids (0 = padding) rather than real-valued steps (all-zero steps = padding). */
  ids: boolean;
  /** Whether the output has a time axis (then padded steps are compared too). */
  sequences: boolean;
  dendrite(zeroOutputForMask?: boolean): Sequential;
  tfjs(): tf.Sequential;
}

// TF.js' LSTM defaults differ from Keras 3's (hardSigmoid gates, glorotNormal kernels): given on both sides
const TFJS_LSTM = { recurrentActivation: 'sigmoid', kernelInitializer: 'glorotUniform', unitForgetBias: true } as const;

const CASES: Case[] = [
  {
    name: 'Embedding(maskZero) -> Bidirectional(LSTM, sequences) -> TimeDistributed(Dense)',
    ids: true,
    sequences: true,
    dendrite: (zeroOutputForMask) =>
      sequential(
        [
          layers.embedding({ name: 'emb', inputDim: VOCABULARY, outputDim: 4, maskZero: true, inputShape: [STEPS] }),
          layers.bidirectional({ name: 'bi', layer: layers.lstm({ name: 'enc', units: 3, returnSequences: true }), zeroOutputForMask }),
          layers.timeDistributed({ name: 'td', layer: layers.dense({ name: 'out', units: 2 }) }),
        ],
        { name: 'tagger' },
      ),
    tfjs: () =>
      tf.sequential({
        name: 'tagger',
        layers: [
          tf.layers.embedding({ name: 'emb', inputDim: VOCABULARY, outputDim: 4, maskZero: true, inputShape: [STEPS] }),
          tf.layers.bidirectional({ name: 'bi', layer: tf.layers.lstm({ name: 'enc', units: 3, returnSequences: true, ...TFJS_LSTM }) as tf.RNN }),
          tf.layers.timeDistributed({ name: 'td', layer: tf.layers.dense({ name: 'out', units: 2, kernelInitializer: 'glorotUniform' }) }),
        ],
      }),
  },
  {
    name: 'Masking -> Bidirectional(LSTM, sequences, sum) -> Bidirectional(LSTM, last, ave) -> Dense',
    ids: false,
    sequences: false,
    dendrite: (zeroOutputForMask) =>
      sequential(
        [
          layers.masking({ name: 'mask', inputShape: [STEPS, FEATURES] }),
          layers.bidirectional({ name: 'bi1', layer: layers.lstm({ name: 'l1', units: 4, returnSequences: true }), mergeMode: 'sum', zeroOutputForMask }),
          layers.bidirectional({ name: 'bi2', layer: layers.lstm({ name: 'l2', units: 3 }), mergeMode: 'ave' }),
          layers.dense({ name: 'out', units: 2 }),
        ],
        { name: 'classifier' },
      ),
    tfjs: () =>
      tf.sequential({
        name: 'classifier',
        layers: [
          tf.layers.masking({ name: 'mask', inputShape: [STEPS, FEATURES] }),
          tf.layers.bidirectional({
            name: 'bi1',
            layer: tf.layers.lstm({ name: 'l1', units: 4, returnSequences: true, ...TFJS_LSTM }) as tf.RNN,
            mergeMode: 'sum',
          }),
          tf.layers.bidirectional({ name: 'bi2', layer: tf.layers.lstm({ name: 'l2', units: 3, ...TFJS_LSTM }) as tf.RNN, mergeMode: 'ave' }),
          tf.layers.dense({ name: 'out', units: 2, kernelInitializer: 'glorotUniform' }),
        ],
      }),
  },
  {
    name: 'Masking -> TimeDistributed(Dense) -> Bidirectional(LSTM, sequences, concat) -> TimeDistributed(Dense)',
    ids: false,
    sequences: true,
    dendrite: (zeroOutputForMask) =>
      sequential(
        [
          layers.masking({ name: 'mask', maskValue: -1, inputShape: [STEPS, FEATURES] }),
          layers.timeDistributed({ name: 'td1', layer: layers.dense({ name: 'proj', units: 4, activation: 'relu' }) }),
          layers.bidirectional({ name: 'bi', layer: layers.lstm({ name: 'enc', units: 2, returnSequences: true }), zeroOutputForMask }),
          layers.timeDistributed({ name: 'td2', layer: layers.dense({ name: 'out', units: 3, activation: 'softmax' }) }),
        ],
        { name: 'masked_tagger' },
      ),
    tfjs: () =>
      tf.sequential({
        name: 'masked_tagger',
        layers: [
          tf.layers.masking({ name: 'mask', maskValue: -1, inputShape: [STEPS, FEATURES] }),
          tf.layers.timeDistributed({
            name: 'td1',
            layer: tf.layers.dense({ name: 'proj', units: 4, activation: 'relu', kernelInitializer: 'glorotUniform' }),
          }),
          tf.layers.bidirectional({ name: 'bi', layer: tf.layers.lstm({ name: 'enc', units: 2, returnSequences: true, ...TFJS_LSTM }) as tf.RNN }),
          tf.layers.timeDistributed({
            name: 'td2',
            layer: tf.layers.dense({ name: 'out', units: 3, activation: 'softmax', kernelInitializer: 'glorotUniform' }),
          }),
        ],
      }),
  },
];

/** Each sample's real length, padded at the end (the last sample at the start): 6, 4, 1 and 3 steps. */
const LENGTHS = [6, 4, 1, 3];

/** A padded batch: ids in 1..VOCABULARY-1 or steps in [0.5, 1.5), padding ids 0 or steps of maskValue; and which steps are real. */
function paddedBatch(c: Case, maskValue: number): { x: Tensor; real: boolean[] } {
  const rand = makeRng(11);
  const real = LENGTHS.flatMap((n, b) => Array.from({ length: STEPS }, (_, t) => (b === LENGTHS.length - 1 ? t >= STEPS - n : t < n)));
  if (c.ids)
    return {
      x: tensor(
        real.map((r) => (r ? 1 + Math.floor(rand() * (VOCABULARY - 1)) : 0)),
        [LENGTHS.length, STEPS],
      ),
      real,
    };
  const values = real.flatMap((r) => Array.from({ length: FEATURES }, () => (r ? 0.5 + rand() : maskValue)));
  return { x: tensor(values, [LENGTHS.length, STEPS, FEATURES]), real };
}

const maskValueOf = (c: Case) => (c.name.includes('maskValue') || c.name.startsWith('Masking -> TimeDistributed') ? -1 : 0);

/** The values of `y` ([batch, steps, ...] or [batch, ...]) at real steps only (others 0), to compare where Keras and TF.js agree. */
function atRealSteps(y: ArrayLike<number>, real: boolean[], sequences: boolean): number[] {
  if (!sequences) return Array.from(y);
  const per = y.length / real.length;
  return Array.from(y, (v, i) => (real[Math.floor(i / per)] ? v : 0));
}

for (const c of CASES) {
  describe(c.name, () => {
    test('model.json is what TF.js writes for the same model (and Keras records zero_output_for_mask in the layers of a Bidirectional)', async () => {
      setSeed(1);
      const ours = modelToArtifacts(c.dendrite()).modelJson;
      const theirs = await tfjsArtifacts(c.tfjs());
      const topology = JSON.parse(JSON.stringify(ours.modelTopology));
      for (const layer of topology.config.layers) {
        if (layer.class_name !== 'Bidirectional') continue;
        const inner = layer.config.layer.config;
        // written as Keras writes it (Keras forces it with return_sequences); TF.js has no such argument
        assert.equal(inner.zero_output_for_mask, inner.return_sequences ? true : undefined);
        delete inner.zero_output_for_mask;
      }
      assert.deepEqual(topology, asDendriteWrites(theirs.modelTopology));
      const specs = (s: readonly tf.io.WeightsManifestEntry[]) => s.map((w) => [w.name, w.shape]);
      assert.deepEqual(specs(ours.weightsManifest![0].weights as tf.io.WeightsManifestEntry[]), specs(theirs.weightSpecs!));
    });

    test('a model saved by TF.js loads in dendrite and predicts what TF.js predicts on a padded batch, padded steps included', async () => {
      const original = c.tfjs();
      randomizeTfjs(original, 200);
      const artifacts = await tfjsArtifacts(original);
      const model = modelFromArtifacts(tfjsModelJson(artifacts), weightBytes(artifacts));
      assert.deepEqual(
        model.layers.map((l) => l.className).filter((n) => n !== 'InputLayer'),
        original.layers.map((l) => l.getClassName()),
      );
      const { x } = paddedBatch(c, maskValueOf(c));
      assertClose(model.predict(x), tfPredict(original, x), { atol: 1e-5, rtol: 1e-5 });
    });

    test('a model saved by dendrite loads in TF.js and predicts the same (at padded steps too where the model says TF.js outputs)', async () => {
      for (const zeroOutputForMask of [true, false]) {
        setSeed(2);
        const model = c.dendrite(zeroOutputForMask);
        randomizeDendrite(model);
        const folder = join(dir, `to-tfjs-${c.name.replace(/\W+/g, '-')}-${zeroOutputForMask}`);
        await model.save(folder);
        const loaded = await tf.loadLayersModel(fileHandler(folder));
        const { x, real } = paddedBatch(c, maskValueOf(c));
        const ours = model.predict(x).values;
        const theirs = tfPredict(loaded, x);
        if (zeroOutputForMask && c.sequences) {
          // Keras' zeros at padded steps (TF.js repeats the previous output there): the real steps agree
          assertClose(atRealSteps(ours, real, true), atRealSteps(theirs, real, true), { atol: 1e-5, rtol: 1e-5 });
        } else {
          assertClose(ours, theirs, { atol: 1e-5, rtol: 1e-5 });
        }
        // and dendrite reads its own file back to the same predictions
        assertClose((await loadModel(folder)).predict(x), ours, { atol: 0, rtol: 0 });
      }
    });
  });
}

test('a padded batch predicts what each sequence predicts alone (Embedding(maskZero) -> Bidirectional -> last output)', () => {
  setSeed(3);
  const model = sequential([
    layers.embedding({ inputDim: VOCABULARY, outputDim: 3, maskZero: true, inputShape: [null as unknown as number] }),
    layers.bidirectional({ layer: layers.lstm({ units: 2 }) }),
    layers.dense({ units: 1 }),
  ]);
  const rows = [
    [3, 4, 5, 0, 0],
    [0, 0, 7, 1, 2],
    [9, 8, 7, 6, 5],
  ];
  const batch = model.predict(tensor(rows.flat(), [3, 5])).values;
  rows.forEach((row, b) => {
    const ids = row.filter((id) => id !== 0);
    assertClose([batch[b]], model.predict(tensor(ids, [1, ids.length])).values, { atol: 1e-6, rtol: 1e-5 });
  });
});
