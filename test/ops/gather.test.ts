import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { gather, tensor } from '../../src/index.js';
import { gradCheck, ravel, size, unravel, type ND } from '../gradcheck.js';

/** Float64 reference: out[pre, i..., post] = x[pre, idx[i...], post]. */
function ndGather(x: ND, idx: readonly number[], idxShape: readonly number[], axis: number): ND {
  const shape = [...x.shape.slice(0, axis), ...idxShape, ...x.shape.slice(axis + 1)];
  const data = Array.from({ length: size(shape) }, (_, o) => {
    const at = unravel(o, shape);
    const picked = idx[ravel(at.slice(axis, axis + idxShape.length), idxShape)];
    return x.data[ravel([...at.slice(0, axis), picked, ...at.slice(axis + idxShape.length)], x.shape)];
  });
  return { shape, data };
}

describe('gather', () => {
  test('picks slices along an axis, in order, repeats allowed', () => {
    const x = tensor([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    assert.deepEqual(gather(x, [2, 0, 2]).toArray(), [
      [5, 6],
      [1, 2],
      [5, 6],
    ]);
    assert.deepEqual(gather(x, [1, 1, 0], 1).toArray(), [
      [2, 2, 1],
      [4, 4, 3],
      [6, 6, 5],
    ]);
    const idx = tensor([
      [0, 1],
      [1, 0],
    ]);
    assert.deepEqual(gather(x, idx, -1).shape, [3, 2, 2]);
    assert.deepEqual(gather(tensor([7, 8, 9]), []).shape, [0]);
  });

  test('gradients add up where an index repeats (float64 finite differences)', () => {
    gradCheck(
      (t) => gather(t, [2, 0, 2, 3]),
      (t) => ndGather(t, [2, 0, 2, 3], [4], 0),
      [{ shape: [4, 3] }],
    );
    gradCheck(
      (t) =>
        gather(
          t,
          tensor([
            [1, 1],
            [0, 2],
          ]),
          1,
        ),
      (t) => ndGather(t, [1, 1, 0, 2], [2, 2], 1),
      [{ shape: [2, 3, 2] }],
    );
    gradCheck(
      (t) => gather(t, [4, 0], 2),
      (t) => ndGather(t, [4, 0], [2], 2),
      [{ shape: [2, 1, 5] }],
    );
  });

  test('an index outside the axis is refused, naming it', () => {
    assert.throws(() => gather(tensor([1, 2]), [2]), /index 2 at position 0 is outside axis 0 of a tensor of shape \[2\] \(valid: 0\.\.1\)/);
    assert.throws(() => gather(tensor([1, 2]), [0.5]), /index 0.5/);
    assert.throws(() => gather(tensor([[1, 2]]), [0], 2), /Axis 2 is out of range/);
  });
});
