// Legacy Keras `.h5` model files (src/io/keras-h5.ts): the fixtures of test/fixtures/keras-h5 were written by
// Keras 3.15's own `model.save('model.h5')` after two training steps (scripts/keras-fixtures/make_h5_fixtures.py),
// keras2_layout in Keras 2's layout by h5py. dendrite reads each one, predicts what Keras predicted, continues
// training from the restored optimizer state as Keras did, and refuses damaged files with a message naming the
// file and the place in it.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Model, Sequential, type Tensor, tensor } from '../../src/index.js';
import { writeHdf5 } from '../../src/io/hdf5.js';
import { readKerasH5, readKerasH5Checkpoint } from '../../src/io/keras-h5.js';
import type { ModelMakers } from '../../src/io/saveable-model.js';
import { describeWithKeras, runPython } from '../keras/python.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'keras-h5');
const MAKERS: ModelMakers<Model> = { sequential: (args) => new Sequential(args), graph: (args) => new Model(args) };

/** A tensor as Keras saw it. */
interface Values {
  name: string;
  shape: number[];
  values: number[];
}

interface Expected {
  inputs: Values[];
  outputs: Values[];
  /** One more train_on_batch from the saved state, and every weight after it (Keras variable paths). */
  next_step?: { x: Values; y: Values; weights: Values[] };
}

const fixture = (name: string, dir = FIXTURES): Uint8Array => readFileSync(join(dir, name, 'model.h5'));
const expected = (name: string, dir = FIXTURES): Expected => JSON.parse(readFileSync(join(dir, name, 'expected.json'), 'utf8')) as Expected;
const asTensor = (v: Values): Tensor => tensor(v.values, v.shape);

/** The largest |actual - expected|, with the shape checked; NaN counts as the worst. */
function maxAbsDiff(actual: Tensor, want: Values, what: string): number {
  assert.deepEqual([...actual.shape], want.shape, `${what}: shape`);
  let worst = 0;
  for (let i = 0; i < want.values.length; i++) {
    const d = Math.abs(actual.values[i] - want.values[i]);
    if (!(d <= worst)) worst = d;
  }
  return worst;
}

/**
 * The model's weight that Keras' variable path names (`cnn_bn/dense/kernel`, `mlp/dense/kernel` for `dense/kernel`;
 * Keras 3's `depthwise_conv2d/kernel` for `depthwise_conv2d/depthwise_kernel`).
 */
function weightFor(model: Model, kerasPath: string): Tensor {
  const renamed = kerasPath.replace(/(depthwise_conv2d(_\d+)?)\/kernel$/, '$1/depthwise_kernel');
  const found = model.weights.filter((w) => renamed === w.name || renamed.endsWith(`/${w.name}`));
  assert.equal(found.length, 1, `one model weight for ${kerasPath}`);
  return found[0];
}

/** Loads `name`, checks its predictions against Keras' (1e-5), trains one step as Keras did and returns the largest weight difference. */
async function predictAndStep(name: string, dir: string, fresh = false): Promise<number> {
  const model = await readKerasH5(fixture(name, dir), 'model.h5', MAKERS);
  const want = expected(name, dir);
  const d = maxAbsDiff(model.predict(asTensor(want.inputs[0])) as Tensor, want.outputs[0], 'output');
  assert.ok(d <= 1e-5, `max |dendrite - Keras| = ${d}`);
  assert.equal(model.compiled!.optimizer.iterations, 2, 'two steps were saved');
  if (fresh) model.compiled!.optimizer.setState({ iterations: 0, slots: [] }, []);
  const step = want.next_step!;
  await model.fit(asTensor(step.x), asTensor(step.y), { epochs: 1, batchSize: step.x.shape[0], shuffle: false, verbose: 0 });
  return Math.max(...step.weights.map((w) => maxAbsDiff(weightFor(model, w.name), w, w.name)));
}

// layers: dendrite's model.layers, the input layer included
const CASES = [
  { name: 'cnn_bn', sequential: true, layers: 6, optimizer: 'Adam', restored: true },
  // a nested Sequential with BatchNormalization (Keras lists its weights trainable first) and a layer called twice
  { name: 'nested_shared', sequential: false, layers: 4, optimizer: 'SGD', restored: true },
  // Keras 2's layout: byte-string attributes, `dense/kernel:0`, a list axis, the legacy optimizer's variables
  { name: 'keras2_layout', sequential: true, layers: 4, optimizer: 'Adam', restored: false },
];

describe('legacy Keras .h5 model files', () => {
  for (const c of CASES) {
    test(`'${c.name}': builds, takes every weight, predicts as Keras (1e-5) and compiles as saved`, async () => {
      const { model, optimizerRestored, kerasVersion } = await readKerasH5Checkpoint(fixture(c.name), 'model.h5', MAKERS);
      assert.equal(model instanceof Sequential, c.sequential);
      assert.equal(model.layers.length, c.layers);
      assert.equal(kerasVersion, c.name === 'keras2_layout' ? '2.15.0' : '3.15.1');
      const want = expected(c.name);
      const d = maxAbsDiff(model.predict(asTensor(want.inputs[0])) as Tensor, want.outputs[0], 'output');
      assert.ok(d <= 1e-5, `max |dendrite - Keras| = ${d}`);
      assert.equal(model.compiled?.optimizer.className, c.optimizer);
      assert.equal(optimizerRestored, c.restored);
      // Keras 2's optimizer variables are not mapped: a fresh optimizer
      if (!c.restored) assert.equal(model.compiled?.optimizer.iterations, 0);
    });
  }

  for (const c of CASES.filter((k) => k.restored)) {
    test(`'${c.name}': the restored optimizer state continues training as Keras (one step, 1e-5); a fresh one does not`, async () => {
      const restored = await predictAndStep(c.name, FIXTURES);
      assert.ok(restored <= 1e-5, `restored: max |dendrite - Keras| over the weights = ${restored}`);
      const fresh = await predictAndStep(c.name, FIXTURES, true);
      assert.ok(fresh > 1e-3, `a fresh optimizer should land elsewhere (max difference ${fresh})`);
    });
  }

  test('{ compile: false } leaves the model uncompiled', async () => {
    const model = await readKerasH5(fixture('cnn_bn'), 'model.h5', MAKERS, { compile: false });
    assert.equal(model.compiled, null);
  });
});

describeWithKeras('a .h5 file that Keras 3 writes now', () => {
  test('Conv2D, DepthwiseConv2D, SeparableConv2D, BatchNormalization, LayerNormalization, RMSprop: predictions and one more step as Keras (1e-5)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dendrite-keras-h5-'));
    try {
      mkdirSync(join(dir, 'live'));
      await runPython(join(import.meta.dirname, '..', 'keras', 'save_h5.py'), [join(dir, 'live')]);
      const worst = await predictAndStep('live', dir);
      assert.ok(worst <= 1e-5, `max |dendrite - Keras| over the weights after one step = ${worst}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** The fixture's bytes after `edit` changed them in h5wasm (opened for writing in its in-memory file system). */
async function edited(name: string, edit: (file: import('h5wasm').File) => void): Promise<Uint8Array> {
  const h5 = (await import('h5wasm')).default;
  const { FS } = await h5.ready;
  const path = `/keras-h5-test-${name}-${Math.random().toString(36).slice(2)}.h5`;
  FS!.writeFile(path, fixture(name));
  const file = new h5.File(path, 'a');
  try {
    edit(file);
    file.flush();
  } finally {
    file.close();
  }
  const bytes = FS!.readFile(path);
  FS!.unlink(path);
  return bytes;
}

/** Replaces a string (or list of strings) attribute. */
function setAttribute(group: import('h5wasm').Group, name: string, value: string | string[]): void {
  group.delete_attribute(name);
  group.create_attribute(name, value);
}

/** The fixture's model_config with `change` applied. */
function withConfig(file: import('h5wasm').File, change: (config: { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }) => void) {
  const config = JSON.parse(String(file.attrs.model_config.value));
  change(config);
  setAttribute(file, 'model_config', JSON.stringify(config));
}

describe('damaged .h5 files', () => {
  const load = (bytes: Uint8Array) => readKerasH5(bytes, 'bad.h5', MAKERS);

  test('a truncated file', async () => {
    const bytes = fixture('cnn_bn');
    await assert.rejects(load(bytes.subarray(0, bytes.length >> 1)), /^Error: bad\.h5 is not a readable HDF5 file \(/);
  });

  test('model_config that is not JSON', async () => {
    const bytes = await edited('cnn_bn', (f) => setAttribute(f, 'model_config', '{"class_name": "Sequential", "config": {'));
    await assert.rejects(load(bytes), /^Error: bad\.h5: the attribute model_config is not JSON \(.*\): "\{\\"class_name\\": \\"Sequential\\"/);
  });

  test('no model_config: not a model file', async () => {
    const bytes = await edited('cnn_bn', (f) => f.delete_attribute('model_config'));
    await assert.rejects(load(bytes), /^Error: bad\.h5 has no model_config attribute: it is not a Keras model file/);
  });

  test('weight files that are no models say what they are', async () => {
    // Keras 2's save_weights: layer_names on the root; Keras 3's model.weights.h5: layers/<name>/vars
    const keras2 = await writeHdf5((w) => w.group('', { layer_names: 'dense', backend: 'tensorflow' }));
    await assert.rejects(load(keras2), /^Error: bad\.h5 has no model_config attribute: it holds weights only \(Keras `save_weights`\), not a model\./);
    const keras3 = await writeHdf5((w) => w.dataset('layers/dense/vars/0', Float32Array.of(1, 2), [2]));
    await assert.rejects(load(keras3), /^Error: bad\.h5 has no model_config attribute: it looks like a Keras 3 weights file \(`model\.weights\.h5`/);
  });

  test('a weight whose shape differs from the layer it belongs to', async () => {
    // the config asks for 4 classes; the file's Dense kernel has 3
    const bytes = await edited('cnn_bn', (f) =>
      withConfig(f, (c) => {
        c.config.layers.find((l) => l.class_name === 'Dense')!.config.units = 4;
      }),
    );
    await assert.rejects(
      load(bytes),
      /^Error: bad\.h5: weight \/model_weights\/dense\/cnn_bn\/dense\/kernel has shape \[16, 3\] but the model's 'dense\/kernel' has shape \[16, 4\]\.$/,
    );
  });

  test('a layer far larger than its weights in the file fails on the shape before its memory is allocated', async () => {
    // 16 x 2e9 floats (128 GB) would throw a RangeError, or exhaust the memory, if allocated first
    const bytes = await edited('cnn_bn', (f) =>
      withConfig(f, (c) => {
        c.config.layers.find((l) => l.class_name === 'Dense')!.config.units = 2e9;
      }),
    );
    await assert.rejects(
      load(bytes),
      /^Error: bad\.h5: weight \/model_weights\/dense\/cnn_bn\/dense\/kernel has shape \[16, 3\] but the model's 'dense\/kernel' has shape \[16, 2000000000\]\.$/,
    );
  });

  test('a missing weight', async () => {
    const bytes = await edited('cnn_bn', (f) => setAttribute(f.get('model_weights/dense') as import('h5wasm').Group, 'weight_names', ['cnn_bn/dense/kernel']));
    await assert.rejects(load(bytes), /^Error: bad\.h5: the file has no weight of shape \[3\] for the model's weight 'dense\/bias'; it holds 7 weights: /);
  });

  test('a listed weight with no dataset', async () => {
    const bytes = await edited('cnn_bn', (f) =>
      setAttribute(f.get('model_weights/dense') as import('h5wasm').Group, 'weight_names', ['cnn_bn/dense/kernel', 'cnn_bn/dense/offset']),
    );
    await assert.rejects(
      load(bytes),
      /^Error: bad\.h5: \/model_weights\/dense lists weight 'cnn_bn\/dense\/offset' but \/model_weights\/dense\/cnn_bn\/dense\/offset is not a dataset\.$/,
    );
  });

  test('weights that no layer of the model takes', async () => {
    // the config drops BatchNormalization; its four weights stay in the file
    const bytes = await edited('cnn_bn', (f) =>
      withConfig(f, (c) => {
        c.config.layers = c.config.layers.filter((l) => l.class_name !== 'BatchNormalization');
      }),
    );
    await assert.rejects(
      load(bytes),
      /^Error: bad\.h5: \/model_weights\/batch_normalization holds 4 weights \('cnn_bn\/batch_normalization\/gamma', .*\) for layer 'batch_normalization', which the model does not have \(its layers with weights: 'conv2d', 'dense'\)\.$/,
    );
  });
});
