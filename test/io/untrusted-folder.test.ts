// A model folder is untrusted input (downloaded, shared, unpacked from an archive). The files its model.json
// names are read only inside the folder, only as regular files, and only once their sizes match what
// model.json declares; the values read must be finite. Each case fails fast with one line naming the file
// and the field, and never shows anything about a file outside the folder.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { layers, loadCheckpoint, loadModel, modelFromArtifacts, optimizers, sequential, setSeed, tensor } from '../../src/index.js';

const base = mkdtempSync(join(tmpdir(), 'dendrite-untrusted-'));
after(() => rmSync(base, { recursive: true, force: true }));

// a file outside every model folder, of the size the model's weights take: it must never be read
const SECRET = join(base, 'secret.bin');
const SECRET_BYTES = 32;
writeFileSync(SECRET, new Uint8Array(new Float32Array(8).fill(42).buffer));

let source: string;
let withOptimizer: string;
before(async () => {
  setSeed(1);
  // 3 x 2 kernel + 2 biases: 8 float32 values, 32 bytes, the secret's size
  const model = sequential([layers.dense({ units: 2, inputShape: [3], name: 'd' })], { name: 'm' });
  source = join(base, 'source');
  await model.save(source);
  model.compile({ optimizer: optimizers.sgd({ learningRate: 0.1, momentum: 0.9 }), loss: 'meanSquaredError' });
  await model.fit(tensor([[1, 2, 3]]), tensor([[1, 0]]), { epochs: 1, verbose: 0 });
  withOptimizer = join(base, 'with-optimizer');
  await model.save(withOptimizer, { includeOptimizer: true });
});

// biome-ignore lint/suspicious/noExplicitAny: the test edits model.json's free-form JSON at any depth
type Json = any;
const readJson = (folder: string): Json => JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8'));

/** A copy of a saved model in a new folder, with model.json edited (its CRCs dropped, so only the edit is judged). */
function copy(name: string, edit: (json: Json, folder: string) => void = () => {}, from = source): string {
  const folder = join(base, name);
  cpSync(from, folder, { recursive: true });
  const json = readJson(folder);
  delete json.dendrite.files;
  edit(json, folder);
  writeFileSync(join(folder, 'model.json'), JSON.stringify(json));
  return folder;
}

/** The weight file a saved model.json names (a save may give it a fresh name). */
const weightFile = (json: Json, folder: string) => join(folder, json.weightsManifest[0].paths[0]);

async function refused(load: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(load, (error: Error) => {
    assert.match(error.message, pattern);
    assert.doesNotMatch(error.message, /\n/, 'one line');
    assert.doesNotMatch(error.message, new RegExp(`\\b${SECRET_BYTES} bytes`), "nothing about the outside file's size");
    return true;
  });
}

describe('every file model.json names lies inside the model folder', () => {
  test("a '../' weight path is refused: the outside file's bytes never become weights", async () => {
    const folder = copy('dotdot', (json) => (json.weightsManifest[0].paths = ['../secret.bin']));
    // each load starts only when the one before has been checked: a rejection nobody awaits yet fails the run
    for (const load of [() => loadModel(folder), () => loadModel(folder, { compile: false }), () => loadCheckpoint(folder)]) {
      await refused(load(), /model\.json's weightsManifest\[0\]\.paths\[0\] names "\.\.\/secret\.bin", which leads out of the model folder/);
    }
    const deeper = copy('dotdot-deeper', (json) => (json.weightsManifest[0].paths = ['sub/../../secret.bin']));
    await refused(loadModel(deeper), /leads out of the model folder/);
  });

  test('an absolute weight path is refused', async () => {
    const folder = copy('absolute', (json) => (json.weightsManifest[0].paths = [SECRET]));
    await refused(loadModel(folder), /weightsManifest\[0\]\.paths\[0\] names .*, which is not a path relative to the model folder/);
  });

  test('a symbolic link leading out of the folder is refused', async () => {
    const folder = copy('link-out', (json, f) => {
      rmSync(weightFile(json, f));
      symlinkSync(SECRET, weightFile(json, f));
    });
    await refused(loadModel(folder), /leads out of the model folder .* through a symbolic link/);
  });

  test("the optimizer state's path is held to the same rule", async () => {
    const folder = copy('optimizer-out', (json) => (json.dendrite.optimizerState.path = '../secret.bin'), withOptimizer);
    await refused(loadCheckpoint(folder), /model\.json's dendrite\.optimizerState\.path names "\.\.\/secret\.bin", which leads out of the model folder/);
    const linked = copy(
      'optimizer-link-out',
      (json, f) => {
        rmSync(join(f, json.dendrite.optimizerState.path));
        symlinkSync(SECRET, join(f, json.dendrite.optimizerState.path));
      },
      withOptimizer,
    );
    await refused(loadCheckpoint(linked), /through a symbolic link/);
  });

  test('paths that are not file names are named by their field', async () => {
    for (const [path, shown] of [
      [{ file: 'weights.bin' }, /\{"file": "weights\.bin"\}/],
      [7, /7/],
      [null, /null/],
    ] as const) {
      const folder = copy(`path-${typeof path}-${String(path)}`, (json) => json.weightsManifest[0].paths.push(path));
      await refused(
        loadModel(folder),
        new RegExp(`model\\.json: weightsManifest\\[0\\]\\.paths\\[1\\] must be a file name \\(a string\\), got ${shown.source}`),
      );
    }
    const optimizer = copy('optimizer-path-object', (json) => (json.dendrite.optimizerState.path = { path: 'optimizer.bin' }), withOptimizer);
    await refused(loadCheckpoint(optimizer), /model\.json: dendrite\.optimizerState\.path must be a file name \(a string\), got \{"path": "optimizer\.bin"\}/);
  });

  test('weight files under any name inside the folder load: fresh save names, subfolders, links that stay inside', async () => {
    const expected = (await loadModel(source)).predict(tensor([[1, 2, 3]])).values;
    const renamed = copy('renamed', (json, f) => {
      renameSync(weightFile(json, f), join(f, 'weights.bin.tmp-123-abc'));
      json.weightsManifest[0].paths = ['weights.bin.tmp-123-abc'];
    });
    const nested = copy('nested', (json, f) => {
      mkdirSync(join(f, 'shards'));
      renameSync(weightFile(json, f), join(f, 'shards', 'part-1.bin'));
      json.weightsManifest[0].paths = ['./shards/part-1.bin'];
    });
    const linked = copy('link-inside', (json, f) => {
      renameSync(weightFile(json, f), join(f, 'real.bin'));
      symlinkSync(join(f, 'real.bin'), join(f, 'link.bin'));
      json.weightsManifest[0].paths = ['link.bin'];
    });
    for (const folder of [renamed, nested, linked]) assert.deepEqual((await loadModel(folder)).predict(tensor([[1, 2, 3]])).values, expected, folder);
  });
});

describe('only regular files are read, and only after their sizes are checked', () => {
  test('a named pipe as weight file fails at once instead of blocking forever', { timeout: 10_000 }, async () => {
    const folder = copy('pipe', (json, f) => {
      rmSync(weightFile(json, f));
      execFileSync('mkfifo', [weightFile(json, f)]);
    });
    await refused(loadModel(folder), /weights\.bin\S* \(model\.json's weightsManifest\[0\]\.paths\[0\] lists it\) is a named pipe, not a regular file/);
  });

  test('a pipe or a device given as model.json fails at once', { timeout: 10_000 }, async () => {
    const pipe = join(base, 'model-pipe.json');
    execFileSync('mkfifo', [pipe]);
    await refused(loadModel(pipe), /model-pipe\.json is a named pipe, not a regular file/);
    await refused(loadModel('/dev/zero'), /\/dev\/zero is a device, not a regular file/);
  });

  test('a folder named as weight file is refused', async () => {
    const folder = copy('folder-as-file', (json, f) => {
      mkdirSync(join(f, 'sub'));
      json.weightsManifest[0].paths = ['sub'];
    });
    await refused(loadModel(folder), /sub \(model\.json's weightsManifest\[0\]\.paths\[0\] lists it\) is a folder, not a regular file/);
  });

  test('a model.json over 256 MiB is refused before it is read', { timeout: 10_000 }, async () => {
    const folder = copy('huge-json');
    truncateSync(join(folder, 'model.json'), 257 * 2 ** 20); // sparse: no disk used
    await refused(loadModel(folder), /model\.json has 269484032 bytes, more than the 268435456 allowed/);
  });
});

/** A Dense(units) on `features` inputs, without bias, whose manifest kernel has `manifestShape`, beside `fileBytes` bytes of weights. */
function bigDense(features: number, units: number, manifestShape: number[]): Json {
  return {
    format: 'layers-model',
    modelTopology: {
      class_name: 'Sequential',
      config: { name: 'big', layers: [{ class_name: 'Dense', config: { name: 'big', units, use_bias: false, batch_input_shape: [null, features] } }] },
    },
    weightsManifest: [{ paths: ['weights.bin'], weights: [{ name: 'big/kernel', shape: manifestShape, dtype: 'float32' }] }],
  };
}

describe("a layer's declared size is checked against the weight data before its memory is allocated", () => {
  // 1000 x 300,000 float32 = 1.2 GB: loading once allocated and initialised all of it before looking at the file
  const FEATURES = 1000;
  const UNITS = 300_000;
  const grownBy = (before: number) => process.memoryUsage().arrayBuffers - before;

  test('a huge kernel declared in the topology and the manifest, with a 16-byte weights file, fails fast and small', { timeout: 10_000 }, async () => {
    const folder = join(base, 'huge-declared');
    mkdirSync(folder);
    writeFileSync(join(folder, 'model.json'), JSON.stringify(bigDense(FEATURES, UNITS, [FEATURES, UNITS])));
    writeFileSync(join(folder, 'weights.bin'), new Uint8Array(16));
    const before = process.memoryUsage().arrayBuffers;
    await refused(loadModel(folder), /weights\.bin is truncated: the 1 weights in .*model\.json's weightsManifest need 1200000000 bytes, got 16/);
    assert.throws(() => modelFromArtifacts(bigDense(FEATURES, UNITS, [FEATURES, UNITS]), new Uint8Array(16)), /need 1200000000 bytes, got 16/);
    assert.ok(grownBy(before) < 64 * 2 ** 20, `${grownBy(before)} bytes allocated`);
  });

  test('a huge kernel in the topology that the manifest does not declare fails at the shape check, before allocation', { timeout: 10_000 }, () => {
    const before = process.memoryUsage().arrayBuffers;
    assert.throws(
      () => modelFromArtifacts(bigDense(FEATURES, UNITS, [2, 2]), new Uint8Array(16)),
      /model\.json: weight 'big\/kernel' has shape \[2, 2\] in the weightsManifest but the model's 'big\/kernel' has shape \[1000, 300000\]/,
    );
    assert.ok(grownBy(before) < 64 * 2 ** 20, `${grownBy(before)} bytes allocated`);
  });

  test('a manifest entry whose shape is not whole numbers is named', () => {
    for (const shape of [[-1, 2], [1.5], ['3'], 'big', [1e300, 1e300]]) {
      assert.throws(
        () => modelFromArtifacts(bigDense(2, 2, shape as number[]), new Uint8Array(16)),
        /model\.json: weightsManifest\[0\]\.weights\[0\]( \('big\/kernel'\) has shape .*, more values than any file can hold|\.shape must be a list of whole numbers >= 0)/,
        JSON.stringify(shape),
      );
    }
  });
});

describe('values read from a file are finite', () => {
  /** The saved model's JSON and weights, with one float replaced. */
  function withValue(index: number, value: number): { json: Json; data: Uint8Array } {
    const json = readJson(source);
    delete json.dendrite.files;
    const data = new Float32Array(new Uint8Array(readFileSync(weightFile(json, source))).buffer);
    data[index] = value;
    return { json, data: new Uint8Array(data.buffer) };
  }

  test('NaN or Infinity in a weights file is an error naming the weight and the file', async () => {
    for (const [index, value, pattern] of [
      [3, Number.NaN, /weights\.bin\S*: weight 'd\/kernel' holds NaN \(value 3 of 6\)/],
      [7, Number.POSITIVE_INFINITY, /weights\.bin\S*: weight 'd\/bias' holds Infinity \(value 1 of 2\)/],
    ] as const) {
      const { json, data } = withValue(index, value);
      assert.throws(() => modelFromArtifacts(json, data), pattern);
      const folder = copy(`non-finite-${index}`, (j, f) => writeFileSync(weightFile(j, f), data));
      await refused(loadModel(folder), pattern);
    }
  });

  const quantised = (quantization: Json): Json => ({
    modelTopology: {
      class_name: 'Sequential',
      config: { name: 'q', layers: [{ class_name: 'Dense', config: { name: 'd', units: 1, use_bias: false, batch_input_shape: [null, 2] } }] },
    },
    weightsManifest: [{ paths: ['w.bin'], weights: [{ name: 'd/kernel', shape: [2, 1], dtype: 'float32', quantization }] }],
  });

  test('quantisation scale and min must be finite numbers', () => {
    for (const [q, field] of [
      [{ dtype: 'uint8', min: 0 }, 'scale'],
      [{ dtype: 'uint8', scale: Number.NaN, min: 0 }, 'scale'],
      [{ dtype: 'uint8', scale: '0.5', min: 0 }, 'scale'],
      [{ dtype: 'uint8', scale: 0.5, min: Number.POSITIVE_INFINITY }, 'min'],
      [{ dtype: 'uint8', scale: 0.5, min: null }, 'min'],
    ] as const) {
      assert.throws(
        () => modelFromArtifacts(quantised(q), new Uint8Array([2, 6])),
        new RegExp(`model\\.json: weightsManifest\\[0\\]\\.weights\\[0\\]\\.quantization\\.${field} must be a finite number`),
        JSON.stringify(q),
      );
    }
    assert.throws(
      () => modelFromArtifacts(quantised({ dtype: 'int4' }), new Uint8Array(4)),
      /weightsManifest\[0\]\.weights\[0\] is quantised as "int4"; dendrite reads float16, uint8 and uint16 quantisation only/,
    );
  });

  test('quantised values that come out Infinity are an error', () => {
    assert.throws(
      () => modelFromArtifacts(quantised({ dtype: 'uint8', scale: 3e38, min: 3e38 }), new Uint8Array([0, 255])),
      /weights\.bin: weight 'd\/kernel' holds Infinity after dequantisation \(scale 3e\+38, min 3e\+38\) \(value 1 of 2\)/,
    );
  });
});
