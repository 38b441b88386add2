import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fill, ones, scalar, tensor, Tensor, Variable, zeros } from '../../src/index.js';

describe('tensor()', () => {
  test('infers the shape of nested arrays', () => {
    const t = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    assert.deepEqual(t.shape, [2, 3]);
    assert.equal(t.size, 6);
    assert.equal(t.rank, 2);
    assert.deepEqual([...t.values], [1, 2, 3, 4, 5, 6]);
  });

  test('a plain number is a rank-0 tensor', () => {
    const t = tensor(3.5);
    assert.deepEqual(t.shape, []);
    assert.equal(t.size, 1);
    assert.equal(t.item(), 3.5);
    assert.deepEqual(scalar(-2).shape, []);
  });

  test('rank 3 and empty arrays', () => {
    assert.deepEqual(
      tensor([
        [[1], [2]],
        [[3], [4]],
        [[5], [6]],
      ]).shape,
      [3, 2, 1],
    );
    assert.deepEqual(tensor([]).shape, [0]);
    assert.deepEqual(tensor([[], []]).shape, [2, 0]);
    assert.equal(tensor([[], []]).size, 0);
  });

  test('a flat list with an explicit shape', () => {
    const t = tensor([1, 2, 3, 4, 5, 6], [3, 2]);
    assert.deepEqual(t.shape, [3, 2]);
    assert.deepEqual(t.toArray(), [
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
  });

  test('a Float32Array is copied, not shared', () => {
    const src = new Float32Array([1, 2, 3, 4]);
    const t = tensor(src, [2, 2]);
    src[0] = 99;
    assert.equal(t.values[0], 1);
    assert.deepEqual(tensor(new Float32Array([7, 8])).shape, [2]);
  });

  test('values are stored as float32', () => {
    const t = tensor([0.1]);
    assert.equal(t.values[0], Math.fround(0.1));
    assert.ok(t.values instanceof Float32Array);
  });

  test('ragged nested arrays give a clear error', () => {
    assert.throws(() => tensor([[1, 2], [3]]), /ragged.*\[1\].*expected 2 elements, got 1/);
    assert.throws(() => tensor([[1, 2], 3] as never), /ragged|expected/);
    assert.throws(() => tensor([1, [2, 3]] as never), /expected a number at \[1\]/);
    assert.throws(
      () =>
        tensor([
          [
            [1, 2],
            [3, 4],
          ],
          [[5, 6], [7]],
        ]),
      /ragged.*\[1\]\[1\]/,
    );
  });

  test('a shape that does not match the data is an error', () => {
    assert.throws(() => tensor([1, 2, 3], [2, 2]), /shape \[2, 2\] needs 4 values.*3/);
    assert.throws(() => tensor([1, 2, 3, 4], [-2, -2]), /invalid shape|non-negative/);
    assert.throws(() => tensor([1, 2], [2.5, 0.8]), /invalid shape|non-negative/);
  });

  test('non-numbers are rejected', () => {
    assert.throws(() => tensor(['a'] as never), /expected a number/);
  });
});

describe('zeros / ones / fill', () => {
  test('values and shapes', () => {
    const z = zeros([2, 3]);
    assert.deepEqual(z.shape, [2, 3]);
    assert.ok(z.values.every((v) => v === 0));
    const o = ones([4]);
    assert.ok(o.values.every((v) => v === 1));
    assert.equal(o.size, 4);
    const f = fill([2, 2, 2], -1.5);
    assert.equal(f.size, 8);
    assert.ok(f.values.every((v) => v === -1.5));
    assert.deepEqual(zeros([]).shape, []);
    assert.equal(zeros([]).size, 1);
    assert.equal(zeros([3, 0]).size, 0);
  });

  test('invalid shapes are rejected', () => {
    assert.throws(() => zeros([2, -1]), /invalid shape \[2, -1\]/);
    assert.throws(() => ones([1.5]), /ones\(\): invalid shape/);
    assert.throws(() => fill([NaN], 0), /invalid shape/);
  });
});

describe('Tensor accessors', () => {
  test('dataSync returns a copy', () => {
    const t = tensor([1, 2, 3]);
    const d = t.dataSync();
    assert.ok(d instanceof Float32Array);
    assert.deepEqual([...d], [1, 2, 3]);
    d[0] = 100;
    assert.equal(t.values[0], 1);
  });

  test('toArray nests by shape', () => {
    assert.deepEqual(
      tensor([
        [1, 2],
        [3, 4],
      ]).toArray(),
      [
        [1, 2],
        [3, 4],
      ],
    );
    assert.deepEqual(tensor([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2]).toArray(), [
      [
        [1, 2],
        [3, 4],
      ],
      [
        [5, 6],
        [7, 8],
      ],
    ]);
    assert.equal(scalar(5).toArray(), 5);
    assert.deepEqual(zeros([2, 0]).toArray(), [[], []]);
    assert.deepEqual(tensor([1, 2, 3], [3, 1]).toArray(), [[1], [2], [3]]);
  });

  test('item() on one element, error otherwise', () => {
    assert.equal(tensor([[7]]).item(), 7);
    assert.throws(() => tensor([1, 2]).item(), /one element.*\[2\]/);
  });

  test('shape is frozen', () => {
    const t = tensor([1, 2]);
    assert.throws(() => (t.shape as number[]).push(3));
  });

  test('constructor checks the value count', () => {
    assert.throws(() => new Tensor(new Float32Array(5), [2, 3]), /needs 6 values, got 5/);
  });

  test('requireGrad sets the flag and returns the tensor', () => {
    const t = tensor([1]);
    assert.equal(t.requiresGrad, false);
    assert.equal(t.requireGrad(), t);
    assert.equal(t.requiresGrad, true);
    t.requireGrad(false);
    assert.equal(t.requiresGrad, false);
  });
});

describe('toString()', () => {
  test('shows the shape and the values', () => {
    const s = tensor([
      [1, 2],
      [3, 4],
    ]).toString();
    assert.match(s, /^Tensor \[2, 2\]/);
    assert.match(s, /\[\s*1,\s*2\]/);
    assert.match(s, /\[\s*3,\s*4\]/);
  });

  test('scalars and fractions', () => {
    assert.match(scalar(2).toString(), /Tensor \[\]\n2$/);
    assert.match(tensor([0.5, -0.25]).toString(), /0\.5000.*-0\.2500/);
  });

  test('long axes are elided', () => {
    const s = tensor(Array.from({ length: 100 }, (_, i) => i)).toString();
    assert.match(s, /Tensor \[100\]/);
    assert.match(s, /\.\.\./);
    assert.match(s, /\b99\]/);
    assert.ok(!/\b50\b/.test(s), 'middle values are elided');
    assert.ok(s.length < 200);
  });
});

describe('Variable', () => {
  test('is trainable by default and records gradients', () => {
    const v = new Variable(new Float32Array([1, 2]), [2], 'w');
    assert.equal(v.name, 'w');
    assert.equal(v.trainable, true);
    assert.equal(v.requiresGrad, true);
    const frozen = new Variable(new Float32Array(1), [1], 'f', false);
    assert.equal(frozen.requiresGrad, false);
  });

  test('assign overwrites the values in place', () => {
    const v = new Variable(new Float32Array([1, 2, 3, 4]), [2, 2], 'w');
    const before = v.values;
    v.assign(
      tensor([
        [5, 6],
        [7, 8],
      ]),
    );
    assert.equal(v.values, before);
    assert.deepEqual(v.toArray(), [
      [5, 6],
      [7, 8],
    ]);
    v.assign(new Float32Array([0, 0, 0, 1]));
    assert.deepEqual([...v.values], [0, 0, 0, 1]);
  });

  test('assign checks the shape', () => {
    const v = new Variable(new Float32Array(4), [2, 2], 'kernel');
    assert.throws(() => v.assign(tensor([1, 2, 3, 4])), /shape \[4\] to variable 'kernel' of shape \[2, 2\]/);
    assert.throws(() => v.assign(tensor([[1, 2, 3, 4]])), /variable 'kernel'/);
    assert.throws(() => v.assign(new Float32Array(3)), /3 values to variable 'kernel'/);
    assert.deepEqual([...v.values], [0, 0, 0, 0], 'a failed assign leaves the values alone');
  });
});
