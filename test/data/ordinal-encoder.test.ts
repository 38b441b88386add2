import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OrdinalEncoder } from '../../src/data/ordinal-encoder.js';

const grades = ['F', 'D', 'C', 'B', 'A'];

test('OrdinalEncoder keeps the explicit order and works without fit', () => {
  const enc = new OrdinalEncoder({ categories: grades });
  const codes = enc.transform(['A', 'C', 'F', 'B']);
  assert.deepEqual([...codes.shape], [4]);
  assert.deepEqual([...codes.values], [4, 2, 0, 3]);
  assert.deepEqual(enc.inverseTransform(codes), ['A', 'C', 'F', 'B']);
  assert.deepEqual(enc.categories, grades);
  // fit with explicit categories does not re-sort them.
  assert.deepEqual(enc.fit(['A', 'B']).categories, grades);
});

test("OrdinalEncoder 'auto' learns sorted categories", () => {
  const enc = new OrdinalEncoder();
  assert.throws(() => enc.transform(['low']), /not fitted/);
  assert.deepEqual([...enc.fitTransform(['low', 'high', 'mid']).values], [1, 0, 2]);
  assert.deepEqual(enc.categories, ['high', 'low', 'mid']);
});

test('OrdinalEncoder unknown values: error or the encoded value', () => {
  const strict = new OrdinalEncoder({ categories: grades });
  assert.throws(() => strict.transform(['A', 'E']), /unknown category "E" at position 1/);
  assert.throws(() => strict.fit(['A', 'E']), /unknown category "E"/);
  const lenient = new OrdinalEncoder({ categories: grades, handleUnknown: 'useEncodedValue', unknownValue: -1 });
  assert.deepEqual([...lenient.transform(['A', 'E']).values], [4, -1]);
  assert.deepEqual(lenient.inverseTransform([4, -1]), ['A', null]);
  const nan = new OrdinalEncoder({ categories: grades, handleUnknown: 'useEncodedValue', unknownValue: NaN });
  const codes = nan.transform(['E', 'B']);
  assert.ok(Number.isNaN(codes.values[0]));
  assert.deepEqual(nan.inverseTransform(codes), [null, 'B']);
});

test('OrdinalEncoder checks its config', () => {
  assert.throws(() => new OrdinalEncoder({ handleUnknown: 'useEncodedValue' }), /unknownValue/);
  assert.throws(
    () => new OrdinalEncoder({ categories: grades, handleUnknown: 'useEncodedValue', unknownValue: 2 }),
    /unknownValue 2 is the code of category "C"/,
  );
  assert.throws(() => new OrdinalEncoder({ categories: ['a', 'b', 'a'] }), /listed twice/);
  assert.throws(() => new OrdinalEncoder({ categories: grades }).inverseTransform([5]), /code 5/);
});

test('OrdinalEncoder JSON round trip', () => {
  for (const unknownValue of [-1, NaN]) {
    const enc = new OrdinalEncoder({ categories: grades, handleUnknown: 'useEncodedValue', unknownValue });
    const back = OrdinalEncoder.fromJSON(JSON.parse(JSON.stringify(enc)));
    assert.deepEqual(back.categories, grades);
    assert.equal(back.handleUnknown, 'useEncodedValue');
    assert.ok(Object.is(back.unknownValue, unknownValue));
    assert.deepEqual(back.inverseTransform(back.transform(['B', 'Z'])), ['B', null]);
  }
  const auto = new OrdinalEncoder().fit([3, 1, 2]);
  const back = OrdinalEncoder.fromJSON(JSON.parse(JSON.stringify(auto)));
  assert.deepEqual(back.categories, [1, 2, 3]);
  assert.throws(() => back.transform([4]), /unknown category 4/);
});
