import type { BinaryKernel } from '../backend/backend.js';
import { backend } from '../backend/registry.js';
import { toTensor, type TensorLike } from '../tensor/create.js';
import { broadcastShapes } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { sumToShape } from './broadcast.js';
import { allocate, record, type Backward } from './op.js';
import { where } from './where.js';

/**
 * Runs a broadcasting binary kernel; `backward` returns gradients at the broadcast shape. Exported for the
 * binary ops whose gradients need unary ops (pow.ts), which live apart so that unary.ts may use this file.
 */
export function binaryOp(kernel: BinaryKernel, a: Tensor, b: Tensor, backward: Backward | null): Tensor {
  const shape = broadcastShapes(a.shape, b.shape);
  const out = allocate(shape, false);
  backend().binary(kernel, a.values, a.shape, b.values, b.shape, out.values, shape);
  if (!backward) return out;
  return record(out, kernel, [a, b], (dy, needs) => {
    const [da, db] = backward(dy, needs);
    return [da && sumToShape(da, a.shape), db && sumToShape(db, b.shape)];
  });
}

/** a + b, with numpy broadcasting. */
export function add(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('add', toTensor(a), toTensor(b), (dy) => [dy, dy]);
}

/** a - b, with numpy broadcasting. */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('sub', toTensor(a), toTensor(b), (dy, needs) => [dy, needs[1] ? neg(dy) : null]);
}

/** a * b (elementwise), with numpy broadcasting. */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  const ta = toTensor(a);
  const tb = toTensor(b);
  return binaryOp('mul', ta, tb, (dy, needs) => [needs[0] ? mul(dy, tb) : null, needs[1] ? mul(dy, ta) : null]);
}

/** a / b (elementwise), with numpy broadcasting. */
export function div(a: TensorLike, b: TensorLike): Tensor {
  const ta = toTensor(a);
  const tb = toTensor(b);
  return binaryOp('div', ta, tb, (dy, needs) => [needs[0] ? div(dy, tb) : null, needs[1] ? neg(div(mul(dy, ta), mul(tb, tb))) : null]);
}

/** Elementwise larger of a and b; the gradient goes to a where a >= b. */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  const ta = toTensor(a);
  const tb = toTensor(b);
  return binaryOp('maximum', ta, tb, (dy) => {
    const aWins = greaterEqual(ta, tb);
    return [where(aWins, dy, 0), where(aWins, 0, dy)];
  });
}

/** Elementwise smaller of a and b; the gradient goes to a where a <= b. */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  const ta = toTensor(a);
  const tb = toTensor(b);
  return binaryOp('minimum', ta, tb, (dy) => {
    const aWins = lessEqual(ta, tb);
    return [where(aWins, dy, 0), where(aWins, 0, dy)];
  });
}

/** -x. */
export function neg(x: TensorLike): Tensor {
  return mul(x, -1);
}

/** x * x. */
export function square(x: TensorLike): Tensor {
  const t = toTensor(x);
  return mul(t, t);
}

/** Comparisons give 1 where true and 0 where false, and carry no gradient. */
export function equal(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('equal', toTensor(a), toTensor(b), null);
}
export function notEqual(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('notEqual', toTensor(a), toTensor(b), null);
}
export function greater(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('greater', toTensor(a), toTensor(b), null);
}
export function greaterEqual(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('greaterEqual', toTensor(a), toTensor(b), null);
}
export function less(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('less', toTensor(a), toTensor(b), null);
}
export function lessEqual(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('lessEqual', toTensor(a), toTensor(b), null);
}
