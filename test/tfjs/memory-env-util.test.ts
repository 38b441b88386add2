// dendrite/tfjs' memory functions, backends, environment and tf.util against real TensorFlow.js, and what they
// mean on garbage-collected tensors: tidy returns fn's result, dispose only marks, memory() says what it counts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import * as tfjs from '@tensorflow/tfjs';
import { getBackend as dendriteBackend, listBackends, setBackend as setDendriteBackend, setSeed } from '../../src/index.js';
import * as tf from '../../src/tfjs/index.js';
import { assertSame, assertSameResult, tfjsCpu } from './same-as-tfjs.js';

before(tfjsCpu);

describe('memory', () => {
  test('tidy returns what fn returns (a tensor, an array, an object), with a name too', () => {
    assertSame((t) => t.tidy(() => t.add(t.tensor([1, 2]), 1)));
    assertSame((t) => t.tidy('named', () => [t.scalar(1), { a: t.scalar(2) }]));
    assertSame((t) => t.tidy(() => 5 as never));
    assertSame((t) => t.tidy(3 as never), { sameMessage: true });
    assertSame((t) => t.tidy(3 as never, () => t.scalar(1)), { sameMessage: true });
    assertSame((t) => t.tidy('x', 3 as never), { sameMessage: true });
  });

  test('a Promise returned inside tidy is reported as TF.js reports it', async () => {
    const original = console.error;
    const errors: string[] = [];
    console.error = (m: string) => errors.push(m);
    try {
      const p = tf.tidy(async () => tf.scalar(1));
      assert.ok(p instanceof Promise);
      await tfjs.tidy((async () => tfjs.scalar(1)) as never);
    } finally {
      console.error = original;
    }
    assert.deepEqual(errors, ['Cannot return a Promise inside of tidy.', 'Cannot return a Promise inside of tidy.']);
  });

  test('dispose marks every tensor of a container; keep returns its tensor; values stay usable', () => {
    const a = tf.tensor([1, 2]);
    const b = tf.tensor([3]);
    const c = tf.tensor([4]);
    tf.dispose([a, { inner: [b] }, 7, null]);
    assert.deepEqual([a.isDisposed, b.isDisposed, c.isDisposed], [true, true, false]);
    tf.dispose(c);
    assert.equal(c.isDisposed, true);
    assert.deepEqual([...tf.add(a, b).dataSync()], [4, 5]);
    assert.equal(tf.keep(c), c);
    const theirs = [tfjs.tensor([1]), tfjs.tensor([2])];
    tfjs.dispose(theirs);
    assert.deepEqual(
      theirs.map((t) => t.isDisposed),
      [true, true],
    );
  });

  test("memory(): TF.js' fields, honestly unreliable, counting the process's ArrayBuffers", () => {
    const ours = tf.memory();
    const theirs = tfjs.memory();
    for (const key of Object.keys(theirs)) assert.ok(key in ours, key);
    assert.equal(ours.numTensors, 0);
    assert.equal(ours.numDataBuffers, 0);
    assert.equal(ours.unreliable, true);
    assert.equal(ours.reasons?.length, 2);
    const before = tf.memory().numBytes;
    const big = tf.zeros([1 << 20]);
    assert.ok(tf.memory().numBytes >= before + 4 * (1 << 20) - 65536, 'a 4 MB tensor shows in numBytes');
    assert.equal(big.size, 1 << 20);
  });

  test('nextFrame resolves', async () => {
    assert.equal(await tf.nextFrame(), undefined);
    assert.equal(await tfjs.nextFrame(), undefined);
  });
});

describe('backends and environment', () => {
  const initial = dendriteBackend();
  after(() => setDendriteBackend(initial));

  test("'cpu' and the GPU names run on the fastest dendrite backend; dendrite's names as they are", async () => {
    const fastest = ['native', 'wasm', 'js'].find((b) => listBackends().includes(b));
    assert.equal(await tf.setBackend('cpu'), true);
    assert.equal(tf.getBackend(), 'cpu');
    assert.equal(dendriteBackend(), fastest);
    assert.equal(await tf.setBackend('webgl'), true);
    assert.equal(tf.getBackend(), 'webgl');
    assert.equal(dendriteBackend(), fastest);
    assert.equal(await tf.setBackend('js'), true);
    assert.equal(dendriteBackend(), 'js');
    assert.deepEqual([...tf.add(tf.tensor([1]), 1).dataSync()], [2]);
    if (listBackends().includes('wasm')) {
      assert.equal(await tf.setBackend('wasm'), true);
      assert.equal(dendriteBackend(), 'wasm');
    }
    await assert.rejects(tf.setBackend('nonsense'), /Backend name 'nonsense' not found in registry/);
    await assert.rejects(tfjs.setBackend('nonsense'), /Backend name 'nonsense' not found in registry/);
    assert.equal(await tf.ready(), undefined);
    await tf.setBackend('cpu');
  });

  test('env(): the flags TF.js has, read as TF.js reads them', () => {
    for (const flag of ['IS_NODE', 'IS_BROWSER', 'DEBUG', 'PROD', 'IS_TEST']) {
      assert.equal(tf.env().get(flag), tfjs.env().get(flag), flag);
      assert.equal(tf.env().getBool(flag), tfjs.env().getBool(flag), flag);
    }
    assert.equal(tf.env().platformName, tfjs.env().platformName);
    tf.env().set('DEBUG', true);
    assert.equal(tf.env().getBool('DEBUG'), true);
    assert.equal(tf.env().getFlags().DEBUG, true);
    tf.env().reset();
    assert.equal(tf.env().getBool('DEBUG'), false);
    assert.throws(() => tf.env().get('NO_SUCH_FLAG'), /no evaluation function found/);
    assert.throws(() => tf.env().get('constructor'), /no evaluation function found/);
    assert.ok(tf.env() instanceof tf.Environment);
    tf.enableDebugMode();
    tfjs.enableDebugMode();
    assert.equal(tf.env().getBool('DEBUG'), tfjs.env().getBool('DEBUG'));
    tf.enableProdMode();
    tfjs.enableProdMode();
    assert.equal(tf.env().getBool('PROD'), tfjs.env().getBool('PROD'));
    tf.env().reset();
    tfjs.env().reset();
  });

  test("version: TF.js' package names at the TF.js version followed, and dendrite's own", () => {
    for (const key of ['tfjs-core', 'tfjs-layers', 'tfjs-data', 'tfjs']) assert.equal(tf.version[key], (tfjs.version as Record<string, string>)[key], key);
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    assert.equal(tf.version.dendrite, pkg.version);
  });
});

describe('tf.util', () => {
  test('sizeFromShape, arraysEqual, flatten, isTypedArray as TF.js', () => {
    assertSame((t) => [t.util.sizeFromShape([2, 3, 4]), t.util.sizeFromShape([]), t.util.sizeFromShape([3, 0])]);
    assertSame((t) => [
      t.util.arraysEqual([1, 2], [1, 2]),
      t.util.arraysEqual([1, 2], [1, 3]),
      t.util.arraysEqual([1], [1, 1]),
      t.util.arraysEqual(new Int32Array([1]), [1]),
    ]);
    assertSame((t) =>
      t.util.flatten([
        [1, 2],
        [3, [4, [5]]],
      ] as never),
    );
    assertSame((t) => t.util.flatten([new Float32Array([1, 2]), [3]] as never));
    assertSame((t) => t.util.flatten([new Float32Array([1, 2]), [3]] as never, [], true).length);
    assertSame((t) => t.util.flatten([[true, false]] as never, [0] as never));
    assertSame((t) => [t.util.isTypedArray(new Float32Array(1)), t.util.isTypedArray([1])]);
  });

  test('assert throws the message, or the message a function gives', () => {
    assertSame((t) => t.util.assert(1 > 2, 'plain message' as never), { sameMessage: true });
    assertSame((t) => t.util.assert(false, () => 'lazy message'), { sameMessage: true });
    assertSame((t) => t.util.assert(true, 'not thrown' as never) ?? 'ok');
  });

  test('shuffle, shuffleCombo and createShuffledIndices permute (repeatably after setSeed)', () => {
    const a = Array.from({ length: 50 }, (_, i) => i);
    tf.util.shuffle(a);
    assert.deepEqual(
      [...a].sort((x, y) => x - y),
      Array.from({ length: 50 }, (_, i) => i),
    );
    assert.notDeepEqual(
      a,
      Array.from({ length: 50 }, (_, i) => i),
    );
    const x = [1, 2, 3, 4, 5];
    const y = ['a', 'b', 'c', 'd', 'e'];
    tf.util.shuffleCombo(x, y);
    assert.deepEqual(
      x.map((v) => y[x.indexOf(v)]),
      x.map((v) => 'abcde'[v - 1]),
    );
    assertSame((t) => t.util.shuffleCombo([1], [1, 2]), { sameMessage: true });
    const idx = tf.util.createShuffledIndices(10);
    assertSameResult([idx.constructor.name, idx.length], [tfjs.util.createShuffledIndices(10).constructor.name, 10]);
    assert.deepEqual(
      [...idx].sort((p, q) => p - q),
      Array.from({ length: 10 }, (_, i) => i),
    );
    setSeed(3);
    const first = tf.util.createShuffledIndices(20);
    setSeed(3);
    assert.deepEqual(tf.util.createShuffledIndices(20), first);
  });
});
