import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { add, Tensor, tensor, Variable } from '../../src/index.js';

describe('Tensor.dtype', () => {
  test("is 'float32' by default, and every op returns float32", () => {
    const t = tensor([1, 2]);
    assert.equal(t.dtype, 'float32');
    const i = new Tensor(Float32Array.of(1, 2), [2], 'int32');
    assert.equal(i.dtype, 'int32');
    assert.equal(add(i, i).dtype, 'float32');
  });

  test('dataSync returns the typed array of the dtype, a copy', () => {
    const values = Float32Array.of(1, -2, 3);
    const f = new Tensor(values, [3]);
    assert.ok(f.dataSync() instanceof Float32Array);
    assert.notEqual(f.dataSync(), values);
    const i = new Tensor(values, [3], 'int32');
    assert.ok(i.dataSync() instanceof Int32Array);
    assert.deepEqual([...i.dataSync<'int32'>()], [1, -2, 3]);
    const b = new Tensor(Float32Array.of(1, 0, 1), [3], 'bool');
    assert.ok(b.dataSync() instanceof Uint8Array);
    assert.deepEqual([...b.dataSync()], [1, 0, 1]);
  });

  test('a Variable takes a dtype; an unknown dtype is refused', () => {
    const v = new Variable(Float32Array.of(3), [1], 'v', false, 'int32');
    assert.equal(v.dtype, 'int32');
    assert.throws(() => new Tensor(Float32Array.of(1), [1], 'string' as never), /Unknown dtype "string"/);
  });
});
