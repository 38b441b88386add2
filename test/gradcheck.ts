// Differential testing of dendrite's ops against independent float64 references written with plain JS numbers.
//
// `gradCheck(f, ref, inputs)` draws float32-representable random inputs, checks that `f` (dendrite, float32)
// matches `ref` (plain float64 JS) in the forward pass, and that dendrite's autograd gradient of
// L = sum(f(xs) * upstream) matches central finite differences of L = sum(ref(xs) * upstream) in float64.
//
// The `nd*` helpers below are deliberately naive (multi-index unravel/ravel, no strides tricks) so that they
// share no code or algorithm with the kernels under test.
import assert from 'node:assert/strict';
import { grads, tensor, type Tensor } from '../src/index.js';

/** A float64 array with a shape, row-major. */
export interface ND {
  shape: number[];
  data: number[];
}

export const nd = (shape: readonly number[], data: readonly number[]): ND => {
  assert.equal(data.length, size(shape), `nd: shape [${shape}] needs ${size(shape)} values, got ${data.length}`);
  return { shape: [...shape], data: [...data] };
};

export function size(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

/** Flat index -> multi-index. */
export function unravel(flat: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length).fill(0);
  for (let i = shape.length - 1; i >= 0; i--) {
    idx[i] = flat % shape[i];
    flat = Math.floor(flat / shape[i]);
  }
  return idx;
}

/** Multi-index -> flat index. */
export function ravel(idx: readonly number[], shape: readonly number[]): number {
  let flat = 0;
  for (let i = 0; i < shape.length; i++) flat = flat * shape[i] + idx[i];
  return flat;
}

/** Numpy broadcasting of two shapes (independent of src/tensor/shape.ts). */
export function ndBroadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const pa = [...new Array(rank - a.length).fill(1), ...a];
  const pb = [...new Array(rank - b.length).fill(1), ...b];
  return pa.map((d, i) => {
    if (d !== pb[i] && d !== 1 && pb[i] !== 1) throw new Error(`ndBroadcastShape: [${a}] vs [${b}]`);
    return d === 1 ? pb[i] : d;
  });
}

/** The value of `x` at output multi-index `outIdx` when `x` is broadcast to a shape of that rank. */
function broadcastGet(x: ND, outIdx: readonly number[]): number {
  const lead = outIdx.length - x.shape.length;
  const idx = x.shape.map((d, i) => (d === 1 ? 0 : outIdx[lead + i]));
  return x.data[ravel(idx, x.shape)];
}

/** Elementwise map over any number of broadcast inputs. */
export function ndMap(xs: readonly ND[], f: (...v: number[]) => number): ND {
  const shape = xs.reduce<number[]>((s, x) => ndBroadcastShape(s, x.shape), []);
  const data = new Array<number>(size(shape));
  for (let o = 0; o < data.length; o++) {
    const idx = unravel(o, shape);
    data[o] = f(...xs.map((x) => broadcastGet(x, idx)));
  }
  return { shape, data };
}

/** Reduction over `axes` (non-negative, any order) with `f(values)` per output cell. */
export function ndReduce(x: ND, axes: readonly number[], keepDims: boolean, f: (values: number[]) => number): ND {
  const isReduced = (i: number) => axes.includes(i);
  const keptShape = x.shape.map((d, i) => (isReduced(i) ? 1 : d));
  const groups: number[][] = Array.from({ length: size(keptShape) }, () => []);
  for (let flat = 0; flat < x.data.length; flat++) {
    const idx = unravel(flat, x.shape).map((v, i) => (isReduced(i) ? 0 : v));
    groups[ravel(idx, keptShape)].push(x.data[flat]);
  }
  const shape = keepDims ? keptShape : x.shape.filter((_, i) => !isReduced(i));
  return { shape, data: groups.map(f) };
}

export const sum64 = (v: number[]) => v.reduce((s, x) => s + x, 0);

/** Batched matmul with numpy batch broadcasting, optional transposes of the last two axes. */
export function ndMatmul(a: ND, b: ND, transposeA = false, transposeB = false): ND {
  const A = transposeA ? ndTranspose(a, swapLast(a.shape.length)) : a;
  const B = transposeB ? ndTranspose(b, swapLast(b.shape.length)) : b;
  const [m, k] = A.shape.slice(-2);
  const [k2, n] = B.shape.slice(-2);
  if (k !== k2) throw new Error('ndMatmul: inner dims');
  const batch = ndBroadcastShape(A.shape.slice(0, -2), B.shape.slice(0, -2));
  const shape = [...batch, m, n];
  const data = new Array<number>(size(shape)).fill(0);
  for (let o = 0; o < data.length; o++) {
    const idx = unravel(o, shape);
    const bi = idx.slice(0, -2);
    const [i, j] = idx.slice(-2);
    let acc = 0;
    for (let p = 0; p < k; p++) acc += broadcastGet(A, [...bi, i, p]) * broadcastGet(B, [...bi, p, j]);
    data[o] = acc;
  }
  return { shape, data };
}

function swapLast(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
  return perm;
}

/** out.shape[i] = x.shape[perm[i]]. */
export function ndTranspose(x: ND, perm: readonly number[]): ND {
  const shape = perm.map((p) => x.shape[p]);
  const data = new Array<number>(x.data.length);
  for (let o = 0; o < data.length; o++) {
    const outIdx = unravel(o, shape);
    const inIdx = new Array<number>(x.shape.length);
    perm.forEach((p, i) => {
      inIdx[p] = outIdx[i];
    });
    data[o] = x.data[ravel(inIdx, x.shape)];
  }
  return { shape, data };
}

/** Applies `f` to every 1-D lane along `axis` (f maps a lane to a lane of the same length). */
export function ndAlongAxis(x: ND, axis: number, f: (lane: number[]) => number[]): ND {
  const data = new Array<number>(x.data.length);
  const laneStart = x.shape.map((d, i) => (i === axis ? 1 : d));
  for (let l = 0; l < size(laneStart); l++) {
    const base = unravel(l, laneStart);
    const flats = Array.from({ length: x.shape[axis] }, (_, j) => {
      const idx = [...base];
      idx[axis] = j;
      return ravel(idx, x.shape);
    });
    const out = f(flats.map((q) => x.data[q]));
    flats.forEach((q, j) => {
      data[q] = out[j];
    });
  }
  return { shape: [...x.shape], data };
}

/** The error function in float64: Maclaurin series below 4, asymptotic erfc expansion above. */
export function erf64(x: number): number {
  const z = Math.abs(x);
  if (z >= 4) {
    const z2 = z * z;
    const erfc = (Math.exp(-z2) / (z * Math.sqrt(Math.PI))) * (1 - 1 / (2 * z2) + 3 / (4 * z2 * z2) - 15 / (8 * z2 * z2 * z2));
    return Math.sign(x) * (1 - erfc);
  }
  // erf(z) = 2/sqrt(pi) * sum_n (-1)^n z^(2n+1) / (n! (2n+1))
  let term = z;
  let total = z;
  for (let n = 1; n < 200; n++) {
    term *= (-z * z) / n;
    const add = term / (2 * n + 1);
    total += add;
    if (Math.abs(add) < 1e-17 * Math.abs(total)) break;
  }
  return (Math.sign(x) * 2 * total) / Math.sqrt(Math.PI);
}

// ---------------------------------------------------------------------------------------------------------
// Random inputs (own generator, independent of dendrite's RNG so tests are deterministic on their own).

export function makeRng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    // mulberry32
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface InputSpec {
  shape: readonly number[];
  /** Fixed values (rounded to float32); otherwise uniform in [low, high). */
  values?: readonly number[];
  low?: number;
  high?: number;
  /** Keep |v| >= this (for kinks at 0: relu, abs, leakyRelu...). */
  awayFromZero?: number;
  /** Keep all values at least this far apart (for max/min: no ties). */
  minGap?: number;
}

/** Float32-representable values for an input spec. */
export function drawValues(spec: InputSpec, rand: () => number): number[] {
  if (spec.values) {
    assert.equal(spec.values.length, size(spec.shape), 'InputSpec.values length');
    return spec.values.map(Math.fround);
  }
  const low = spec.low ?? -2;
  const high = spec.high ?? 2;
  const out: number[] = [];
  const n = size(spec.shape);
  for (let tries = 0; out.length < n; tries++) {
    if (tries > 100000) throw new Error('drawValues: constraints too tight');
    const v = Math.fround(low + (high - low) * rand());
    if (spec.awayFromZero !== undefined && Math.abs(v) < spec.awayFromZero) continue;
    if (spec.minGap !== undefined && out.some((u) => Math.abs(u - v) < spec.minGap!)) continue;
    out.push(v);
  }
  return out;
}

export interface GradCheckOptions {
  /** Gradient tolerance (dendrite computes in float32). */
  rtol?: number;
  atol?: number;
  /** Forward tolerance. */
  fwdRtol?: number;
  fwdAtol?: number;
  /** Finite-difference step. */
  h?: number;
  seed?: number;
  /** Indices of inputs whose gradient is checked (default: all). */
  wrt?: readonly number[];
}

/**
 * Checks `f` (dendrite) against `ref` (float64): forward values and shape, and the gradient of every input.
 * `ref` receives ND arrays of the same float32-rounded input values and must return an ND array.
 */
export function gradCheck(f: (...xs: Tensor[]) => Tensor, ref: (...xs: ND[]) => ND, inputs: readonly InputSpec[], opts?: GradCheckOptions): void;
/** Also accepts a function of tensors with trailing optional non-tensor parameters (e.g. `(yTrue, yPred, options?) => loss`); they are left undefined. */
export function gradCheck(f: (...xs: never[]) => Tensor, ref: (...xs: ND[]) => ND, inputs: readonly InputSpec[], opts?: GradCheckOptions): void;
export function gradCheck(fn: (...xs: never[]) => Tensor, ref: (...xs: ND[]) => ND, inputs: readonly InputSpec[], opts: GradCheckOptions = {}): void {
  const f = fn as unknown as (...xs: Tensor[]) => Tensor;
  const rand = makeRng(opts.seed ?? 1234);
  const rtol = opts.rtol ?? 1e-3;
  const atol = opts.atol ?? 1e-4;
  const h = opts.h ?? 1e-6;
  const values = inputs.map((s) => drawValues(s, rand));
  const nds = () => inputs.map((s, i) => nd(s.shape, values[i]));

  const expected = ref(...nds());
  const upstreamValues = expected.data.map(() => Math.fround(rand() * 2 - 1));
  const upstream = tensor(Float32Array.from(upstreamValues), expected.shape);
  const xs = inputs.map((s, i) => tensor(Float32Array.from(values[i]), s.shape));

  // forward
  const y = f(...xs);
  assert.deepEqual([...y.shape], expected.shape, 'forward shape');
  closeOrFail(y.values, expected.data, opts.fwdRtol ?? 1e-4, opts.fwdAtol ?? 1e-5, 'forward');

  // autograd
  const analytic = grads(f)(xs, upstream);
  assert.equal(analytic.length, inputs.length, 'one gradient per input');

  // central differences of L = sum(ref(xs) * upstream), in float64
  const loss = (vs: number[][]): number => {
    const out = ref(...inputs.map((s, i) => nd(s.shape, vs[i])));
    let L = 0;
    for (let j = 0; j < out.data.length; j++) L += out.data[j] * upstreamValues[j];
    return L;
  };
  const wrt = opts.wrt ?? inputs.map((_, i) => i);
  for (const i of wrt) {
    assert.deepEqual([...analytic[i].shape], [...inputs[i].shape], `gradient ${i} shape`);
    const numeric = new Array<number>(values[i].length);
    for (let j = 0; j < values[i].length; j++) {
      const plus = values.map((v) => [...v]);
      const minus = values.map((v) => [...v]);
      plus[i][j] += h;
      minus[i][j] -= h;
      numeric[j] = (loss(plus) - loss(minus)) / (2 * h);
    }
    closeOrFail(analytic[i].values, numeric, rtol, atol, `gradient of input ${i}`);
  }
}

function closeOrFail(actual: ArrayLike<number>, expected: readonly number[], rtol: number, atol: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let j = 0; j < expected.length; j++) {
    const ok = Math.abs(actual[j] - expected[j]) <= atol + rtol * Math.abs(expected[j]);
    if (!ok) {
      assert.fail(
        `${what}: element ${j}: got ${actual[j]}, expected ${expected[j]} (rtol ${rtol}, atol ${atol})\n  got      ${fmt(actual)}\n  expected ${fmt(expected)}`,
      );
    }
  }
}

function fmt(v: ArrayLike<number>): string {
  return (
    Array.from(v, (x) => x.toPrecision(6))
      .slice(0, 24)
      .join(', ') + (v.length > 24 ? ', ...' : '')
  );
}
