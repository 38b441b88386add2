import type { Conv2DInfo } from '../backend/backend.js';
import { backend } from '../backend/registry.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { allocate, record } from './op.js';
import { reshape } from './reshape.js';

/** `'valid'` (no padding), `'same'` (TensorFlow's rule) or explicit `[[top, bottom], [left, right]]`. */
export type Padding = 'valid' | 'same' | readonly [readonly [number, number], readonly [number, number]];

export interface Conv2DOptions {
  /** Step between windows, one number for both axes or `[sh, sw]` (default 1). */
  strides?: number | readonly [number, number];
  /** Default `'valid'`, as in Keras. */
  padding?: Padding;
  /** Spacing between kernel taps (default 1). */
  dilationRate?: number | readonly [number, number];
}

export interface Conv2DTransposeOptions {
  strides?: number | readonly [number, number];
  padding?: 'valid' | 'same';
  dilationRate?: number | readonly [number, number];
}

/** `n` or `[a, b]` as a validated pair of positive integers. */
export function pair(fn: string, name: string, v: number | readonly number[]): [number, number] {
  const p: number[] = typeof v === 'number' ? [v, v] : [...v];
  if (p.length !== 2 || !p.every((d) => Number.isInteger(d) && d >= 1)) {
    throw new Error(`${fn}(): ${name} must be a positive integer or a pair of them, got ${JSON.stringify(v)}.`);
  }
  return [p[0], p[1]];
}

/**
 * Output length and [before, after] padding along one axis. `'same'` follows TensorFlow:
 * out = ceil(in / stride), total = max((out-1)*stride + (k-1)*dilation + 1 - in, 0), before = floor(total/2).
 */
export function convAxis(
  inSize: number,
  kernel: number,
  stride: number,
  dilation: number,
  padding: 'valid' | 'same' | readonly [number, number],
): { out: number; before: number; after: number } {
  const span = (kernel - 1) * dilation + 1;
  if (padding === 'same') {
    const out = Math.ceil(inSize / stride);
    const total = Math.max((out - 1) * stride + span - inSize, 0);
    const before = Math.floor(total / 2);
    return { out, before, after: total - before };
  }
  const [before, after] = padding === 'valid' ? [0, 0] : padding;
  return { out: Math.floor((inSize + before + after - span) / stride) + 1, before, after };
}

/**
 * Output length of a convolution or pooling window along one axis, like Keras' `conv_output_length`.
 *
 *     convOutputLength(28, 3, 1, 'valid');  // 26
 */
export function convOutputLength(inSize: number, kernelSize: number, stride = 1, padding: 'valid' | 'same' = 'valid', dilation = 1): number {
  return Math.max(convAxis(inSize, kernelSize, stride, dilation, padding).out, 0);
}

function checkPadding(fn: string, padding: Padding): void {
  if (padding === 'valid' || padding === 'same') return;
  const ok =
    Array.isArray(padding) && padding.length === 2 && padding.every((p) => Array.isArray(p) && p.length === 2 && p.every((d) => Number.isInteger(d) && d >= 0));
  if (!ok)
    throw new Error(`${fn}(): padding must be 'valid', 'same' or [[top, bottom], [left, right]] of non-negative integers, got ${JSON.stringify(padding)}.`);
}

/** Accepts [N, H, W, C] or a single [H, W, C] image; returns the batched view and how to undo it. */
export function asBatch(fn: string, x: Tensor): { x4: Tensor; unbatch: (y: Tensor) => Tensor } {
  if (x.rank === 4) return { x4: x, unbatch: (y) => y };
  if (x.rank === 3) return { x4: reshape(x, [1, ...x.shape]), unbatch: (y) => reshape(y, y.shape.slice(1)) };
  throw new Error(
    `${fn}(): expected an NHWC image batch [batch, height, width, channels] (or one [height, width, channels] image), got shape ${formatShape(x.shape)}.`,
  );
}

/** The geometry of a convolution of `x` [N, H, W, C] with a [kh, kw, C, outC] (or depthwise) kernel. */
function convInfo(fn: string, x: Tensor, kh: number, kw: number, outC: number, opts: Conv2DOptions): Conv2DInfo {
  const [strideH, strideW] = pair(fn, 'strides', opts.strides ?? 1);
  const [dilationH, dilationW] = pair(fn, 'dilationRate', opts.dilationRate ?? 1);
  const padding = opts.padding ?? 'valid';
  checkPadding(fn, padding);
  const [batch, inH, inW, inC] = x.shape;
  const rows = convAxis(inH, kh, strideH, dilationH, typeof padding === 'string' ? padding : padding[0]);
  const cols = convAxis(inW, kw, strideW, dilationW, typeof padding === 'string' ? padding : padding[1]);
  if (rows.out < 1 || cols.out < 1) {
    throw new Error(
      `${fn}(): the ${kh}x${kw} kernel (dilation ${dilationH}x${dilationW}) does not fit in the ${inH}x${inW} input with padding ${JSON.stringify(padding)}; use padding 'same' or a smaller kernel.`,
    );
  }
  return {
    batch,
    inH,
    inW,
    inC,
    outH: rows.out,
    outW: cols.out,
    outC,
    kh,
    kw,
    strideH,
    strideW,
    dilationH,
    dilationW,
    padTop: rows.before,
    padLeft: cols.before,
  };
}

function checkKernel(fn: string, kernel: Tensor, layout: string): void {
  if (kernel.rank !== 4) throw new Error(`${fn}(): kernel must have rank 4 ${layout}, got shape ${formatShape(kernel.shape)}.`);
}

/**
 * 2-D convolution (cross-correlation, as in TensorFlow) of NHWC images with a `[kh, kw, inChannels,
 * outChannels]` kernel.
 *
 *     conv2d(images, kernel, { strides: 2, padding: 'same' });  // [N, 28, 28, 1] * [3, 3, 1, 8] -> [N, 14, 14, 8]
 */
export function conv2d(x: Tensor, kernel: Tensor, options: Conv2DOptions = {}): Tensor {
  const { x4, unbatch, info } = conv2dGeometry('conv2d', x, kernel, options);
  return unbatch(conv2dCore(x4, kernel, info));
}

/** The checked geometry of `conv2d(x, kernel, options)` (`fn` names the caller in errors), with `x` as a batch. */
export function conv2dGeometry(
  fn: string,
  x: Tensor,
  kernel: Tensor,
  options: Conv2DOptions,
): { x4: Tensor; unbatch: (y: Tensor) => Tensor; info: Conv2DInfo } {
  const { x4, unbatch } = asBatch(fn, x);
  checkKernel(fn, kernel, '[kh, kw, inChannels, outChannels]');
  const [kh, kw, kin, outC] = kernel.shape;
  if (kin !== x4.shape[3]) {
    throw new Error(
      `${fn}(): kernel in-channels ${kin} (kernel ${formatShape(kernel.shape)}, [kh, kw, inChannels, outChannels]) do not match the input's ${x4.shape[3]} channels (input ${formatShape(x.shape)}, NHWC).`,
    );
  }
  return { x4, unbatch, info: convInfo(fn, x4, kh, kw, outC, options) };
}

function conv2dCore(x: Tensor, kernel: Tensor, info: Conv2DInfo): Tensor {
  const out = allocate([info.batch, info.outH, info.outW, info.outC], false);
  backend().conv2d(x.values, kernel.values, out.values, info);
  return record(out, 'conv2d', [x, kernel], (dy, needs) => [
    needs[0] ? conv2dBackpropInput(dy, kernel, info) : null,
    needs[1] ? conv2dBackpropFilter(x, dy, info) : null,
  ]);
}

/** The gradient of `conv2d` with respect to its input (a transposed convolution of `dy`). */
export function conv2dBackpropInput(dy: Tensor, kernel: Tensor, info: Conv2DInfo): Tensor {
  const dx = allocate([info.batch, info.inH, info.inW, info.inC], false);
  backend().conv2dBackpropInput(dy.values, kernel.values, dx.values, info);
  // NOTE: bilinear in (dy, kernel); <g, dx> = <conv2d(g, kernel), dy>, so the adjoints are the forward
  // convolution and the filter gradient.
  return record(dx, 'conv2dBackpropInput', [dy, kernel], (g, needs) => [
    needs[0] ? conv2dCore(g, kernel, info) : null,
    needs[1] ? conv2dBackpropFilter(g, dy, info) : null,
  ]);
}

/** The gradient of `conv2d` with respect to its kernel. */
export function conv2dBackpropFilter(x: Tensor, dy: Tensor, info: Conv2DInfo): Tensor {
  const dw = allocate([info.kh, info.kw, info.inC, info.outC], false);
  backend().conv2dBackpropFilter(x.values, dy.values, dw.values, info);
  // NOTE: <g, dw> = <conv2d(x, g), dy> = <x, conv2dBackpropInput(dy, g)>.
  return record(dw, 'conv2dBackpropFilter', [x, dy], (g, needs) => [
    needs[0] ? conv2dBackpropInput(dy, g, info) : null,
    needs[1] ? conv2dCore(x, g, info) : null,
  ]);
}

/**
 * Depthwise 2-D convolution: each input channel c is convolved with its own `multiplier` filters
 * `kernel[:, :, c, m]`, giving output channel `c*multiplier + m` (TensorFlow's order).
 *
 *     depthwiseConv2d(images, kernel, { padding: 'same' });  // [N, H, W, 3] * [3, 3, 3, 2] -> [N, H, W, 6]
 */
export function depthwiseConv2d(x: Tensor, kernel: Tensor, options: Conv2DOptions = {}): Tensor {
  const { x4, unbatch } = asBatch('depthwiseConv2d', x);
  checkKernel('depthwiseConv2d', kernel, '[kh, kw, inChannels, depthMultiplier]');
  const [kh, kw, kin, mult] = kernel.shape;
  if (kin !== x4.shape[3]) {
    throw new Error(
      `depthwiseConv2d(): kernel in-channels ${kin} (kernel ${formatShape(kernel.shape)}, [kh, kw, inChannels, depthMultiplier]) do not match the input's ${x4.shape[3]} channels (input ${formatShape(x.shape)}, NHWC).`,
    );
  }
  return unbatch(depthwiseCore(x4, kernel, convInfo('depthwiseConv2d', x4, kh, kw, kin * mult, options)));
}

function depthwiseCore(x: Tensor, kernel: Tensor, info: Conv2DInfo): Tensor {
  const out = allocate([info.batch, info.outH, info.outW, info.outC]);
  backend().depthwiseConv2d(x.values, kernel.values, out.values, info);
  return record(out, 'depthwiseConv2d', [x, kernel], (dy, needs) => [
    needs[0] ? depthwiseConv2dBackpropInput(dy, kernel, info) : null,
    needs[1] ? depthwiseConv2dBackpropFilter(x, dy, info) : null,
  ]);
}

/** The gradient of `depthwiseConv2d` with respect to its input. */
export function depthwiseConv2dBackpropInput(dy: Tensor, kernel: Tensor, info: Conv2DInfo): Tensor {
  const dx = allocate([info.batch, info.inH, info.inW, info.inC]);
  backend().depthwiseConv2dBackpropInput(dy.values, kernel.values, dx.values, info);
  return record(dx, 'depthwiseConv2dBackpropInput', [dy, kernel], (g, needs) => [
    needs[0] ? depthwiseCore(g, kernel, info) : null,
    needs[1] ? depthwiseConv2dBackpropFilter(g, dy, info) : null,
  ]);
}

/** The gradient of `depthwiseConv2d` with respect to its kernel. */
export function depthwiseConv2dBackpropFilter(x: Tensor, dy: Tensor, info: Conv2DInfo): Tensor {
  const dw = allocate([info.kh, info.kw, info.inC, info.outC / info.inC]);
  backend().depthwiseConv2dBackpropFilter(x.values, dy.values, dw.values, info);
  return record(dw, 'depthwiseConv2dBackpropFilter', [x, dy], (g, needs) => [
    needs[0] ? depthwiseConv2dBackpropInput(dy, g, info) : null,
    needs[1] ? depthwiseCore(x, g, info) : null,
  ]);
}

/**
 * Transposed convolution ("deconvolution") with a Keras Conv2DTranspose kernel `[kh, kw, filters,
 * inChannels]`: the gradient of `conv2d` with respect to its input, for the same kernel, strides and padding.
 * Output size per axis: `'valid'`: in*stride + max(k - stride, 0); `'same'`: in*stride (Keras, no output_padding).
 *
 *     conv2dTranspose(x, kernel, { strides: 2, padding: 'same' });  // [N, 7, 7, 16] * [3, 3, 8, 16] -> [N, 14, 14, 8]
 */
export function conv2dTranspose(x: Tensor, kernel: Tensor, options: Conv2DTransposeOptions = {}): Tensor {
  const fn = 'conv2dTranspose';
  const { x4, unbatch } = asBatch(fn, x);
  checkKernel(fn, kernel, '[kh, kw, filters, inChannels]');
  const [kh, kw, filters, kin] = kernel.shape;
  const [batch, inH, inW, inC] = x4.shape;
  if (kin !== inC) {
    throw new Error(
      `conv2dTranspose(): kernel in-channels ${kin} (kernel ${formatShape(kernel.shape)}, [kh, kw, filters, inChannels]) do not match the input's ${inC} channels (input ${formatShape(x.shape)}, NHWC).`,
    );
  }
  const padding = options.padding ?? 'valid';
  if (padding !== 'valid' && padding !== 'same') throw new Error(`${fn}(): padding must be 'valid' or 'same', got ${JSON.stringify(padding)}.`);
  const [strideH, strideW] = pair(fn, 'strides', options.strides ?? 1);
  const [dilationH, dilationW] = pair(fn, 'dilationRate', options.dilationRate ?? 1);
  const size = (n: number, k: number, s: number, d: number) => (padding === 'same' ? n * s : n * s + Math.max((k - 1) * d + 1 - s, 0));
  const outH = size(inH, kh, strideH, dilationH);
  const outW = size(inW, kw, strideW, dilationW);
  // the forward convolution this is the input-gradient of: [N, outH, outW, filters] -> x's shape
  const rows = convAxis(outH, kh, strideH, dilationH, padding);
  const cols = convAxis(outW, kw, strideW, dilationW, padding);
  const info: Conv2DInfo = {
    batch,
    inH: outH,
    inW: outW,
    inC: filters,
    outH: inH,
    outW: inW,
    outC: inC,
    kh,
    kw,
    strideH,
    strideW,
    dilationH,
    dilationW,
    padTop: rows.before,
    padLeft: cols.before,
  };
  if (rows.out !== inH || cols.out !== inW) throw new Error(`${fn}(): internal size mismatch (${rows.out}x${cols.out} vs ${inH}x${inW}).`);
  return unbatch(conv2dBackpropInput(x4, kernel, info));
}
