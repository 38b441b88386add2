import type { BinaryKernel, Shape, UnaryKernel } from '../backend.js';
import { broadcastStrides, forEachBroadcast, isTrailingBlock } from './broadcast.js';

/**
 * The error function, through the Chebyshev-fitted erfc of Numerical Recipes (fractional error below
 * 1.2e-7 everywhere, i.e. at float32 resolution). JavaScript has no Math.erf.
 */
export function erf(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - r : r - 1;
}

function sigmoid(x: number): number {
  // NOTE: two branches so exp never overflows.
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

// NOTE: every op has its own hand-written loop. A shared loop calling `f(x)` per element stays a
// megamorphic call in V8 and ran ~5x slower; these literal loops inline the arithmetic.
type UnaryLoop = (x: Float32Array, out: Float32Array) => void;

const unaryLoops: Record<UnaryKernel, UnaryLoop> = {
  neg: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = -x[i];
  },
  abs: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = Math.abs(x[i]);
  },
  sign: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = Math.sign(x[i]);
  },
  step: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = x[i] > 0 ? 1 : 0;
  },
  exp: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = Math.exp(x[i]);
  },
  log: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = Math.log(x[i]);
  },
  sqrt: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = Math.sqrt(x[i]);
  },
  tanh: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = Math.tanh(x[i]);
  },
  sigmoid: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = sigmoid(x[i]);
  },
  relu: (x, out) => {
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      out[i] = v > 0 ? v : 0;
    }
  },
  erf: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = erf(x[i]);
  },
  floor: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = Math.floor(x[i]);
  },
  round: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = Math.round(x[i]);
  },
};

export function unary(op: UnaryKernel, x: Float32Array, out: Float32Array): void {
  unaryLoops[op](x, out);
}

/** `out[o + j] = a[ia + j*da] op b[ib + j*db]` for j < len: one run of a broadcast binary op. */
type BinaryRun = (out: Float32Array, o: number, a: Float32Array, ia: number, da: number, b: Float32Array, ib: number, db: number, len: number) => void;

const binaryRuns: Record<BinaryKernel, BinaryRun> = {
  add: (out, o, a, ia, da, b, ib, db, len) => {
    for (let j = 0; j < len; j++, ia += da, ib += db) out[o + j] = a[ia] + b[ib];
  },
  sub: (out, o, a, ia, da, b, ib, db, len) => {
    for (let j = 0; j < len; j++, ia += da, ib += db) out[o + j] = a[ia] - b[ib];
  },
  mul: (out, o, a, ia, da, b, ib, db, len) => {
    for (let j = 0; j < len; j++, ia += da, ib += db) out[o + j] = a[ia] * b[ib];
  },
  div: (out, o, a, ia, da, b, ib, db, len) => {
    for (let j = 0; j < len; j++, ia += da, ib += db) out[o + j] = a[ia] / b[ib];
  },
  pow: (out, o, a, ia, da, b, ib, db, len) => {
    for (let j = 0; j < len; j++, ia += da, ib += db) out[o + j] = a[ia] ** b[ib];
  },
  maximum: (out, o, a, ia, da, b, ib, db, len) => {
    for (let j = 0; j < len; j++, ia += da, ib += db) {
      const x = a[ia],
        y = b[ib];
      out[o + j] = x >= y || Number.isNaN(x) ? x : y;
    }
  },
  minimum: (out, o, a, ia, da, b, ib, db, len) => {
    for (let j = 0; j < len; j++, ia += da, ib += db) {
      const x = a[ia],
        y = b[ib];
      out[o + j] = x <= y || Number.isNaN(x) ? x : y;
    }
  },
  equal: (out, o, a, ia, da, b, ib, db, len) => {
    for (let j = 0; j < len; j++, ia += da, ib += db) out[o + j] = a[ia] === b[ib] ? 1 : 0;
  },
  notEqual: (out, o, a, ia, da, b, ib, db, len) => {
    for (let j = 0; j < len; j++, ia += da, ib += db) out[o + j] = a[ia] !== b[ib] ? 1 : 0;
  },
  greater: (out, o, a, ia, da, b, ib, db, len) => {
    for (let j = 0; j < len; j++, ia += da, ib += db) out[o + j] = a[ia] > b[ib] ? 1 : 0;
  },
  greaterEqual: (out, o, a, ia, da, b, ib, db, len) => {
    for (let j = 0; j < len; j++, ia += da, ib += db) out[o + j] = a[ia] >= b[ib] ? 1 : 0;
  },
  less: (out, o, a, ia, da, b, ib, db, len) => {
    for (let j = 0; j < len; j++, ia += da, ib += db) out[o + j] = a[ia] < b[ib] ? 1 : 0;
  },
  lessEqual: (out, o, a, ia, da, b, ib, db, len) => {
    for (let j = 0; j < len; j++, ia += da, ib += db) out[o + j] = a[ia] <= b[ib] ? 1 : 0;
  },
};

export function binary(op: BinaryKernel, a: Float32Array, aShape: Shape, b: Float32Array, bShape: Shape, out: Float32Array, outShape: Shape): void {
  const run = binaryRuns[op];
  const n = out.length;
  if (a.length === n && b.length === n) {
    run(out, 0, a, 0, 1, b, 0, 1, n);
    return;
  }
  if (a.length === n && b.length === 1) {
    run(out, 0, a, 0, 1, b, 0, 0, n);
    return;
  }
  if (a.length === 1 && b.length === n) {
    run(out, 0, a, 0, 0, b, 0, 1, n);
    return;
  }
  if (n === 0) return;
  // row broadcasting, the common case of bias adds and per-channel scales: one run per row
  if (a.length === n && b.length > 1 && isTrailingBlock(bShape, outShape)) {
    for (let o = 0; o < n; o += b.length) run(out, o, a, o, 1, b, 0, 1, b.length);
    return;
  }
  if (b.length === n && a.length > 1 && isTrailingBlock(aShape, outShape)) {
    for (let o = 0; o < n; o += a.length) run(out, o, a, 0, 1, b, o, 1, a.length);
    return;
  }
  const sa = broadcastStrides(aShape, outShape);
  const sb = broadcastStrides(bShape, outShape);
  forEachBroadcast(outShape, sa, sb, null, (o, ia, da, ib, db, _c, _dc, len) => run(out, o, a, ia, da, b, ib, db, len));
}

export function where(
  cond: Float32Array,
  condShape: Shape,
  a: Float32Array,
  aShape: Shape,
  b: Float32Array,
  bShape: Shape,
  out: Float32Array,
  outShape: Shape,
): void {
  const sa = broadcastStrides(aShape, outShape);
  const sb = broadcastStrides(bShape, outShape);
  const sc = broadcastStrides(condShape, outShape);
  forEachBroadcast(outShape, sa, sb, sc, (o, ia, da, ib, db, ic, dc, len) => {
    for (let j = 0; j < len; j++, ia += da, ib += db, ic += dc) out[o + j] = cond[ic] !== 0 ? a[ia] : b[ib];
  });
}
