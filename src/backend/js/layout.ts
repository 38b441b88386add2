import type { Shape } from '../backend.js';

export function gatherRows(x: Float32Array, rowSize: number, rows: ArrayLike<number>, out: Float32Array): void {
  for (let i = 0; i < rows.length; i++) {
    const src = rows[i] * rowSize;
    out.set(x.subarray(src, src + rowSize), i * rowSize);
  }
}

export function transpose(x: Float32Array, shape: Shape, perm: readonly number[], out: Float32Array): void {
  const rank = shape.length;
  const inStrides = new Int32Array(rank);
  let s = 1;
  for (let i = rank - 1; i >= 0; i--) {
    inStrides[i] = s;
    s *= shape[i];
  }
  const outShape = perm.map((p) => shape[p]);
  // stride in the input for each output axis
  const strides = perm.map((p) => inStrides[p]);
  if (rank === 0 || x.length === 0) {
    if (rank === 0) out[0] = x[0];
    return;
  }
  const last = rank - 1;
  const len = outShape[last];
  const step = strides[last];
  const idx = new Int32Array(rank);
  let src = 0;
  for (let o = 0; o < out.length; o += len) {
    for (let j = 0, p = src; j < len; j++, p += step) out[o + j] = x[p];
    for (let ax = last - 1; ax >= 0; ax--) {
      idx[ax]++;
      src += strides[ax];
      if (idx[ax] < outShape[ax]) break;
      src -= strides[ax] * outShape[ax];
      idx[ax] = 0;
    }
  }
}

export function copyRegion(
  src: Float32Array,
  srcShape: Shape,
  srcBegin: readonly number[],
  dst: Float32Array,
  dstShape: Shape,
  dstBegin: readonly number[],
  size: readonly number[],
): void {
  const rank = size.length;
  let total = 1;
  for (const d of size) total *= d;
  if (total === 0) return;
  if (rank === 0) {
    dst[0] = src[0];
    return;
  }
  const srcStrides = new Int32Array(rank);
  const dstStrides = new Int32Array(rank);
  for (let i = rank - 1, s = 1, d = 1; i >= 0; i--) {
    srcStrides[i] = s;
    dstStrides[i] = d;
    s *= srcShape[i];
    d *= dstShape[i];
  }
  let so = 0;
  let doff = 0;
  for (let i = 0; i < rank; i++) {
    so += srcBegin[i] * srcStrides[i];
    doff += dstBegin[i] * dstStrides[i];
  }
  const last = rank - 1;
  const len = size[last];
  const idx = new Int32Array(rank);
  for (let done = 0; done < total; done += len) {
    dst.set(src.subarray(so, so + len), doff);
    for (let ax = last - 1; ax >= 0; ax--) {
      idx[ax]++;
      so += srcStrides[ax];
      doff += dstStrides[ax];
      if (idx[ax] < size[ax]) break;
      so -= srcStrides[ax] * size[ax];
      doff -= dstStrides[ax] * size[ax];
      idx[ax] = 0;
    }
  }
}
