// The merge layers (Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot): shapes and errors,
// gradients against float64 finite differences, values against real TensorFlow.js, and configs read back.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { input, layers, tensor, type Layer, type Tensor } from '../../../src/index.js';
import { layerFromConfig } from '../../../src/io/layer-registry.js';
import { gradCheck, nd, ndMap, ndMatmul, ndReduce, ndTranspose, sum64, type ND } from '../../gradcheck.js';
import { assertClose } from '../../helpers.js';
import { randomTensor } from './layer-checks.js';

before(async () => {
  await tf.setBackend('cpu');
});

/** Concatenation of float64 arrays along `axis`. */
function ndConcat(xs: readonly ND[], axis: number): ND {
  const shape = [...xs[0].shape];
  shape[axis] = xs.reduce((n, x) => n + x.shape[axis], 0);
  const outer = xs[0].shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const data: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (const x of xs) {
      const inner = x.shape.slice(axis).reduce((a, b) => a * b, 1);
      data.push(...x.data.slice(o * inner, (o + 1) * inner));
    }
  }
  return nd(shape, data);
}

/** Keras' batch_dot of two float64 arrays along axes `ax` of a and `bx` of b (a plain triple loop over samples). */
function ndBatchDot(a: ND, b: ND, ax: number, bx: number): ND {
  const aPerm = [0, ...a.shape.map((_, i) => i).filter((i) => i !== 0 && i !== ax), ax];
  const bPerm = [0, bx, ...b.shape.map((_, i) => i).filter((i) => i !== 0 && i !== bx)];
  const at = ndTranspose(a, aPerm);
  const bt = ndTranspose(b, bPerm);
  const n = a.shape[0];
  const k = a.shape[ax];
  const aRest = at.shape.slice(1, -1);
  const bRest = bt.shape.slice(2);
  const m = aRest.reduce((p, d) => p * d, 1);
  const p = bRest.reduce((q, d) => q * d, 1);
  const out = ndMatmul(nd([n, m, k], at.data), nd([n, k, p], bt.data));
  const shape = [n, ...aRest, ...bRest];
  return nd(shape.length === 1 ? [n, 1] : shape, out.data);
}

/** x / sqrt(max(sum(x^2, axis), 1e-12)) in float64. */
function ndL2Normalize(x: ND, axis: number): ND {
  const norms = ndReduce(x, [axis], true, (v) => Math.sqrt(Math.max(sum64(v.map((e) => e * e)), 1e-12)));
  return ndMap([x, norms], (v, s) => v / s);
}

describe('elementwise merge layers', () => {
  const cases: [string, () => Layer, (...v: number[]) => number][] = [
    ['add', () => layers.add(), (...v) => sum64(v)],
    ['subtract', () => layers.subtract(), (a, b) => a - b],
    ['multiply', () => layers.multiply(), (...v) => v.reduce((p, x) => p * x, 1)],
    ['average', () => layers.average(), (...v) => sum64(v) / v.length],
    ['maximum', () => layers.maximum(), (...v) => Math.max(...v)],
    ['minimum', () => layers.minimum(), (...v) => Math.min(...v)],
  ];
  for (const [name, make, f] of cases) {
    const arity = name === 'subtract' ? 2 : 3;
    test(`${name}: values and gradients of ${arity} inputs against float64`, () => {
      const specs = Array.from({ length: arity }, () => ({ shape: [3, 4] }));
      gradCheck(
        (...xs: Tensor[]) => make().apply(xs),
        (...xs: ND[]) => ndMap(xs, f),
        specs,
      );
    });
  }

  test('sizes of 1 broadcast, and an input of lower rank gains axes after the batch axis (as Keras)', () => {
    assert.deepEqual(layers.add().apply([input({ shape: [4, 3] }), input({ shape: [1, 3] })]).shape, [null, 4, 3]);
    assert.deepEqual(layers.multiply().apply([input({ shape: [4, 3] }), input({ shape: [3] })]).shape, [null, 4, 3]);
    gradCheck(
      (a: Tensor, b: Tensor) => layers.multiply().apply([a, b]),
      (a: ND, b: ND) => ndMap([a, nd([2, 1, 3], b.data)], (x, y) => x * y),
      [{ shape: [2, 4, 3] }, { shape: [2, 3] }],
    );
  });

  test('shape errors name the layer, what it needs and the shapes', () => {
    assert.throws(
      () => layers.add({ name: 'plus' }).apply([input({ shape: [4] }), input({ shape: [5] })]),
      /Layer 'plus' \(Add\) needs inputs of one shape, or of shapes that broadcast \(sizes of 1\), got \[null, 4\], \[null, 5\]/,
    );
    assert.throws(
      () => layers.add({ name: 'one' }).apply(input({ shape: [4] })),
      /Layer 'one' \(Add\) merges a list of at least 2 inputs, got one input of shape \[null, 4\]/,
    );
    assert.throws(() => layers.add({ name: 'lone' }).apply([input({ shape: [4] })]), /'lone' \(Add\) merges a list of at least 2 inputs/);
    assert.throws(
      () => layers.subtract({ name: 'minus' }).apply([input({ shape: [2] }), input({ shape: [2] }), input({ shape: [2] })]),
      /Layer 'minus' \(Subtract\) merges a list of exactly 2 inputs, got 3/,
    );
    assert.throws(() => layers.add().apply([tensor([[1, 2]]), tensor([[1, 2, 3]])]), /needs inputs of one shape/);
  });

  test('given a list, the factory applies a new layer at once (Keras add([a, b]))', () => {
    assert.deepEqual(layers.add([input({ shape: [2] }), input({ shape: [2] })]).shape, [null, 2]);
    assert.deepEqual(layers.maximum([tensor([[1, 5]]), tensor([[3, 2]])]).toArray(), [[3, 5]]);
  });
});

describe('Concatenate', () => {
  test('joins on the last axis by default, or on the axis given; shapes inferred', () => {
    assert.deepEqual(layers.concatenate().apply([input({ shape: [3] }), input({ shape: [5] })]).shape, [null, 8]);
    assert.deepEqual(layers.concatenate({ axis: 1 }).apply([input({ shape: [2, 4] }), input({ shape: [3, 4] })]).shape, [null, 5, 4]);
    assert.deepEqual(layers.concatenate({ axis: -2 }).apply([input({ shape: [2, 4] }), input({ shape: [3, 4] })]).shape, [null, 5, 4]);
  });

  test('values and gradients against float64', () => {
    gradCheck(
      (a: Tensor, b: Tensor, c: Tensor) => layers.concatenate().apply([a, b, c]),
      (a: ND, b: ND, c: ND) => ndConcat([a, b, c], 2),
      [{ shape: [2, 3, 2] }, { shape: [2, 3, 1] }, { shape: [2, 3, 4] }],
    );
    gradCheck(
      (a: Tensor, b: Tensor) => layers.concatenate({ axis: 1 }).apply([a, b]),
      (a: ND, b: ND) => ndConcat([a, b], 1),
      [{ shape: [2, 1, 3] }, { shape: [2, 2, 3] }],
    );
  });

  test('refuses the batch axis and mismatched sizes, naming the layer and the shapes', () => {
    assert.throws(
      () => layers.concatenate({ axis: 0, name: 'cat0' }).apply([input({ shape: [2] }), input({ shape: [2] })]),
      /'cat0' \(Concatenate\): axis 0 is not an axis/,
    );
    assert.throws(
      () => layers.concatenate({ name: 'cat' }).apply([input({ shape: [2, 4] }), input({ shape: [3, 5] })]),
      /Layer 'cat' \(Concatenate\) needs inputs whose shapes match except on axis -1, got \[null, 2, 4\], \[null, 3, 5\]/,
    );
    assert.throws(() => layers.concatenate({ axis: 1.5 }), /axis must be an integer/);
  });
});

describe('Dot', () => {
  test('shapes as Keras infers them', () => {
    const dot = (axes: number | [number, number], a: number[], b: number[]) => layers.dot({ axes }).apply([input({ shape: a }), input({ shape: b })]).shape;
    assert.deepEqual(dot(1, [8], [8]), [null, 1]);
    assert.deepEqual(dot(-1, [8], [8]), [null, 1]);
    assert.deepEqual(dot([2, 1], [5, 8], [8, 3]), [null, 5, 3]);
    assert.deepEqual(dot([1, 1], [4, 5], [4, 6]), [null, 5, 6]);
    assert.deepEqual(dot(-1, [3, 4, 5], [6, 5]), [null, 3, 4, 6]);
  });

  test('values and gradients against float64, plain and normalised', () => {
    gradCheck(
      (a: Tensor, b: Tensor) => layers.dot({ axes: 1 }).apply([a, b]),
      (a: ND, b: ND) => ndBatchDot(a, b, 1, 1),
      [{ shape: [3, 4] }, { shape: [3, 4] }],
    );
    gradCheck(
      (a: Tensor, b: Tensor) => layers.dot({ axes: [2, 1] }).apply([a, b]),
      (a: ND, b: ND) => ndBatchDot(a, b, 2, 1),
      [{ shape: [2, 3, 4] }, { shape: [2, 4, 2] }],
    );
    gradCheck(
      (a: Tensor, b: Tensor) => layers.dot({ axes: [1, 2] }).apply([a, b]),
      (a: ND, b: ND) => ndBatchDot(a, b, 1, 2),
      [{ shape: [2, 3, 4] }, { shape: [2, 2, 3] }],
    );
    gradCheck(
      (a: Tensor, b: Tensor) => layers.dot({ axes: 1, normalize: true }).apply([a, b]),
      (a: ND, b: ND) => ndBatchDot(ndL2Normalize(a, 1), ndL2Normalize(b, 1), 1, 1),
      [{ shape: [3, 5] }, { shape: [3, 5] }],
    );
  });

  test('errors name the layer and the shapes', () => {
    assert.throws(
      () => layers.dot({ axes: 1, name: 'dd' }).apply([input({ shape: [4] }), input({ shape: [5] })]),
      /Layer 'dd' \(Dot\) sums axis 1 .* \[null, 4\], \[null, 5\]/,
    );
    assert.throws(
      () => layers.dot({ axes: 0, name: 'd0' }).apply([input({ shape: [4] }), input({ shape: [4] })]),
      /'d0' \(Dot\): axis 0 is not an axis of input 0/,
    );
    assert.throws(() => layers.dot({ axes: 'x' as never }), /axes must be an integer or a pair of integers/);
    assert.throws(() => layers.dot({ axes: 1, name: 'd3' }).apply([input({ shape: [4] }), input({ shape: [4] }), input({ shape: [4] })]), /exactly 2 inputs/);
  });
});

describe('merge layers against TensorFlow.js', () => {
  const layer = (make: () => tf.layers.Layer) => (xs: tf.Tensor[]) => make().apply(xs) as tf.Tensor;
  const cases: [string, () => Layer, (xs: tf.Tensor[]) => tf.Tensor, number[][]][] = [
    [
      'add',
      () => layers.add(),
      layer(() => tf.layers.add()),
      [
        [4, 6],
        [4, 6],
        [4, 6],
      ],
    ],
    // TF.js has no Subtract layer: its op
    [
      'subtract',
      () => layers.subtract(),
      ([a, b]) => tf.sub(a, b),
      [
        [4, 6],
        [4, 6],
      ],
    ],
    [
      'multiply',
      () => layers.multiply(),
      layer(() => tf.layers.multiply()),
      [
        [4, 2, 3],
        [4, 2, 3],
      ],
    ],
    [
      'average',
      () => layers.average(),
      layer(() => tf.layers.average()),
      [
        [4, 6],
        [4, 6],
        [4, 6],
      ],
    ],
    [
      'maximum',
      () => layers.maximum(),
      layer(() => tf.layers.maximum()),
      [
        [4, 6],
        [4, 6],
      ],
    ],
    [
      'minimum',
      () => layers.minimum(),
      layer(() => tf.layers.minimum()),
      [
        [4, 6],
        [4, 6],
      ],
    ],
    [
      'concatenate (last axis)',
      () => layers.concatenate(),
      layer(() => tf.layers.concatenate()),
      [
        [4, 2, 3],
        [4, 2, 5],
      ],
    ],
    [
      'concatenate (axis 1)',
      () => layers.concatenate({ axis: 1 }),
      layer(() => tf.layers.concatenate({ axis: 1 })),
      [
        [4, 2, 3],
        [4, 1, 3],
      ],
    ],
    [
      'dot (axes 1)',
      () => layers.dot({ axes: 1 }),
      layer(() => tf.layers.dot({ axes: 1 })),
      [
        [4, 6],
        [4, 6],
      ],
    ],
    [
      'dot (axes [2, 1])',
      () => layers.dot({ axes: [2, 1] }),
      layer(() => tf.layers.dot({ axes: [2, 1] })),
      [
        [4, 3, 5],
        [4, 5, 2],
      ],
    ],
    [
      'dot (normalised)',
      () => layers.dot({ axes: 1, normalize: true }),
      layer(() => tf.layers.dot({ axes: 1, normalize: true })),
      [
        [4, 6],
        [4, 6],
      ],
    ],
  ];
  for (const [name, ours, theirs, shapes] of cases) {
    test(`${name} computes what TF.js computes`, () => {
      const xs = shapes.map((s, i) => randomTensor(s, 10 + i));
      const y = ours().apply(xs);
      const expected = theirs(xs.map((x) => tf.tensor(Array.from(x.values), [...x.shape])));
      assertClose(y, expected.dataSync(), { shape: expected.shape, rtol: 1e-5, atol: 1e-6 });
    });
  }
});

describe('merge layer configs', () => {
  test('each layer reads back the config it writes', () => {
    const made = [
      layers.add({ name: 'a1' }),
      layers.subtract({ name: 's1' }),
      layers.multiply({ name: 'm1' }),
      layers.average({ name: 'av1' }),
      layers.maximum({ name: 'mx1' }),
      layers.minimum({ name: 'mn1' }),
      layers.concatenate({ name: 'c1', axis: 2 }),
      layers.dot({ name: 'd1', axes: [2, 1], normalize: true }),
    ];
    for (const layer of made) {
      const back = layerFromConfig(layer.className, layer.getConfig());
      assert.equal(back.className, layer.className);
      assert.deepEqual(back.getConfig(), layer.getConfig());
    }
  });
});
