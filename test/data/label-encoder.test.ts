import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LabelEncoder } from '../../src/data/label-encoder.js';
import { tensor } from '../../src/tensor/create.js';

test('LabelEncoder sorts string classes and round-trips', () => {
  const enc = new LabelEncoder().fit(['dog', 'cat', 'dog', 'bird']);
  assert.deepEqual(enc.classes, ['bird', 'cat', 'dog']);
  const codes = enc.transform(['dog', 'bird', 'cat', 'dog']);
  assert.deepEqual([...codes.shape], [4]);
  assert.ok(codes.values instanceof Float32Array);
  assert.deepEqual([...codes.values], [2, 0, 1, 2]);
  assert.deepEqual(enc.inverseTransform(codes), ['dog', 'bird', 'cat', 'dog']);
  assert.deepEqual(enc.inverseTransform([1, 0]), ['cat', 'bird']);
});

test('LabelEncoder sorts numbers numerically and booleans false first', () => {
  assert.deepEqual(new LabelEncoder().fit([10, 2, -1, 2]).classes, [-1, 2, 10]);
  assert.deepEqual(new LabelEncoder().fit([true, false, true]).classes, [false, true]);
  assert.deepEqual([...new LabelEncoder().fitTransform([10, 2, -1]).values], [2, 1, 0]);
  // Code-unit order, as numpy sorts strings: upper case before lower case.
  assert.deepEqual(new LabelEncoder().fit(['b', 'B', 'a']).classes, ['B', 'a', 'b']);
});

test('LabelEncoder names the unknown label and its position', () => {
  const enc = new LabelEncoder().fit(['a', 'b']);
  assert.throws(() => enc.transform(['a', 'z']), /unknown category "z" at position 1/);
  // 1 and '1' are different labels.
  assert.throws(() => new LabelEncoder().fit([1, 2]).transform(['1' as unknown as number]), /"1" at position 0/);
});

test('LabelEncoder refuses mixed types, bad codes and use before fit', () => {
  assert.throws(() => new LabelEncoder().fit(['a', 1]), /mix/);
  assert.throws(() => new LabelEncoder().fit([1, NaN]), /NaN at position 1/);
  const enc = new LabelEncoder().fit(['a', 'b']);
  assert.throws(() => enc.inverseTransform([0, 2]), /code 2 at position 1/);
  assert.throws(() => enc.inverseTransform(tensor([0.5])), /code 0.5/);
  assert.throws(() => new LabelEncoder().transform(['a']), /not fitted/);
  assert.throws(() => new LabelEncoder().classes, /not fitted/);
});

test('LabelEncoder JSON round trip', () => {
  const enc = new LabelEncoder().fit([3, 1, 2]);
  const back = LabelEncoder.fromJSON(JSON.parse(JSON.stringify(enc)));
  assert.deepEqual(back.classes, [1, 2, 3]);
  assert.deepEqual([...back.transform([3, 1]).values], [2, 0]);
  assert.throws(() => LabelEncoder.fromJSON({ className: 'OneHotEncoder' }), /className 'LabelEncoder'/);
  const unfitted = LabelEncoder.fromJSON(JSON.parse(JSON.stringify(new LabelEncoder())));
  assert.throws(() => unfitted.classes, /not fitted/);
});
