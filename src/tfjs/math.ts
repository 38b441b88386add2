// TF.js' elementwise functions, activations and tf.clipByValue on dendrite's ops, with TF.js' dtype rules:
// sqrt, log, sigmoid, tanh, floor, ceil and softmax take only float32 tensors (TF.js refuses int32 and bool);
// exp and logSoftmax give float32 for any input; relu, round, sign and step keep the dtype. Where TF.js' kernels
// differ from dendrite's (round halves to even, sign(NaN) = 0, step(NaN) = NaN and step's alpha), the result is
// composed from dendrite's ops, never computed on its own.
import * as ops from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { convertToTensor } from './convert.js';
import { computedAs, type TensorLike, withDtype } from './dtype.js';

type Arg = Tensor | TensorLike;

function floatIn(x: Arg, fn: string, argName = 'x'): Tensor {
  return convertToTensor(x, argName, fn, 'float32');
}

/** tf.sqrt(x) (float32). */
export function sqrt(x: Arg): Tensor {
  return ops.sqrt(floatIn(x, 'sqrt'));
}

/** tf.exp(x): float32 for any input. */
export function exp(x: Arg): Tensor {
  return ops.exp(convertToTensor(x, 'x', 'exp'));
}

/** tf.log(x) (float32). */
export function log(x: Arg): Tensor {
  return ops.log(floatIn(x, 'log'));
}

/** tf.sigmoid(x) (float32). */
export function sigmoid(x: Arg): Tensor {
  return ops.sigmoid(floatIn(x, 'sigmoid'));
}

/** tf.tanh(x) (float32). */
export function tanh(x: Arg): Tensor {
  return ops.tanh(floatIn(x, 'tanh'));
}

/** tf.relu(x): max(x, 0), same dtype. */
export function relu(x: Arg): Tensor {
  const t = convertToTensor(x, 'x', 'relu');
  return t.dtype === 'bool' ? t : withDtype(ops.relu(t), t.dtype);
}

/** tf.softmax(logits, dim = -1) (float32). */
export function softmax(logits: Arg, dim = -1): Tensor {
  return ops.softmax(floatIn(logits, 'softmax', 'logits'), dim);
}

/** tf.logSoftmax(logits, axis = -1): float32 for any input. */
export function logSoftmax(logits: Arg, axis = -1): Tensor {
  return ops.logSoftmax(convertToTensor(logits, 'logits', 'logSoftmax'), axis);
}

/** tf.floor(x) (float32). */
export function floor(x: Arg): Tensor {
  return ops.floor(floatIn(x, 'floor'));
}

/** tf.ceil(x) (float32): -floor(-x). */
export function ceil(x: Arg): Tensor {
  return ops.neg(ops.floor(ops.neg(floatIn(x, 'ceil'))));
}

/**
 * tf.round(x): to the nearest integer, halves to the even one (0.5 -> 0, 1.5 -> 2, -2.5 -> -2), as TF.js'
 * kernel; dendrite's own `round` rounds halves up. Same dtype.
 */
export function round(x: Arg): Tensor {
  const t = convertToTensor(x, 'x', 'round');
  if (t.dtype !== 'float32') return t;
  const f = ops.floor(t);
  const frac = ops.sub(t, f);
  // f is odd where f - 2 floor(f / 2) is 1; a half goes up only then
  const odd = ops.sub(f, ops.mul(ops.floor(ops.div(f, 2)), 2));
  const up = ops.add(ops.greater(frac, 0.5), ops.mul(ops.equal(frac, 0.5), odd));
  return ops.add(f, up);
}

/** tf.sign(x): -1, 0 or 1 (0 for NaN, as TF.js), same dtype. */
export function sign(x: Arg): Tensor {
  const t = convertToTensor(x, 'x', 'sign');
  if (t.dtype === 'bool') return t;
  return withDtype(ops.where(ops.notEqual(t, t), 0, ops.sign(t)), t.dtype);
}

/** tf.step(x, alpha = 0): 1 where x > 0, else alpha (NaN stays NaN), same dtype. */
export function step(x: Arg, alpha = 0): Tensor {
  const t = convertToTensor(x, 'x', 'step');
  if (t.dtype === 'bool') return t;
  const s = ops.where(ops.notEqual(t, t), Number.NaN, ops.where(ops.greater(t, 0), 1, alpha));
  return t.dtype === 'float32' ? s : computedAs(s, t.dtype);
}

/** tf.clipByValue(x, clipValueMin, clipValueMax): same dtype (int32 bounds truncate, as TF.js stores them). */
export function clipByValue(x: Arg, clipValueMin: number, clipValueMax: number): Tensor {
  const t = convertToTensor(x, 'x', 'clipByValue');
  if (!(clipValueMin <= clipValueMax)) {
    throw new Error(`Error in clip: min (${clipValueMin}) must be less than or equal to max (${clipValueMax}).`);
  }
  const out = ops.clipByValue(t, clipValueMin, clipValueMax);
  return t.dtype === 'float32' ? out : computedAs(out, t.dtype);
}
