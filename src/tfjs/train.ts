// `tf.train`: TF.js' optimizer factories, with its positional arguments and defaults (which differ from Keras':
// TF.js' adamax starts at 0.002, sgd, momentum, rmsprop and adagrad need a learning rate, and epsilon is its
// float32 backends' 1e-7 everywhere). Each returns the TF.js optimizer class of optimizers.ts.
import { AdadeltaOptimizer, AdagradOptimizer, AdamaxOptimizer, AdamOptimizer, MomentumOptimizer, RMSPropOptimizer, SGDOptimizer } from './optimizers.js';

/**
 * Stochastic gradient descent: `p -= learningRate * g`.
 *
 *     const optimizer = tf.train.sgd(0.1);
 */
export function sgd(learningRate: number): SGDOptimizer {
  return new SGDOptimizer(learningRate);
}

/**
 * Momentum: `acc = momentum * acc + g; p -= learningRate * acc` (Nesterov: `p -= learningRate * (g + momentum * acc)`).
 *
 *     const optimizer = tf.train.momentum(0.1, 0.9);
 */
export function momentum(learningRate: number, momentum: number, useNesterov = false): MomentumOptimizer {
  return new MomentumOptimizer(learningRate, momentum, useNesterov);
}

/**
 * RMSProp: `ms = decay * ms + (1 - decay) g^2; mom = momentum * mom + lr g / sqrt(ms + epsilon); p -= mom`
 * (centred: `sqrt(ms - mg^2 - epsilon)`, as TF.js computes it).
 *
 *     const optimizer = tf.train.rmsprop(0.01);
 */
export function rmsprop(learningRate: number, decay = 0.9, momentum = 0, epsilon: number | null = null, centered = false): RMSPropOptimizer {
  return new RMSPropOptimizer(learningRate, decay, momentum, epsilon, centered);
}

/**
 * Adam, with bias correction: `p -= lr * m_hat / (sqrt(v_hat) + epsilon)`.
 *
 *     const optimizer = tf.train.adam(0.01);
 */
export function adam(learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon: number | null = null): AdamOptimizer {
  return new AdamOptimizer(learningRate, beta1, beta2, epsilon);
}

/**
 * Adadelta, as TF.js computes it (the step divides by the root of the squared-gradient average from before it).
 *
 *     const optimizer = tf.train.adadelta(1);
 */
export function adadelta(learningRate = 0.001, rho = 0.95, epsilon: number | null = null): AdadeltaOptimizer {
  return new AdadeltaOptimizer(learningRate, rho, epsilon);
}

/**
 * Adamax: `m = b1 m + (1-b1) g; u = max(b2 u, |g|); p -= lr / (1 + decay * (t-1)) / (1 - b1^t) * m / (u + epsilon)`.
 *
 *     const optimizer = tf.train.adamax();
 */
export function adamax(learningRate = 0.002, beta1 = 0.9, beta2 = 0.999, epsilon: number | null = null, decay = 0): AdamaxOptimizer {
  return new AdamaxOptimizer(learningRate, beta1, beta2, epsilon, decay);
}

/**
 * Adagrad: `a += g^2; p -= lr g / sqrt(a + 1e-7)`, the accumulator starting at `initialAccumulatorValue`.
 *
 *     const optimizer = tf.train.adagrad(0.1);
 */
export function adagrad(learningRate: number, initialAccumulatorValue = 0.1): AdagradOptimizer {
  return new AdagradOptimizer(learningRate, initialAccumulatorValue);
}
