// data.generator (sync and async generator functions, functions returning iterators or iterables) and data.func,
// against TF.js' tf.data.generator and tf.data.func.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { data, tensor } from '../../../src/index.js';
import { both, plain, tf } from './plain.js';

before(async () => {
  await tf.setBackend('cpu');
});

function* rows() {
  for (let i = 0; i < 7; i++) yield { xs: [i, i * i], ys: i % 3 };
}

async function* asyncRows() {
  for (let i = 0; i < 7; i++) {
    await new Promise((r) => setTimeout(r, 0));
    yield { xs: [i, i * i], ys: i % 3 };
  }
}

describe('data.generator', () => {
  test('a sync generator function, batched, as tf.data.generator', async () => {
    const [x, y] = await both(data.generator(rows).batch(3), tf.data.generator(rows).batch(3));
    assert.deepEqual(x, y);
    assert.equal(data.generator(rows).size, null);
  });

  test('an async generator function, as tf.data.generator', async () => {
    const [x, y] = await both(
      data.generator(asyncRows).map((e) => e.ys),
      tf.data.generator(asyncRows as never).map((e) => (e as { ys: number }).ys),
    );
    assert.deepEqual(x, y);
  });

  test('a function returning an iterator, or an iterable', async () => {
    const counter = () => {
      let i = 0;
      return { next: () => (i < 3 ? { value: i++, done: false } : { value: undefined, done: true }) };
    };
    const [x, y] = await both(data.generator(counter), tf.data.generator(counter as never));
    assert.deepEqual(x, y);
    assert.deepEqual(await data.generator(() => [4, 5, 6]).toArray(), [4, 5, 6]);
    assert.deepEqual(await data.generator(async () => new Set([1, 2])).toArray(), [1, 2]);
  });

  test('the function is called afresh for each pass', async () => {
    let calls = 0;
    const ds = data.generator(function* () {
      calls++;
      yield tensor([calls]);
    });
    assert.deepEqual(plain(await ds.toArray()), [{ shape: [1], values: [1] }]);
    assert.deepEqual(plain(await ds.toArray()), [{ shape: [1], values: [2] }]);
  });

  test('a generator object instead of its function is refused with what to pass', () => {
    assert.throws(() => data.generator(rows() as never), /pass the generator function itself \(data\.generator\(gen\), not data\.generator\(gen\(\)\)\)/);
    assert.throws(() => data.generator(42 as never), /expected a function that returns an iterator, got number/);
  });

  test('a function that returns no iterator fails when read, saying so', async () => {
    await assert.rejects(data.generator((() => 5) as never).toArray(), /must return an iterator.*got number/);
  });

  test('errors thrown by the generator reach the reader', async () => {
    const ds = data.generator(function* () {
      yield 1;
      throw new Error('broken row');
    });
    await assert.rejects(ds.toArray(), /broken row/);
  });
});

describe('data.func', () => {
  test('one stream shared by every pass, as tf.data.func', async () => {
    const make = () => {
      let i = 0;
      return () => (i < 5 ? { value: i++, done: false } : { value: null, done: true });
    };
    const ours = data.func(make());
    const theirs = tf.data.func(make() as never);
    assert.deepEqual(await ours.take(2).toArray(), await theirs.take(2).toArray());
    assert.deepEqual(await ours.toArray(), await theirs.toArray());
  });
});
