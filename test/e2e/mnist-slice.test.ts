// The live CNN's MNIST slice (web/src/live/mnist-slice.ts and the shipped web/public/data/mnist-slice.bin),
// checked without a browser: the format round-trips and refuses bad input, and the shipped file holds the
// first 2,000 training and 500 test images of the real MNIST, pixel for pixel.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { mnist } from '../../src/index.js';
import { decodeSlice, encodeSlice } from '../../web/src/live/mnist-slice.js';

describe('the live CNN MNIST slice', () => {
  test('encode and decode round-trip; a bad magic or a truncated file is refused', () => {
    const slice = {
      trainImages: Uint8Array.from({ length: 2 * 784 }, (_, i) => i % 256),
      trainLabels: Uint8Array.of(3, 7),
      testImages: Uint8Array.from({ length: 784 }, (_, i) => (i * 7) % 256),
      testLabels: Uint8Array.of(9),
    };
    const raw = encodeSlice(slice);
    assert.deepEqual(decodeSlice(raw), slice);
    const bad = raw.slice();
    bad[0] = 0;
    assert.throws(() => decodeSlice(bad), /bad magic/);
    assert.throws(() => decodeSlice(raw.subarray(0, raw.length - 1)), /truncated/);
  });

  test('the shipped file is the first 2,000 training and 500 test images of MNIST', async () => {
    const shipped = decodeSlice(gunzipSync(readFileSync(new URL('../../web/public/data/mnist-slice.bin', import.meta.url))));
    assert.equal(shipped.trainLabels.length, 2000);
    assert.equal(shipped.testLabels.length, 500);
    const data = await mnist({ trainSize: 2000, testSize: 500 });
    assert.deepEqual(Array.from(shipped.trainLabels), Array.from(data.yTrain.dataSync()));
    assert.deepEqual(Array.from(shipped.testLabels), Array.from(data.yTest.dataSync()));
    const bytes = (v: Float32Array) => Array.from(v, (p) => Math.round(p * 255));
    assert.deepEqual(Array.from(shipped.trainImages), bytes(data.xTrain.dataSync()));
    assert.deepEqual(Array.from(shipped.testImages), bytes(data.xTest.dataSync()));
    // every digit is there to learn
    assert.equal(new Set(shipped.trainLabels).size, 10);
  });
});
