// tf.browser, the parts that run in Node.js too, against real TensorFlow.js: fromPixels of `{ data, width,
// height }`, toPixels' bytes and errors.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tfjs from '@tensorflow/tfjs';
import * as tf from '../../src/tfjs/index.js';
import { assertSame, tfjsCpu } from './same-as-tfjs.js';

before(() => tfjsCpu());

/** Seeded bytes. */
function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    out[i] = (s >> 16) & 255;
  }
  return out;
}

describe('tf.browser', () => {
  test('fromPixels of { data, width, height }: int32 [height, width, channels], 1 to 4 channels (3 by default), as TF.js', () => {
    const pixels = { data: bytes(5 * 3 * 4, 1), width: 5, height: 3 };
    for (const channels of [1, 2, 3, 4]) assertSame((t) => t.browser.fromPixels(pixels, channels));
    assertSame((t) => t.browser.fromPixels(pixels));
  });

  test("fromPixels' errors are TF.js'", () => {
    const pixels = { data: bytes(4, 2), width: 1, height: 1 };
    assertSame((t) => t.browser.fromPixels(pixels, 5), { sameMessage: true });
    assertSame((t) => t.browser.fromPixels(null as never), { sameMessage: true });
    assertSame((t) => t.browser.fromPixels({ data: new Uint8ClampedArray(4), width: 1, height: 1 } as never), { sameMessage: true });
  });

  test('fromPixelsAsync gives what fromPixels gives', async () => {
    const pixels = { data: bytes(2 * 2 * 4, 3), width: 2, height: 2 };
    const ours = await tf.browser.fromPixelsAsync(pixels, 4);
    const theirs = await tfjs.browser.fromPixelsAsync(pixels, 4);
    assert.deepEqual(ours.shape, theirs.shape);
    assert.deepEqual([...ours.dataSync()], [...theirs.dataSync()]);
  });

  test('toPixels: the RGBA bytes TF.js gives for float32 and int32, rank 2 and 3 with 1, 3 or 4 channels, and a nested array', async () => {
    for (const dtype of ['float32', 'int32'] as const) {
      for (const shape of [
        [3, 4],
        [3, 4, 1],
        [3, 4, 3],
        [3, 4, 4],
      ]) {
        const n = shape.reduce((a, b) => a * b, 1);
        const raw = Array.from(bytes(n, n));
        const fraction = bytes(n, 9);
        const values = dtype === 'float32' ? raw.map((v, i) => Math.min(1, (v + fraction[i] / 256) / 255)) : raw;
        const ours = await tf.browser.toPixels(tf.tensor(values, shape, dtype));
        const theirs = await tfjs.browser.toPixels(tfjs.tensor(values, shape, dtype) as never);
        assert.ok(ours instanceof Uint8ClampedArray);
        assert.deepEqual([...ours], [...theirs], `${dtype} [${shape}]`);
      }
    }
    const nested = [
      [
        [0, 128, 255],
        [1, 2, 3],
      ],
      [
        [9, 8, 7],
        [200, 100, 50],
      ],
    ];
    assert.deepEqual([...(await tf.browser.toPixels(nested))], [...(await tfjs.browser.toPixels(nested))]);
  });

  test("toPixels' errors are TF.js'", async () => {
    const cases: ((t: typeof tfjs) => Promise<unknown>)[] = [
      (t) => t.browser.toPixels(t.tensor([0.5, 0.5]) as never),
      (t) => t.browser.toPixels(t.zeros([2, 2, 2]) as never),
      (t) => t.browser.toPixels(t.tensor([[true, false]]) as never),
      (t) => t.browser.toPixels(t.tensor([[0.5, 1.5]]) as never),
      (t) => t.browser.toPixels(t.tensor([[-0.25, 0.5]]) as never),
      (t) => t.browser.toPixels(t.tensor([[3, 256]], undefined, 'int32') as never),
      (t) => t.browser.toPixels([[300]]),
    ];
    for (const run of cases) {
      const theirs = await run(tfjs).then(
        () => 'no error',
        (e: Error) => e.message,
      );
      const ours = await run(tf as unknown as typeof tfjs).then(
        () => 'no error',
        (e: Error) => e.message,
      );
      assert.notEqual(theirs, 'no error');
      assert.equal(ours, theirs);
    }
  });
});
