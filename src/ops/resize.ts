import type { ResizeInfo } from '../backend/backend.js';
import { backend } from '../backend/registry.js';
import type { Tensor } from '../tensor/tensor.js';
import { asBatch, pair } from './conv.js';
import { allocate, record } from './op.js';

export interface ResizeOptions {
  /** Map the corner pixels' centres onto each other (default false). */
  alignCorners?: boolean;
  /**
   * Pixel centres at half-integer coordinates (default true: TF 2 `tf.image.resize` and Keras). TensorFlow.js'
   * `resizeBilinear` / `resizeNearestNeighbor` default to false (TF 1 behaviour); pass false to match them.
   */
  halfPixelCenters?: boolean;
}

type Method = 'bilinear' | 'nearest';

function resizeInfo(fn: string, x: Tensor, size: readonly number[], options: ResizeOptions): ResizeInfo {
  const [outH, outW] = pair(fn, 'size', size);
  const alignCorners = options.alignCorners ?? false;
  const halfPixelCenters = options.halfPixelCenters ?? !alignCorners;
  if (alignCorners && halfPixelCenters) throw new Error(`${fn}(): alignCorners and halfPixelCenters cannot both be true.`);
  const [batch, inH, inW, channels] = x.shape;
  return { batch, inH, inW, channels, outH, outW, alignCorners, halfPixelCenters };
}

function resizeCore(method: Method, x: Tensor, info: ResizeInfo): Tensor {
  const out = allocate([info.batch, info.outH, info.outW, info.channels]);
  if (method === 'bilinear') backend().resizeBilinear(x.values, out.values, info);
  else backend().resizeNearestNeighbor(x.values, out.values, info);
  return record(out, method === 'bilinear' ? 'resizeBilinear' : 'resizeNearestNeighbor', [x], (dy) => [resizeBackprop(method, dy, info)]);
}

function resizeBackprop(method: Method, dy: Tensor, info: ResizeInfo): Tensor {
  const dx = allocate([info.batch, info.inH, info.inW, info.channels]);
  if (method === 'bilinear') backend().resizeBilinearBackprop(dy.values, dx.values, info);
  else backend().resizeNearestNeighborBackprop(dy.values, dx.values, info);
  // NOTE: linear in dy; its adjoint is the resize itself.
  return record(dx, 'resizeBackprop', [dy], (g) => [resizeCore(method, g, info)]);
}

/**
 * Bilinear resize of NHWC images to `[height, width]`, as TF 2 `tf.image.resize(..., 'bilinear')`
 * (half-pixel centres, edges clamped) unless `options` say otherwise.
 *
 *     resizeBilinear(images, [56, 56]);
 */
export function resizeBilinear(x: Tensor, size: readonly [number, number], options: ResizeOptions = {}): Tensor {
  const { x4, unbatch } = asBatch('resizeBilinear', x);
  return unbatch(resizeCore('bilinear', x4, resizeInfo('resizeBilinear', x4, size, options)));
}

/** Nearest-neighbour resize of NHWC images to `[height, width]` (TF 2 `tf.image.resize(..., 'nearest')` by default). */
export function resizeNearestNeighbor(x: Tensor, size: readonly [number, number], options: ResizeOptions = {}): Tensor {
  const { x4, unbatch } = asBatch('resizeNearestNeighbor', x);
  return unbatch(resizeCore('nearest', x4, resizeInfo('resizeNearestNeighbor', x4, size, options)));
}

export interface UpSampling2DOptions {
  /** Integer factors `[sh, sw]` (or one for both axes; default 2). */
  size?: number | readonly [number, number];
  /** Default `'nearest'`. */
  interpolation?: Method;
}

/**
 * Keras UpSampling2D on NHWC images: [N, H, W, C] -> [N, H*sh, W*sw, C]. `'nearest'` repeats each pixel;
 * `'bilinear'` is `tf.image.resize` with half-pixel centres, which is what Keras (2 and 3) calls.
 * NOTE: TensorFlow.js' UpSampling2D layer uses `resizeBilinear` with halfPixelCenters = false, which differs
 * for bilinear (nearest agrees for integer factors).
 *
 *     upSampling2d(x, { size: [2, 2], interpolation: 'bilinear' });
 */
export function upSampling2d(x: Tensor, options: UpSampling2DOptions = {}): Tensor {
  const { x4, unbatch } = asBatch('upSampling2d', x);
  const [sh, sw] = pair('upSampling2d', 'size', options.size ?? 2);
  const interpolation = options.interpolation ?? 'nearest';
  if (interpolation !== 'nearest' && interpolation !== 'bilinear') {
    throw new Error(`upSampling2d(): interpolation must be 'nearest' or 'bilinear', got ${JSON.stringify(interpolation)}.`);
  }
  const info = resizeInfo('upSampling2d', x4, [x4.shape[1] * sh, x4.shape[2] * sw], { halfPixelCenters: true });
  return unbatch(resizeCore(interpolation, x4, info));
}
