import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeNpy, encodeNpy } from '../../examples/scale-out/npy.js';

// NOTE: checked once against NumPy 2.4: np.save of the same arrays writes exactly these bytes (float32 [2, 3],
// int32 [4] and float32 [2, 28, 28, 1]), and np.load(allow_pickle=False) reads encodeNpy's files back.

test('scale-out npy: the header NumPy writes, padded to 64 bytes, then little-endian values', () => {
  const bytes = encodeNpy([1.5, -2, 3.25, 4, 5, 6], [2, 3]);
  assert.deepEqual([...bytes.subarray(0, 8)], [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  const headerLength = bytes[8] | (bytes[9] << 8);
  assert.equal((10 + headerLength) % 64, 0);
  const header = new TextDecoder().decode(bytes.subarray(10, 10 + headerLength));
  assert.equal(header.trimEnd(), "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }");
  assert.ok(header.endsWith(' \n'));
  assert.equal(bytes.length, 10 + headerLength + 6 * 4);
  assert.equal(new DataView(bytes.buffer).getFloat32(10 + headerLength, true), 1.5);
});

test('scale-out npy: a 1-D shape is a Python 1-tuple, int32 values are exact', () => {
  const bytes = encodeNpy([1, 2, 3, -7], [4], 'int32');
  assert.match(new TextDecoder().decode(bytes.subarray(10, 80)), /'descr': '<i4'.*'shape': \(4,\)/);
  const { values, shape } = decodeNpy(bytes);
  assert.deepEqual(shape, [4]);
  assert.deepEqual([...values], [1, 2, 3, -7]);
});

test('scale-out npy: images round-trip exactly', () => {
  const values = Float32Array.from({ length: 2 * 28 * 28 }, (_, i) => i / 7);
  const decoded = decodeNpy(encodeNpy(values, [2, 28, 28, 1]));
  assert.deepEqual(decoded.shape, [2, 28, 28, 1]);
  assert.deepEqual(decoded.values, values);
});

test('scale-out npy: float64 and format 2.0 files read as float32', () => {
  const header = "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }";
  const padded = `${header}${' '.repeat(64 - ((12 + header.length + 1) % 64))}\n`;
  const bytes = new Uint8Array(12 + padded.length + 16);
  bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 2, 0]);
  const view = new DataView(bytes.buffer);
  view.setUint32(8, padded.length, true);
  bytes.set(new TextEncoder().encode(padded), 12);
  view.setFloat64(12 + padded.length, 0.25, true);
  view.setFloat64(12 + padded.length + 8, -3, true);
  assert.deepEqual(decodeNpy(bytes), { values: Float32Array.of(0.25, -3), shape: [2] });
});

test('scale-out npy: what it cannot read is an error naming the file and the problem', () => {
  assert.throws(() => decodeNpy(new Uint8Array(20), 'p.npy'), /p\.npy: not an \.npy file/);
  assert.throws(() => decodeNpy(patch(encodeNpy([1, 2], [2]), 'False', 'True ')), /Fortran-ordered/);
  assert.throws(() => decodeNpy(patch(encodeNpy([1, 2], [2]), '<f4', '<f2')), /dtype '<f2' is not supported/);
  assert.throws(() => decodeNpy(encodeNpy([1, 2], [2]).subarray(0, 70)), /needs 8 bytes of data, the file has/);
  assert.throws(() => encodeNpy([1, 2, 3], [2, 2]), /needs 4 values, got 3/);
  assert.throws(() => encodeNpy([0.5], [1], 'int32'), /int32 value 0\.5 at index 0/);
});

/** The bytes with one ASCII string of the header replaced by another of the same length. */
function patch(bytes: Uint8Array, from: string, to: string): Uint8Array {
  assert.equal(from.length, to.length);
  const out = bytes.slice();
  const at = new TextDecoder('latin1').decode(out).indexOf(from);
  assert.ok(at > 0, `'${from}' in the header`);
  out.set(new TextEncoder().encode(to), at);
  return out;
}
