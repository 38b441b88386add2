// Real model files of sequence models (issue 18), test/fixtures/sequence-files (scripts/keras-fixtures/
// make_sequence_files.py and make_tfjs_sequence_files.ts): converted from Keras 3 by the tensorflowjs converter's
// own code, in the converter's Keras 2.15 layout, and written by TF.js' model.save(). Each loads with loadModel and
// predicts what Keras and TF.js predicted (1e-5); saved again by dendrite, TF.js loads it and predicts the same
// (where TF.js has the layers: it has no GRU with reset_after), and so does dendrite.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { loadModel, type Tensor, tensor } from '../../src/index.js';
import { assertClose } from '../helpers.js';
import { fileHandler, tfPredict } from './tfjs-files.js';

const ROOT = join(import.meta.dirname, '..', 'fixtures', 'sequence-files');
const LAYOUTS = ['keras3-converted', 'keras215-converted', 'tfjs-written'];
const MODELS = ['text-lstm', 'text-lstm-hard-sigmoid', 'bigru-tagger', 'bigru-tagger-reset-before', 'conv1d', 'simple-rnn'];

interface Values {
  name: string;
  shape: number[];
  values: number[];
}

interface Expected {
  inputs: Values[];
  outputs: Values[];
  tfjs_outputs?: Values[];
  tfjs_refused?: string;
}

let dir: string;
before(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'dendrite-sequence-files-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** TF.js has no GRU with reset_after (Keras' default): it refuses those files, whoever wrote them. */
const tfjsReadsIt = (model: string) => model !== 'bigru-tagger';

test('the fixtures are there: 15 files in three layouts', () => {
  const found = LAYOUTS.flatMap((layout) => MODELS.filter((m) => existsSync(join(ROOT, layout, m, 'model.json'))).map((m) => `${layout}/${m}`));
  assert.equal(found.length, 15, found.join(', '));
});

for (const layout of LAYOUTS) {
  describe(layout, () => {
    for (const name of MODELS) {
      const folder = join(ROOT, layout, name);
      if (!existsSync(join(folder, 'model.json'))) continue;
      test(`${name}: loadModel predicts as Keras and TF.js did; saved again, TF.js and dendrite load it and predict the same`, async () => {
        const expected: Expected = JSON.parse(await readFile(join(folder, 'expected.json'), 'utf8'));
        const x = tensor(expected.inputs[0].values, expected.inputs[0].shape);
        const model = await loadModel(join(folder, 'model.json'));
        const y = model.predict(x) as Tensor;
        assert.deepEqual([...y.shape], expected.outputs[0].shape);
        assertClose(y, expected.outputs[0].values, { rtol: 0, atol: 1e-5 });
        if (expected.tfjs_outputs) assertClose(y, expected.tfjs_outputs[0].values, { rtol: 0, atol: 1e-5 });
        if (layout === 'keras215-converted') assert.equal(expected.tfjs_refused !== undefined, !tfjsReadsIt(name), 'TF.js read the converted file');

        const saved = join(dir, `${layout}-${name}`);
        await model.save(saved);
        const again = await loadModel(saved);
        assertClose(again.predict(x) as Tensor, y.values, { rtol: 0, atol: 0 });
        if (tfjsReadsIt(name)) {
          const theirs = await tf.loadLayersModel(fileHandler(saved));
          assertClose(tfPredict(theirs, x), y.values, { rtol: 0, atol: 1e-5 });
        } else {
          await assert.rejects(tf.loadLayersModel(fileHandler(saved)), /reset_after/);
        }
      });
    }
  });
}
