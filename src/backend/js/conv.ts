import type { Conv2DInfo } from '../backend.js';
import { STRIP, microKernel, padToStrip } from './gemm.js';
import { scratch } from './scratch.js';

// Convolution as GEMM: with NHWC images and [kh, kw, inC, outC] filters, conv2d is
//   out[pixels, outC] = patches[pixels, K] · filter[K, outC],   K = kh*kw*inC,
// where row r of `patches` is the receptive field of output pixel r (im2col). The patches are never stored
// whole: they are gathered straight into the packed strips the micro-kernel reads, a few pixels at a time.

/** Pixels per block in the filter gradient, where pixels are the GEMM's inner dimension. */
const PIXEL_BLOCK = 128;

/**
 * Writes the receptive field of output pixel `r` (flat over batch, outH, outW) to `dst[off + kk*stride]`
 * for kk in [0, K), in [ky, kx, c] order; cells in the padding are 0.
 */
function gatherPatch(x: Float32Array, info: Conv2DInfo, r: number, dst: Float64Array, off: number, stride: number): void {
  const { inH, inW, inC, outH, outW, kh, kw, strideH, strideW, dilationH, dilationW, padTop, padLeft } = info;
  const ow = r % outW;
  const rest = (r - ow) / outW;
  const oh = rest % outH;
  const n = (rest - oh) / outH;
  const y0 = oh * strideH - padTop;
  const x0 = ow * strideW - padLeft;
  let d = off;
  for (let ky = 0; ky < kh; ky++) {
    const iy = y0 + ky * dilationH;
    const rowInside = iy >= 0 && iy < inH;
    for (let kx = 0; kx < kw; kx++) {
      const ix = x0 + kx * dilationW;
      if (rowInside && ix >= 0 && ix < inW) {
        const src = ((n * inH + iy) * inW + ix) * inC;
        for (let c = 0; c < inC; c++, d += stride) dst[d] = x[src + c];
      } else {
        for (let c = 0; c < inC; c++, d += stride) dst[d] = 0;
      }
    }
  }
}

/** The adjoint of `gatherPatch`: adds `src[off + kk]` into the receptive field of output pixel `r` of `dx`. */
function scatterPatch(src: Float64Array, off: number, info: Conv2DInfo, r: number, dx: Float32Array): void {
  const { inH, inW, inC, outH, outW, kh, kw, strideH, strideW, dilationH, dilationW, padTop, padLeft } = info;
  const ow = r % outW;
  const rest = (r - ow) / outW;
  const oh = rest % outH;
  const n = (rest - oh) / outH;
  const y0 = oh * strideH - padTop;
  const x0 = ow * strideW - padLeft;
  for (let ky = 0; ky < kh; ky++) {
    const iy = y0 + ky * dilationH;
    if (iy < 0 || iy >= inH) continue;
    for (let kx = 0; kx < kw; kx++) {
      const ix = x0 + kx * dilationW;
      if (ix < 0 || ix >= inW) continue;
      const dst = ((n * inH + iy) * inW + ix) * inC;
      const s = off + (ky * kw + kx) * inC;
      for (let c = 0; c < inC; c++) dx[dst + c] += src[s + c];
    }
  }
}

export function conv2d(x: Float32Array, filter: Float32Array, out: Float32Array, info: Conv2DInfo): void {
  const { batch, outH, outW, outC, kh, kw, inC } = info;
  const K = kh * kw * inC;
  const pixels = batch * outH * outW;
  const nPad = padToStrip(outC);
  // filter [K, outC] packed into column strips: b[s*K*4 + p*4 + j] = filter[p, 4s + j]
  const b = scratch('conv.b', nPad * K);
  for (let s = 0; s < nPad; s += STRIP) {
    let d = s * K;
    for (let p = 0; p < K; p++) {
      for (let j = s; j < s + STRIP; j++, d++) b[d] = j < outC ? filter[p * outC + j] : 0;
    }
  }
  const a = scratch('conv.a', STRIP * K);
  const c = scratch('conv.c', STRIP * nPad);
  for (let r0 = 0; r0 < pixels; r0 += STRIP) {
    const rows = Math.min(STRIP, pixels - r0);
    for (let i = 0; i < STRIP; i++) {
      if (i < rows) gatherPatch(x, info, r0 + i, a, i, STRIP);
      else for (let p = 0; p < K; p++) a[p * STRIP + i] = 0;
    }
    for (let s = 0; s < nPad; s += STRIP) microKernel(K, a, 0, b, s * K, c, s, nPad, false);
    for (let i = 0; i < rows; i++) {
      const o = (r0 + i) * outC;
      const ci = i * nPad;
      for (let j = 0; j < outC; j++) out[o + j] = c[ci + j];
    }
  }
}

/** dpatches[pixels, K] = dy[pixels, outC] · filter^T, then each patch row is added back into dx (col2im). */
export function conv2dBackpropInput(dy: Float32Array, filter: Float32Array, dx: Float32Array, info: Conv2DInfo): void {
  const { batch, outH, outW, outC, kh, kw, inC } = info;
  const K = kh * kw * inC;
  const kPad = padToStrip(K);
  const pixels = batch * outH * outW;
  // filter^T [outC, K] packed into column strips: b[t*outC*4 + p*4 + j] = filter[4t + j, p]
  const b = scratch('conv.b', kPad * outC);
  for (let t = 0; t < kPad; t += STRIP) {
    let d = t * outC;
    for (let p = 0; p < outC; p++) {
      for (let j = t; j < t + STRIP; j++, d++) b[d] = j < K ? filter[j * outC + p] : 0;
    }
  }
  const a = scratch('conv.a', STRIP * outC);
  const c = scratch('conv.c', STRIP * kPad);
  dx.fill(0);
  for (let r0 = 0; r0 < pixels; r0 += STRIP) {
    const rows = Math.min(STRIP, pixels - r0);
    for (let i = 0; i < STRIP; i++) {
      const src = (r0 + i) * outC;
      if (i < rows) for (let p = 0; p < outC; p++) a[p * STRIP + i] = dy[src + p];
      else for (let p = 0; p < outC; p++) a[p * STRIP + i] = 0;
    }
    for (let t = 0; t < kPad; t += STRIP) microKernel(outC, a, 0, b, t * outC, c, t, kPad, false);
    for (let i = 0; i < rows; i++) scatterPatch(c, i * kPad, info, r0 + i, dx);
  }
}

/** dfilter[K, outC] = patches^T · dy, summed over blocks of pixels (the GEMM's inner dimension). */
export function conv2dBackpropFilter(x: Float32Array, dy: Float32Array, dw: Float32Array, info: Conv2DInfo): void {
  const { batch, outH, outW, outC, kh, kw, inC } = info;
  const K = kh * kw * inC;
  const kPad = padToStrip(K);
  const nPad = padToStrip(outC);
  const pixels = batch * outH * outW;
  const acc = scratch('conv.acc', kPad * nPad);
  acc.fill(0, 0, kPad * nPad);
  const a = scratch('conv.a', kPad * PIXEL_BLOCK);
  const b = scratch('conv.b', nPad * PIXEL_BLOCK);
  const patch = scratch('conv.patch', K);
  for (let r0 = 0; r0 < pixels; r0 += PIXEL_BLOCK) {
    const pb = Math.min(PIXEL_BLOCK, pixels - r0);
    const stripLen = pb * STRIP;
    // patches^T [K, pb] in row strips: a[(kk>>2)*pb*4 + rr*4 + (kk&3)] = patch_rr[kk]; the rows past K
    // are left as they are: they only feed the rows of `acc` past K, which are never copied out
    for (let rr = 0; rr < pb; rr++) {
      gatherPatch(x, info, r0 + rr, patch, 0, 1);
      const base = rr * STRIP;
      for (let kk = 0; kk < K; kk++) a[(kk >> 2) * stripLen + base + (kk & 3)] = patch[kk];
    }
    // dy [pb, outC] in column strips: b[(j>>2)*pb*4 + rr*4 + (j&3)] = dy[r0 + rr, j]
    for (let rr = 0; rr < pb; rr++) {
      const src = (r0 + rr) * outC;
      const base = rr * STRIP;
      for (let j = 0; j < nPad; j++) b[(j >> 2) * stripLen + base + (j & 3)] = j < outC ? dy[src + j] : 0;
    }
    for (let t = 0; t < kPad; t += STRIP) {
      for (let s = 0; s < nPad; s += STRIP) microKernel(pb, a, t * pb, b, s * pb, acc, t * nPad + s, nPad, true);
    }
  }
  for (let kk = 0; kk < K; kk++) {
    for (let j = 0; j < outC; j++) dw[kk * outC + j] = acc[kk * nPad + j];
  }
}
