// HDF5 files in memory, through h5wasm (the HDF5 C library compiled to WebAssembly): Keras' weight files
// (`model.weights.h5` inside a `.keras` archive, legacy `.h5` models) are HDF5. The file's bytes go into h5wasm's
// in-memory file system, never to disk, so this works alike in Node.js and the browser. h5wasm is loaded on first
// use only: a program that never opens a Keras file does not pay for its 4 MB. Browser-safe.
//
// The files are untrusted: a dataset's element count is read from its header and checked before its values are
// read, and every HDF5 error becomes an Error naming the file and the path inside it.
import { decodeFloat16 } from './weights.js';

type H5 = typeof import('h5wasm').default;
type H5Group = import('h5wasm').Group;
type H5Dataset = import('h5wasm').Dataset;

let loading: Promise<H5> | null = null;
let fileCounter = 0;

/** h5wasm, ready, with HDF5's error stack turned into exceptions (by default it prints to stderr and returns -1). */
function h5wasm(): Promise<H5> {
  loading ??= (async () => {
    const h5 = (await import('h5wasm')).default;
    const module = await h5.ready;
    module.activate_throwing_error_handler();
    return h5;
  })();
  return loading;
}

/** The first line of an HDF5 error (its stack trace follows on further lines). */
function h5Message(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const lines = text.split('\n').map((l) => l.trim());
  const detail = lines.find((l) => l.startsWith('#') && !/H5(VL|G\.c|D\.c|F\.c)/.test(l)) ?? lines[1] ?? lines[0];
  return detail.replace(/^#\d+:\s*\S+\s+line \d+ in /, '');
}

/** The element type of a dataset, as far as model weights need it. */
export type Hdf5Dtype =
  | 'float16'
  | 'float32'
  | 'float64'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'bool'
  | 'string'
  | 'other';

export interface Hdf5DatasetInfo {
  shape: number[];
  dtype: Hdf5Dtype;
  /** Number of elements (1 for a scalar). */
  size: number;
}

/** A read-only HDF5 file. Close it (it holds memory in h5wasm's heap). */
export interface Hdf5Reader {
  /** The member names of the group at `path` ('' is the root), in name order; null when `path` is not a group. */
  groupKeys(path: string): string[] | null;
  /** Shape and type of the dataset at `path`; null when there is none. */
  dataset(path: string): Hdf5DatasetInfo | null;
  /** The dataset's values as float32 (any numeric type converted). Check `dataset(path)` first. */
  readFloat32(path: string): Float32Array;
  /** An attribute of the group or dataset at `path`: a string, a number, a list of them, or undefined. */
  attribute(path: string, name: string): unknown;
  close(): void;
}

function dtypeOf(metadata: { type: number; size: number; signed: boolean }): Hdf5Dtype {
  // HDF5 type classes: 0 integer, 1 float, 3 string, 8 enum (h5py writes bool as an enum of int8)
  if (metadata.type === 1) return metadata.size === 2 ? 'float16' : metadata.size === 4 ? 'float32' : metadata.size === 8 ? 'float64' : 'other';
  if (metadata.type === 0) {
    const bits = metadata.size * 8;
    if (![8, 16, 32, 64].includes(bits)) return 'other';
    return `${metadata.signed ? 'int' : 'uint'}${bits}` as Hdf5Dtype;
  }
  if (metadata.type === 8) return 'bool';
  if (metadata.type === 3) return 'string';
  return 'other';
}

/** Opens HDF5 `bytes`; `fileName` names the file in errors. */
export async function openHdf5(bytes: Uint8Array, fileName: string): Promise<Hdf5Reader> {
  const h5 = await h5wasm();
  const module = await h5.ready;
  const { FS } = module;
  if (!FS) throw new Error('Internal error: h5wasm has no file system.');
  const memPath = `/dendrite-read-${++fileCounter}.h5`;
  FS.writeFile(memPath, bytes);
  let file: InstanceType<H5['File']>;
  try {
    file = new h5.File(memPath, 'r');
  } catch (error) {
    FS.unlink(memPath);
    throw new Error(`${fileName} is not a readable HDF5 file (${h5Message(error)}).`);
  }
  const where = (path: string) => `${fileName}: /${path}`;
  const entity = (path: string): unknown => {
    try {
      return path === '' ? file : file.get(path);
    } catch {
      return null;
    }
  };
  const asDataset = (path: string): H5Dataset | null => {
    const e = entity(path);
    return e instanceof h5.Dataset ? e : null;
  };
  const info = (ds: H5Dataset): Hdf5DatasetInfo => {
    const shape = ds.shape ?? [];
    return { shape, dtype: dtypeOf(ds.metadata), size: shape.reduce((a, b) => a * b, 1) };
  };
  return {
    groupKeys(path) {
      const e = entity(path);
      if (!(e instanceof h5.Group)) return null;
      return (e as H5Group).keys().sort();
    },
    dataset(path) {
      const ds = asDataset(path);
      return ds ? info(ds) : null;
    },
    readFloat32(path) {
      const ds = asDataset(path);
      if (!ds) throw new Error(`${where(path)} is not a dataset.`);
      const { dtype, size } = info(ds);
      if (dtype === 'string' || dtype === 'other') throw new Error(`${where(path)} holds ${dtype} values, not numbers.`);
      let value: unknown;
      try {
        value = dtype === 'float16' ? rawHalfWords(module, ds, size) : ds.value;
      } catch (error) {
        throw new Error(`${where(path)} cannot be read (${h5Message(error)}).`);
      }
      const out = new Float32Array(size);
      if (dtype === 'float16' && value instanceof Uint16Array) {
        out.set(decodeFloat16(value));
      } else if (ArrayBuffer.isView(value) && (value as unknown as ArrayLike<unknown>).length === size) {
        const v = value as unknown as ArrayLike<number | bigint>;
        for (let i = 0; i < size; i++) out[i] = Number(v[i]);
      } else if (size === 1 && (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')) {
        out[0] = Number(value);
      } else {
        throw new Error(`${where(path)}: expected ${size} numbers, read ${shortDescription(value)}.`);
      }
      return out;
    },
    attribute(path, name) {
      const e = entity(path);
      if (!(e instanceof h5.Group) && !(e instanceof h5.Dataset)) return undefined;
      const attrs = (e as H5Group).attrs;
      if (!Object.hasOwn(attrs, name)) return undefined;
      try {
        const v = attrs[name].value;
        return ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>, Number) : v;
      } catch (error) {
        throw new Error(`${where(path)}: attribute '${name}' cannot be read (${h5Message(error)}).`);
      }
    },
    close() {
      try {
        file.close();
      } finally {
        FS.unlink(memPath);
      }
    },
  };
}

/**
 * A float16 dataset's raw 16-bit words: h5wasm's value getter refuses float16 ("Float16 not supported"), so the
 * data is read into wasm memory as stored, as that getter does for other types, and copied out.
 */
function rawHalfWords(module: Awaited<H5['ready']>, ds: H5Dataset, size: number): Uint16Array {
  const nbytes = size * 2;
  const pointer = module._malloc(Math.max(nbytes, 1));
  try {
    module.get_dataset_data(ds.file_id, ds.path, null, null, null, BigInt(pointer));
    const bytes = module.HEAPU8.slice(pointer, pointer + nbytes);
    const words = new Uint16Array(size);
    const view = new DataView(bytes.buffer);
    const little = ds.metadata.littleEndian;
    for (let i = 0; i < size; i++) words[i] = view.getUint16(2 * i, little);
    return words;
  } finally {
    module._free(pointer);
  }
}

function shortDescription(v: unknown): string {
  if (ArrayBuffer.isView(v)) return `${(v as unknown as ArrayLike<unknown>).length} values`;
  return typeof v;
}

/** Writes an HDF5 file: `groups` are made with their parents, datasets are little-endian float32 or int32 (`int32: true`). */
export interface Hdf5Writer {
  group(path: string, attributes?: Record<string, string>): void;
  dataset(path: string, values: Float32Array | Int32Array, shape: readonly number[]): void;
}

/** The bytes of an HDF5 file that `fill` writes. */
export async function writeHdf5(fill: (w: Hdf5Writer) => void): Promise<Uint8Array> {
  const h5 = await h5wasm();
  const { FS } = await h5.ready;
  if (!FS) throw new Error('Internal error: h5wasm has no file system.');
  const memPath = `/dendrite-write-${++fileCounter}.h5`;
  const file = new h5.File(memPath, 'w');
  try {
    const made = new Set<string>(['']);
    const group = (path: string): H5Group => {
      const parts = path.split('/');
      for (let i = 1; i <= parts.length; i++) {
        const p = parts.slice(0, i).join('/');
        if (!made.has(p)) {
          file.create_group(p);
          made.add(p);
        }
      }
      return path === '' ? file : (file.get(path) as H5Group);
    };
    fill({
      group(path, attributes = {}) {
        const g = group(path);
        for (const [name, value] of Object.entries(attributes)) g.create_attribute(name, value);
      },
      dataset(path, values, shape) {
        const slash = path.lastIndexOf('/');
        const parent = group(slash < 0 ? '' : path.slice(0, slash));
        parent.create_dataset({ name: path.slice(slash + 1), data: values, shape: [...shape], dtype: values instanceof Int32Array ? '<i' : '<f' });
      },
    });
    file.flush();
    file.close();
    return FS.readFile(memPath);
  } catch (error) {
    try {
      file.close();
    } catch {
      // the error above is the one to report
    }
    throw error;
  } finally {
    FS.unlink(memPath);
  }
}
