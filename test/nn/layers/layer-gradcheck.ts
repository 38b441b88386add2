// A layer's forward pass and its gradients with respect to the input *and every trainable weight*, against a
// float64 reference by central finite differences (test/gradcheck.ts checks functions of tensors; a layer's
// weights are Variables it owns, so they are perturbed here through the reference instead).
import assert from 'node:assert/strict';
import { gradients } from '../../../src/autograd/backward.js';
import type { CallArgs, Layer } from '../../../src/nn/layer.js';
import { mul } from '../../../src/ops/binary.js';
import { sum } from '../../../src/ops/reduce.js';
import { tensor } from '../../../src/tensor/create.js';
import { assertClose } from '../../helpers.js';
import { drawValues, makeRng, nd, type InputSpec, type ND } from '../../gradcheck.js';

export interface LayerGradCheckOptions {
  /** Gradient tolerance (dendrite computes in float32). */
  rtol?: number;
  atol?: number;
  /** Finite-difference step. */
  h?: number;
  seed?: number;
  /** Range of the random weights (default [-1, 1)). */
  weightLow?: number;
  weightHigh?: number;
  /** The input is data, not differentiated (Embedding's ids): only the weights' gradients are checked. */
  constantInput?: boolean;
  /** Passed to every call of the layer (e.g. `{ mask }`). */
  callArgs?: CallArgs;
}

/**
 * Builds `layer` for `x`'s shape, gives its trainable weights random float32 values, and checks `layer.apply(x)`
 * against `ref(x, ...weights)` (float64, weights in `trainableWeights` order), then the gradients of
 * L = sum(layer(x) * upstream) with respect to x and each weight against central differences of the reference.
 */
export function layerGradCheck(layer: Layer, x: InputSpec, ref: (x: ND, ...weights: ND[]) => ND, opts: LayerGradCheckOptions = {}): void {
  const rand = makeRng(opts.seed ?? 4321);
  const h = opts.h ?? 1e-6;
  layer.ensureBuilt([null, ...x.shape.slice(1)]);
  const weights = layer.trainableWeights;
  const values = [drawValues(x, rand), ...weights.map((w) => drawValues({ shape: w.shape, low: opts.weightLow ?? -1, high: opts.weightHigh ?? 1 }, rand))];
  weights.forEach((w, i) => {
    w.assign(tensor(Float32Array.from(values[i + 1]), w.shape));
  });
  const shapes = [x.shape, ...weights.map((w) => w.shape)];
  const reference = (vs: number[][]) => ref(...(vs.map((v, i) => nd(shapes[i], v)) as [ND, ...ND[]]));

  const expected = reference(values);
  const xt = tensor(Float32Array.from(values[0]), x.shape);
  if (!opts.constantInput) xt.requireGrad();
  const y = layer.apply(xt, opts.callArgs);
  assert.deepEqual([...y.shape], expected.shape, 'forward shape');
  assertClose(y, expected.data, { rtol: 1e-4, atol: 1e-5 });

  const upstream = expected.data.map(() => Math.fround(rand() * 2 - 1));
  const analytic = gradients(sum(mul(y, tensor(Float32Array.from(upstream), expected.shape))), [xt, ...weights]);
  const loss = (vs: number[][]) => reference(vs).data.reduce((s, v, j) => s + v * upstream[j], 0);
  values.forEach((v, i) => {
    if (i === 0 && opts.constantInput) return;
    const numeric = v.map((_, j) => {
      const plus = values.map((u) => [...u]);
      const minus = values.map((u) => [...u]);
      plus[i][j] += h;
      minus[i][j] -= h;
      return (loss(plus) - loss(minus)) / (2 * h);
    });
    const what = i === 0 ? 'x' : weights[i - 1].name;
    assert.deepEqual([...analytic[i].shape], [...shapes[i]], `${what}: gradient shape`);
    assertClose(analytic[i], numeric, { rtol: opts.rtol ?? 1e-3, atol: opts.atol ?? 1e-4 });
  });
}
