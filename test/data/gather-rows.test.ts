import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gatherRows } from '../../src/data/gather-rows.js';
import { scalar, tensor } from '../../src/tensor/create.js';
import { assertClose } from '../helpers.js';

test('gatherRows picks rows in order, with repeats', () => {
  const x = tensor([
    [1, 2],
    [3, 4],
    [5, 6],
  ]);
  assertClose(gatherRows(x, [2, 0, 2]), [5, 6, 1, 2, 5, 6], { shape: [3, 2] });
  assertClose(gatherRows(x, Int32Array.of(1)), [3, 4], { shape: [1, 2] });
  assert.deepEqual([...gatherRows(x, []).shape], [0, 2]);
});

test('gatherRows works on any rank and copies', () => {
  const v = tensor([10, 20, 30]);
  assertClose(gatherRows(v, [1, 2]), [20, 30], { shape: [2] });
  const images = tensor(
    Array.from({ length: 24 }, (_, i) => i),
    [3, 2, 2, 2],
  );
  const picked = gatherRows(images, [1]);
  assertClose(picked, [8, 9, 10, 11, 12, 13, 14, 15], { shape: [1, 2, 2, 2] });
  picked.values[0] = -1;
  assert.equal(images.values[8], 8);
});

test('gatherRows names a bad index', () => {
  const x = tensor([[1], [2]]);
  assert.throws(() => gatherRows(x, [0, 2]), /index 2 at position 1 .* shape \[2, 1\] \(valid: 0\.\.1\)/);
  assert.throws(() => gatherRows(x, [-1]), /index -1/);
  assert.throws(() => gatherRows(x, [0.5]), /index 0.5/);
  assert.throws(() => gatherRows(scalar(1), [0]), /scalar/);
});
