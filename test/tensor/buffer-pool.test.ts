import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { asScratch, POOL_LINGER_MS, pooledBufferBytes, recycle, takeBuffer, withBufferReuse } from '../../src/tensor/buffer-pool.js';

describe('buffer pool', () => {
  test('outside a training run nothing is kept: every buffer is new and zeroed', () => {
    const a = asScratch(() => takeBuffer(8));
    a.fill(3);
    recycle(a);
    assert.equal(pooledBufferBytes(), 0);
    const b = takeBuffer(8, false);
    assert.notEqual(b, a);
    assert.deepEqual([...b], new Array(8).fill(0));
  });

  test('during a run a scratch buffer handed back is taken again: zeroed, or as it was for a kernel that overwrites it; the pool outlives the run for a while', async () => {
    await withBufferReuse(async () => {
      const a = asScratch(() => takeBuffer(16));
      a.fill(7);
      recycle(a);
      assert.equal(pooledBufferBytes(), 64);
      const b = takeBuffer(16);
      assert.equal(b, a);
      assert.deepEqual([...b], new Array(16).fill(0));
      assert.equal(pooledBufferBytes(), 0);

      const c = asScratch(() => takeBuffer(16));
      c.fill(5);
      recycle(c);
      const d = takeBuffer(16, false);
      assert.equal(d, c);
      assert.equal(d[0], 5);
      // another length does not match
      recycle(asScratch(() => takeBuffer(4)));
      assert.notEqual(takeBuffer(16).length, 4);
    });
    assert.equal(pooledBufferBytes(), 16, 'the pool outlives the run, for a run that follows soon');
    await new Promise((resolve) => setTimeout(resolve, POOL_LINGER_MS + 100));
    assert.equal(pooledBufferBytes(), 0, 'and is emptied when none has');
  });

  test('only scratch buffers are accepted, each once', async () => {
    await withBufferReuse(async () => {
      const notScratch = takeBuffer(32);
      recycle(notScratch);
      assert.equal(pooledBufferBytes(), 0);

      const s = asScratch(() => takeBuffer(32));
      recycle(s);
      recycle(s);
      assert.equal(pooledBufferBytes(), 128, 'a second hand-back of one buffer is ignored');
      const first = takeBuffer(32);
      const second = takeBuffer(32);
      assert.equal(first, s);
      assert.notEqual(second, s, 'two takes never share a buffer');
      // a buffer taken from the pool outside scratch tracking is no longer scratch
      recycle(first);
      assert.equal(pooledBufferBytes(), 0);
    });
  });

  test('DENDRITE_BUFFER_REUSE=0 turns reuse off', async () => {
    process.env.DENDRITE_BUFFER_REUSE = '0';
    try {
      await withBufferReuse(async () => {
        const a = asScratch(() => takeBuffer(8));
        recycle(a);
        assert.equal(pooledBufferBytes(), 0);
        assert.notEqual(takeBuffer(8), a);
      });
    } finally {
      delete process.env.DENDRITE_BUFFER_REUSE;
    }
  });
});
