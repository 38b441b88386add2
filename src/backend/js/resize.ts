import type { ResizeInfo } from '../backend.js';

// Image resizing over NHWC, reproducing TensorFlow's resize kernels (resize_bilinear_op.cc,
// resize_nearest_neighbor_op.cc) including their float32 coordinate arithmetic. Each backprop kernel is the
// exact adjoint of its forward kernel: it sends every output gradient back along the same weights.

/** TensorFlow's CalculateResizeScale. */
function resizeScale(inSize: number, outSize: number, alignCorners: boolean): number {
  return Math.fround(alignCorners && outSize > 1 ? (inSize - 1) / (outSize - 1) : inSize / outSize);
}

/** Per output index along one axis: the two source indices and the weight of the second. */
function bilinearTaps(inSize: number, outSize: number, info: ResizeInfo): { lo: Int32Array; hi: Int32Array; t: Float64Array } {
  const scale = resizeScale(inSize, outSize, info.alignCorners);
  const lo = new Int32Array(outSize);
  const hi = new Int32Array(outSize);
  const t = new Float64Array(outSize);
  for (let o = 0; o < outSize; o++) {
    const src = info.halfPixelCenters ? Math.fround(Math.fround(Math.fround(o + 0.5) * scale) - 0.5) : Math.fround(o * scale);
    const f = Math.floor(src);
    lo[o] = Math.max(f, 0);
    hi[o] = Math.min(Math.ceil(src), inSize - 1);
    t[o] = src - f;
  }
  return { lo, hi, t };
}

/** Per output index along one axis: the source index. */
function nearestTaps(inSize: number, outSize: number, info: ResizeInfo): Int32Array {
  const scale = resizeScale(inSize, outSize, info.alignCorners);
  const idx = new Int32Array(outSize);
  for (let o = 0; o < outSize; o++) {
    const src = info.halfPixelCenters ? Math.fround(Math.fround(o + 0.5) * scale) : Math.fround(o * scale);
    const i = Math.min(info.alignCorners ? Math.round(src) : Math.floor(src), inSize - 1);
    idx[o] = Math.max(i, 0);
  }
  return idx;
}

export function resizeBilinear(x: Float32Array, out: Float32Array, info: ResizeInfo): void {
  const { batch, inH, inW, channels: C, outH, outW } = info;
  const ys = bilinearTaps(inH, outH, info);
  const xs = bilinearTaps(inW, outW, info);
  let o = 0;
  for (let n = 0; n < batch; n++) {
    for (let oy = 0; oy < outH; oy++) {
      const top = (n * inH + ys.lo[oy]) * inW;
      const bottom = (n * inH + ys.hi[oy]) * inW;
      const ty = ys.t[oy];
      for (let ox = 0; ox < outW; ox++, o += C) {
        const tx = xs.t[ox];
        const tl = (top + xs.lo[ox]) * C,
          tr = (top + xs.hi[ox]) * C;
        const bl = (bottom + xs.lo[ox]) * C,
          br = (bottom + xs.hi[ox]) * C;
        for (let c = 0; c < C; c++) {
          const upper = x[tl + c] + (x[tr + c] - x[tl + c]) * tx;
          const lower = x[bl + c] + (x[br + c] - x[bl + c]) * tx;
          out[o + c] = upper + (lower - upper) * ty;
        }
      }
    }
  }
}

export function resizeBilinearBackprop(dy: Float32Array, dx: Float32Array, info: ResizeInfo): void {
  const { batch, inH, inW, channels: C, outH, outW } = info;
  const ys = bilinearTaps(inH, outH, info);
  const xs = bilinearTaps(inW, outW, info);
  dx.fill(0);
  let o = 0;
  for (let n = 0; n < batch; n++) {
    for (let oy = 0; oy < outH; oy++) {
      const top = (n * inH + ys.lo[oy]) * inW;
      const bottom = (n * inH + ys.hi[oy]) * inW;
      const ty = ys.t[oy];
      for (let ox = 0; ox < outW; ox++, o += C) {
        const tx = xs.t[ox];
        const wtl = (1 - ty) * (1 - tx),
          wtr = (1 - ty) * tx,
          wbl = ty * (1 - tx),
          wbr = ty * tx;
        const tl = (top + xs.lo[ox]) * C,
          tr = (top + xs.hi[ox]) * C;
        const bl = (bottom + xs.lo[ox]) * C,
          br = (bottom + xs.hi[ox]) * C;
        for (let c = 0; c < C; c++) {
          const g = dy[o + c];
          dx[tl + c] += g * wtl;
          dx[tr + c] += g * wtr;
          dx[bl + c] += g * wbl;
          dx[br + c] += g * wbr;
        }
      }
    }
  }
}

export function resizeNearestNeighbor(x: Float32Array, out: Float32Array, info: ResizeInfo): void {
  const { batch, inH, inW, channels: C, outH, outW } = info;
  const ys = nearestTaps(inH, outH, info);
  const xs = nearestTaps(inW, outW, info);
  let o = 0;
  for (let n = 0; n < batch; n++) {
    for (let oy = 0; oy < outH; oy++) {
      const row = (n * inH + ys[oy]) * inW;
      for (let ox = 0; ox < outW; ox++, o += C) out.set(x.subarray((row + xs[ox]) * C, (row + xs[ox] + 1) * C), o);
    }
  }
}

export function resizeNearestNeighborBackprop(dy: Float32Array, dx: Float32Array, info: ResizeInfo): void {
  const { batch, inH, inW, channels: C, outH, outW } = info;
  const ys = nearestTaps(inH, outH, info);
  const xs = nearestTaps(inW, outW, info);
  dx.fill(0);
  let o = 0;
  for (let n = 0; n < batch; n++) {
    for (let oy = 0; oy < outH; oy++) {
      const row = (n * inH + ys[oy]) * inW;
      for (let ox = 0; ox < outW; ox++, o += C) {
        const dst = (row + xs[ox]) * C;
        for (let c = 0; c < C; c++) dx[dst + c] += dy[o + c];
      }
    }
  }
}
