import { formatShape, normalizeAxes, reducedShape, shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, div, mul, square, sub } from './binary.js';
import { mean, type Axis } from './reduce.js';
import { reshape } from './reshape.js';
import { sqrt } from './unary.js';

// Composed from elementwise ops and reductions, so every gradient (through the statistics too) comes from
// theirs; no hand-written derivative lives here.

/**
 * Mean and biased variance over `axes` (like `tf.moments`).
 *
 *     const { mean, variance } = moments(x, [0, 1, 2]);  // per-channel statistics of an NHWC batch
 */
export function moments(x: Tensor, axes?: Axis, keepDims = false): { mean: Tensor; variance: Tensor } {
  const reduced = normalizeAxes(axes, x.rank);
  const m = mean(x, reduced, true);
  const variance = mean(square(sub(x, m)), reduced, keepDims);
  return { mean: keepDims ? m : reshape(m, reducedShape(x.shape, reduced, false)), variance };
}

/**
 * Normalises with given statistics: `(x - mean) / sqrt(variance + epsilon) * scale + offset`, every
 * statistic broadcast against `x` (per-channel `[C]` for NHWC). Inference-mode batch normalisation, like
 * `tf.batchNorm`.
 *
 *     batchNorm(x, movingMean, movingVariance, beta, gamma, 1e-3);
 */
export function batchNorm(x: Tensor, mean: Tensor, variance: Tensor, offset?: Tensor | null, scale?: Tensor | null, epsilon = 1e-3): Tensor {
  let inv = div(1, sqrt(add(variance, epsilon)));
  if (scale) inv = mul(inv, scale);
  const y = mul(sub(x, mean), inv);
  return offset ? add(y, offset) : y;
}

export interface LayerNormOptions {
  /** Axis or axes normalised over (default -1, the features). */
  axis?: number | readonly number[];
  /** Added to the variance (default 1e-3, as Keras LayerNormalization). */
  epsilon?: number;
}

/**
 * Layer normalisation: each sample normalised over `axis` with its own mean and biased variance, then
 * `* gamma + beta` (either may be null). `gamma` and `beta` have the shape of the normalised axes.
 *
 *     layerNorm(x, gamma, beta);  // x [batch, features], gamma and beta [features]
 */
export function layerNorm(x: Tensor, gamma?: Tensor | null, beta?: Tensor | null, options: LayerNormOptions = {}): Tensor {
  const axes = normalizeAxes(options.axis ?? -1, x.rank);
  const epsilon = options.epsilon ?? 1e-3;
  const { mean: m, variance } = moments(x, axes, true);
  let inv = div(1, sqrt(add(variance, epsilon)));
  const paramShape = axes.map((a) => x.shape[a]);
  // gamma/beta of the normalised axes' shape, placed on those axes: [1, ..., d_a, ..., 1]
  const placed = x.shape.map((d, i) => (axes.includes(i) ? d : 1));
  const place = (p: Tensor, name: string): Tensor => {
    if (shapesEqual(p.shape, paramShape)) return reshape(p, placed);
    if (shapesEqual(p.shape, placed)) return p;
    throw new Error(
      `layerNorm(): ${name} must have shape ${formatShape(paramShape)} (the normalised axes ${JSON.stringify(axes)} of input ${formatShape(x.shape)}), got ${formatShape(p.shape)}.`,
    );
  };
  if (gamma) inv = mul(inv, place(gamma, 'gamma'));
  const y = mul(sub(x, m), inv);
  return beta ? add(y, place(beta, 'beta')) : y;
}
