import type { Pool2DInfo } from '../backend.js';
import { scratch } from './scratch.js';

// Pooling over NHWC windows. Each output pixel visits its window's in-image cells only, so padding never
// wins a max and never counts towards a mean (TensorFlow semantics). Loops run innermost over channels.

/** First and one-past-last in-image row (or column) of window `o`. */
function windowRange(o: number, stride: number, pad: number, size: number, extent: number): [number, number] {
  const start = o * stride - pad;
  return [Math.max(start, 0), Math.min(start + size, extent)];
}

export function maxPool2d(x: Float32Array, out: Float32Array, info: Pool2DInfo): void {
  const { batch, inH, inW, channels: C, outH, outW, poolH, poolW, strideH, strideW, padTop, padLeft } = info;
  const best = scratch('pool.best', C);
  let o = 0;
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < outH; oh++) {
      const [y0, y1] = windowRange(oh, strideH, padTop, poolH, inH);
      for (let ow = 0; ow < outW; ow++, o += C) {
        const [x0, x1] = windowRange(ow, strideW, padLeft, poolW, inW);
        best.fill(-Infinity, 0, C);
        for (let iy = y0; iy < y1; iy++) {
          for (let ix = x0; ix < x1; ix++) {
            const src = ((n * inH + iy) * inW + ix) * C;
            for (let c = 0; c < C; c++) {
              const v = x[src + c];
              if (v > best[c]) best[c] = v;
            }
          }
        }
        for (let c = 0; c < C; c++) out[o + c] = best[c];
      }
    }
  }
}

export function maxPool2dBackprop(x: Float32Array, dy: Float32Array, dx: Float32Array, info: Pool2DInfo): void {
  const { batch, inH, inW, channels: C, outH, outW, poolH, poolW, strideH, strideW, padTop, padLeft } = info;
  const best = scratch('pool.best', C);
  const where = scratch('pool.where', C);
  dx.fill(0);
  let o = 0;
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < outH; oh++) {
      const [y0, y1] = windowRange(oh, strideH, padTop, poolH, inH);
      for (let ow = 0; ow < outW; ow++, o += C) {
        const [x0, x1] = windowRange(ow, strideW, padLeft, poolW, inW);
        best.fill(-Infinity, 0, C);
        where.fill(-1, 0, C);
        for (let iy = y0; iy < y1; iy++) {
          for (let ix = x0; ix < x1; ix++) {
            const src = ((n * inH + iy) * inW + ix) * C;
            for (let c = 0; c < C; c++) {
              const v = x[src + c];
              // strict '>' keeps the first maximum, as TensorFlow does; a NaN or all -inf window keeps the first cell
              if (v > best[c] || where[c] < 0) {
                best[c] = v;
                where[c] = src + c;
              }
            }
          }
        }
        for (let c = 0; c < C; c++) if (where[c] >= 0) dx[where[c]] += dy[o + c];
      }
    }
  }
}

export function avgPool2d(x: Float32Array, out: Float32Array, info: Pool2DInfo): void {
  const { batch, inH, inW, channels: C, outH, outW, poolH, poolW, strideH, strideW, padTop, padLeft } = info;
  const acc = scratch('pool.acc', C);
  let o = 0;
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < outH; oh++) {
      const [y0, y1] = windowRange(oh, strideH, padTop, poolH, inH);
      for (let ow = 0; ow < outW; ow++, o += C) {
        const [x0, x1] = windowRange(ow, strideW, padLeft, poolW, inW);
        acc.fill(0, 0, C);
        for (let iy = y0; iy < y1; iy++) {
          for (let ix = x0; ix < x1; ix++) {
            const src = ((n * inH + iy) * inW + ix) * C;
            for (let c = 0; c < C; c++) acc[c] += x[src + c];
          }
        }
        const count = Math.max(y1 - y0, 0) * Math.max(x1 - x0, 0);
        const scale = count > 0 ? 1 / count : 0;
        for (let c = 0; c < C; c++) out[o + c] = acc[c] * scale;
      }
    }
  }
}

export function avgPool2dBackprop(dy: Float32Array, dx: Float32Array, info: Pool2DInfo): void {
  const { batch, inH, inW, channels: C, outH, outW, poolH, poolW, strideH, strideW, padTop, padLeft } = info;
  dx.fill(0);
  let o = 0;
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < outH; oh++) {
      const [y0, y1] = windowRange(oh, strideH, padTop, poolH, inH);
      for (let ow = 0; ow < outW; ow++, o += C) {
        const [x0, x1] = windowRange(ow, strideW, padLeft, poolW, inW);
        const count = Math.max(y1 - y0, 0) * Math.max(x1 - x0, 0);
        if (count === 0) continue;
        const scale = 1 / count;
        for (let iy = y0; iy < y1; iy++) {
          for (let ix = x0; ix < x1; ix++) {
            const dst = ((n * inH + iy) * inW + ix) * C;
            for (let c = 0; c < C; c++) dx[dst + c] += dy[o + c] * scale;
          }
        }
      }
    }
  }
}
