import type { ReduceKernel, Shape } from '../backend.js';

/**
 * Reduction over sorted axes. The input is viewed as alternating kept/reduced blocks; for the common
 * cases (reduce the trailing axes, or the leading axes) the loops are contiguous.
 */
export function reduce(op: ReduceKernel, x: Float32Array, shape: Shape, axes: readonly number[], out: Float32Array): void {
  const rank = shape.length;
  const reduced = new Array<boolean>(rank).fill(false);
  for (const a of axes) reduced[a] = true;
  const init = op === 'sum' ? 0 : op === 'max' ? -Infinity : Infinity;
  out.fill(init);
  if (x.length === 0) return;
  // strides of the output, seen from the input's axes (0 on reduced axes)
  const outStrides = new Int32Array(rank);
  let s = 1;
  for (let i = rank - 1; i >= 0; i--) {
    if (!reduced[i]) {
      outStrides[i] = s;
      s *= shape[i];
    }
  }
  if (rank === 0) {
    out[0] = x[0];
    return;
  }
  const last = rank - 1;
  const len = shape[last];
  const dOut = outStrides[last];
  const idx = new Int32Array(rank);
  let o = 0;
  for (let i = 0; i < x.length; i += len) {
    if (op === 'sum') {
      if (dOut === 0) {
        let acc = 0;
        for (let j = 0; j < len; j++) acc += x[i + j];
        out[o] += acc;
      } else for (let j = 0; j < len; j++) out[o + j * dOut] += x[i + j];
    } else if (op === 'max') {
      for (let j = 0; j < len; j++) {
        const v = x[i + j];
        const k = o + j * dOut;
        if (v > out[k] || Number.isNaN(v)) out[k] = v;
      }
    } else {
      for (let j = 0; j < len; j++) {
        const v = x[i + j];
        const k = o + j * dOut;
        if (v < out[k] || Number.isNaN(v)) out[k] = v;
      }
    }
    for (let ax = last - 1; ax >= 0; ax--) {
      idx[ax]++;
      o += outStrides[ax];
      if (idx[ax] < shape[ax]) break;
      o -= outStrides[ax] * shape[ax];
      idx[ax] = 0;
    }
  }
}

export function argReduce(op: 'argMax' | 'argMin', x: Float32Array, shape: Shape, axis: number, out: Float32Array): void {
  let outer = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i];
  let inner = 1;
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i];
  const n = shape[axis];
  const sign = op === 'argMax' ? 1 : -1;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      let best = 0;
      let bestValue = sign * x[base];
      for (let j = 1; j < n; j++) {
        const v = sign * x[base + j * inner];
        if (v > bestValue) {
          bestValue = v;
          best = j;
        }
      }
      out[o * inner + i] = best;
    }
  }
}
