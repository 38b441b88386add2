import assert from 'node:assert/strict';
import type { Tensor } from '../src/tensor/tensor.js';

/** Asserts |actual - expected| <= atol + rtol * |expected| elementwise (numpy allclose), with the shape. */
export function assertClose(
  actual: Tensor | ArrayLike<number>,
  expected: ArrayLike<number>,
  opts: { rtol?: number; atol?: number; shape?: readonly number[] } = {},
): void {
  const rtol = opts.rtol ?? 1e-5;
  const atol = opts.atol ?? 1e-6;
  const values = 'values' in actual && (actual as Tensor).values instanceof Float32Array ? (actual as Tensor).values : (actual as ArrayLike<number>);
  if (opts.shape && 'shape' in actual) assert.deepEqual([...(actual as Tensor).shape], [...opts.shape], 'shape');
  assert.equal(values.length, expected.length, `length: got ${values.length}, expected ${expected.length}`);
  let worst = 0;
  let worstAt = -1;
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(values[i] - expected[i]) - (atol + rtol * Math.abs(expected[i]));
    if (!(err <= 0) && (worstAt < 0 || err > worst || Number.isNaN(err))) {
      worst = err;
      worstAt = i;
    }
  }
  if (worstAt >= 0) assert.fail(`element ${worstAt}: got ${values[worstAt]}, expected ${expected[worstAt]} (rtol ${rtol}, atol ${atol})`);
}
