import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OneHotEncoder } from '../../src/data/one-hot-encoder.js';
import { tensor } from '../../src/tensor/create.js';
import { assertClose } from '../helpers.js';

test('OneHotEncoder encodes a column to [N, k] and decodes it back', () => {
  const enc = new OneHotEncoder().fit(['France', 'Chile', 'Japan', 'France']);
  assert.deepEqual(enc.categories, ['Chile', 'France', 'Japan']);
  const x = enc.transform(['Japan', 'Chile', 'France']);
  assertClose(x, [0, 0, 1, 1, 0, 0, 0, 1, 0], { shape: [3, 3] });
  assert.deepEqual(enc.inverseTransform(x), ['Japan', 'Chile', 'France']);
  assert.deepEqual(enc.featureNames('country'), ['country_Chile', 'country_France', 'country_Japan']);
  assert.deepEqual(enc.featureNames(), ['x0_Chile', 'x0_France', 'x0_Japan']);
});

test('OneHotEncoder inverseTransform decodes probabilities by their largest entry', () => {
  const enc = new OneHotEncoder().fit([0, 1, 2]);
  assert.deepEqual(
    enc.inverseTransform(
      tensor([
        [0.1, 0.7, 0.2],
        [0.5, 0.2, 0.3],
      ]),
    ),
    [1, 0],
  );
  assert.throws(() => enc.inverseTransform(tensor([[1, 0]])), /shape \[N, 3\]/);
});

test("OneHotEncoder unknown values: 'error' names them, 'ignore' gives zeros", () => {
  const strict = new OneHotEncoder().fit(['a', 'b']);
  assert.throws(() => strict.transform(['a', 'c']), /unknown category "c" at position 1/);
  assert.throws(() => strict.inverseTransform(tensor([[0, 0]])), /all zeros/);
  const lenient = new OneHotEncoder({ handleUnknown: 'ignore' }).fit(['a', 'b']);
  const x = lenient.transform(['c', 'b']);
  assertClose(x, [0, 0, 0, 1], { shape: [2, 2] });
  assert.deepEqual(lenient.inverseTransform(x), [null, 'b']);
});

test('OneHotEncoder explicit categories fix the column order', () => {
  const enc = new OneHotEncoder({ categories: ['small', 'medium', 'large'] });
  assertClose(enc.transform(['large', 'small']), [0, 0, 1, 1, 0, 0], { shape: [2, 3] });
  assert.throws(() => enc.fit(['huge']), /unknown category "huge"/);
  assert.deepEqual(new OneHotEncoder({ categories: ['b', 'a'], handleUnknown: 'ignore' }).fit(['z']).categories, ['b', 'a']);
  assert.throws(() => new OneHotEncoder().transform(['a']), /not fitted/);
  assert.throws(() => new OneHotEncoder({ handleUnknown: 'skip' as 'ignore' }), /'error' or 'ignore'/);
});

test('OneHotEncoder JSON round trip', () => {
  const enc = new OneHotEncoder({ handleUnknown: 'ignore' }).fit([true, false]);
  const back = OneHotEncoder.fromJSON(JSON.parse(JSON.stringify(enc)));
  assert.equal(back.handleUnknown, 'ignore');
  assert.deepEqual(back.categories, [false, true]);
  assert.deepEqual([...back.transform([true]).values], [0, 1]);
  assert.deepEqual(back.featureNames('paid'), ['paid_false', 'paid_true']);
  const explicit = OneHotEncoder.fromJSON(JSON.parse(JSON.stringify(new OneHotEncoder({ categories: ['y', 'x'] }))));
  assert.deepEqual(explicit.categories, ['y', 'x']);
});
