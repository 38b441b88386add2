import type { UnaryKernel } from '../backend/backend.js';
import { backend } from '../backend/registry.js';
import { toTensor, type TensorLike } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import { div, mul, square, sub } from './binary.js';
import { allocate, record } from './op.js';

/** Runs an elementwise kernel; `derivative(x, y)` is dy/dx at each element (null: not differentiable). */
function unaryOp(kernel: UnaryKernel, x: TensorLike, derivative: ((x: Tensor, y: Tensor) => Tensor) | null): Tensor {
  const t = toTensor(x);
  const out = allocate(t.shape, false);
  backend().unary(kernel, t.values, out.values);
  if (!derivative) return out;
  return record(out, kernel, [t], (dy) => [mul(dy, derivative(t, out))]);
}

export function abs(x: TensorLike): Tensor {
  return unaryOp('abs', x, (t) => sign(t));
}

export function exp(x: TensorLike): Tensor {
  return unaryOp('exp', x, (_t, y) => y);
}

/** Natural logarithm. */
export function log(x: TensorLike): Tensor {
  return unaryOp('log', x, (t) => div(1, t));
}

export function sqrt(x: TensorLike): Tensor {
  return unaryOp('sqrt', x, (_t, y) => div(0.5, y));
}

export function tanh(x: TensorLike): Tensor {
  return unaryOp('tanh', x, (_t, y) => sub(1, square(y)));
}

/** 1 / (1 + exp(-x)), computed without overflow. */
export function sigmoid(x: TensorLike): Tensor {
  return unaryOp('sigmoid', x, (_t, y) => mul(y, sub(1, y)));
}

/** max(x, 0); its gradient at 0 is 0, as in TensorFlow and PyTorch. */
export function relu(x: TensorLike): Tensor {
  return unaryOp('relu', x, (t) => step(t));
}

/** The Gauss error function. */
export function erf(x: TensorLike): Tensor {
  // d/dx erf(x) = 2/sqrt(pi) * exp(-x^2)
  return unaryOp('erf', x, (t) => mul(2 / Math.sqrt(Math.PI), exp(mul(square(t), -1))));
}

/** -1, 0 or 1 (no gradient). */
export function sign(x: TensorLike): Tensor {
  return unaryOp('sign', x, null);
}

/** 1 where x > 0, else 0 (no gradient). */
export function step(x: TensorLike): Tensor {
  return unaryOp('step', x, null);
}

/** Rounds down (no gradient). */
export function floor(x: TensorLike): Tensor {
  return unaryOp('floor', x, null);
}

/** Rounds to the nearest integer (no gradient). */
export function round(x: TensorLike): Tensor {
  return unaryOp('round', x, null);
}
