// End to end: Embedding + Conv1D + GlobalMaxPooling1D + Dense learns a generated token task with fit, one that a
// bag of words cannot solve: the label is whether the two tokens 3, 7 occur next to each other in that order, and
// the other samples hold both tokens too, reversed or apart.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { layers, optimizers, sequential, setSeed, tensor, type Tensor } from '../../src/index.js';
import { makeRng } from '../gradcheck.js';

const STEPS = 12;
const VOCABULARY = 20;

/** n sequences of ids in 1..19 (padded with 0 at the end) and their labels: 1 when "3 7" occurs, else 0. */
function tokens(n: number, seed: number): { x: Tensor; y: Tensor } {
  const rand = makeRng(seed);
  const pick = (from: number, to: number) => from + Math.floor(rand() * (to - from));
  const ids = new Float32Array(n * STEPS);
  const labels = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const length = pick(6, STEPS + 1);
    // filler tokens: 1..19 except 3 and 7
    const row = Array.from({ length }, () => {
      const t = pick(1, VOCABULARY - 2);
      return t < 3 ? t : t < 6 ? t + 1 : t + 2;
    });
    const positive = i % 2 === 1;
    const at = pick(0, length - 1);
    if (positive) [row[at], row[at + 1]] = [3, 7];
    else if (rand() < 0.5) [row[at], row[at + 1]] = [7, 3];
    else {
      // both tokens in that order, with at least one other between (other is never at - 1, at or at + 1)
      const other = (at + 2 + pick(0, length - 3)) % length;
      row[Math.min(at, other)] = 3;
      row[Math.max(at, other)] = 7;
    }
    labels[i] = positive ? 1 : 0;
    row.forEach((t, s) => {
      ids[i * STEPS + s] = t;
    });
  }
  return { x: tensor(ids, [n, STEPS]), y: tensor(labels, [n, 1]) };
}

describe('Embedding + Conv1D + GlobalMaxPooling1D + Dense trained with fit', () => {
  test('learns whether the tokens "3 7" occur together (held-out accuracy > 0.9)', async () => {
    setSeed(3);
    const model = sequential([
      layers.embedding({ inputDim: VOCABULARY, outputDim: 8, inputLength: STEPS }),
      layers.conv1d({ filters: 16, kernelSize: 2, activation: 'relu' }),
      layers.globalMaxPooling1d(),
      layers.dense({ units: 1, activation: 'sigmoid' }),
    ]);
    model.compile({ optimizer: optimizers.adam({ learningRate: 0.02 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const train = tokens(512, 1);
    const held = tokens(256, 2);
    const before = model.evaluate(held.x, held.y);
    const history = await model.fit(train.x, train.y, { epochs: 15, batchSize: 32, verbose: 0 });
    const after = model.evaluate(held.x, held.y);
    assert.ok(before.accuracy < 0.75, `before training: accuracy ${before.accuracy}`);
    assert.ok(after.accuracy > 0.9, `held-out accuracy ${after.accuracy}`);
    assert.ok(history.history.loss.at(-1)! < history.history.loss[0], 'the loss went down');
  });
});
