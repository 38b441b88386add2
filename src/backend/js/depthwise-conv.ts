import type { Conv2DInfo } from '../backend.js';
import { scratch } from './scratch.js';

// Depthwise convolution: every input channel c has its own `multiplier` filters; output channel
// c*multiplier + m reads only channel c. There is no channel reduction to turn into a GEMM, so these are
// direct loops, innermost over the contiguous channel axis (NHWC) of image, filter and output alike.

export function depthwiseConv2d(x: Float32Array, filter: Float32Array, out: Float32Array, info: Conv2DInfo): void {
  const { batch, inH, inW, inC, outH, outW, outC, kh, kw, strideH, strideW, dilationH, dilationW, padTop, padLeft } = info;
  const mult = outC / inC;
  const acc = scratch('depthwise.acc', outC);
  let o = 0;
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++, o += outC) {
        acc.fill(0, 0, outC);
        for (let ky = 0; ky < kh; ky++) {
          const iy = oh * strideH - padTop + ky * dilationH;
          if (iy < 0 || iy >= inH) continue;
          for (let kx = 0; kx < kw; kx++) {
            const ix = ow * strideW - padLeft + kx * dilationW;
            if (ix < 0 || ix >= inW) continue;
            const xo = ((n * inH + iy) * inW + ix) * inC;
            const wo = (ky * kw + kx) * outC;
            if (mult === 1) {
              for (let c = 0; c < inC; c++) acc[c] += x[xo + c] * filter[wo + c];
            } else {
              for (let c = 0, j = 0; c < inC; c++) {
                const v = x[xo + c];
                for (let m = 0; m < mult; m++, j++) acc[j] += v * filter[wo + j];
              }
            }
          }
        }
        for (let j = 0; j < outC; j++) out[o + j] = acc[j];
      }
    }
  }
}

export function depthwiseConv2dBackpropInput(dy: Float32Array, filter: Float32Array, dx: Float32Array, info: Conv2DInfo): void {
  const { batch, inH, inW, inC, outH, outW, outC, kh, kw, strideH, strideW, dilationH, dilationW, padTop, padLeft } = info;
  const mult = outC / inC;
  dx.fill(0);
  let o = 0;
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++, o += outC) {
        for (let ky = 0; ky < kh; ky++) {
          const iy = oh * strideH - padTop + ky * dilationH;
          if (iy < 0 || iy >= inH) continue;
          for (let kx = 0; kx < kw; kx++) {
            const ix = ow * strideW - padLeft + kx * dilationW;
            if (ix < 0 || ix >= inW) continue;
            const xo = ((n * inH + iy) * inW + ix) * inC;
            const wo = (ky * kw + kx) * outC;
            for (let c = 0, j = 0; c < inC; c++) {
              let s = 0;
              for (let m = 0; m < mult; m++, j++) s += dy[o + j] * filter[wo + j];
              dx[xo + c] += s;
            }
          }
        }
      }
    }
  }
}

export function depthwiseConv2dBackpropFilter(x: Float32Array, dy: Float32Array, dw: Float32Array, info: Conv2DInfo): void {
  const { batch, inH, inW, inC, outH, outW, outC, kh, kw, strideH, strideW, dilationH, dilationW, padTop, padLeft } = info;
  const mult = outC / inC;
  const acc = scratch('depthwise.acc', dw.length);
  acc.fill(0, 0, dw.length);
  let o = 0;
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++, o += outC) {
        for (let ky = 0; ky < kh; ky++) {
          const iy = oh * strideH - padTop + ky * dilationH;
          if (iy < 0 || iy >= inH) continue;
          for (let kx = 0; kx < kw; kx++) {
            const ix = ow * strideW - padLeft + kx * dilationW;
            if (ix < 0 || ix >= inW) continue;
            const xo = ((n * inH + iy) * inW + ix) * inC;
            const wo = (ky * kw + kx) * outC;
            for (let c = 0, j = 0; c < inC; c++) {
              const v = x[xo + c];
              for (let m = 0; m < mult; m++, j++) acc[wo + j] += v * dy[o + j];
            }
          }
        }
      }
    }
  }
  for (let i = 0; i < dw.length; i++) dw[i] = acc[i];
}
