// tf.tensor and its kin, tf.variable, tf.zeros ... tf.eye, tf.clone and tf.cast against real TensorFlow.js: the
// same calls give the same shapes, dtypes and values, and fail where TF.js fails.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '../../src/tfjs/index.js';
import { assertSame, tfjsCpu } from './same-as-tfjs.js';

before(tfjsCpu);

describe('tf.tensor: shapes, dtype inference and conversion as TF.js', () => {
  test('nested arrays, flat arrays with a shape, typed arrays, numbers and booleans', () => {
    assertSame((t) =>
      t.tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]),
    );
    assertSame((t) => t.tensor([1, 2, 3, 4, 5, 6], [2, 3]));
    assertSame((t) =>
      t.tensor(
        [
          [1, 2],
          [3, 4],
        ],
        [4],
      ),
    );
    assertSame((t) => t.tensor(new Float32Array([1.5, 2]), [2, 1]));
    assertSame((t) => t.tensor(new Int32Array([1, -2])));
    assertSame((t) => t.tensor(new Uint8Array([1, 200])));
    assertSame((t) => t.tensor(3.25));
    assertSame((t) => t.tensor(true));
    assertSame((t) => t.tensor([[true, false]]));
    assertSame((t) => t.tensor([]));
    assertSame((t) => t.tensor([[], []]));
    assertSame((t) => t.tensor([new Float32Array([1, 2]), new Float32Array([3, 4])]));
  });

  test('int32 truncates toward zero and wraps at 2^31; bool is Math.round(v) !== 0', () => {
    assertSame((t) => t.tensor([1.7, -1.7, 2.5, -0.5, 0, NaN, Infinity, 3e9, -3e9], [9], 'int32'));
    assertSame((t) => t.tensor([1.7, -1.7, 2.5, -0.5, 0.4, 0, NaN, Infinity], [8], 'bool'));
    assertSame((t) => t.tensor([true, false], [2], 'float32'));
    assertSame((t) => t.tensor(new Int32Array([1, 2]), [2], 'float32'));
  });

  test('errors: sizes, ragged arrays, shapes that do not fit, dtypes', () => {
    assertSame((t) => t.tensor([1, 2, 3], [2, 2]), { sameMessage: true });
    // TF.js checks ragged arrays only with its DEBUG flag (it makes a [2, 2] tensor of 3 values otherwise);
    // dendrite/tfjs always refuses them, with TF.js' message.
    assert.throws(() => tf.tensor([[1, 2], [3]]), /^Error: Element arr\[1\] should have 2 elements, but has 1 elements$/);
    assertSame(
      (t) =>
        t.tensor(
          [
            [1, 2],
            [3, 4],
          ],
          [1, 4],
        ),
      { sameMessage: true },
    );
    assertSame((t) => t.tensor([1, 2], [-1, -2]));
    assertSame((t) => t.tensor([1], [1], 'complex64'));
    assertSame((t) => t.tensor({} as never));
    assert.throws(() => tf.tensor(['a', 'b'] as never), /no string tensors/);
  });
});

describe('tf.scalar, tf.tensor1d ... tf.tensor6d', () => {
  test('values and shapes', () => {
    assertSame((t) => t.scalar(4));
    assertSame((t) => t.scalar(2.7, 'int32'));
    assertSame((t) => t.scalar(false));
    assertSame((t) => t.tensor1d([1, 2, 3], 'int32'));
    assertSame((t) =>
      t.tensor2d([
        [1, 2],
        [3, 4],
      ]),
    );
    assertSame((t) => t.tensor2d([1, 2, 3, 4, 5, 6], [3, 2], 'int32'));
    assertSame((t) =>
      t.tensor3d([
        [[1], [2]],
        [[3], [4]],
      ]),
    );
    assertSame((t) => t.tensor3d([1, 2, 3, 4], [1, 2, 2]));
    assertSame((t) => t.tensor4d([[[[1, 2]]]], undefined, 'bool'));
    assertSame((t) => t.tensor4d(new Float32Array(8), [2, 2, 1, 2]));
    assertSame((t) => t.tensor5d([1, 2, 3, 4], [1, 1, 2, 2, 1]));
    assertSame((t) => t.tensor6d([[[[[[7]]]]]]));
    assertSame((t) => t.tensor6d([1, 2], [1, 1, 1, 1, 1, 2], 'int32'));
  });

  test('their errors, with TF.js messages', () => {
    for (const program of [
      (t: typeof tf) => t.scalar([1] as never),
      (t: typeof tf) => t.tensor1d([[1]]),
      (t: typeof tf) => t.tensor2d([1, 2]),
      (t: typeof tf) => t.tensor2d([[[1]]]),
      (t: typeof tf) => t.tensor2d([1, 2], [2]),
      (t: typeof tf) => t.tensor3d([1, 2]),
      (t: typeof tf) => t.tensor4d([[1]]),
      (t: typeof tf) => t.tensor5d([1], [1, 1, 1, 1]),
      (t: typeof tf) => t.tensor6d([1, 2]),
    ]) {
      assertSame(program as never, { sameMessage: true });
    }
  });
});

describe('tf.zeros, tf.ones, tf.fill, tf.zerosLike, tf.onesLike, tf.linspace, tf.range, tf.eye', () => {
  test('values, shapes, dtypes', () => {
    assertSame((t) => t.zeros([2, 3]));
    assertSame((t) => t.zeros([2], 'int32'));
    assertSame((t) => t.ones([3, 1], 'bool'));
    assertSame((t) => t.fill([2, 2], 3.7));
    assertSame((t) => t.fill([2], 3.7, 'int32'));
    assertSame((t) => t.fill([3], true as never));
    assertSame((t) => t.zerosLike(t.tensor([1, 2], [2], 'bool')));
    assertSame((t) => t.onesLike(t.tensor([[1, 2]], [1, 2], 'int32')));
    assertSame((t) => t.onesLike([1.5, 2]));
    assertSame((t) => t.linspace(0, 1, 5));
    assertSame((t) => t.linspace(-3, 7, 11));
    assertSame((t) => t.linspace(2, 2, 1));
    assertSame((t) => t.linspace(0, 1, 0), { sameMessage: true });
    assertSame((t) => t.zeros([2, -1]));
  });

  test('tf.range with TF.js rules for direction and dtype', () => {
    assertSame((t) => t.range(0, 5));
    assertSame((t) => t.range(0, 1, 0.1));
    assertSame((t) => t.range(5, 0));
    assertSame((t) => t.range(5, 0, -2));
    assertSame((t) => t.range(0, 5, -1));
    assertSame((t) => t.range(5, 0, 2));
    assertSame((t) => t.range(3, 3));
    assertSame((t) => t.range(0.5, 3, 1.5, 'int32'));
    assertSame((t) => t.range(0, 6, 2, 'int32'));
    assertSame((t) => t.range(0, 1, 0), { sameMessage: true });
  });

  test('tf.eye', () => {
    assertSame((t) => t.eye(3));
    assertSame((t) => t.eye(2, 4));
    assertSame((t) => t.eye(3, 2, undefined, 'int32'));
    assertSame((t) => t.eye(2, 2, [3]));
    assertSame((t) => t.eye(2, 3, [2, 1], 'bool'));
  });
});

describe('tf.clone, tf.cast, tf.variable', () => {
  test('clone keeps the dtype and copies', () => {
    assertSame((t) => t.clone(t.tensor([1, 2], [2], 'int32')));
    const x = tf.tensor([1, 2]);
    assert.notEqual(tf.clone(x).values, x.values);
  });

  test('cast between the three dtypes', () => {
    const values = [1.7, -1.7, 2.5, -0.5, 0, NaN, Infinity];
    for (const from of ['float32', 'int32', 'bool'] as const) {
      for (const to of ['float32', 'int32', 'bool'] as const) {
        assertSame((t) => t.cast(t.tensor(values, [values.length], from), to));
      }
    }
    assertSame((t) => t.cast([1.5, 2], 'int32'));
    assertSame((t) => t.cast(t.tensor([1]), 'string' as never));
    const x = tf.tensor([1.5]);
    assert.equal(tf.cast(x, 'float32'), x);
  });

  test('variable: a copy of the values, trainable by default, cast to the dtype asked', () => {
    assertSame((t) => t.variable(t.tensor([1.5, 2])));
    assertSame((t) => t.variable(t.tensor([1.5, 2]), false, 'v-cast', 'int32'));
    assertSame((t) => {
      const v = t.variable(t.tensor([[1, 2]], [1, 2], 'int32'));
      return [v.trainable, v.dtype];
    });
    const init = tf.tensor([1, 2]);
    const v = tf.variable(init, true, 'mine');
    assert.ok(v instanceof tf.Variable);
    assert.equal(v.name, 'mine');
    assert.equal(v.requiresGrad, true);
    v.assign(tf.tensor([5, 6]));
    assert.deepEqual([...init.dataSync()], [1, 2]);
    assert.equal(tf.variable(init, false).requiresGrad, false);
  });
});
