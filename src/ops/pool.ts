import type { Pool2DInfo } from '../backend/backend.js';
import { backend } from '../backend/registry.js';
import { formatShape, type Shape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { asBatch, convAxis, pair } from './conv.js';
import { allocate, record } from './op.js';
import { max, mean } from './reduce.js';

export interface Pool2DOptions {
  /** Window size, one number or `[ph, pw]` (default 2, as Keras). */
  poolSize?: number | readonly [number, number];
  /** Step between windows (default: the pool size). */
  strides?: number | readonly [number, number];
  /** `'valid'` (default) or `'same'` (TensorFlow's rule; padded cells never count). */
  padding?: 'valid' | 'same';
}

/** The checked geometry of a pooling of images of `shape` [N, H, W, C] (`fn` names the caller in errors). */
export function poolInfo(fn: string, shape: Shape, opts: Pool2DOptions): Pool2DInfo {
  const [poolH, poolW] = pair(fn, 'poolSize', opts.poolSize ?? 2);
  const [strideH, strideW] = pair(fn, 'strides', opts.strides ?? [poolH, poolW]);
  const padding = opts.padding ?? 'valid';
  if (padding !== 'valid' && padding !== 'same') throw new Error(`${fn}(): padding must be 'valid' or 'same', got ${JSON.stringify(padding)}.`);
  const [batch, inH, inW, channels] = shape;
  const rows = convAxis(inH, poolH, strideH, 1, padding);
  const cols = convAxis(inW, poolW, strideW, 1, padding);
  if (rows.out < 1 || cols.out < 1) {
    throw new Error(
      `${fn}(): the ${poolH}x${poolW} window does not fit in the ${inH}x${inW} input (shape ${formatShape(shape)}) with 'valid' padding; use padding 'same' or a smaller poolSize.`,
    );
  }
  return { batch, inH, inW, channels, outH: rows.out, outW: cols.out, poolH, poolW, strideH, strideW, padTop: rows.before, padLeft: cols.before };
}

const outShape = (info: Pool2DInfo) => [info.batch, info.outH, info.outW, info.channels];
const inShape = (info: Pool2DInfo) => [info.batch, info.inH, info.inW, info.channels];

/**
 * Max over each window of NHWC images; with `'same'` the padded cells are -inf (never selected).
 *
 *     maxPool2d(images, { poolSize: 2 });  // [N, 28, 28, C] -> [N, 14, 14, C]
 */
export function maxPool2d(x: Tensor, options: Pool2DOptions = {}): Tensor {
  const { x4, unbatch } = asBatch('maxPool2d', x);
  const info = poolInfo('maxPool2d', x4.shape, options);
  const out = allocate(outShape(info), false);
  backend().maxPool2d(x4.values, out.values, info);
  // NOTE: the gradient goes to the first maximum of each window (TensorFlow); unlike max(), ties do not
  // share it. The gradient itself is not recorded, so maxPool2d is differentiable once.
  return unbatch(
    record(out, 'maxPool2d', [x4], (dy) => {
      const dx = allocate(inShape(info), false);
      backend().maxPool2dBackprop(x4.values, dy.values, dx.values, info);
      return [dx];
    }),
  );
}

/**
 * Mean over each window of NHWC images; with `'same'` each window is divided by its number of real
 * (non-padded) cells, as in TensorFlow.
 *
 *     avgPool2d(images, { poolSize: 3, strides: 2, padding: 'same' });
 */
export function avgPool2d(x: Tensor, options: Pool2DOptions = {}): Tensor {
  const { x4, unbatch } = asBatch('avgPool2d', x);
  return unbatch(avgPoolCore(x4, poolInfo('avgPool2d', x4.shape, options)));
}

function avgPoolCore(x: Tensor, info: Pool2DInfo): Tensor {
  const out = allocate(outShape(info), false);
  backend().avgPool2d(x.values, out.values, info);
  return record(out, 'avgPool2d', [x], (dy) => [avgPool2dBackprop(dy, info)]);
}

/** The gradient of `avgPool2d`: each output gradient spread evenly over the real cells of its window. */
export function avgPool2dBackprop(dy: Tensor, info: Pool2DInfo): Tensor {
  const dx = allocate(inShape(info), false);
  backend().avgPool2dBackprop(dy.values, dx.values, info);
  // NOTE: linear in dy, and its adjoint is the average pooling itself.
  return record(dx, 'avgPool2dBackprop', [dy], (g) => [avgPoolCore(g, info)]);
}

function checkImages(fn: string, x: Tensor): void {
  if (x.rank !== 4) throw new Error(`${fn}(): expected an NHWC image batch [batch, height, width, channels], got shape ${formatShape(x.shape)}.`);
}

/**
 * Mean over height and width: [N, H, W, C] -> [N, C] (Keras GlobalAveragePooling2D).
 *
 *     globalAveragePooling2d(features);  // [32, 7, 7, 64] -> [32, 64]
 */
export function globalAveragePooling2d(x: Tensor): Tensor {
  checkImages('globalAveragePooling2d', x);
  return mean(x, [1, 2]);
}

/** Max over height and width: [N, H, W, C] -> [N, C] (Keras GlobalMaxPooling2D; ties share the gradient). */
export function globalMaxPooling2d(x: Tensor): Tensor {
  checkImages('globalMaxPooling2d', x);
  return max(x, [1, 2]);
}
