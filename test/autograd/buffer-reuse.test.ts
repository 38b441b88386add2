// The autograd engine hands the buffers of gradients that have flowed on back to the training pool. These
// graphs share gradient buffers in every way the ops allow (a reshape or an add passes its upstream gradient
// on as is, one tensor feeds several ops or one op twice); with poisoning on, any buffer reused while still
// needed turns into NaN, so each gradient must equal the one computed without reuse, bit for bit.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  add,
  biasActivation,
  concat,
  conv2d,
  flatten,
  gradients,
  matmul,
  maxPool2d,
  mul,
  randomNormal,
  relu,
  reshape,
  setSeed,
  softmaxCrossEntropy,
  sub,
  sum,
  tanh,
  transpose,
  type Tensor,
} from '../../src/index.js';
import { pooledBufferBytes, recycle, setBufferPoisoning, withBufferReuse } from '../../src/tensor/buffer-pool.js';

type Graph = (vars: Tensor[]) => Tensor;

const graphs: Record<string, { shapes: number[][]; loss: Graph }> = {
  'reshape passes its gradient on': {
    shapes: [
      [4, 6],
      [6, 5],
    ],
    loss: ([x, w]) => sum(mul(reshape(matmul(x, w), [2, 10]), reshape(matmul(x, w), [2, 10]))),
  },
  'add passes one gradient to both inputs': {
    shapes: [
      [3, 4],
      [3, 4],
      [4, 2],
    ],
    loss: ([a, b, w]) => sum(tanh(matmul(add(a, b), w))),
  },
  'one tensor used twice by one op and by two ops': {
    shapes: [
      [5, 3],
      [3, 3],
    ],
    loss: ([x, w]) => {
      const h = relu(matmul(x, w));
      return sum(add(mul(h, h), sub(h, transpose(reshape(h, [3, 5])).reshape([5, 3]))));
    },
  },
  'a variable reached by many paths': {
    shapes: [[2, 3]],
    loss: ([v]) => sum(concat([v, mul(v, 2), add(v, v)], 1)),
  },
  'a dense network with softmax cross-entropy': {
    shapes: [[8, 12], [12, 16], [16], [16, 4], [8, 4]],
    loss: ([x, w1, b1, w2, y]) => sum(softmaxCrossEntropy(y, matmul(biasActivation(matmul(x, w1), b1, 'relu'), w2))),
  },
  'a small convolutional network': {
    shapes: [
      [2, 6, 6, 1],
      [3, 3, 1, 4],
      [16, 3],
    ],
    loss: ([x, k, w]) => sum(tanh(matmul(flatten(maxPool2d(relu(conv2d(x, k)), { poolSize: 2 })), w))),
  },
};

function run(name: string): Tensor[] {
  const { shapes, loss } = graphs[name];
  setSeed(7);
  const vars = shapes.map((s) => randomNormal(s).requireGrad());
  return gradients(loss(vars), vars);
}

describe('gradient buffers reused during training', () => {
  before(() => setBufferPoisoning(true));
  after(() => setBufferPoisoning(false));

  for (const name of Object.keys(graphs)) {
    test(`${name}: the same gradients as without reuse`, async () => {
      const expected = run(name).map((g) => [...g.values]);
      await withBufferReuse(async () => {
        for (let round = 0; round < 3; round++) {
          const got = run(name);
          got.forEach((g, i) => {
            assert.deepEqual([...g.values], expected[i], `gradient ${i}, round ${round}`);
          });
          // later steps take the freed buffers again: the gradients handed out must not change
          const kept = got.map((g) => [...g.values]);
          run(name);
          got.forEach((g, i) => {
            assert.deepEqual([...g.values], kept[i]);
          });
        }
      });
    });
  }

  test('the engine does hand intermediate gradients back (so the checks above are not vacuous)', async () => {
    await withBufferReuse(async () => {
      run('a dense network with softmax cross-entropy');
      assert.ok(pooledBufferBytes() > 0);
    });
  });

  test('poisoning catches a buffer handed back while still in use', async () => {
    await withBufferReuse(async () => {
      const [x, w] = [randomNormal([3, 3]).requireGrad(), randomNormal([3, 3]).requireGrad()];
      const [gx] = gradients(sum(matmul(x, w)), [x, w]);
      const copy = [...gx.values];
      recycle(gx.values);
      assert.ok(gx.values.every(Number.isNaN) && !copy.some(Number.isNaN));
    });
  });
});
