// data.zip against TF.js' tf.data.zip: lists, objects and nested structures of data sets, until the shortest ends.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { data } from '../../../src/index.js';
import { both, tf } from './plain.js';

before(async () => {
  await tf.setBackend('cpu');
});

describe('data.zip', () => {
  test('a list, an object and a nested structure, as tf.data.zip', async () => {
    const a = [1, 2, 3, 4];
    const b = [[10], [20], [30], [40]];
    const c = ['x', 'y', 'z', 'w'];
    const cases: [string, data.Dataset<unknown>, tf.data.Dataset<tf.TensorContainer>][] = [
      ['list', data.zip([data.array(a), data.array(b)]), tf.data.zip([tf.data.array(a), tf.data.array(b)])],
      ['object', data.zip({ xs: data.array(b), ys: data.array(a) }), tf.data.zip({ xs: tf.data.array(b), ys: tf.data.array(a) })],
      [
        'nested',
        data.zip({ xs: [data.array(a), data.array(b)], meta: { name: data.array(c) } }),
        tf.data.zip({ xs: [tf.data.array(a), tf.data.array(b)], meta: { name: tf.data.array(c) } }),
      ],
      ['then batched', data.zip({ xs: data.array(b), ys: data.array(a) }).batch(3), tf.data.zip({ xs: tf.data.array(b), ys: tf.data.array(a) }).batch(3)],
    ];
    for (const [name, ours, theirs] of cases) {
      const [x, y] = await both(ours, theirs);
      assert.deepEqual(x, y, name);
      // TF.js sizes only a flat structure (a nested one gives it no number); the size is the shortest's
      if (typeof theirs.size === 'number' && !Number.isNaN(theirs.size)) assert.equal(ours.size, theirs.size, `${name}: size`);
      assert.equal(ours.size, name === 'then batched' ? 2 : 4, `${name}: size`);
    }
  });

  test('ends with the shortest data set, and closes the others', async () => {
    let closed = false;
    const endless = data.generator(function* () {
      try {
        for (let i = 0; ; i++) yield i;
      } finally {
        closed = true;
      }
    });
    const [x, y] = await both(data.zip([data.array([1, 2]), data.array([5, 6, 7])]), tf.data.zip([tf.data.array([1, 2]), tf.data.array([5, 6, 7])]));
    assert.deepEqual(x, y);
    assert.equal(data.zip([data.array([1, 2]), data.array([5, 6, 7])]).size, 2);
    assert.deepEqual(await data.zip([data.array(['a', 'b']), endless]).toArray(), [
      ['a', 0],
      ['b', 1],
    ]);
    assert.ok(closed);
    assert.equal(data.zip([data.array([1]), endless]).size, null);
  });

  test('refuses leaves that are no data sets', () => {
    assert.throws(() => data.zip({ xs: data.array([1]), ys: [1, 2] as never }), /leaves of the structure must be Datasets, got number at ys\[0\]/);
    assert.throws(() => data.zip(data.array([1]) as never), /expected a list or an object of Datasets/);
  });
});
