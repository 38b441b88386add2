import { backend } from '../backend/registry.js';
import { toTensor, type TensorLike } from '../tensor/create.js';
import { broadcastShapes } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { sumToShape } from './broadcast.js';
import { allocate, record } from './op.js';

/**
 * Picks `a` where `condition` is non-zero and `b` elsewhere, all broadcast together. The gradient flows to
 * the branch that was picked (none to the condition).
 */
export function where(condition: TensorLike, a: TensorLike, b: TensorLike): Tensor {
  const c = toTensor(condition);
  const ta = toTensor(a);
  const tb = toTensor(b);
  const shape = broadcastShapes(broadcastShapes(c.shape, ta.shape), tb.shape);
  const out = allocate(shape);
  backend().where(c.values, c.shape, ta.values, ta.shape, tb.values, tb.shape, out.values, shape);
  return record(out, 'where', [ta, tb], (dy, needs) => [
    needs[0] ? sumToShape(where(c, dy, 0), ta.shape) : null,
    needs[1] ? sumToShape(where(c, 0, dy), tb.shape) : null,
  ]);
}
