// predict() hands the buffers of a forward pass of dendrite's own layers back to the pool, all but its outputs',
// and keeps them pooled between calls (src/tensor/buffer-pool.ts, asInference). With poisoning on, a buffer
// reused while something still reads it turns into NaN: every output, earlier ones included, must stay what it
// is without reuse, and nothing a custom layer keeps may be touched.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { grad, layers, losses, model as graphModel, input, randomNormal, sequential, setSeed, tensor, toCategorical, type Tensor } from '../../src/index.js';
import { inferenceRunsOwnCodeOnly } from '../../src/model/buffer-reuse.js';
import { pooledBufferBytes, setBufferPoisoning } from '../../src/tensor/buffer-pool.js';
import { Remember } from './remember-layer.js';

function cnn() {
  return sequential([
    layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [8, 8, 1] }),
    layers.batchNormalization(),
    layers.maxPooling2d({ poolSize: 2 }),
    layers.dropout({ rate: 0.5 }),
    layers.flatten(),
    layers.dense({ units: 3, activation: 'softmax' }),
  ]);
}

/** predict with reuse off (DENDRITE_BUFFER_REUSE=0): the reference. */
function withoutReuse<T>(fn: () => T): T {
  process.env.DENDRITE_BUFFER_REUSE = '0';
  try {
    return fn();
  } finally {
    delete process.env.DENDRITE_BUFFER_REUSE;
  }
}

describe('predict() buffer reuse', () => {
  before(() => setBufferPoisoning(true));
  after(() => setBufferPoisoning(false));

  test('outputs equal those without reuse, and earlier outputs stay intact through later calls', () => {
    setSeed(4);
    const m = cnn();
    const inputs = Array.from({ length: 4 }, (_, i) => randomNormal([i + 1, 8, 8, 1]));
    const expected = inputs.map((x) => withoutReuse(() => [...m.predict(x).values]));
    const outputs = inputs.map((x) => m.predict(x));
    // again, and in batches (each batch's buffers go back for the next), while the first outputs are held
    const again = inputs.map((x) => m.predict(x, { batchSize: 1 }));
    for (const [i, out] of outputs.entries()) {
      assert.deepEqual([...out.values], expected[i], `call ${i}`);
      assert.deepEqual([...again[i].values], expected[i], `call ${i} in batches of 1`);
    }
    assert.ok(pooledBufferBytes() > 0, 'buffers stay pooled between calls');
  });

  test('an output that views the memory of an intermediate (a reshape after a dense layer) is kept', () => {
    setSeed(5);
    const x = input({ shape: [6] });
    const h = layers.dense({ units: 8, activation: 'relu' }).apply(x);
    const y = layers.reshape({ targetShape: [2, 4] }).apply(layers.dense({ units: 8 }).apply(h));
    const m = graphModel({ inputs: x, outputs: [y, h] });
    const a = randomNormal([3, 6]);
    const expected = withoutReuse(() => m.predict(a)).map((t) => [...t.values]);
    const first = m.predict(a);
    for (let i = 0; i < 3; i++) m.predict(randomNormal([3, 6]));
    assert.deepEqual(
      first.map((t) => [...t.values]),
      expected,
    );
  });

  test("what outputs keep stays intact: a softmax output's logits (crossentropy reads them) and the outputs' masks", () => {
    setSeed(8);
    const classifier = cnn();
    const x = randomNormal([5, 8, 8, 1]);
    const labels = toCategorical([0, 1, 2, 1, 0], 3);
    const expectedLoss = withoutReuse(() => losses.categoricalCrossentropy(labels, classifier.predict(x)).item());
    const p = classifier.predict(x);
    for (let i = 0; i < 3; i++) classifier.predict(randomNormal([5, 8, 8, 1]));
    assert.equal(losses.categoricalCrossentropy(labels, p).item(), expectedLoss);

    const tagger = sequential([
      layers.embedding({ inputDim: 6, outputDim: 3, maskZero: true, inputShape: [5] }),
      layers.simpleRNN({ units: 2, returnSequences: true }),
    ]);
    const ids = tensor([1, 2, 0, 0, 0, 3, 4, 5, 0, 0], [2, 5]);
    const expectedMask = withoutReuse(() => {
      const out = tagger.predict(ids);
      return [...(tagger.computeMask(ids, undefined, out) as Tensor).values];
    });
    const out = tagger.predict(ids);
    for (let i = 0; i < 3; i++) tagger.predict(tensor([5, 4, 3, 2, 1, 1, 1, 0, 0, 0], [2, 5]));
    assert.deepEqual([...(tagger.computeMask(ids, undefined, out) as Tensor).values], expectedMask);
    assert.deepEqual(expectedMask, [1, 1, 0, 0, 0, 1, 1, 1, 0, 0]);
  });

  test('a custom layer that keeps its inputs keeps them intact (no reuse then)', () => {
    setSeed(6);
    const remember = new Remember({});
    const m = sequential([layers.dense({ units: 5, activation: 'tanh', inputShape: [4] }), remember, layers.dense({ units: 2 })]);
    assert.equal(inferenceRunsOwnCodeOnly(m), false);
    for (let i = 0; i < 4; i++) m.predict(randomNormal([2, 4]));
    assert.equal(remember.seen.length, 4);
    for (const { tensor, copy } of remember.seen) assert.deepEqual([...tensor.values], copy);
    assert.equal(inferenceRunsOwnCodeOnly(cnn()), true);
  });

  test('a predict whose gradient is taken keeps its buffers for the backward pass', () => {
    setSeed(7);
    const m = sequential([layers.dense({ units: 5, activation: 'tanh', inputShape: [3] }), layers.dense({ units: 1 })]);
    const x = randomNormal([4, 3]);
    const expected = withoutReuse(() => [...grad((v: Tensor) => m.predict(v).sum())(x).values]);
    m.predict(randomNormal([4, 3]));
    const g = grad((v: Tensor) => m.predict(v).sum())(x);
    assert.deepEqual([...g.values], expected);
    assert.ok(g.values.every(Number.isFinite));
  });
});
