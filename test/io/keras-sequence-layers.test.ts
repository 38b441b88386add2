// The 1-D sequence layers of issue 18 in Keras 3's files, both ways (live, where Keras is installed): models Keras
// saves as .keras and .h5 (Embedding with mask_zero feeding a masked average; every 1-D layer) load in dendrite
// with Keras' predictions, and a dendrite model of every sequence layer saved as .keras loads in Keras with
// dendrite's predictions, and back again as Keras saves it.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { layers, loadModel, randomNormal, sequential, setSeed, tensor, type Tensor } from '../../src/index.js';
import { makeRng } from '../gradcheck.js';
import { assertClose } from '../helpers.js';
import { describeWithKeras, REPO_ROOT, runPython, type TensorJson, tensorFromJson, tensorToJson } from '../keras/python.js';

const MAKE = join(REPO_ROOT, 'test', 'keras', 'sequence_layer_files.py');
const CHECK = join(REPO_ROOT, 'test', 'keras', 'keras3_files.py');

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dendrite-keras-sequence-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describeWithKeras('the 1-D sequence layers in Keras 3 files (live)', () => {
  test('models Keras saves (.keras and .h5) load in dendrite and predict as Keras, the mask included (1e-5)', { timeout: 180_000 }, async () => {
    const out = join(dir, 'from-keras');
    await runPython(MAKE, [out]);
    for (const name of ['masked_text', 'one_d_layers']) {
      const { x, y } = JSON.parse(await readFile(join(out, `${name}.json`), 'utf8')) as { x: TensorJson; y: TensorJson };
      for (const ext of ['keras', 'h5']) {
        const model = await loadModel<Tensor>(join(out, `${name}.${ext}`));
        const p = model.predict(tensorFromJson(x));
        assert.deepEqual([...p.shape], y.shape, `${name}.${ext}`);
        assertClose(p, y.values, { atol: 1e-5, rtol: 1e-5 });
      }
    }
  });

  test('a dendrite model of every sequence layer saved as .keras: Keras predicts the same, and its own save of it loads back (1e-5)', {
    timeout: 180_000,
  }, async () => {
    setSeed(6);
    const model = sequential(
      [
        layers.embedding({ inputDim: 25, outputDim: 6, maskZero: true, inputShape: [16] }),
        layers.dense({ units: 4, activation: 'tanh' }),
        layers.conv1d({ filters: 5, kernelSize: 3, padding: 'causal', dilationRate: 2, activation: 'relu' }),
        layers.maxPooling1d({ poolSize: 2, padding: 'same' }),
        layers.upSampling1d({ size: 2 }),
        layers.zeroPadding1d({ padding: [1, 2] }),
        layers.cropping1d({ cropping: [2, 1] }),
        layers.averagePooling1d({ poolSize: 3, strides: 1, padding: 'same' }),
        layers.conv1d({ filters: 3, kernelSize: 2, strides: 2 }),
        layers.globalAveragePooling1d(),
        layers.dense({ units: 2 }),
      ],
      { name: 'every_sequence_layer' },
    );
    for (const w of model.weights) w.assign(randomNormal(w.shape, 0, 0.4));
    // Conv1D drops the mask, as in Keras (which warns about it)
    model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    const rand = makeRng(2);
    const ids = tensor(
      Array.from({ length: 3 * 16 }, (_, i) => (i % 16 < 10 + (i % 5) ? 1 + Math.floor(rand() * 24) : 0)),
      [3, 16],
    );
    const expected = model.predict(ids);
    const path = join(dir, 'every_sequence_layer.keras');
    await model.save(path);
    await writeFile(join(dir, 'in.json'), JSON.stringify({ x: [tensorToJson(ids)] }));
    const resaved = join(dir, 'every_sequence_layer-resaved.keras');
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
