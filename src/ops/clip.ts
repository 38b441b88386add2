import type { Tensor } from '../tensor/tensor.js';
import { maximum, minimum } from './binary.js';

/** Limits values to [min, max]; the gradient is zero where a value was clipped. */
export function clipByValue(x: Tensor, min: number, max: number): Tensor {
  if (min > max) throw new Error(`clipByValue(): min (${min}) is greater than max (${max}).`);
  return minimum(maximum(x, min), max);
}
