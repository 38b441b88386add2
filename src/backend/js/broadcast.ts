import type { Shape } from '../backend.js';

/** Whether `shape` broadcast to `outShape` is a plain repetition of whole rows (e.g. a bias [C] added to [N, H, W, C]). */
export function isTrailingBlock(shape: Shape, outShape: Shape): boolean {
  const lead = outShape.length - shape.length;
  let i = 0;
  while (i < shape.length && shape[i] === 1) i++;
  for (; i < shape.length; i++) if (shape[i] !== outShape[lead + i]) return false;
  return true;
}

/** Strides of `shape` as seen from a broadcast `outShape`: 0 where the input is stretched. */
export function broadcastStrides(shape: Shape, outShape: Shape): Int32Array {
  const rank = outShape.length;
  const strides = new Int32Array(rank);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const axis = rank - shape.length + i;
    strides[axis] = shape[i] === 1 ? 0 : s;
    s *= shape[i];
  }
  return strides;
}

/**
 * Visits every element of `outShape` in row-major order and calls `visit(outIndex, offsetA, offsetB, offsetC)`
 * with the matching offsets in up to three broadcast inputs. The innermost axis is a tight loop.
 */
export function forEachBroadcast(
  outShape: Shape,
  stridesA: Int32Array,
  stridesB: Int32Array,
  stridesC: Int32Array | null,
  inner: (o: number, a: number, sa: number, b: number, sb: number, c: number, sc: number, len: number) => void,
): void {
  const rank = outShape.length;
  if (rank === 0) {
    inner(0, 0, 0, 0, 0, 0, 0, 1);
    return;
  }
  const last = rank - 1;
  const len = outShape[last];
  let total = 1;
  for (const d of outShape) total *= d;
  if (total === 0) return;
  const idx = new Int32Array(rank);
  let a = 0;
  let b = 0;
  let c = 0;
  const sA = stridesA[last];
  const sB = stridesB[last];
  const sC = stridesC ? stridesC[last] : 0;
  for (let o = 0; o < total; o += len) {
    inner(o, a, sA, b, sB, c, sC, len);
    // advance the outer index (all axes but the last), carrying like an odometer
    for (let ax = last - 1; ax >= 0; ax--) {
      idx[ax]++;
      a += stridesA[ax];
      b += stridesB[ax];
      if (stridesC) c += stridesC[ax];
      if (idx[ax] < outShape[ax]) break;
      a -= stridesA[ax] * outShape[ax];
      b -= stridesB[ax] * outShape[ax];
      if (stridesC) c -= stridesC[ax] * outShape[ax];
      idx[ax] = 0;
    }
  }
}
