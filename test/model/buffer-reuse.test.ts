// fit() reuses the buffers of each step's batch and gradients (src/tensor/buffer-pool.ts). With poisoning on,
// a buffer reused while something still reads it turns into NaN; training must give exactly the weights it
// gives without reuse, and must never touch what a custom layer or optimizer keeps.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  Layer,
  layers,
  optimizers,
  randomNormal,
  randomUniform,
  sequential,
  setSeed,
  toCategorical,
  type CallArgs,
  type Sequential,
  type Tensor,
} from '../../src/index.js';
import { stepRunsOwnCodeOnly } from '../../src/model/buffer-reuse.js';
import { POOL_LINGER_MS, pooledBufferBytes, setBufferPoisoning } from '../../src/tensor/buffer-pool.js';
import { Remember } from './remember-layer.js';

function mlp(): Sequential {
  return sequential([
    layers.dense({ units: 16, activation: 'relu', inputShape: [12], kernelRegularizer: 'l2' }),
    layers.dropout({ rate: 0.2 }),
    layers.dense({ units: 3, activation: 'softmax' }),
  ]);
}

function cnn(): Sequential {
  return sequential([
    layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [8, 8, 1] }),
    layers.batchNormalization(),
    layers.maxPooling2d({ poolSize: 2 }),
    layers.flatten(),
    layers.dense({ units: 3, activation: 'softmax' }),
  ]);
}

async function train(build: () => Sequential, inputShape: number[], reuse: boolean, optimizer = 'adam'): Promise<{ weights: number[][]; loss: number[] }> {
  if (!reuse) process.env.DENDRITE_BUFFER_REUSE = '0';
  try {
    setSeed(3);
    const x = randomNormal([40, ...inputShape]);
    const y = toCategorical(
      Array.from({ length: 40 }, (_, i) => i % 3),
      3,
    );
    const model = build();
    model.compile({ optimizer: optimizer as 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const history = await model.fit(x, y, { epochs: 3, batchSize: 8, verbose: 0, validationSplit: 0.2 });
    return { weights: model.getWeights().map((w) => [...w.values]), loss: history.history.loss as number[] };
  } finally {
    delete process.env.DENDRITE_BUFFER_REUSE;
  }
}

describe('fit() buffer reuse', () => {
  before(() => setBufferPoisoning(true));
  after(() => setBufferPoisoning(false));

  for (const [name, build, shape] of [
    ['MLP', mlp, [12]],
    ['CNN with batch norm', cnn, [8, 8, 1]],
  ] as const) {
    for (const optimizer of ['adam', 'sgd', 'rmsprop']) {
      test(`${name}, ${optimizer}: the same weights and losses as without reuse`, async () => {
        const plain = await train(build, [...shape], false, optimizer);
        const reused = await train(build, [...shape], true, optimizer);
        assert.deepEqual(reused.loss, plain.loss);
        assert.deepEqual(reused.weights, plain.weights);
      });
    }
  }

  test('buffers are pooled during fit, kept for a fit that follows soon, and released when none does', async () => {
    setSeed(1);
    const model = mlp();
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    const x = randomNormal([32, 12]);
    const y = toCategorical(
      Array.from({ length: 32 }, (_, i) => i % 3),
      3,
    );
    const pooled: number[] = [];
    const fit = () => model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0, callbacks: { onBatchEnd: () => void pooled.push(pooledBufferBytes()) } });
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    await fit();
    // the batch (8 x 12) and the weight gradients at least
    assert.ok(
      pooled.every((b) => b >= 4 * (8 * 12 + 12 * 16)),
      `pooled bytes after each batch: ${pooled}`,
    );
    const after = pooledBufferBytes();
    assert.ok(after > 0, 'kept after fit');
    // a second fit within the linger time postpones the release: it runs on the same pool, which stays its size
    await sleep(POOL_LINGER_MS * 0.6);
    await fit();
    assert.equal(pooledBufferBytes(), after);
    await sleep(POOL_LINGER_MS * 0.6);
    assert.equal(pooledBufferBytes(), after, 'still kept: less than the linger time since the second fit');
    await sleep(POOL_LINGER_MS * 0.6);
    assert.equal(pooledBufferBytes(), 0, 'released');
  });

  test('a custom layer that keeps its inputs keeps them intact', async () => {
    const remember = new Remember({ inputShape: [12] });
    setSeed(2);
    const model = sequential([remember, layers.dense({ units: 3, activation: 'softmax' })]);
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    await model.fit(
      randomUniform([24, 12]),
      toCategorical(
        Array.from({ length: 24 }, (_, i) => i % 3),
        3,
      ),
      { epochs: 2, batchSize: 4, verbose: 0 },
    );
    assert.equal(remember.seen.length, 12);
    for (const { tensor, copy } of remember.seen) assert.deepEqual([...tensor.values], copy);
  });

  test("a custom layer inside a wrapper (TimeDistributed) keeps its inputs intact; wrappers of dendrite's layers run its code alone", async () => {
    class RememberSteps extends Layer {
      static readonly className = 'RememberSteps';
      readonly seen: { tensor: Tensor; copy: number[] }[] = [];
      call(x: Tensor, args: CallArgs): Tensor {
        void args;
        this.seen.push({ tensor: x, copy: [...x.values] });
        return x;
      }
    }
    const remember = new RememberSteps();
    setSeed(6);
    const model = sequential([
      layers.timeDistributed({ layer: remember, inputShape: [3, 4] }),
      layers.flatten(),
      layers.dense({ units: 3, activation: 'softmax' }),
    ]);
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    await model.fit(
      randomUniform([24, 3, 4]),
      toCategorical(
        Array.from({ length: 24 }, (_, i) => i % 3),
        3,
      ),
      { epochs: 2, batchSize: 4, verbose: 0 },
    );
    assert.equal(remember.seen.length, 12);
    for (const { tensor, copy } of remember.seen) assert.deepEqual([...tensor.values], copy);
    assert.equal(stepRunsOwnCodeOnly(model, model.compiled!), false);
    const ours = sequential([
      layers.timeDistributed({ layer: layers.dense({ units: 4, activation: 'relu' }), inputShape: [3, 4] }),
      layers.bidirectional({ layer: layers.lstm({ units: 2 }) }),
      layers.dense({ units: 3, activation: 'softmax' }),
    ]);
    ours.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    assert.equal(stepRunsOwnCodeOnly(ours, ours.compiled!), true);
  });

  test('a custom optimizer that keeps the gradients keeps them intact', async () => {
    class Keeping extends optimizers.SGD {
      readonly kept: { g: Float32Array; copy: number[] }[] = [];
      protected override update(p: Float32Array, g: Float32Array, slots: Float32Array[]): void {
        this.kept.push({ g, copy: [...g] });
        super.update(p, g, slots);
      }
    }
    const optimizer = new Keeping({ learningRate: 0.1 });
    setSeed(4);
    const model = mlp();
    model.compile({ optimizer, loss: 'categoricalCrossentropy' });
    await model.fit(
      randomNormal([24, 12]),
      toCategorical(
        Array.from({ length: 24 }, (_, i) => i % 3),
        3,
      ),
      { epochs: 2, batchSize: 4, verbose: 0 },
    );
    assert.equal(optimizer.kept.length, 12 * 4);
    for (const { g, copy } of optimizer.kept) assert.deepEqual([...g], copy);
  });

  test("a whole step is handed back only when it runs dendrite's code alone", () => {
    const compiled = (model: Sequential) => model.compiled!;
    const build = (args: Record<string, unknown> = {}, compileArgs: Record<string, unknown> = {}) => {
      const model = sequential([layers.dense({ units: 4, activation: 'relu', inputShape: [3], ...args }), layers.dense({ units: 2, activation: 'softmax' })]);
      model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'], ...compileArgs } as never);
      return model;
    };
    const ours = build({ kernelRegularizer: 'l1l2' });
    assert.equal(stepRunsOwnCodeOnly(ours, compiled(ours)), true);
    const customs: [string, Sequential][] = [
      ['activation function', build({ activation: (x: Tensor) => x.mul(2) })],
      ['regularizer object', build({ kernelRegularizer: { className: 'Mine', apply: (w: Tensor) => w.square().sum(), getConfig: () => ({}) } })],
      ['loss function', build({}, { loss: (t: Tensor, p: Tensor) => t.sub(p).square().mean() })],
      ['metric function', build({}, { metrics: [(t: Tensor, p: Tensor) => t.sub(p).abs().mean()] })],
      ['optimizer subclass', build({}, { optimizer: new (class extends optimizers.Adam {})() })],
    ];
    for (const [what, model] of customs) assert.equal(stepRunsOwnCodeOnly(model, compiled(model)), false, what);
  });

  test('tensors that a custom activation, loss or metric keeps stay intact', async () => {
    const kept: { tensor: Tensor; copy: number[] }[] = [];
    const keep = (t: Tensor) => void kept.push({ tensor: t, copy: [...t.values] });
    const activation = (x: Tensor) => {
      const y = x.relu();
      keep(y);
      return y;
    };
    const loss = (t: Tensor, p: Tensor) => {
      keep(p);
      return t.sub(p).square().mean();
    };
    const metric = (t: Tensor, p: Tensor) => {
      const d = t.sub(p).abs();
      keep(d);
      return d.mean();
    };
    setSeed(5);
    const model = sequential([layers.dense({ units: 8, activation, inputShape: [6] }), layers.dense({ units: 3, activation: 'softmax' })]);
    model.compile({ optimizer: 'adam', loss, metrics: [metric] });
    await model.fit(
      randomNormal([24, 6]),
      toCategorical(
        Array.from({ length: 24 }, (_, i) => i % 3),
        3,
      ),
      { epochs: 2, batchSize: 4, verbose: 0 },
    );
    assert.ok(kept.length >= 3 * 12);
    for (const { tensor, copy } of kept) assert.deepEqual([...tensor.values], copy);
  });
});
