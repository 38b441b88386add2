// The `dendrite` section of a model.json (see format.ts), checked field by field before it is used: a damaged
// or hand-edited checkpoint must fail with a message naming the file and the field, never resume wrongly
// (an epoch of 99 that "finishes" without training, -1 that trains an extra epoch, "2" that is a string).
// The compile settings are checked where they are used (load-compile.ts). Browser-safe.
import type { EpochProgress, OptimizerStateSpec } from './format.js';
import { isCount, isObject, ownValue, shortJson, type Json } from './untrusted-json.js';

export interface TrainingProgress {
  /** Completed epochs. */
  epoch: number;
  rngState: (number | null)[] | null;
  logs: Record<string, number> | null;
  progress: EpochProgress | null;
}

/** The checked section; `optimizerState.bytes` is the size its file must have. */
export interface CheckedSection {
  training: TrainingProgress;
  optimizerState: (OptimizerStateSpec & { bytes: number }) | null;
  /** Byte length and CRC-32 that dendrite recorded for each data file, by file name. */
  files: Map<string, { bytes: number; crc32: number }>;
  metadata: Record<string, unknown> | null;
}

/** Thrown with the field's path; the caller adds the file. */
function fail(field: string, rule: string, value: unknown): never {
  throw new Error(`${field} must be ${rule}, got ${shortJson(value)}.`);
}

/** The random generator's state as `getRngState()` returns it: four 32-bit words and the spare normal (or null). */
function checkRngState(v: unknown, field: string): (number | null)[] {
  const word = (x: unknown) => isCount(x) && x < 2 ** 32;
  const ok = Array.isArray(v) && v.length === 5 && v.slice(0, 4).every(word) && (v[4] === null || (typeof v[4] === 'number' && Number.isFinite(v[4])));
  if (!ok) fail(field, 'the random generator state saved by getRngState() (4 whole numbers below 2^32 and a number or null)', v);
  return v as (number | null)[];
}

function checkNumbers(v: unknown, field: string): Record<string, number> {
  if (!isObject(v)) fail(field, 'an object of numbers', v);
  for (const [key, x] of Object.entries(v)) {
    if (typeof x !== 'number' || !Number.isFinite(x)) fail(`${field}.${key}`, 'a finite number', x);
  }
  return v as Record<string, number>;
}

function checkProgress(p: unknown, field: string): EpochProgress {
  if (!isObject(p)) fail(field, 'a {batch, epochRngState, sums, seen} object (how far an interrupted epoch got)', p);
  if (!isCount(p.batch)) fail(`${field}.batch`, 'a whole number >= 0 (batches done)', p.batch);
  if (!isCount(p.seen)) fail(`${field}.seen`, 'a whole number >= 0 (samples done)', p.seen);
  return { batch: p.batch, seen: p.seen, epochRngState: checkRngState(p.epochRngState, `${field}.epochRngState`), sums: checkNumbers(p.sums, `${field}.sums`) };
}

function checkTraining(t: unknown): TrainingProgress {
  if (t === undefined) return { epoch: 0, rngState: null, logs: null, progress: null };
  if (!isObject(t)) fail('dendrite.training', 'an object {epoch, rngState, logs, progress}', t);
  if (!isCount(t.epoch)) fail('dendrite.training.epoch', 'a whole number >= 0 (the completed epochs)', t.epoch);
  return {
    epoch: t.epoch,
    rngState: t.rngState === undefined ? null : checkRngState(t.rngState, 'dendrite.training.rngState'),
    logs: t.logs === undefined ? null : checkNumbers(t.logs, 'dendrite.training.logs'),
    progress: t.progress === undefined || t.progress === null ? null : checkProgress(t.progress, 'dendrite.training.progress'),
  };
}

function checkOptimizerState(s: unknown): CheckedSection['optimizerState'] {
  if (s === undefined || s === null) return null;
  const field = 'dendrite.optimizerState';
  if (!isObject(s)) fail(field, 'a {path, iterations, weights} object', s);
  if (typeof s.path !== 'string' || s.path === '') fail(`${field}.path`, 'a file name (a string)', s.path);
  if (!isCount(s.iterations)) fail(`${field}.iterations`, 'a whole number >= 0 (the optimizer steps taken)', s.iterations);
  if (!Array.isArray(s.weights)) fail(`${field}.weights`, 'a list of {variable, slot, shape}', s.weights);
  let bytes = 0;
  const weights = s.weights.map((w, i) => {
    const where = `${field}.weights[${i}]`;
    if (!isObject(w) || typeof w.variable !== 'string' || typeof w.slot !== 'string') fail(where, 'a {variable, slot, shape} object with string names', w);
    if (!Array.isArray(w.shape) || !w.shape.every(isCount)) fail(`${where}.shape`, 'a list of whole numbers >= 0', w.shape);
    bytes += 4 * w.shape.reduce((n: number, d: number) => n * d, 1);
    if (!Number.isSafeInteger(bytes)) fail(`${where}.shape`, 'a shape of a size a file can hold', w.shape);
    return { variable: w.variable, slot: w.slot, shape: w.shape as number[] };
  });
  return { path: s.path, iterations: s.iterations, weights, bytes };
}

function checkFiles(f: unknown): CheckedSection['files'] {
  const files = new Map<string, { bytes: number; crc32: number }>();
  if (f === undefined) return files;
  if (!isObject(f)) fail('dendrite.files', 'an object of {bytes, crc32} by file name', f);
  for (const [name, entry] of Object.entries(f)) {
    const where = `dendrite.files[${JSON.stringify(name)}]`;
    if (!isObject(entry) || !isCount(entry.bytes) || !isCount(entry.crc32) || entry.crc32 >= 2 ** 32)
      fail(where, 'a {bytes, crc32} object of whole numbers', entry);
    files.set(name, { bytes: entry.bytes, crc32: entry.crc32 });
  }
  return files;
}

/** The checked `dendrite` section of `json` (defaults when there is none). Errors name `jsonName` and the field. */
export function readDendriteSection(json: Json, jsonName: string): CheckedSection {
  const section = ownValue(json, 'dendrite');
  try {
    if (section === undefined) return { training: checkTraining(undefined), optimizerState: null, files: new Map(), metadata: null };
    if (!isObject(section)) fail('dendrite', "an object (dendrite's own section)", section);
    const metadata = section.metadata;
    if (metadata !== undefined && !isObject(metadata)) fail('dendrite.metadata', 'an object', metadata);
    return {
      training: checkTraining(section.training),
      optimizerState: checkOptimizerState(section.optimizerState),
      files: checkFiles(section.files),
      metadata: (metadata as Json | undefined) ?? null,
    };
  } catch (error) {
    throw new Error(`${jsonName}: ${(error as Error).message}`);
  }
}
