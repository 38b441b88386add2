// NumPy's .npy files, the data format between scale-out.ts and train_data_parallel.py: a magic string, a version,
// a header that is a Python dict literal ({'descr': '<f4', 'fortran_order': False, 'shape': (N, 28, 28, 1), }),
// then the values in row-major order. NumPy reads them with allow_pickle=False, so a data file carries numbers and
// nothing that runs. Format: https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
import { readFile, writeFile } from 'node:fs/promises';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** float32 ('<f4') or int32 ('<i4') little-endian: what the Python side reads as model inputs and class indices. */
export type NpyType = 'float32' | 'int32';

const DESCR: Record<NpyType, string> = { float32: '<f4', int32: '<i4' };

/**
 * The bytes of an .npy file (format 1.0) of `values` with `shape`; int32 values must be whole numbers.
 *
 *     await writeFile('y.npy', encodeNpy(labels, [n], 'int32'));
 */
export function encodeNpy(values: ArrayLike<number>, shape: readonly number[], type: NpyType = 'float32'): Uint8Array {
  const size = shape.reduce((a, b) => a * b, 1);
  if (values.length !== size) throw new Error(`encodeNpy: shape [${shape.join(', ')}] needs ${size} values, got ${values.length}.`);
  // a 1-tuple needs its comma in Python: (5,)
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '${DESCR[type]}', 'fortran_order': False, 'shape': (${dims}), }`;
  // NOTE: magic (6) + version (2) + header length (2) + header + '\n' is padded with spaces to a multiple of 64,
  // as NumPy writes it, so that the data starts aligned.
  const unpadded = 10 + header.length + 1;
  header = `${header}${' '.repeat((64 - (unpadded % 64)) % 64)}\n`;
  const bytes = new Uint8Array(10 + header.length + size * 4);
  bytes.set(MAGIC, 0);
  bytes[6] = 1;
  bytes[7] = 0;
  new DataView(bytes.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) bytes[10 + i] = header.charCodeAt(i);
  const view = new DataView(bytes.buffer, 10 + header.length);
  for (let i = 0; i < size; i++) {
    const v = values[i];
    if (type === 'float32') view.setFloat32(i * 4, v, true);
    else if (Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31) view.setInt32(i * 4, v, true);
    else throw new Error(`encodeNpy: int32 value ${v} at index ${i} is not a 32-bit integer.`);
  }
  return bytes;
}

/** Writes an .npy file; see `encodeNpy`. */
export async function writeNpy(path: string, values: ArrayLike<number>, shape: readonly number[], type: NpyType = 'float32'): Promise<void> {
  await writeFile(path, encodeNpy(values, shape, type));
}

/** The values of an .npy file of little-endian float32, float64 or int32 numbers in C order, as float32. */
export function decodeNpy(bytes: Uint8Array, name = 'npy'): { values: Float32Array; shape: number[] } {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw new Error(`${name}: not an .npy file (no \\x93NUMPY magic).`);
  const major = bytes[6];
  if (major < 1 || major > 3) throw new Error(`${name}: .npy format version ${major}.${bytes[7]} is not supported (1.0-3.0 are).`);
  const data = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? data.getUint16(8, true) : data.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const header = new TextDecoder().decode(bytes.subarray(start, start + headerLength));
  const descr = /'descr':\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined)
    throw new Error(`${name}: cannot read the .npy header ${JSON.stringify(header.trim())}.`);
  if (fortran === 'True') throw new Error(`${name}: Fortran-ordered arrays are not supported; save with np.ascontiguousarray.`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  const size = shape.reduce((a, b) => a * b, 1);
  const width = { '<f4': 4, '<i4': 4, '<f8': 8 }[descr];
  if (width === undefined) throw new Error(`${name}: dtype '${descr}' is not supported (little-endian float32, float64 or int32 are).`);
  const offset = start + headerLength;
  if (bytes.length - offset !== size * width) {
    throw new Error(`${name}: shape [${shape.join(', ')}] of '${descr}' needs ${size * width} bytes of data, the file has ${bytes.length - offset}.`);
  }
  const values = new Float32Array(size);
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, size * width);
  for (let i = 0; i < size; i++) {
    values[i] = descr === '<f4' ? view.getFloat32(i * 4, true) : descr === '<i4' ? view.getInt32(i * 4, true) : view.getFloat64(i * 8, true);
  }
  return { values, shape };
}

/** Reads an .npy file; see `decodeNpy`. */
export async function readNpy(path: string): Promise<{ values: Float32Array; shape: number[] }> {
  return decodeNpy(new Uint8Array(await readFile(path)), path);
}
