// model.save as one atomic change of the folder: companion files recorded with their CRC and switched with
// the model, failures at each step leaving the previous model whole, no hard links, leftovers of killed
// saves removed (and nothing else), and saves into one folder serialised by a lock.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, mock, test } from 'node:test';
import { loadCheckpoint, readCompanionFile, layers, optimizers, sequential, setSeed, tensor, type Sequential } from '../../src/index.js';
import { lockFolder } from '../../src/io/folder-lock.js';
import { SAVE_LOCK } from '../../src/io/model-transaction.js';
import { saveModel } from '../../src/io/save.js';

let root: string;
let model: Sequential;
before(async () => {
  root = await fs.mkdtemp(join(tmpdir(), 'dendrite-atomic-save-'));
  setSeed(3);
  model = sequential([layers.dense({ units: 5, inputShape: [4] }), layers.dense({ units: 2 })]);
  model.compile({ optimizer: optimizers.adam({ learningRate: 0.01 }), loss: 'meanSquaredError' });
  await model.fit(tensor([[1, 2, 3, 4]]), tensor([[1, 0]]), { epochs: 1, verbose: 0 });
});
after(async () => {
  await fs.rm(root, { recursive: true, force: true });
});
afterEach(() => {
  mock.restoreAll();
  syncBuiltinESMExports();
});

/** Replaces a node:fs/promises function for the code under test (it imports the module when it runs). */
function breakFs<K extends 'rename' | 'link' | 'open'>(
  name: K,
  impl: (original: (typeof fs)[K], ...args: Parameters<(typeof fs)[K]>) => ReturnType<(typeof fs)[K]>,
): void {
  const original = fs[name].bind(fs) as (typeof fs)[K];
  mock.method(fs, name, ((...args: Parameters<(typeof fs)[K]>) => impl(original, ...args)) as never);
  syncBuiltinESMExports();
}

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: simulated`), { code });
}

/** Sets every weight to `v` and saves, with a companion file saying `v` (the weights are taken before the first await). */
async function saveVersion(dir: string, v: number, extra = true): Promise<void> {
  model.setWeights(model.getWeights().map((w) => tensor(new Float32Array(w.size).fill(v), w.shape)));
  await saveModel(model, dir, {
    includeOptimizer: true,
    trainingState: { epoch: v },
    ...(extra ? { extraFiles: [['preprocessing.json', JSON.stringify({ version: v })]] } : {}),
  });
}

/** The version the folder loads as (every weight must hold it), checked against its companion file. */
async function loadedVersion(dir: string): Promise<number> {
  const checkpoint = await loadCheckpoint(dir);
  const v = checkpoint.epoch;
  for (const w of checkpoint.model.getWeights())
    assert.ok(
      w.values.every((x) => x === v),
      `weights of version ${v}`,
    );
  const companion = await readCompanionFile(dir, 'preprocessing.json');
  if (companion !== null) assert.deepEqual(JSON.parse(companion), { version: v });
  return v;
}

async function names(dir: string): Promise<string[]> {
  return (await fs.readdir(dir)).sort();
}

const MODEL_FILES = ['model.json', 'optimizer.bin', 'preprocessing.json', 'weights.bin'];

test('a save leaves exactly the model files under their usual names, the companion recorded with its CRC', async () => {
  const dir = join(root, 'plain');
  await saveVersion(dir, 1);
  assert.deepEqual(await names(dir), MODEL_FILES);
  const json = JSON.parse(await fs.readFile(join(dir, 'model.json'), 'utf8'));
  assert.deepEqual(json.weightsManifest[0].paths, ['weights.bin']);
  assert.equal(json.dendrite.optimizerState.path, 'optimizer.bin');
  assert.deepEqual(json.dendrite.extraFiles, { 'preprocessing.json': 'preprocessing.json' });
  assert.deepEqual(Object.keys(json.dendrite.files).sort(), ['optimizer.bin', 'preprocessing.json', 'weights.bin']);
  assert.equal(await loadedVersion(dir), 1);
  await saveVersion(dir, 2);
  assert.equal(await loadedVersion(dir), 2);
  assert.deepEqual(await names(dir), MODEL_FILES);
});

test('readCompanionFile refuses a companion that does not belong to the model, and knows models without one', async () => {
  const dir = join(root, 'companion');
  await saveVersion(dir, 1);
  await fs.writeFile(join(dir, 'preprocessing.json'), JSON.stringify({ version: 10 }));
  await assert.rejects(
    readCompanionFile(dir, 'preprocessing.json'),
    /preprocessing\.json does not belong to the model in .*companion: it has 14 bytes, .*records 13\. .*save the model again/,
  );
  await fs.writeFile(join(dir, 'preprocessing.json'), JSON.stringify({ version: 7 }));
  await assert.rejects(readCompanionFile(dir, 'preprocessing.json'), /CRC-32 differs/);
  assert.equal(await readCompanionFile(dir, 'other.json'), null);
  // a later save without the companion removes the old one, which belonged to the model it replaces
  await saveVersion(dir, 2, false);
  assert.deepEqual(await names(dir), ['model.json', 'optimizer.bin', 'weights.bin']);
  assert.equal(await readCompanionFile(dir, 'preprocessing.json'), null);
  // a model.json from before companions were recorded: the file beside it is read as it is
  const json = JSON.parse(await fs.readFile(join(dir, 'model.json'), 'utf8'));
  delete json.dendrite.extraFiles;
  await fs.writeFile(join(dir, 'model.json'), JSON.stringify(json));
  assert.equal(await readCompanionFile(dir, 'preprocessing.json'), null);
  await fs.writeFile(join(dir, 'preprocessing.json'), '{"legacy":true}');
  assert.equal(await readCompanionFile(dir, 'preprocessing.json'), '{"legacy":true}');
});

test("extraFiles names are checked: plain file names, not the model's own, not twice", async () => {
  const dir = join(root, 'names');
  for (const [name, message] of [
    ['../x.json', /not a plain file name/],
    ['.hidden', /not a plain file name/],
    ['a.tmp-12-ab', /not a plain file name/],
    ['weights.bin', /one of the model's own files/],
  ] as const) {
    await assert.rejects(model.save(dir, { extraFiles: [[name, 'x']] }), message);
  }
  await assert.rejects(
    model.save(dir, {
      extraFiles: [
        ['a.json', 'x'],
        ['a.json', 'y'],
      ],
    }),
    /'a\.json' is given twice/,
  );
});

test('a save that fails before model.json is switched leaves the previous model whole and no temporaries', async () => {
  const dir = join(root, 'fail-early');
  await saveVersion(dir, 1);
  // the disk fills while the second data file is written
  let opened = 0;
  breakFs('open', (original, ...args) => (String(args[1]).startsWith('w') && ++opened === 3 ? Promise.reject(errno('ENOSPC')) : original(...args)));
  await assert.rejects(saveVersion(dir, 2), /ENOSPC/);
  mock.restoreAll();
  syncBuiltinESMExports();
  assert.equal(await loadedVersion(dir), 1);
  assert.deepEqual(await names(dir), MODEL_FILES);

  // the rename that switches model.json fails
  breakFs('rename', (original, ...args) => (String(args[1]).endsWith('model.json') ? Promise.reject(errno('EIO')) : original(...args)));
  await assert.rejects(saveVersion(dir, 3), /EIO/);
  mock.restoreAll();
  syncBuiltinESMExports();
  assert.equal(await loadedVersion(dir), 1);
  assert.deepEqual(await names(dir), MODEL_FILES);
});

test('without hard links the save stops once model.json names the new files, and the next save tidies up', async () => {
  const dir = join(root, 'no-links');
  await saveVersion(dir, 1);
  breakFs('link', () => Promise.reject(errno('EPERM')));
  await saveVersion(dir, 2);
  assert.equal(await loadedVersion(dir), 2);
  const json = JSON.parse(await fs.readFile(join(dir, 'model.json'), 'utf8'));
  assert.match(json.weightsManifest[0].paths[0], /^weights\.bin\.tmp-\d+-[0-9a-z]+$/);
  assert.match(json.dendrite.extraFiles['preprocessing.json'], /^preprocessing\.json\.tmp-/);
  // saved again without links: the files of version 2, no longer named, go
  await saveVersion(dir, 3);
  assert.equal(await loadedVersion(dir), 3);
  const left = await names(dir);
  assert.equal(left.length, 4, left.join(', '));
  assert.deepEqual(
    left.filter((n) => !n.includes('.tmp-')),
    ['model.json'],
    'only the three data files of version 3 besides model.json',
  );
  mock.restoreAll();
  syncBuiltinESMExports();
  await saveVersion(dir, 4);
  assert.equal(await loadedVersion(dir), 4);
  assert.deepEqual(await names(dir), MODEL_FILES);
});

test('leftovers of killed saves are removed; files of running processes and other files are kept', async () => {
  const dir = join(root, 'leftovers');
  await saveVersion(dir, 1);
  const dead = await deadPid();
  const alive = process.ppid;
  const planted = [
    `weights.bin.tmp-${dead}-abc1`,
    `model.json.tmp-${dead}-abc2`,
    `report.html.tmp-${dead}-x`,
    `weights.bin.tmp-${alive}-abc3`,
    'notes.txt',
    'weights.bin.tmp-notours',
  ];
  for (const name of planted) await fs.writeFile(join(dir, name), 'x');
  await saveVersion(dir, 2);
  assert.equal(await loadedVersion(dir), 2);
  assert.deepEqual(await names(dir), [...MODEL_FILES, 'notes.txt', `weights.bin.tmp-${alive}-abc3`, 'weights.bin.tmp-notours'].sort());
});

test('saves into one folder wait for one another: at once in one process, and while someone holds the save lock', async () => {
  const dir = join(root, 'concurrent');
  const versions = [1, 2, 3, 4, 5, 6];
  // six different models saved at once
  await Promise.all(versions.map((v) => saveVersion(dir, v)));
  assert.ok(versions.includes(await loadedVersion(dir)));
  assert.deepEqual(await names(dir), MODEL_FILES);

  const lock = await lockFolder(dir, { name: SAVE_LOCK, purpose: 'a test holding the lock' });
  let done = false;
  const pending = saveVersion(dir, 7).then(() => (done = true));
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(done, false, 'the save waits for the lock');
  assert.notEqual(await loadedVersion(dir), 7);
  await lock.release();
  await pending;
  assert.equal(await loadedVersion(dir), 7);
});

/** The pid of a process that has ended. */
async function deadPid(): Promise<number> {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

test('a named pipe in place of model.json cannot make a save hang: it is replaced', { skip: process.platform === 'win32', timeout: 20_000 }, async () => {
  const { execFileSync } = await import('node:child_process');
  const dir = join(root, 'pipe');
  await fs.mkdir(dir);
  execFileSync('mkfifo', [join(dir, 'model.json')]);
  await saveVersion(dir, 1);
  assert.equal(await loadedVersion(dir), 1);
});
