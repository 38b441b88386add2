// The surface of dendrite/tfjs against real TensorFlow.js: every name it exports exists in TF.js as the same kind
// of thing (a function, a class, a namespace), one level into the namespaces too, except dendrite's own extras
// listed here with their reason; and every top-level function is exercised by a test of test/tfjs.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import * as tfjs from '@tensorflow/tfjs';
import * as ours from '../../src/tfjs/index.js';

/** Names dendrite/tfjs has that TF.js does not, each with why. */
const EXTRAS: Record<string, string> = {
  'version.dendrite': "dendrite's own version beside TF.js' fields",
  'losses.Reduction': 'also exported at the top level as tf.Reduction, as TF.js does; here for convenience',
  'data.LazyIterator': "the iterator type of dendrite's datasets (TF.js keeps its own internal)",
  'data.datasetFromIteratorFn': "dendrite's way to make a dataset from an iterator function (TF.js keeps it internal)",
  'callbacks.EarlyStopping': "dendrite's callback classes, beside TF.js' factory names",
  'callbacks.LearningRateScheduler': "dendrite's own callback (Keras has it; TF.js does not)",
  'callbacks.learningRateScheduler': "dendrite's own callback (Keras has it; TF.js does not)",
  'callbacks.ModelCheckpoint': "dendrite's own callback (Keras has it; TF.js does not)",
  'callbacks.modelCheckpoint': "dendrite's own callback (Keras has it; TF.js does not)",
};
/** dendrite's layers namespace also holds the layer classes and layers TF.js lacks (Keras has them). */
const EXTRA_LAYERS = new Set(['cropping1d', 'cropping2d', 'spatialDropout2d', 'subtract', 'upSampling1d', 'zeroPadding1d']);

function kind(v: unknown): string {
  if (typeof v === 'function') return 'function';
  if (typeof v === 'object' && v !== null) return 'object';
  return typeof v;
}

test('every name of dendrite/tfjs exists in TensorFlow.js as the same kind, or is a listed extra', () => {
  const wrong: string[] = [];
  for (const [name, value] of Object.entries(ours)) {
    const theirs = (tfjs as Record<string, unknown>)[name];
    if (theirs === undefined) {
      if (!EXTRAS[name]) wrong.push(`${name}: not in TF.js`);
      continue;
    }
    // tf.train is a class of static factories in TF.js, a namespace here: both are called tf.train.adam(...)
    if (kind(theirs) !== kind(value) && name !== 'train') wrong.push(`${name}: ${kind(value)} here, ${kind(theirs)} in TF.js`);
    if (kind(value) !== 'object' || (typeof theirs !== 'object' && typeof theirs !== 'function')) continue;
    for (const [inner, innerValue] of Object.entries(value as object)) {
      const full = `${name}.${inner}`;
      const theirsInner = (theirs as Record<string, unknown>)[inner];
      if (theirsInner === undefined) {
        const layerClass = name === 'layers' && /^[A-Z]/.test(inner);
        if (!EXTRAS[full] && !layerClass && !(name === 'layers' && EXTRA_LAYERS.has(inner))) wrong.push(`${full}: not in TF.js`);
        continue;
      }
      if (kind(theirsInner) !== kind(innerValue)) wrong.push(`${full}: ${kind(innerValue)} here, ${kind(theirsInner)} in TF.js`);
    }
  }
  assert.deepEqual(wrong, []);
});

test('every extra listed is still exported (the list cannot go stale)', () => {
  for (const full of Object.keys(EXTRAS)) {
    const [ns, inner] = full.split('.');
    assert.notEqual((ours as unknown as Record<string, Record<string, unknown>>)[ns]?.[inner], undefined, full);
  }
});

test('every top-level function of dendrite/tfjs is called by a test of test/tfjs', () => {
  const dir = join(import.meta.dirname);
  const sources = readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && f !== 'surface.test.ts')
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');
  const untested = Object.entries(ours)
    .filter(([, v]) => typeof v === 'function')
    .map(([name]) => name)
    // tf.name / t.name (the same-as-TF.js helper hands either library as t), new tf.Name, or a table of names ('name')
    .filter((name) => !new RegExp(`\\b(tf|t)\\.${name}\\b|['"\`]${name}['"\`]`).test(sources));
  assert.deepEqual(untested, []);
});

test("every function of dendrite/tfjs' namespaces is called by a test of test/tfjs, test/data/dataset or the browser test", () => {
  const dirs = [import.meta.dirname, join(import.meta.dirname, '..', 'data', 'dataset'), join(import.meta.dirname, '..', 'e2e')];
  const sources = dirs
    .flatMap((d) =>
      readdirSync(d, { recursive: true })
        .map(String)
        .filter((f) => f.endsWith('.ts') && f !== 'surface.test.ts')
        .map((f) => readFileSync(join(d, f), 'utf8')),
    )
    .join('\n');
  const untested: string[] = [];
  for (const [ns, value] of Object.entries(ours)) {
    // tf.layers is dendrite's layers namespace, checked against TF.js layer by layer in test/io and test/nn
    if (typeof value !== 'object' || value === null || ns === 'layers') continue;
    for (const [name, member] of Object.entries(value)) {
      if (EXTRAS[`${ns}.${name}`] || typeof member !== 'function') continue;
      // ns.name, a call .name( through a table of either library, or a table of names ('name')
      if (!new RegExp(`\\b${ns}\\.${name}\\b|\\.${name}\\(|['"\`]${name}['"\`]`).test(sources)) untested.push(`${ns}.${name}`);
    }
  }
  assert.deepEqual(untested, []);
});
