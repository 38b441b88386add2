// The conformance fixtures for convolution, pooling and normalisation, run directly through the ops
// (not the layers): inputs cast to float32, bias added with `add`, gradients of L = sum(output * upstream).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as dd from '../../src/index.js';
import type { Fixture, FixtureTensor } from '../conformance/fixture.js';
import { conformanceFixtures } from '../fixtures/conformance.js';

// biome-ignore lint/suspicious/noExplicitAny: fixture parameters are free-form JSON, read by name
type Params = Record<string, any>;
const pair = (v: unknown): [number, number] | undefined =>
  v === undefined || v === null ? undefined : typeof v === 'number' ? [v, v] : [(v as number[])[0], (v as number[])[1]];
const withBias = (p: Params, y: dd.Tensor, bias?: dd.Tensor) => (bias && p.use_bias !== false ? dd.add(y, bias) : y);

/** op id -> the dendrite computation on the inputs in `input_order`; undefined = not an op of this family. */
const ops: Record<string, (p: Params) => ((...xs: dd.Tensor[]) => dd.Tensor) | string> = {
  conv2d: (p) => (x, k, b) => withBias(p, dd.conv2d(x, k, { strides: pair(p.strides), padding: p.padding, dilationRate: pair(p.dilation_rate) }), b),
  depthwise_conv2d: (p) => (x, k, b) => {
    if (p.depth_multiplier !== undefined) assert.equal(k.shape[3], p.depth_multiplier, 'kernel depth multiplier');
    return withBias(p, dd.depthwiseConv2d(x, k, { strides: pair(p.strides), padding: p.padding, dilationRate: pair(p.dilation_rate) }), b);
  },
  conv2d_transpose: (p) => {
    if (p.output_padding !== undefined && p.output_padding !== null) return 'output_padding is not supported';
    return (x, k, b) => {
      if (p.filters !== undefined) assert.equal(k.shape[2], p.filters, 'kernel filters');
      return withBias(p, dd.conv2dTranspose(x, k, { strides: pair(p.strides), padding: p.padding, dilationRate: pair(p.dilation_rate) }), b);
    };
  },
  max_pool2d: (p) => (x) => dd.maxPool2d(x, { poolSize: pair(p.pool_size), strides: pair(p.strides), padding: p.padding }),
  avg_pool2d: (p) => (x) => dd.avgPool2d(x, { poolSize: pair(p.pool_size), strides: pair(p.strides), padding: p.padding }),
  global_avg_pool2d: (p) => (x) => (p.keepdims ? dd.mean(x, [1, 2], true) : dd.globalAveragePooling2d(x)),
  global_max_pool2d: (p) => (x) => (p.keepdims ? dd.max(x, [1, 2], true) : dd.globalMaxPooling2d(x)),
  layer_norm: (p) => (x, gamma, beta) => dd.layerNorm(x, gamma, beta, { axis: p.axis ?? -1, epsilon: p.epsilon ?? 1e-3 }),
  // inference mode only: training mode updates moving statistics, which is the BatchNormalization layer's job
  batch_norm: (p) => {
    if (p.training) return 'training-mode batch norm belongs to the layer';
    if ((p.axis ?? -1) !== -1) return `axis ${p.axis}`;
    return (x, gamma, beta, mean, variance) => dd.batchNorm(x, mean, variance, beta, gamma, p.epsilon ?? 1e-3);
  },
};

const toTensor = (t: FixtureTensor) => dd.tensor(Float32Array.from(t.data), t.shape);

function close(got: dd.Tensor, want: FixtureTensor, tol: Fixture['tolerance']): string | null {
  if (got.shape.length !== want.shape.length || got.shape.some((d, i) => d !== want.shape[i])) return `shape [${got.shape}] vs [${want.shape}]`;
  let worst = 0;
  let bad = -1;
  for (let i = 0; i < want.data.length; i++) {
    const err = Math.abs(got.values[i] - want.data[i]);
    if (!(err <= tol.atol + tol.rtol * Math.abs(want.data[i]))) bad = bad < 0 ? i : bad;
    worst = Math.max(worst, err);
  }
  return bad < 0 ? null : `element ${bad}: got ${got.values[bad]}, want ${want.data[bad]} (max abs error ${worst.toExponential(2)})`;
}

function run(f: Fixture, op: (...xs: dd.Tensor[]) => dd.Tensor): void {
  const xs = f.input_order.map((k) => toTensor(f.inputs[k]));
  const wanted = Object.keys(f.grads ?? {});
  const failures: string[] = [];
  const check = (what: string, got: dd.Tensor, want: FixtureTensor, alt?: FixtureTensor) => {
    const primary = close(got, want, f.tolerance);
    if (primary && !(alt && close(got, alt, f.tolerance) === null)) failures.push(`${what}: ${primary}`);
  };
  if (wanted.length === 0 || !f.upstream) {
    check('output', op(...xs), f.output, f.alt?.output);
  } else {
    const { value, grads } = dd.valueAndGrads(op)(xs, toTensor(f.upstream));
    check('output', value, f.output, f.alt?.output);
    for (const name of wanted) check(`grads.${name}`, grads[f.input_order.indexOf(name)], f.grads[name], f.alt?.grads?.[name]);
  }
  assert.deepEqual(failures, [], `${f.name}\n  ${failures.join('\n  ')}`);
}

describe('conformance fixtures: convolution, pooling and normalisation ops', () => {
  const fixtures = conformanceFixtures().filter(({ fixture }) => fixture.op in ops);
  test('the folder holds fixtures for these ops', () => assert.ok(fixtures.length > 0));
  for (const { file, fixture } of fixtures) {
    const made = ops[fixture.op](fixture.params ?? {});
    if (typeof made === 'string') test.skip(`${file}: ${made}`, () => {});
    else test(file, () => run(fixture, made));
  }
});
