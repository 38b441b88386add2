// The shared check of dendrite/tfjs against real TensorFlow.js: one program, written against TF.js' API, runs on
// both libraries; their results must agree in shape, dtype and values (exact for int32 and bool, 1e-5 relative
// with a 1e-6 floor for float32), and where TF.js throws, dendrite/tfjs must throw too.
import assert from 'node:assert/strict';
import * as tfjs from '@tensorflow/tfjs';
import * as ours from '../../src/tfjs/index.js';

/** The library a check runs against: TF.js' namespace type, which dendrite/tfjs takes the place of. */
export type Lib = typeof tfjs;

export const dendriteTf = ours as unknown as Lib;

let ready: Promise<unknown> | null = null;
/** TF.js on its plain-JavaScript 'cpu' backend (call once per test file, in `before`). */
export function tfjsCpu(): Promise<unknown> {
  ready ??= tfjs.setBackend('cpu');
  return ready;
}

export interface SameOptions {
  rtol?: number;
  atol?: number;
  /** Compare only shape and dtype (random values). */
  valuesToo?: boolean;
}

const ARRAY_TYPE: Record<string, string> = { float32: 'Float32Array', int32: 'Int32Array', bool: 'Uint8Array' };

function isTensorLike(x: unknown): x is { shape: number[]; dtype: string; dataSync(): ArrayLike<number> } {
  return typeof x === 'object' && x !== null && 'dataSync' in x && 'shape' in x && 'dtype' in x;
}

function sameNumber(a: number, e: number, exact: boolean, rtol: number, atol: number): boolean {
  if (Number.isNaN(e)) return Number.isNaN(a);
  if (!Number.isFinite(e)) return a === e;
  if (exact) return a === e;
  return Math.abs(a - e) <= atol + rtol * Math.abs(e);
}

/** Asserts that `actual` (dendrite/tfjs) and `expected` (TF.js) are the same result, recursively. */
export function assertSameResult(actual: unknown, expected: unknown, opts: SameOptions = {}, path = 'result'): void {
  const rtol = opts.rtol ?? 1e-5;
  const atol = opts.atol ?? 1e-6;
  if (isTensorLike(expected)) {
    assert.ok(isTensorLike(actual), `${path}: expected a tensor, got ${typeof actual}`);
    assert.deepEqual([...actual.shape], [...expected.shape], `${path}: shape`);
    assert.equal(actual.dtype, expected.dtype, `${path}: dtype`);
    if (opts.valuesToo === false) return;
    const a = actual.dataSync();
    const e = expected.dataSync();
    // TF.js casts to a wider dtype without converting the data, so its dataSync() may return an Int32Array for a
    // float32 tensor; the array type is compared where TF.js' matches its dtype
    if (e.constructor.name === ARRAY_TYPE[expected.dtype]) assert.equal(a.constructor.name, e.constructor.name, `${path}: dataSync() array type`);
    assert.equal(a.length, e.length, `${path}: size`);
    const exact = expected.dtype !== 'float32';
    for (let i = 0; i < e.length; i++) {
      if (!sameNumber(a[i], e[i], exact, rtol, atol)) {
        assert.fail(
          `${path}: element ${i} is ${a[i]}, TF.js has ${e[i]} (dtype ${expected.dtype}; values ${Array.from(a).slice(0, 12)} vs ${Array.from(e).slice(0, 12)})`,
        );
      }
    }
    return;
  }
  if (Array.isArray(expected) || ArrayBuffer.isView(expected)) {
    const e = expected as ArrayLike<unknown>;
    assert.ok(Array.isArray(actual) || ArrayBuffer.isView(actual), `${path}: expected an array`);
    const a = actual as ArrayLike<unknown>;
    if (ArrayBuffer.isView(expected)) assert.equal(a.constructor.name, e.constructor.name, `${path}: array type`);
    assert.equal(a.length, e.length, `${path}: length`);
    for (let i = 0; i < e.length; i++) assertSameResult(a[i], e[i], opts, `${path}[${i}]`);
    return;
  }
  if (typeof expected === 'number') {
    assert.equal(typeof actual, 'number', `${path}: expected a number`);
    assert.ok(sameNumber(actual as number, expected, Number.isInteger(expected), rtol, atol), `${path}: ${actual} vs TF.js ${expected}`);
    return;
  }
  if (typeof expected === 'object' && expected !== null) {
    for (const key of Object.keys(expected)) {
      assertSameResult((actual as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key], opts, `${path}.${key}`);
    }
    return;
  }
  assert.deepEqual(actual, expected, path);
}

/**
 * Runs `program` on TF.js and on dendrite/tfjs and asserts the same result; when TF.js throws, dendrite/tfjs must
 * throw as well (with the same message when `sameMessage`).
 */
export function assertSame(program: (tf: Lib) => unknown, opts: SameOptions & { sameMessage?: boolean } = {}): void {
  let expected: unknown;
  let theirError: Error | null = null;
  try {
    expected = program(tfjs);
  } catch (e) {
    theirError = e as Error;
  }
  if (theirError) {
    assert.throws(
      () => program(dendriteTf),
      (e: Error) => {
        if (opts.sameMessage) assert.equal(e.message, theirError.message);
        return true;
      },
      `TF.js throws '${theirError.message}'; dendrite/tfjs did not`,
    );
    return;
  }
  assertSameResult(program(dendriteTf), expected, opts);
}
