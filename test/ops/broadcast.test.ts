import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { broadcastTo, getBackend, listBackends, setBackend, sumToShape, tensor, zeros } from '../../src/index.js';
import { gradCheck, nd, ndMap, ndReduce, sum64 } from '../gradcheck.js';

// ndMap of x with a dummy of the target shape is x broadcast to that shape.
const ndBroadcastTo = (shape: number[]) => (x: { shape: number[]; data: number[] }) =>
  ndMap([x, nd(shape, new Array(shape.reduce((a, b) => a * b, 1)).fill(0))], (v) => v);

describe('broadcastTo', () => {
  test('repeats along size-1 and missing leading axes', () => {
    assert.deepEqual(broadcastTo(tensor([1, 2, 3]), [2, 3]).toArray(), [
      [1, 2, 3],
      [1, 2, 3],
    ]);
    assert.deepEqual(broadcastTo(tensor([[1], [2]]), [2, 3]).toArray(), [
      [1, 1, 1],
      [2, 2, 2],
    ]);
    assert.deepEqual(broadcastTo(tensor(5), [2]).toArray(), [5, 5]);
    const x = tensor([1, 2]);
    assert.equal(broadcastTo(x, [2]), x, 'same shape returns the input');
  });

  test('copies values bit for bit on every backend: -0 stays -0, NaN and infinities stay', () => {
    const before = getBackend();
    try {
      for (const name of listBackends()) {
        setBackend(name);
        const y = broadcastTo(tensor([-0, Number.NaN, -Infinity]), [2, 3]);
        for (const row of y.toArray() as number[][]) {
          assert.ok(Object.is(row[0], -0), `${name}: -0 became ${row[0]}`);
          assert.ok(Number.isNaN(row[1]), name);
          assert.equal(row[2], -Infinity, name);
        }
      }
    } finally {
      setBackend(before);
    }
  });

  test('errors', () => {
    assert.throws(() => broadcastTo(tensor([1, 2, 3]), [3, 2]), /cannot broadcast \[3\] to \[3, 2\]|cannot be broadcast/);
    assert.throws(() => broadcastTo(tensor([[1, 2]]), [2]), /cannot broadcast \[1, 2\] to \[2\]/);
  });

  test('gradient sums back', () => {
    gradCheck((x) => broadcastTo(x, [2, 3, 4]), ndBroadcastTo([2, 3, 4]), [{ shape: [3, 1] }]);
    gradCheck((x) => broadcastTo(x, [3]), ndBroadcastTo([3]), [{ shape: [] }]);
  });
});

describe('sumToShape', () => {
  test('sums the broadcast axes', () => {
    const x = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    assert.deepEqual(sumToShape(x, [3]).toArray(), [5, 7, 9]);
    assert.deepEqual(sumToShape(x, [2, 1]).toArray(), [[6], [15]]);
    assert.deepEqual(sumToShape(x, []).toArray(), 21);
    assert.deepEqual(sumToShape(x, [1, 3]).toArray(), [[5, 7, 9]]);
    assert.equal(sumToShape(x, [2, 3]), x);
    assert.deepEqual(sumToShape(zeros([2, 0]), [2, 1]).toArray(), [[0], [0]]);
  });

  test('gradient', () => {
    gradCheck(
      (x) => sumToShape(x, [3, 1]),
      (x) => ({ shape: [3, 1], data: ndReduce(x, [0, 2], true, sum64).data }),
      [{ shape: [2, 3, 4] }],
    );
    gradCheck(
      (x) => sumToShape(x, []),
      (x) => ndReduce(x, [0, 1], false, sum64),
      [{ shape: [2, 3] }],
    );
  });
});
