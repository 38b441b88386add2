// The weightsManifest of a model.json, checked field by field before any weight is read: every path a string,
// every entry a name, a shape of whole numbers and a dtype dendrite can read (float32, float16, int32; quantised
// as the TF.js converter writes: float16, or uint8 / uint16 with scale and min). So the bytes each weight takes
// are known up front and are compared with the size of the weight data (or the files' sizes, before they are
// read) before anything large is allocated. Browser-safe.
import { formatShape } from '../tensor/shape.js';
import { DTYPE_BYTES, type WeightSpec } from './format.js';
import { isCount, isObject, ownValue, shortJson, type Json } from './untrusted-json.js';

/** One checked manifest entry and where its bytes lie in the weight data (all files concatenated in manifest order). */
export interface ManifestEntry {
  spec: WeightSpec;
  /** The field, for messages: `weightsManifest[0].weights[3]`. */
  field: string;
  offset: number;
  bytes: number;
}

export interface Manifest {
  /** Every weight file, in the order their bytes are concatenated, with the field that names it. */
  paths: { path: string; field: string }[];
  entries: ManifestEntry[];
  totalBytes: number;
}

const QUANTISED = new Set(['float16', 'uint8', 'uint16']);

function checkShape(shape: unknown, where: string): number[] {
  if (!Array.isArray(shape) || !shape.every(isCount)) throw new Error(`${where}.shape must be a list of whole numbers >= 0, got ${shortJson(shape)}.`);
  return shape;
}

function checkQuantization(q: unknown, where: string, dtype: unknown): WeightSpec['quantization'] {
  if (q === undefined || q === null) return undefined;
  if (!isObject(q) || typeof q.dtype !== 'string') throw new Error(`${where}.quantization must be {dtype, scale, min}, got ${shortJson(q)}.`);
  if (!QUANTISED.has(q.dtype)) throw new Error(`${where} is quantised as ${shortJson(q.dtype)}; dendrite reads float16, uint8 and uint16 quantisation only.`);
  if (q.dtype === 'float16') {
    // as in TF.js: float16 stands in for float32 values only
    if (dtype !== 'float32') throw new Error(`${where} is quantised as float16, which stands for float32 weights only, not ${shortJson(dtype)}.`);
    return { dtype: 'float16' };
  }
  // value = q * scale + min: a missing or non-finite scale or min would turn every value into NaN
  for (const key of ['scale', 'min'] as const) {
    if (typeof q[key] !== 'number' || !Number.isFinite(q[key]))
      throw new Error(`${where}.quantization.${key} must be a finite number, got ${shortJson(q[key])}.`);
  }
  return { dtype: q.dtype, scale: q.scale as number, min: q.min as number };
}

function checkEntry(entry: unknown, where: string): WeightSpec {
  if (!isObject(entry)) throw new Error(`${where} must be a {name, shape, dtype} object, got ${shortJson(entry)}.`);
  if (typeof entry.name !== 'string' || entry.name === '') throw new Error(`${where}.name must be the weight's name (a string), got ${shortJson(entry.name)}.`);
  const shape = checkShape(entry.shape, where);
  const dtype = entry.dtype;
  if (typeof dtype !== 'string' || !Object.hasOwn(DTYPE_BYTES, dtype)) {
    throw new Error(
      `${where} ('${entry.name}') has dtype ${shortJson(dtype)}, which dendrite cannot read (float32, float16, int32, bool, float16/uint8/uint16-quantised).`,
    );
  }
  if (entry.group !== undefined && entry.group !== null && typeof entry.group !== 'string')
    throw new Error(`${where}.group must be a string, got ${shortJson(entry.group)}.`);
  const quantization = checkQuantization(entry.quantization, where, dtype);
  if (entry.group !== 'optimizer' && !quantization && dtype !== 'float32' && dtype !== 'float16' && dtype !== 'int32') {
    throw new Error(`${where} ('${entry.name}') has dtype '${dtype}'; model weights must be float32.`);
  }
  return { name: entry.name, shape, dtype, ...(typeof entry.group === 'string' ? { group: entry.group } : {}), ...(quantization ? { quantization } : {}) };
}

/** Bytes one value of `spec` takes in the file. */
function bytesPerValue(spec: WeightSpec): number {
  return DTYPE_BYTES[spec.quantization?.dtype ?? spec.dtype];
}

/** The checked weightsManifest of `json` (none: no weights). Throws an error naming `jsonName` and the field. */
export function readManifest(json: Json, jsonName: string): Manifest {
  const groups = ownValue(json, 'weightsManifest') ?? [];
  if (!Array.isArray(groups)) throw new Error(`${jsonName}: weightsManifest must be a list of {paths, weights} groups, got ${shortJson(groups)}.`);
  const manifest: Manifest = { paths: [], entries: [], totalBytes: 0 };
  const modelWeights = new Map<string, string>();
  for (const [g, group] of groups.entries()) {
    const where = `weightsManifest[${g}]`;
    try {
      if (!isObject(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights))
        throw new Error(`${where} must be a {paths, weights} object with two lists, got ${shortJson(group)}.`);
      for (const [p, path] of group.paths.entries()) {
        if (typeof path !== 'string') throw new Error(`${where}.paths[${p}] must be a file name (a string), got ${shortJson(path)}.`);
        manifest.paths.push({ path, field: `${where}.paths[${p}]` });
      }
      for (const [w, raw] of group.weights.entries()) {
        const field = `${where}.weights[${w}]`;
        const spec = checkEntry(raw, field);
        const bytes = spec.shape.reduce((n, d) => n * d, 1) * bytesPerValue(spec);
        if (!Number.isSafeInteger(bytes) || !Number.isSafeInteger(manifest.totalBytes + bytes)) {
          throw new Error(`${field} ('${spec.name}') has shape ${formatShape(spec.shape)}, more values than any file can hold.`);
        }
        if (spec.group !== 'optimizer') {
          const earlier = modelWeights.get(spec.name);
          if (earlier) throw new Error(`the weightsManifest gives weight '${spec.name}' twice (${earlier} and ${field}).`);
          modelWeights.set(spec.name, field);
        }
        manifest.entries.push({ spec, field, offset: manifest.totalBytes, bytes });
        manifest.totalBytes += bytes;
      }
    } catch (error) {
      throw new Error(`${jsonName}: ${(error as Error).message}`);
    }
  }
  return manifest;
}

/** Checks that the weight data (or the weight files, by their sizes) holds exactly the bytes the manifest declares. */
export function checkWeightBytes(manifest: Manifest, actualBytes: number, jsonName: string, weightsName: string): void {
  const expected = manifest.totalBytes;
  const weights = `the ${manifest.entries.length} weights in ${jsonName}'s weightsManifest`;
  if (actualBytes < expected) throw new Error(`${weightsName} is truncated: ${weights} need ${expected} bytes, got ${actualBytes}.`);
  if (actualBytes > expected) throw new Error(`${weightsName} has ${actualBytes} bytes but ${weights} need ${expected}; the files do not belong together.`);
}
