// The Dataset methods against TensorFlow.js' tf.data on the same inputs: the same elements in the same order,
// the same size where TF.js knows it, and the iterator protocol ({ value, done }).
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { data, tensor } from '../../../src/index.js';
import { both, plain, tf } from './plain.js';

before(async () => {
  await tf.setBackend('cpu');
});

const numbers = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

describe('Dataset operations give what tf.data gives', () => {
  test('array, map, filter, take, skip', async () => {
    const cases: [string, (d: data.Dataset<number>) => data.Dataset<unknown>, (d: tf.data.Dataset<number>) => tf.data.Dataset<tf.TensorContainer>][] = [
      ['array', (d) => d, (d) => d],
      ['map', (d) => d.map((x) => x * 2 + 1), (d) => d.map((x) => x * 2 + 1)],
      ['filter', (d) => d.filter((x) => x % 3 !== 0), (d) => d.filter((x) => x % 3 !== 0)],
      ['take', (d) => d.take(4), (d) => d.take(4)],
      ['take more than there are', (d) => d.take(40), (d) => d.take(40)],
      ['skip', (d) => d.skip(3), (d) => d.skip(3)],
      ['skip all', (d) => d.skip(30), (d) => d.skip(30)],
      ['skip then take', (d) => d.skip(2).take(5), (d) => d.skip(2).take(5)],
      ['take 0', (d) => d.take(0), (d) => d.take(0)],
    ];
    for (const [name, ours, theirs] of cases) {
      const a = ours(data.array(numbers));
      const b = theirs(tf.data.array(numbers));
      const [x, y] = await both(a, b);
      assert.deepEqual(x, y, name);
      if (b.size !== null) assert.equal(a.size, b.size, `${name}: size`);
    }
  });

  test('mapAsync awaits each element and keeps the order', async () => {
    const slow = async (x: number) => {
      await new Promise((r) => setTimeout(r, (11 - x) % 3));
      return { v: x * x };
    };
    const [x, y] = await both(data.array(numbers).mapAsync(slow), tf.data.array(numbers).mapAsync(slow));
    assert.deepEqual(x, y);
  });

  test('repeat, concatenate and their sizes', async () => {
    const cases: [string, data.Dataset<unknown>, tf.data.Dataset<tf.TensorContainer>][] = [
      ['repeat(3)', data.array([1, 2, 3]).repeat(3), tf.data.array([1, 2, 3]).repeat(3)],
      ['repeat(0)', data.array([1, 2, 3]).repeat(0), tf.data.array([1, 2, 3]).repeat(0)],
      ['repeat().take(7)', data.array([1, 2, 3]).repeat().take(7), tf.data.array([1, 2, 3]).repeat().take(7)],
      ['concatenate', data.array<number>([1, 2]).concatenate(data.array([3, 4, 5])), tf.data.array<number>([1, 2]).concatenate(tf.data.array([3, 4, 5]))],
      [
        'concatenate after a filter',
        data
          .array<number>([1, 2, 3])
          .filter((x) => x > 1)
          .concatenate(data.array([9])),
        tf.data
          .array<number>([1, 2, 3])
          .filter((x) => x > 1)
          .concatenate(tf.data.array([9])),
      ],
    ];
    for (const [name, a, b] of cases) {
      const [x, y] = await both(a, b);
      assert.deepEqual(x, y, name);
      assert.equal(a.size, b.size, `${name}: size`);
    }
    assert.equal(data.array([1, 2, 3]).repeat().size, tf.data.array([1, 2, 3]).repeat().size);
    assert.equal(data.array([1, 2, 3]).repeat().size, Infinity);
  });

  test('repeat of an empty data set ends instead of spinning', async () => {
    assert.deepEqual(await data.array([]).repeat().take(5).toArray(), []);
    assert.equal(data.array([]).repeat().size, 0);
  });

  test('batch of numbers, arrays, objects and tensors, as deepBatchConcat', async () => {
    const rows = Array.from({ length: 7 }, (_, i) => ({ xs: [i, i + 0.5, -i - 1], ys: i % 2, w: { a: [[i], [i + 1]], b: i * 3 } }));
    for (const small of [true, false]) {
      const a = data.array(rows).batch(3, small);
      const b = tf.data.array(rows).batch(3, small);
      const [x, y] = await both(a, b);
      assert.deepEqual(x, y, `smallLastBatch ${small}`);
      assert.equal(a.size, b.size);
    }
    const tensors = [tensor([1, 2]), tensor([3, 4]), tensor([5, 6])];
    const [x, y] = await both(data.array(tensors).batch(2), tf.data.array([tf.tensor([1, 2]), tf.tensor([3, 4]), tf.tensor([5, 6])]).batch(2));
    assert.deepEqual(x, y);
    const [n, m] = await both(data.array(numbers).batch(4), tf.data.array(numbers).batch(4));
    assert.deepEqual(n, m);
  });

  test('batch: booleans are 0/1, missing values NaN, lists of tensors batched by position', async () => {
    const [b] = (await data.array([true, false, true]).batch(3).toArray()) as unknown[];
    assert.deepEqual(plain(b), { shape: [3], values: [1, 0, 1] });
    const [m] = (await data
      .array([{ a: 1 }, { a: undefined }, { a: null }])
      .batch(3)
      .toArray()) as { a: unknown }[];
    assert.deepEqual(plain(m.a), { shape: [3], values: [1, Number.NaN, Number.NaN] });
    const [l] = (await data
      .array([
        [tensor([1]), tensor([[2, 3]])],
        [tensor([4]), tensor([[5, 6]])],
      ])
      .batch(2)
      .toArray()) as unknown[][];
    assert.deepEqual(plain(l), [
      { shape: [2, 1], values: [1, 4] },
      { shape: [2, 1, 2], values: [2, 3, 5, 6] },
    ]);
    const [f] = (await data
      .array([Float32Array.of(1, 2), Float32Array.of(3, 4)])
      .batch(2)
      .toArray()) as unknown[];
    assert.deepEqual(plain(f), { shape: [2, 2], values: [1, 2, 3, 4] });
  });

  test('batch errors name the element and the place', async () => {
    await assert.rejects(
      data
        .array([{ xs: [1, 2] }, { xs: [1, 2, 3] }])
        .batch(2)
        .toArray(),
      /batch\(\): element 1 at xs is an array of 3 where the first element has an array of shape \[2\]/,
    );
    await assert.rejects(
      data
        .array([{ xs: { city: 'Paris' } }])
        .batch(1)
        .toArray(),
      /element 0 at xs\.city is a string \("Paris"\); dendrite's tensors hold numbers/,
    );
    await assert.rejects(
      data
        .array([tensor([1]), tensor([1, 2])])
        .batch(2)
        .toArray(),
      /element 1 has shape \[2\] but the first element's has \[1\]/,
    );
    assert.throws(() => data.array([1]).batch(0), /batchSize must be a positive integer, got 0/);
  });

  test('prefetch gives the same elements, and only reads ahead as far as asked', async () => {
    let made = 0;
    const ds = data.generator(function* () {
      for (let i = 0; i < 20; i++) {
        made++;
        yield i;
      }
    });
    const it = await ds.prefetch(3).iterator();
    assert.deepEqual(await it.next(), { value: 0, done: false });
    await new Promise((r) => setTimeout(r, 5));
    assert.ok(made <= 5, `made ${made} elements for one taken with a buffer of 3`);
    const rest = await it.toArray();
    assert.deepEqual(
      rest,
      Array.from({ length: 19 }, (_, i) => i + 1),
    );
    const [x, y] = await both(
      data
        .array(numbers)
        .map((v) => v + 1)
        .prefetch(4),
      tf.data
        .array(numbers)
        .map((v) => v + 1)
        .prefetch(4),
    );
    assert.deepEqual(x, y);
  });

  test('forEachAsync visits every element in order, awaiting each', async () => {
    const ours: number[] = [];
    const theirs: number[] = [];
    await data.array(numbers).forEachAsync(async (x) => {
      await new Promise((r) => setTimeout(r, 1));
      ours.push(x);
    });
    await tf.data.array(numbers).forEachAsync((x) => {
      theirs.push(x);
    });
    assert.deepEqual(ours, theirs);
  });

  test('iterator() gives { value, done } and stays done, as TF.js does; for await reads a pass', async () => {
    const it = await data.array([1, 2]).iterator();
    const theirs = await tf.data.array([1, 2]).iterator();
    for (let i = 0; i < 4; i++) assert.deepEqual(await it.next(), await theirs.next());
    const seen: number[] = [];
    for await (const x of data.array([5, 6, 7])) seen.push(x);
    assert.deepEqual(seen, [5, 6, 7]);
  });

  test('overlapping next() calls are answered in order', async () => {
    const it = await data
      .array(numbers)
      .filter((x) => x % 2 === 0)
      .batch(2)
      .iterator();
    const all = await Promise.all([it.next(), it.next(), it.next(), it.next()]);
    assert.deepEqual(plain(all.map((r) => r.value)), [{ shape: [2], values: [2, 4] }, { shape: [2], values: [6, 8] }, { shape: [1], values: [10] }, null]);
  });

  test('each pass reads the source afresh, and a map cannot change the array it reads', async () => {
    const items = [{ v: 1 }, { v: 2 }];
    const ds = data.array(items).map((x) => {
      x.v *= 10;
      return x;
    });
    assert.deepEqual(await ds.toArray(), [{ v: 10 }, { v: 20 }]);
    assert.deepEqual(await ds.toArray(), [{ v: 10 }, { v: 20 }]);
    assert.deepEqual(items, [{ v: 1 }, { v: 2 }]);
  });

  test('take closes the stream it reads from', async () => {
    let closed = false;
    const ds = data.generator(function* () {
      try {
        for (let i = 0; ; i++) yield i;
      } finally {
        closed = true;
      }
    });
    assert.deepEqual(await ds.take(3).toArray(), [0, 1, 2]);
    assert.ok(closed);
  });

  test('toArray and forEachAsync refuse a data set without end', async () => {
    await assert.rejects(data.array([1]).repeat().toArray(), /no end/);
    await assert.rejects(
      data
        .array([1])
        .repeat()
        .forEachAsync(() => undefined),
      /no end/,
    );
  });
});
