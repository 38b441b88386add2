// Checks shared by the layer tests: seeded random tensors, and "does the gradient reach every weight".
import assert from 'node:assert/strict';
import { gradients } from '../../../src/autograd/backward.js';
import type { Layer } from '../../../src/nn/layer.js';
import { mul } from '../../../src/ops/binary.js';
import { sum } from '../../../src/ops/reduce.js';
import { tensor } from '../../../src/tensor/create.js';
import type { Tensor } from '../../../src/tensor/tensor.js';
import { makeRng } from '../../gradcheck.js';

/** A float32 tensor of uniform values in [low, high), from its own seeded generator. */
export function randomTensor(shape: readonly number[], seed: number, low = -1, high = 1): Tensor {
  const rand = makeRng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(
    Float32Array.from({ length: n }, () => low + (high - low) * rand()),
    shape,
  );
}

/**
 * Differentiates L = sum(layer(x) * upstream) (a random upstream, so that normalised outputs, whose plain sum
 * is constant, still give gradients) and asserts that x and every trainable weight get a finite, non-zero
 * gradient of its own shape. Returns the gradients, x's first.
 */
export function assertGradientsFlow(layer: Layer, x: Tensor, training = false): Tensor[] {
  x.requireGrad();
  const y = layer.apply(x, { training });
  const upstream = randomTensor(y.shape, 99);
  const targets = [x, ...layer.trainableWeights];
  const gs = gradients(sum(mul(y, upstream)), targets);
  gs.forEach((g, i) => {
    const what = i === 0 ? 'x' : layer.trainableWeights[i - 1].name;
    assert.deepEqual([...g.shape], [...targets[i].shape], `${what}: gradient shape`);
    assert.ok(g.values.every(Number.isFinite), `${what}: gradient is finite`);
    assert.ok(
      g.values.some((v) => v !== 0),
      `${what}: gradient is non-zero`,
    );
  });
  return gs;
}
