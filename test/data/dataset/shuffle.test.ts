// shuffle(bufferSize, seed, reshuffleEachIteration): its order comes from dendrite's generator, not TF.js' alea, so
// the properties are tested rather than TF.js' exact order: a permutation, reproducible with a seed, a new order
// each pass (or the same one), bounded by the buffer as TF.js' is, and without shifting the global stream.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { data, getRngState, setSeed } from '../../../src/index.js';
import { random } from '../../../src/tensor/rng.js';
import { tf } from './plain.js';

before(async () => {
  await tf.setBackend('cpu');
});

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const sorted = (xs: readonly number[]) => [...xs].sort((a, b) => a - b);

describe('shuffle', () => {
  test('gives a permutation of the elements, whatever the buffer size, as TF.js does', async () => {
    for (const buffer of [1, 2, 7, 100, 1000]) {
      const ours = await data.array(range(100)).shuffle(buffer, 5).toArray();
      const theirs = await tf.data.array(range(100)).shuffle(buffer, '5').toArray();
      assert.deepEqual(sorted(ours), range(100), `buffer ${buffer}`);
      assert.deepEqual(sorted(theirs), sorted(ours));
      assert.equal(data.array(range(100)).shuffle(buffer).size, tf.data.array(range(100)).shuffle(buffer).size);
    }
  });

  test('a buffer of 1 keeps the order; a larger one moves elements', async () => {
    assert.deepEqual(await data.array(range(50)).shuffle(1, 3).toArray(), range(50));
    assert.notDeepEqual(await data.array(range(50)).shuffle(50, 3).toArray(), range(50));
  });

  test('output i is one of the elements 0 .. i + bufferSize - 1 (the buffer bounds how far an element moves ahead)', async () => {
    for (const buffer of [2, 5, 16]) {
      for (let seed = 0; seed < 5; seed++) {
        const out = await data.array(range(200)).shuffle(buffer, seed).toArray();
        for (const [i, x] of out.entries()) assert.ok(x <= i + buffer - 1, `buffer ${buffer}, seed ${seed}: output ${i} is element ${x}`);
      }
    }
    // TF.js has the same bound
    const theirs = await tf.data.array(range(200)).shuffle(5, 'x').toArray();
    for (const [i, x] of theirs.entries()) assert.ok(x <= i + 4);
  });

  test('the same seed gives the same orders, pass after pass; another seed other orders', async () => {
    const a = data.array(range(30)).shuffle(30, 42);
    const b = data.array(range(30)).shuffle(30, 42);
    const a1 = await a.toArray();
    const a2 = await a.toArray();
    assert.deepEqual(await b.toArray(), a1);
    assert.deepEqual(await b.toArray(), a2);
    assert.notDeepEqual(a1, a2, 'each pass reshuffles by default');
    assert.notDeepEqual(await data.array(range(30)).shuffle(30, 43).toArray(), a1);
    // string seeds, as TF.js takes them
    assert.deepEqual(await data.array(range(30)).shuffle(30, 'abc').toArray(), await data.array(range(30)).shuffle(30, 'abc').toArray());
  });

  test('reshuffleEachIteration false gives the same order every pass', async () => {
    for (const seed of [7, undefined]) {
      const ds = data.array(range(30)).shuffle(30, seed, false);
      const first = await ds.toArray();
      assert.deepEqual(await ds.toArray(), first);
      assert.deepEqual(await ds.toArray(), first);
    }
  });

  test('without a seed the order follows setSeed; with one it neither reads nor moves the global stream', async () => {
    setSeed(11);
    const ds = data.array(range(30)).shuffle(30);
    const x = await ds.toArray();
    setSeed(11);
    assert.deepEqual(await data.array(range(30)).shuffle(30).toArray(), x);

    setSeed(3);
    const before = getRngState();
    const seeded = data.array(range(1000)).shuffle(100, 9);
    const first = await seeded.toArray();
    assert.deepEqual(getRngState(), before, 'a seeded shuffle leaves the global generator as it was');
    random();
    assert.deepEqual(await data.array(range(1000)).shuffle(100, 9).toArray(), first, 'and does not depend on it');
  });

  test('a full buffer shuffles uniformly: each element lands first about equally often', async () => {
    const counts = new Array<number>(5).fill(0);
    const ds = data.array(range(5)).shuffle(5, 1);
    for (let pass = 0; pass < 2000; pass++) counts[(await ds.take(1).toArray())[0]]++;
    for (const c of counts) assert.ok(c > 320 && c < 480, `counts ${counts}`);
  });

  test('refuses a missing or invalid buffer size, as TF.js does', () => {
    assert.throws(() => data.array(range(10)).shuffle(undefined as unknown as number), /bufferSize is required.*\(10 shuffles the whole data set uniformly\)/);
    assert.throws(() => tf.data.array(range(10)).shuffle(undefined as unknown as number), /requires bufferSize/);
    assert.throws(() => data.array(range(10)).shuffle(-1), /positive integer/);
  });
});
