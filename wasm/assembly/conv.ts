// NHWC convolution as GEMM. With [kh, kw, inC, outC] filters,
//   out[pixels, outC] = patches[pixels, K] · filter[K, outC],   K = kh*kw*inC   (im2col),
// and both gradients are GEMMs on the same patches: dpatches = dy · filterᵀ (scattered back by col2im) and
// dfilter = patchesᵀ · dy. Patches are built a chunk of output pixels at a time, so the scratch stays small
// and in cache. A 1x1, stride-1, unpadded convolution is a plain GEMM on the image itself.
import { gemm, MR } from './gemm';

/** Conv geometry, read from the Int32Array the caller wrote (field order of the js `Conv2DInfo`). */
@unmanaged class Geometry {
  batch: i32; inH: i32; inW: i32; inC: i32; outH: i32; outW: i32; outC: i32; kh: i32; kw: i32;
  strideH: i32; strideW: i32; dilationH: i32; dilationW: i32; padTop: i32; padLeft: i32;
}

// NOTE: the geometry is read in place (an unmanaged view of the caller's block), never allocated with
// `new`: the stub runtime would put such an object at __heap_base, inside the GEMM's packing buffers.
@inline function read(g: usize): Geometry {
  return changetype<Geometry>(g);
}

/** True when the patches are the image itself (1x1 kernel, stride 1, no padding). */
@inline function pointwise(g: Geometry): bool {
  return g.kh == 1 && g.kw == 1 && g.strideH == 1 && g.strideW == 1 && g.padTop == 0 && g.padLeft == 0 && g.outH == g.inH && g.outW == g.inW;
}

/** Output pixels per chunk: about 64K floats of patches, a multiple of the GEMM's MR. */
export function chunkRows(K: i32): i32 {
  const rows = max(65536 / max(K, 1), 4 * MR);
  return rows - rows % MR;
}

/** Copies `count` floats; short runs (a few channels) in a loop, where memory.copy's call costs more. */
@inline function copyFloats(dst: usize, src: usize, count: i32): void {
  if (count > 32) {
    memory.copy(dst, src, <usize>count << 2);
    return;
  }
  let c = 0;
  for (; c + 4 <= count; c += 4) v128.store(dst + (<usize>c << 2), v128.load(src + (<usize>c << 2)));
  for (; c < count; c++) store<f32>(dst + (<usize>c << 2), load<f32>(src + (<usize>c << 2)));
}

/** Writes the patches of output pixels [r0, r0 + rows) to `cols` ([rows, K], zeros in the padding). */
function im2col(x: usize, g: Geometry, r0: i32, rows: i32, cols: usize): void {
  const inC = g.inC, inH = g.inH, inW = g.inW, kh = g.kh, kw = g.kw, outW = g.outW, outH = g.outH;
  const strideH = g.strideH, strideW = g.strideW, dilationH = g.dilationH, dilationW = g.dilationW;
  const cBytes = <usize>inC << 2;
  // with dilation 1 along the width, a patch row that lies inside the image is one run of kw*inC floats
  const span = (kw - 1) * dilationW;
  let d = cols;
  let ow = r0 % outW;
  let rest = r0 / outW;
  let oh = rest % outH;
  let n = rest / outH;
  for (let r = 0; r < rows; r++) {
    const y0 = oh * strideH - g.padTop;
    const x0 = ow * strideW - g.padLeft;
    const rowRun = dilationW == 1 && x0 >= 0 && x0 + span < inW;
    for (let ky = 0; ky < kh; ky++) {
      const iy = y0 + ky * dilationH;
      if (iy < 0 || iy >= inH) {
        memory.fill(d, 0, cBytes * kw);
        d += cBytes * kw;
        continue;
      }
      const rowBase = x + (<usize>((n * inH + iy) * inW) * cBytes);
      if (rowRun) {
        copyFloats(d, rowBase + <usize>x0 * cBytes, kw * inC);
        d += cBytes * kw;
        continue;
      }
      for (let kx = 0; kx < kw; kx++) {
        const ix = x0 + kx * dilationW;
        if (ix >= 0 && ix < inW) copyFloats(d, rowBase + <usize>ix * cBytes, inC);
        else memory.fill(d, 0, cBytes);
        d += cBytes;
      }
    }
    if (++ow == outW) {
      ow = 0;
      if (++oh == outH) { oh = 0; n++; }
    }
  }
}

/** The adjoint of im2col: adds each patch row of `cols` into its receptive field of `dx`. */
function col2im(cols: usize, g: Geometry, r0: i32, rows: i32, dx: usize): void {
  const inC = g.inC;
  let s = cols;
  let ow = r0 % g.outW;
  let rest = r0 / g.outW;
  let oh = rest % g.outH;
  let n = rest / g.outH;
  for (let r = 0; r < rows; r++) {
    const y0 = oh * g.strideH - g.padTop;
    const x0 = ow * g.strideW - g.padLeft;
    for (let ky = 0; ky < g.kh; ky++) {
      const iy = y0 + ky * g.dilationH;
      const rowInside = iy >= 0 && iy < g.inH;
      for (let kx = 0; kx < g.kw; kx++) {
        const ix = x0 + kx * g.dilationW;
        if (rowInside && ix >= 0 && ix < g.inW) addInto(dx + (<usize>(((n * g.inH + iy) * g.inW + ix) * inC) << 2), s, inC);
        s += <usize>inC << 2;
      }
    }
    if (++ow == g.outW) {
      ow = 0;
      if (++oh == g.outH) { oh = 0; n++; }
    }
  }
}

/** dst[0..count) += src[0..count). */
@inline function addInto(dst: usize, src: usize, count: i32): void {
  let c = 0;
  for (; c + 4 <= count; c += 4) {
    const o = <usize>c << 2;
    v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
  }
  for (; c < count; c++) {
    const o = <usize>c << 2;
    store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o));
  }
}

/** out = conv2d(x, filter); `cols` has room for chunkRows(K) * K floats. */
export function conv2d(x: usize, filter: usize, out: usize, geometry: usize, cols: usize): void {
  const g = read(geometry);
  const K = g.kh * g.kw * g.inC;
  const M = g.batch * g.outH * g.outW;
  if (pointwise(g)) {
    gemm(x, filter, out, M, K, g.outC, false, false, g.outC, false);
    return;
  }
  const step = chunkRows(K);
  for (let r0 = 0; r0 < M; r0 += step) {
    const rows = min(step, M - r0);
    im2col(x, g, r0, rows, cols);
    gemm(cols, filter, out + (<usize>(r0 * g.outC) << 2), rows, K, g.outC, false, false, g.outC, false);
  }
}

/** dx = the gradient of conv2d with respect to x, from dy. */
export function conv2dBackpropInput(dy: usize, filter: usize, dx: usize, geometry: usize, cols: usize): void {
  const g = read(geometry);
  const K = g.kh * g.kw * g.inC;
  const M = g.batch * g.outH * g.outW;
  if (pointwise(g)) {
    gemm(dy, filter, dx, M, g.outC, K, false, true, K, false);
    return;
  }
  memory.fill(dx, 0, <usize>(g.batch * g.inH * g.inW * g.inC) << 2);
  const step = chunkRows(K);
  for (let r0 = 0; r0 < M; r0 += step) {
    const rows = min(step, M - r0);
    gemm(dy + (<usize>(r0 * g.outC) << 2), filter, cols, rows, g.outC, K, false, true, K, false);
    col2im(cols, g, r0, rows, dx);
  }
}

/** dw = the gradient of conv2d with respect to the filter: patchesᵀ · dy, summed over chunks. */
export function conv2dBackpropFilter(x: usize, dy: usize, dw: usize, geometry: usize, cols: usize): void {
  const g = read(geometry);
  const K = g.kh * g.kw * g.inC;
  const M = g.batch * g.outH * g.outW;
  if (pointwise(g)) {
    gemm(x, dy, dw, K, M, g.outC, true, false, g.outC, false);
    return;
  }
  if (M == 0) {
    memory.fill(dw, 0, <usize>(K * g.outC) << 2);
    return;
  }
  const step = chunkRows(K);
  for (let r0 = 0; r0 < M; r0 += step) {
    const rows = min(step, M - r0);
    im2col(x, g, r0, rows, cols);
    gemm(cols, dy + (<usize>(r0 * g.outC) << 2), dw, K, rows, g.outC, true, false, g.outC, r0 > 0);
  }
}
