// TF.js' tensor methods on dendrite's tensors, against real TensorFlow.js: reading values (data, dataSync,
// array, arraySync), print's text, reshaping and casting helpers, and the op methods, for float32, int32 and bool
// tensors. Also: dendrite's float32 results and gradients are unchanged by them, and dendrite's own code never
// calls the three methods whose TF.js meaning differs (argMax(), argMin(), flatten()) without arguments.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import * as tfjs from '@tensorflow/tfjs';
import * as dd from '../../src/index.js';
import * as tf from '../../src/tfjs/index.js';
import { assertSame, assertSameResult, dendriteTf, type Lib, tfjsCpu } from './same-as-tfjs.js';

before(tfjsCpu);

const VALUES = [1.7, -1.7, 2.5, -0.5, 0, 3, -4, 0.5];
function inputs(t: Lib) {
  return {
    f: t.tensor(VALUES, [2, 4], 'float32'),
    i: t.tensor(VALUES, [2, 4], 'int32'),
    b: t.tensor(VALUES, [2, 4], 'bool'),
  };
}
const KINDS = ['f', 'i', 'b'] as const;

/** What console.log writes while `fn` runs. */
function printed(fn: () => void): string {
  const original = console.log;
  const lines: string[] = [];
  console.log = (...args: unknown[]) => {
    lines.push(args.map(String).join(' '));
  };
  try {
    fn();
  } finally {
    console.log = original;
  }
  return lines.join('\n');
}

describe('reading values', () => {
  test('dataSync, data, arraySync and array in every dtype and rank', async () => {
    for (const make of [
      (t: Lib) => inputs(t).f,
      (t: Lib) => inputs(t).i,
      (t: Lib) => inputs(t).b,
      (t: Lib) => t.scalar(2.5),
      (t: Lib) => t.scalar(true),
      (t: Lib) => t.zeros([2, 0]),
      (t: Lib) => t.ones([1, 2, 1, 2], 'int32'),
    ]) {
      assertSame((t) => [make(t).dataSync(), make(t).arraySync()]);
      assertSameResult([await make(dendriteTf).data(), await make(dendriteTf).array()], [await make(tfjs).data(), await make(tfjs).array()]);
    }
  });

  test('print writes what TF.js writes, verbose too', () => {
    const cases: ((t: Lib) => tfjs.Tensor)[] = [
      (t) => t.scalar(3.25),
      (t) => t.scalar(0.1),
      (t) => t.scalar(1, 'bool'),
      (t) => t.tensor([1, 2.5, -3]),
      (t) => inputs(t).f,
      (t) => inputs(t).i,
      (t) => inputs(t).b,
      (t) => t.tensor([1e-8, 123456.789, -0.5, 2], [2, 2]),
      (t) => t.range(0, 30),
      (t) => t.reshape(t.range(0, 2 * 3 * 4, 1, 'int32'), [2, 3, 4]),
      (t) => t.reshape(t.range(0, 25 * 2), [25, 2]),
      (t) => t.reshape(t.range(0, 24 * 30), [24, 30]),
      (t) => t.reshape(t.range(0, 2 * 2 * 2 * 2), [2, 2, 2, 2]),
      (t) => t.zeros([0]),
      (t) => t.zeros([2, 0]),
    ];
    for (const make of cases) {
      for (const verbose of [false, true]) {
        assert.equal(
          printed(() => make(dendriteTf).print(verbose)),
          printed(() => make(tfjs).print(verbose)),
        );
        assert.equal(
          printed(() => tf.print(make(dendriteTf) as never, verbose)),
          printed(() => tfjs.print(make(tfjs), verbose)),
        );
      }
    }
  });
});

describe('shape and dtype helpers', () => {
  test('as1D ... as5D, asScalar, asType, toFloat, toInt, toBool, reshapeAs, flatten, clone, bufferSync', async () => {
    for (const k of KINDS) {
      assertSame((t) => [
        inputs(t)[k].as1D(),
        inputs(t)[k].as2D(4, 2),
        inputs(t)[k].as3D(2, 2, 2),
        inputs(t)[k].as4D(1, 2, 2, 2),
        inputs(t)[k].as5D(1, 1, 2, 2, 2),
        inputs(t)[k].asType('int32'),
        inputs(t)[k].toFloat(),
        inputs(t)[k].toInt(),
        inputs(t)[k].toBool(),
        inputs(t)[k].cast('bool'),
        inputs(t)[k].reshapeAs(t.zeros([4, 2])),
        inputs(t)[k].flatten(),
        inputs(t)[k].clone(),
        inputs(t)[k].zerosLike(),
        inputs(t)[k].onesLike(),
      ]);
      assertSame((t) => {
        const b = inputs(t)[k].bufferSync();
        return [b.shape, b.dtype, b.values, b.get(1, 2)];
      });
      const [ours, theirs] = [await inputs(dendriteTf)[k].buffer(), await inputs(tfjs)[k].buffer()];
      assertSameResult([ours.values, ours.dtype], [theirs.values, theirs.dtype]);
    }
    assertSame((t) => t.tensor([[5]]).asScalar());
    assertSame((t) => t.tensor([1, 2]).asScalar(), { sameMessage: true });
    assertSame((t) => t.tensor([1, 2]).as2D(3, 1));
  });

  test('variable() makes a Variable of a copy', () => {
    assertSame((t) => t.tensor([1.5, 2], [2], 'int32').variable(false, 'from-method'));
    const v = tf.tensor([1, 2]).variable();
    assert.ok(v instanceof tf.Variable);
    assert.equal(v.trainable, true);
  });
});

describe('op methods', () => {
  test('binary methods, with tensors, arrays and numbers', () => {
    const binary = [
      'add',
      'sub',
      'mul',
      'div',
      'floorDiv',
      'pow',
      'maximum',
      'minimum',
      'squaredDifference',
      'equal',
      'notEqual',
      'greater',
      'greaterEqual',
      'less',
      'lessEqual',
    ] as const;
    for (const op of binary) {
      for (const a of KINDS) {
        for (const b of KINDS) assertSame((t) => (inputs(t)[a][op] as (x: unknown) => unknown)(inputs(t)[b]));
        assertSame((t) => (inputs(t)[a][op] as (x: unknown) => unknown)(2));
        assertSame((t) => (inputs(t)[a][op] as (x: unknown) => unknown)([1, 2, 3, 4]));
      }
    }
    for (const op of ['logicalAnd', 'logicalOr', 'logicalXor'] as const) {
      assertSame((t) => inputs(t).b[op](t.tensor([true, false, true, false, true, false, true, false], [2, 4])));
    }
  });

  test('unary methods and activations', () => {
    const unary = [
      'neg',
      'abs',
      'square',
      'sqrt',
      'exp',
      'log',
      'sigmoid',
      'tanh',
      'relu',
      'floor',
      'ceil',
      'round',
      'sign',
      'step',
      'softmax',
      'logSoftmax',
    ] as const;
    for (const op of unary) {
      for (const a of KINDS) {
        // TF.js' logSoftmax of a bool tensor is -Infinity everywhere (its max is subtracted in uint8, where 0 - 1 is
        // 255); dendrite/tfjs computes it on the 0/1 values, as for int32 (README: differences)
        if (op === 'logSoftmax' && a === 'b') continue;
        assertSame((t) => (inputs(t)[a][op] as () => unknown)(), { sameMessage: true });
      }
    }
    assertSame((t) => inputs(t).b.logicalNot());
    assertSame((t) => inputs(t).f.step(0.25));
    assertSame((t) => inputs(t).i.clipByValue(-1, 2));
  });

  test('reductions, argMax / argMin on axis 0 by default, norm', () => {
    for (const op of ['sum', 'mean', 'max', 'min', 'prod'] as const) {
      for (const a of KINDS) {
        assertSame((t) => inputs(t)[a][op]());
        assertSame((t) => inputs(t)[a][op](1, true));
        assertSame((t) => inputs(t)[a][op]([0, 1]));
      }
    }
    for (const a of KINDS) {
      assertSame((t) => [inputs(t)[a].argMax(), inputs(t)[a].argMax(1), inputs(t)[a].argMin(), inputs(t)[a].argMin(-1)]);
    }
    assertSame((t) => [inputs(t).b.any(), inputs(t).b.all(1), inputs(t).f.norm(), inputs(t).f.norm(1, 1, true)]);
  });

  test('shape methods', () => {
    for (const a of KINDS) {
      assertSame((t) => {
        const x = inputs(t)[a];
        return [
          x.reshape([4, 2]),
          x.transpose(),
          x.transpose([1, 0]),
          x.expandDims(1),
          x.reshape([1, 2, 1, 4]).squeeze(),
          x.reshape([1, 2, 1, 4]).squeeze([0]),
          x.slice([0, 1], [2, 2]),
          x.tile([2, 1]),
          x.pad([
            [1, 1],
            [0, 2],
          ]),
          x.gather([1, 0], 1),
          x.concat(x),
          x.concat([x, x], 1),
          x.stack(x),
          x.stack([x, x], 2),
          x.unstack(1),
          x.split(2, 1),
          x.broadcastTo([3, 2, 4]),
        ];
      });
    }
    assertSame((t) => [t.tensor1d([0, 2], 'int32').oneHot(3, 1, 0), t.tensor1d([0, 5], 'int32').oneHot(3, 2, -1)]);
    assertSame((t) => inputs(t).f.where(inputs(t).b, inputs(t).f.neg()));
  });

  test('matMul, dot, conv2d, maxPool, avgPool, resizes', () => {
    assertSame((t) => [
      t.tensor([[1, 2, 3]]).matMul(t.tensor([[1], [0], [2]])),
      t.tensor([[1, 2, 3]]).matMul(t.tensor([[1, 0, 2]]), false, true),
      t.tensor([1, 2]).dot(t.tensor([3, 4])),
    ]);
    const wave = (n: number, f: number) => Array.from({ length: n }, (_, i) => Math.cos(i * f));
    const image = (t: Lib) => t.tensor4d(wave(2 * 6 * 6 * 2, 0.7), [2, 6, 6, 2]);
    assertSame((t) => [
      image(t).conv2d(t.tensor4d(wave(2 * 2 * 2 * 3, 0.3), [2, 2, 2, 3]), 1, 'same'),
      image(t).maxPool(2, 2, 'valid'),
      image(t).avgPool(3, 1, 'same'),
      image(t).resizeBilinear([3, 4]),
      image(t).resizeNearestNeighbor([4, 3], true),
    ]);
  });
});

describe('dendrite stays dendrite', () => {
  test('float32 results of replaced methods equal dendrite ops, and gradients still flow', () => {
    const x = dd.tensor([
      [1, -2, 3],
      [4, 5, -6],
    ]);
    assert.deepEqual(x.add(1).mul(x).sum(1).dataSync(), dd.sum(dd.mul(dd.add(x, 1), x), 1).dataSync());
    assert.equal(x.sum().dtype, 'float32');
    const w = dd.tensor([0.5, -1, 2]).requireGrad();
    const loss = w.mul(w).add(w).sum();
    loss.backward();
    assert.deepEqual([...(w.grad?.dataSync() ?? [])], [2, -1, 5]);
    const v = tf.variable(tf.tensor([1, 2, 3]));
    const [g] = dd.grads((a: dd.Tensor) => tf.sum(tf.square(tf.sub(a, tf.tensor([1, 1, 1])))))([v]);
    assert.deepEqual([...g.dataSync()], [0, 2, 4]);
  });

  test('dispose marks a tensor and leaves its values usable; isDisposed as in TF.js', () => {
    const t = tf.tensor([1, 2, 3]);
    assert.equal(t.isDisposed, false);
    t.dispose();
    assert.equal(t.isDisposed, true);
    assert.deepEqual([...t.add(1).dataSync()], [2, 3, 4]);
    const theirs = tfjs.tensor([1]);
    theirs.dispose();
    assert.equal(theirs.isDisposed, true);
  });

  test("dendrite's code never calls argMax(), argMin() or flatten() without arguments (their TF.js meaning differs)", () => {
    const root = join(import.meta.dirname, '../../src');
    const offenders: string[] = [];
    for (const file of readdirSync(root, { recursive: true })) {
      const path = String(file);
      if (!path.endsWith('.ts') || path.startsWith('tfjs')) continue;
      const text = readFileSync(join(root, path), 'utf8');
      for (const m of text.matchAll(/\.(argMax|argMin|flatten)\(\)/g)) {
        const line = text.slice(0, m.index).split('\n').length;
        if (!/^\s*(\/\/|\*)/.test(text.split('\n')[line - 1])) offenders.push(`${path}:${line}`);
      }
    }
    assert.deepEqual(offenders, []);
  });
});
