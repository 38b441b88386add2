// makeFolder: creates missing levels one at a time, names the file in the way, and fails at once for /proc
// (where `mkdir -p` never returns), so `model.save('/proc/x')` cannot hang.
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { platform, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { makeFolder, MakeFolderError } from '../../src/io/make-folder.js';
import { layers, sequential } from '../../src/index.js';

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'dendrite-make-folder-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Fails the test instead of hanging it when `promise` does not settle within `ms`. */
function withinMs<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const hang = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`still running after ${ms} ms (hangs)`)), ms)));
  return Promise.race([promise, hang]).finally(() => clearTimeout(timer));
}

test('creates missing levels, and accepts a folder that exists', async () => {
  const deep = join(root, 'a', 'b', 'c');
  await makeFolder(deep);
  assert.ok((await stat(deep)).isDirectory());
  await makeFolder(deep);
});

test('names the file in the way', async () => {
  const file = join(root, 'file.txt');
  await writeFile(file, 'x');
  await assert.rejects(makeFolder(file), (e: MakeFolderError) => e.code === 'EEXIST' && e.message.includes(`${file} exists and is not a folder`));
  await assert.rejects(makeFolder(join(file, 'sub', 'deeper')), (e: MakeFolderError) => e.code === 'ENOTDIR' && e.message.includes(`${file} is a file`));
});

test('/proc paths fail at once instead of hanging', { skip: platform() !== 'linux' }, async () => {
  for (const path of ['/proc/x', '/proc/self/x', '/proc/x/y']) {
    await assert.rejects(
      withinMs(makeFolder(path), 10_000),
      (e: Error) => e instanceof MakeFolderError && e.code === 'PSEUDO_FS' && /inside \/proc, a kernel file system/.test(e.message),
    );
  }
  const model = sequential([layers.dense({ units: 1, inputShape: [1] })]);
  await assert.rejects(withinMs(model.save('/proc/x'), 10_000), /inside \/proc/);
});
