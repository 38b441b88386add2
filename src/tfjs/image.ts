// tf.image: TF.js' resizeBilinear and resizeNearestNeighbor on dendrite's resize ops, with TF.js' defaults
// (alignCorners = false, halfPixelCenters = false: TF 1's pixel mapping, which dendrite's own functions take as
// options; their own default is TF 2's half-pixel centres).
import * as ops from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { convertToTensor } from './convert.js';
import { computedAs, type TensorLike } from './dtype.js';

type Arg = Tensor | TensorLike;

function check(fn: string, images: Tensor, size: readonly number[], alignCorners: boolean, halfPixelCenters: boolean): void {
  if (images.rank !== 3 && images.rank !== 4) throw new Error(`Error in ${fn}: x must be rank 3 or 4, but got rank ${images.rank}.`);
  if (size.length !== 2) throw new Error(`Error in ${fn}: new shape must 2D, but got shape ${size}.`);
  if (halfPixelCenters && alignCorners) throw new Error(`Error in ${fn}: If halfPixelCenters is true, alignCorners must be false.`);
}

/** tf.image.resizeBilinear(images, [newHeight, newWidth], alignCorners = false, halfPixelCenters = false): float32. */
export function resizeBilinear(images: Arg, size: readonly [number, number], alignCorners = false, halfPixelCenters = false): Tensor {
  const t = convertToTensor(images, 'images', 'resizeBilinear');
  check('resizeBilinear', t, size, alignCorners, halfPixelCenters);
  return ops.resizeBilinear(t, size, { alignCorners, halfPixelCenters });
}

/** tf.image.resizeNearestNeighbor(images, [newHeight, newWidth], alignCorners = false, halfPixelCenters = false): same dtype. */
export function resizeNearestNeighbor(images: Arg, size: readonly [number, number], alignCorners = false, halfPixelCenters = false): Tensor {
  const t = convertToTensor(images, 'images', 'resizeNearestNeighbor');
  check('resizeNearestNeighbor', t, size, alignCorners, halfPixelCenters);
  if (t.dtype === 'bool') throw new Error('`images` must have `int32` or `float32` as dtype');
  const out = ops.resizeNearestNeighbor(t, size, { alignCorners, halfPixelCenters });
  return t.dtype === 'float32' ? out : computedAs(out, t.dtype);
}
