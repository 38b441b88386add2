import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { openHdf5, writeHdf5 } from '../../src/io/hdf5.js';

const fixture = new URL('../fixtures/hdf5/types.h5', import.meta.url);

/** IEEE half precision's value of the float16 nearest to x, computed independently of the reader's decoder. */
function nearestHalf(x: number): number {
  if (!Number.isFinite(x)) return x;
  const e = Math.max(Math.floor(Math.log2(Math.abs(x))), -14);
  const step = 2 ** (e - 10);
  return Math.round(x / step) * step;
}

describe('HDF5 files (h5wasm)', () => {
  test('reads an h5py file: float16 (subnormal and inf too), float64, int64, bool, a scalar, string attributes', async () => {
    const file = await openHdf5(readFileSync(fixture), 'types.h5');
    try {
      assert.deepEqual(file.groupKeys(''), ['b', 'f16', 'f64', 'i64', 's']);
      assert.deepEqual(file.dataset('f16'), { shape: [5], dtype: 'float16', size: 5 });
      const half = [1.5, -0.0001, 65504, Number.POSITIVE_INFINITY, 6e-8].map(nearestHalf);
      assert.deepEqual([...file.readFloat32('f16')], half.map(Math.fround));
      assert.deepEqual([...file.readFloat32('f64')], [0, 1, 2]);
      assert.equal(file.dataset('i64')?.dtype, 'int64');
      assert.deepEqual([...file.readFloat32('i64')], [0, 1, 2]);
      assert.deepEqual([...file.readFloat32('b')], [1, 0]);
      assert.deepEqual(file.dataset('s'), { shape: [], dtype: 'float32', size: 1 });
      assert.deepEqual([...file.readFloat32('s')], [2.5]);
      assert.deepEqual(file.attribute('', 'names'), ['a', 'b']);
      assert.equal(file.attribute('', 'txt'), 'hello');
      assert.equal(file.attribute('', 'constructor'), undefined);
      assert.equal(file.dataset('nope'), null);
      assert.equal(file.groupKeys('f16'), null, 'a dataset is not a group');
    } finally {
      file.close();
    }
  });

  test('writes groups with attributes and float32 / int32 datasets that read back', async () => {
    const bytes = await writeHdf5((w) => {
      w.group('layers/dense/vars', { name: 'dense' });
      w.dataset('layers/dense/vars/0', Float32Array.of(1, -0, 3.25, 4, 5, 6), [2, 3]);
      w.dataset('optimizer/vars/0', Int32Array.of(7), []);
    });
    assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a], 'the HDF5 signature');
    const file = await openHdf5(bytes, 'written.h5');
    try {
      assert.deepEqual(file.groupKeys(''), ['layers', 'optimizer']);
      assert.equal(file.attribute('layers/dense/vars', 'name'), 'dense');
      assert.deepEqual(file.dataset('layers/dense/vars/0'), { shape: [2, 3], dtype: 'float32', size: 6 });
      const values = file.readFloat32('layers/dense/vars/0');
      assert.deepEqual([...values], [1, -0, 3.25, 4, 5, 6]);
      assert.ok(Object.is(values[1], -0));
      assert.deepEqual(file.dataset('optimizer/vars/0'), { shape: [], dtype: 'int32', size: 1 });
      assert.deepEqual([...file.readFloat32('optimizer/vars/0')], [7]);
    } finally {
      file.close();
    }
  });

  test('bytes that are not HDF5, and a truncated file, fail with an Error naming the file', async () => {
    await assert.rejects(openHdf5(new Uint8Array(64), 'zeros.h5'), /zeros\.h5 is not a readable HDF5 file \(.*superblock/);
    const bytes = readFileSync(fixture);
    await assert.rejects(async () => {
      const file = await openHdf5(bytes.subarray(0, 2000), 'cut.h5');
      try {
        for (const key of file.groupKeys('') ?? []) file.readFloat32(key);
      } finally {
        file.close();
      }
    }, /cut\.h5/);
  });
});
