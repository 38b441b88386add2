import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toCategorical } from '../../src/data/to-categorical.js';
import { tensor } from '../../src/tensor/create.js';
import { assertClose } from '../helpers.js';

test('toCategorical infers numClasses as max + 1', () => {
  assertClose(toCategorical([0, 2, 1]), [1, 0, 0, 0, 0, 1, 0, 1, 0], { shape: [3, 3] });
});

test('toCategorical takes numClasses and drops a trailing axis of 1 like Keras', () => {
  assertClose(toCategorical(tensor([[1], [0]]), 4), [0, 1, 0, 0, 1, 0, 0, 0], { shape: [2, 4] });
  assert.deepEqual(
    [
      ...toCategorical(
        tensor([
          [0, 1],
          [1, 1],
        ]),
      ).shape,
    ],
    [2, 2, 2],
  );
  assert.deepEqual([...toCategorical([], 3).shape], [0, 3]);
});

test('toCategorical rejects labels that are not class indices', () => {
  assert.throws(() => toCategorical([0, 1.5]), /label 1.5 at position 1 is not a non-negative integer/);
  assert.throws(() => toCategorical([0, -1]), /label -1 at position 1/);
  assert.throws(() => toCategorical([0, 3], 3), /label 3 at position 1 does not fit numClasses 3/);
  assert.throws(() => toCategorical([0], 0), /numClasses must be a positive integer/);
  assert.throws(() => toCategorical([]), /pass numClasses/);
});
