// End to end: a small convolutional network learns a toy image task with fit. (How fast is the bench's
// question, `npm run bench`: a wall-time assertion here would fail on a busy machine, not on slow code.)
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { layers, optimizers, sequential, setSeed, tensor } from '../../src/index.js';
import { makeRng } from '../gradcheck.js';

/** n noisy 8x8 images with one bright bar: label 0 = vertical, 1 = horizontal (at a random row/column). */
function bars(n: number, seed: number): { x: ReturnType<typeof tensor>; y: ReturnType<typeof tensor> } {
  const rand = makeRng(seed);
  const pixels = new Float32Array(n * 64);
  const labels = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const horizontal = i % 2;
    const at = Math.floor(rand() * 8);
    labels[i] = horizontal;
    for (let r = 0; r < 8; r++) {
      for (let c = 0; c < 8; c++) {
        const onBar = horizontal ? r === at : c === at;
        pixels[i * 64 + r * 8 + c] = (onBar ? 1 : 0) + 0.2 * rand();
      }
    }
  }
  return { x: tensor(pixels, [n, 8, 8, 1]), y: tensor(labels, [n]) };
}

describe('a small CNN trained with fit', () => {
  test('tells vertical from horizontal bars (accuracy > 0.9) in a few epochs', async () => {
    setSeed(2);
    const model = sequential([
      layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [8, 8, 1] }),
      layers.maxPooling2d({ poolSize: 2 }),
      layers.flatten(),
      layers.dense({ units: 2, activation: 'softmax' }),
    ]);
    model.compile({ optimizer: optimizers.adam({ learningRate: 0.02 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const train = bars(128, 1);
    const test_ = bars(64, 2);
    const history = await model.fit(train.x, train.y, { epochs: 30, batchSize: 16, verbose: 0 });
    const { accuracy } = model.evaluate(test_.x, test_.y);
    assert.ok(accuracy > 0.9, `held-out accuracy ${accuracy}`);
    assert.ok(history.history.loss.at(-1)! < history.history.loss[0], 'the loss went down');
  });
});
