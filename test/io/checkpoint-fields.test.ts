// The fields of a checkpoint's `dendrite` section (training progress, optimizer state, metadata, CRCs) are
// checked before use: a damaged or hand-edited checkpoint fails with the file and the field named, never
// resumes wrongly (epoch -1 training an extra epoch, epoch "2" as a string). JSON nested deeper than any model
// file needs is refused with the file named, not a stack overflow somewhere later.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  getRngState,
  layers,
  loadCheckpoint,
  loadModel,
  modelToArtifacts,
  optimizers,
  sequential,
  setSeed,
  tensor,
  checkpointFromArtifacts,
} from '../../src/index.js';

const base = mkdtempSync(join(tmpdir(), 'dendrite-checkpoint-fields-'));
after(() => rmSync(base, { recursive: true, force: true }));

setSeed(2);
const model = sequential([layers.dense({ units: 2, inputShape: [3], name: 'd' })], { name: 'm' });
model.compile({ optimizer: optimizers.adam({ learningRate: 0.01 }), loss: 'meanSquaredError' });
await model.fit(tensor([[1, 2, 3]]), tensor([[1, 0]]), { epochs: 1, verbose: 0 });
const saved = modelToArtifacts(model, {
  includeOptimizer: true,
  trainingState: { epoch: 1, rngState: getRngState(), logs: { loss: 0.5 }, progress: { batch: 1, epochRngState: getRngState(), sums: { loss: 1 }, seen: 4 } },
  metadata: { job: 'test' },
});

// biome-ignore lint/suspicious/noExplicitAny: the test edits model.json's free-form JSON at any depth
type Json = any;

/** The checkpoint's model.json with `edit` applied (CRCs dropped, so only the edit is judged). */
function edited(edit: (json: Json) => void): Json {
  const json: Json = structuredClone(saved.modelJson);
  delete json.dendrite.files;
  edit(json);
  return json;
}

const load = (json: Json) => checkpointFromArtifacts(json, saved.weightData, { optimizerData: saved.optimizerData });

describe('dendrite section fields', () => {
  test('the saved checkpoint loads with every field', () => {
    const checkpoint = load(edited(() => {}));
    assert.equal(checkpoint.epoch, 1);
    assert.equal(checkpoint.optimizerRestored, true);
    assert.deepEqual(checkpoint.logs, { loss: 0.5 });
    assert.equal(checkpoint.progress?.batch, 1);
    assert.deepEqual(checkpoint.metadata, { job: 'test' });
  });

  for (const [what, edit, pattern] of [
    [
      'a negative epoch',
      (j: Json) => (j.dendrite.training.epoch = -1),
      /dendrite\.training\.epoch must be a whole number >= 0 \(the completed epochs\), got -1/,
    ],
    [
      'an epoch as a string',
      (j: Json) => (j.dendrite.training.epoch = '2'),
      /dendrite\.training\.epoch must be a whole number >= 0 \(the completed epochs\), got "2"/,
    ],
    ['a fractional epoch', (j: Json) => (j.dendrite.training.epoch = 1.5), /dendrite\.training\.epoch must be a whole number >= 0/],
    [
      'a missing epoch',
      (j: Json) => delete j.dendrite.training.epoch,
      /dendrite\.training\.epoch must be a whole number >= 0 \(the completed epochs\), got undefined/,
    ],
    ['training as a list', (j: Json) => (j.dendrite.training = [1]), /dendrite\.training must be an object/],
    ['a short random state', (j: Json) => (j.dendrite.training.rngState = [1, 2]), /dendrite\.training\.rngState must be the random generator state/],
    ['a random state of strings', (j: Json) => (j.dendrite.training.rngState = ['1', '2', '3', '4', null]), /dendrite\.training\.rngState must be/],
    [
      'a log that is not a number',
      (j: Json) => (j.dendrite.training.logs = { loss: 'low' }),
      /dendrite\.training\.logs\.loss must be a finite number, got "low"/,
    ],
    ['a negative batch in progress', (j: Json) => (j.dendrite.training.progress.batch = -1), /dendrite\.training\.progress\.batch must be a whole number >= 0/],
    [
      'progress sums of strings',
      (j: Json) => (j.dendrite.training.progress.sums = { loss: 'x' }),
      /dendrite\.training\.progress\.sums\.loss must be a finite number/,
    ],
    [
      'negative optimizer iterations',
      (j: Json) => (j.dendrite.optimizerState.iterations = -1),
      /dendrite\.optimizerState\.iterations must be a whole number >= 0/,
    ],
    [
      'an optimizer path that is an object',
      (j: Json) => (j.dendrite.optimizerState.path = { file: 'optimizer.bin' }),
      /dendrite\.optimizerState\.path must be a file name \(a string\), got \{"file": "optimizer\.bin"\}/,
    ],
    ['optimizer slots that are not a list', (j: Json) => (j.dendrite.optimizerState.weights = 'all'), /dendrite\.optimizerState\.weights must be a list/],
    [
      'an optimizer slot shape of strings',
      (j: Json) => (j.dendrite.optimizerState.weights[0].shape = ['3']),
      /dendrite\.optimizerState\.weights\[0\]\.shape must be a list of whole numbers/,
    ],
    ['metadata that is a string', (j: Json) => (j.dendrite.metadata = 'cnn'), /dendrite\.metadata must be an object, got "cnn"/],
    [
      'a CRC record of strings',
      (j: Json) => (j.dendrite.files = { 'weights.bin': { bytes: '32', crc32: 1 } }),
      /dendrite\.files\["weights\.bin"\] must be a \{bytes, crc32\} object/,
    ],
    ['a dendrite section that is a list', (j: Json) => (j.dendrite = []), /model\.json: dendrite must be an object/],
  ] as const) {
    test(`${what} is an error naming model.json and the field`, () => {
      assert.throws(
        () => load(edited(edit)),
        (error: Error) => {
          assert.match(error.message, /^model\.json: /);
          assert.match(error.message, pattern);
          return true;
        },
      );
    });
  }

  test('the optimizer state is restored only when the file has it', () => {
    assert.equal(load(edited(() => {})).optimizerRestored, true);
    assert.equal(load(edited((j) => delete j.dendrite.optimizerState)).optimizerRestored, false);
    assert.equal(
      checkpointFromArtifacts(
        edited(() => {}),
        saved.weightData,
        { compile: false },
      ).optimizerRestored,
      false,
    );
  });

  test('a "constructor" file name finds no CRC record of Object.prototype', () => {
    const json = edited((j) => {
      j.weightsManifest[0].paths = ['constructor'];
      j.dendrite.files = {};
    });
    assert.equal(load(json).epoch, 1);
  });
});

describe('deeply nested JSON', () => {
  const deep = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

  test('a model.json nested 100,000 levels deep is refused naming the file and the field', async () => {
    const folder = join(base, 'deep');
    mkdirSync(folder);
    const text = JSON.stringify(saved.modelJson).replace('"metadata":', `"junk": ${deep(100_000)}, "metadata":`);
    writeFileSync(join(folder, 'model.json'), text);
    writeFileSync(join(folder, 'weights.bin'), saved.weightData);
    for (const load of [() => loadModel(folder), () => loadCheckpoint(folder, { compile: false })]) {
      await assert.rejects(load(), /deep[/\\]model\.json: the field 'dendrite' nests lists or objects more than 100 levels deep/);
    }
  });

  test('in the browser path too, wherever the nesting is', () => {
    for (const where of ['layer config', 'metadata', 'manifest']) {
      const json = edited((j) => {
        const value = JSON.parse(deep(20_000));
        if (where === 'layer config') j.modelTopology.config.layers[0].config.kernel_initializer = value;
        else if (where === 'metadata') j.dendrite.metadata = { value };
        else j.weightsManifest[0].weights[0].shape = value;
      });
      assert.throws(
        () => load(json),
        /model\.json: the field '(modelTopology|dendrite|weightsManifest)' nests lists or objects more than 100 levels deep/,
        where,
      );
    }
  });
});
