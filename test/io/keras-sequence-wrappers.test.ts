// The sequence wrappers of issue 18 (Bidirectional, TimeDistributed) with masks in Keras 3's files, both ways (live,
// where Keras is installed): models Keras saves as .keras and .h5 (a BiLSTM tagger over Embedding(mask_zero), a
// Masking classifier of Bidirectional LSTM and GRU, a Bidirectional with a backward layer of its own) load in
// dendrite with Keras' predictions on padded batches, and a dendrite model of the wrappers saved as .keras loads in
// Keras with dendrite's predictions, and back again as Keras saves it.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { layers, loadModel, modelFromArtifacts, modelToArtifacts, randomNormal, sequential, setSeed, tensor, type Tensor } from '../../src/index.js';
import { assertClose } from '../helpers.js';
import { describeWithKeras, REPO_ROOT, runPython, type TensorJson, tensorFromJson, tensorToJson } from '../keras/python.js';

const MAKE = join(REPO_ROOT, 'test', 'keras', 'sequence_wrapper_files.py');
const CHECK = join(REPO_ROOT, 'test', 'keras', 'keras3_files.py');

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dendrite-keras-wrappers-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test("Keras 3's hard_sigmoid (not TF.js') in a recurrent layer, a wrapped one included, is refused naming where", () => {
  const model = sequential([
    layers.lstm({ name: 'plain', units: 2, returnSequences: true, inputShape: [4, 3] }),
    layers.bidirectional({ name: 'bi', layer: layers.lstm({ name: 'enc', units: 2 }) }),
  ]);
  const { modelJson, weightData } = modelToArtifacts(model);
  const file = (edit: (layers: { config: Record<string, unknown> }[]) => void, version: string) => {
    const json = structuredClone(modelJson) as { modelTopology: { keras_version: string; config: { layers: { config: Record<string, unknown> }[] } } };
    json.modelTopology.keras_version = version;
    edit(json.modelTopology.config.layers);
    return json;
  };
  const bytes = new Uint8Array(weightData);
  const nested = (ls: { config: Record<string, unknown> }[]) => {
    (ls[2].config.layer as { config: Record<string, unknown> }).config.recurrent_activation = 'hard_sigmoid';
  };
  assert.throws(
    () => modelFromArtifacts(file(nested, '3.15.1'), bytes),
    /layer 2 'bi' \(Bidirectional\): layer 'enc': recurrent_activation 'hard_sigmoid' of a Keras 3 file is relu6\(x \+ 3\) \/ 6/,
  );
  const plain = (ls: { config: Record<string, unknown> }[]) => {
    ls[1].config.recurrent_activation = { module: 'keras.activations', class_name: 'function', config: 'hard_sigmoid', registered_name: 'hard_sigmoid' };
  };
  assert.throws(() => modelFromArtifacts(file(plain, '3.15.1'), bytes), /layer 1 'plain' \(LSTM\): recurrent_activation 'hard_sigmoid' of a Keras 3 file/);
  // in a TF.js or Keras 2 file it is TF.js' hardSigmoid, which dendrite has
  const loaded = modelFromArtifacts(file(nested, 'tfjs-layers 4.22.0'), bytes);
  assert.equal(
    (loaded.layers.at(-1) as unknown as { forwardLayer: { recurrentActivation: { name: string } } }).forwardLayer.recurrentActivation.name,
    'hardSigmoid',
  );
});

describeWithKeras('the sequence wrappers in Keras 3 files (live)', () => {
  test('models Keras saves (.keras and .h5) load in dendrite and predict as Keras on padded batches, masked steps included (1e-5)', {
    timeout: 180_000,
  }, async () => {
    const out = join(dir, 'from-keras');
    await runPython(MAKE, [out]);
    for (const name of ['bilstm_tagger', 'masked_classifier', 'own_backward']) {
      const { x, y } = JSON.parse(await readFile(join(out, `${name}.json`), 'utf8')) as { x: TensorJson; y: TensorJson };
      for (const ext of ['keras', 'h5']) {
        const model = await loadModel<Tensor>(join(out, `${name}.${ext}`));
        const p = model.predict(tensorFromJson(x));
        assert.deepEqual([...p.shape], y.shape, `${name}.${ext}`);
        assertClose(p, y.values, { atol: 1e-5, rtol: 1e-5 });
      }
    }
  });

  test('a dendrite model of the wrappers saved as .keras: Keras predicts the same on a padded batch, and its own save of it loads back (1e-5)', {
    timeout: 180_000,
  }, async () => {
    setSeed(7);
    const model = sequential(
      [
        layers.embedding({ inputDim: 15, outputDim: 4, maskZero: true, inputShape: [7] }),
        layers.timeDistributed({ layer: layers.dense({ units: 5, activation: 'relu' }) }),
        layers.bidirectional({ layer: layers.lstm({ units: 3, returnSequences: true }), mergeMode: 'concat' }),
        layers.bidirectional({ layer: layers.gru({ units: 2, returnSequences: true }), mergeMode: 'ave' }),
        layers.timeDistributed({ layer: layers.dense({ units: 2, activation: 'softmax' }) }),
      ],
      { name: 'wrappers' },
    );
    for (const w of model.weights) w.assign(randomNormal(w.shape, 0, 0.5));
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    const ids = tensor(
      [
        [3, 4, 5, 6, 0, 0, 0],
        [0, 0, 0, 7, 1, 2, 9],
        [14, 13, 12, 11, 10, 9, 8],
      ].flat(),
      [3, 7],
    );
    const expected = model.predict(ids);
    const path = join(dir, 'wrappers.keras');
    await model.save(path);
    await writeFile(join(dir, 'in.json'), JSON.stringify({ x: [tensorToJson(ids)] }));
    const resaved = join(dir, 'wrappers-resaved.keras');
    await runPython(CHECK, ['check', path, join(dir, 'in.json'), join(dir, 'out.json'), resaved]);
    const keras = JSON.parse(await readFile(join(dir, 'out.json'), 'utf8')) as { y: TensorJson[]; layers: string[] };
    assert.deepEqual(
      keras.layers,
      model.layers.map((l) => l.className),
    );
    assertClose(expected, keras.y[0].values, { atol: 1e-5, rtol: 1e-5 });
    assertClose((await loadModel<Tensor>(resaved)).predict(ids), keras.y[0].values, { atol: 1e-5, rtol: 1e-5 });
  });
});
