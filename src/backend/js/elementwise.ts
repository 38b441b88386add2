import type { BinaryKernel, Shape, UnaryKernel } from '../backend.js';
import { broadcastStrides, forEachBroadcast } from './broadcast.js';

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
      -z * z - 1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - r : r - 1;
}

function sigmoid(x: number): number {
  // NOTE: two branches so exp never overflows.
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

const unaryFns: Record<UnaryKernel, (x: number) => number> = {
  neg: (x) => -x,
  abs: Math.abs,
  sign: Math.sign,
  step: (x) => (x > 0 ? 1 : 0),
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  tanh: Math.tanh,
  sigmoid,
  relu: (x) => (x > 0 ? x : 0),
  erf,
  floor: Math.floor,
  round: Math.round,
};

function makeUnaryLoop(f: (x: number) => number) {
  return (x: Float32Array, out: Float32Array) => {
    for (let i = 0; i < x.length; i++) out[i] = f(x[i]);
  };
}
const unaryLoops = Object.fromEntries(Object.entries(unaryFns).map(([k, f]) => [k, makeUnaryLoop(f)])) as Record<
  UnaryKernel,
  (x: Float32Array, out: Float32Array) => void
>;

export function unary(op: UnaryKernel, x: Float32Array, out: Float32Array): void {
  unaryLoops[op](x, out);
}

const binaryFns: Record<BinaryKernel, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: Math.pow,
  maximum: (a, b) => (a >= b || Number.isNaN(a) ? a : b),
  minimum: (a, b) => (a <= b || Number.isNaN(a) ? a : b),
  equal: (a, b) => (a === b ? 1 : 0),
  notEqual: (a, b) => (a !== b ? 1 : 0),
  greater: (a, b) => (a > b ? 1 : 0),
  greaterEqual: (a, b) => (a >= b ? 1 : 0),
  less: (a, b) => (a < b ? 1 : 0),
  lessEqual: (a, b) => (a <= b ? 1 : 0),
};

type BinaryLoop = (a: Float32Array, aShape: Shape, b: Float32Array, bShape: Shape, out: Float32Array, outShape: Shape) => void;

function makeBinaryLoop(f: (a: number, b: number) => number): BinaryLoop {
  return (a, aShape, b, bShape, out, outShape) => {
    if (a.length === out.length && b.length === out.length) {
      for (let i = 0; i < out.length; i++) out[i] = f(a[i], b[i]);
      return;
    }
    if (a.length === out.length && b.length === 1) {
      const s = b[0];
      for (let i = 0; i < out.length; i++) out[i] = f(a[i], s);
      return;
    }
    if (a.length === 1 && b.length === out.length) {
      const s = a[0];
      for (let i = 0; i < out.length; i++) out[i] = f(s, b[i]);
      return;
    }
    const sa = broadcastStrides(aShape, outShape);
    const sb = broadcastStrides(bShape, outShape);
    forEachBroadcast(outShape, sa, sb, null, (o, ia, da, ib, db, _c, _dc, len) => {
      for (let j = 0; j < len; j++, ia += da, ib += db) out[o + j] = f(a[ia], b[ib]);
    });
  };
}
const binaryLoops = Object.fromEntries(Object.entries(binaryFns).map(([k, f]) => [k, makeBinaryLoop(f)])) as Record<BinaryKernel, BinaryLoop>;

export function binary(op: BinaryKernel, a: Float32Array, aShape: Shape, b: Float32Array, bShape: Shape, out: Float32Array, outShape: Shape): void {
  binaryLoops[op](a, aShape, b, bShape, out, outShape);
}

export function where(cond: Float32Array, condShape: Shape, a: Float32Array, aShape: Shape, b: Float32Array, bShape: Shape, out: Float32Array, outShape: Shape): void {
  const sa = broadcastStrides(aShape, outShape);
  const sb = broadcastStrides(bShape, outShape);
  const sc = broadcastStrides(condShape, outShape);
  forEachBroadcast(outShape, sa, sb, sc, (o, ia, da, ib, db, ic, dc, len) => {
    for (let j = 0; j < len; j++, ia += da, ib += db, ic += dc) out[o + j] = cond[ic] !== 0 ? a[ia] : b[ib];
  });
}
