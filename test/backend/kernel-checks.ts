// The checks every fast backend's kernels must pass against the js reference, shared by the native and wasm
// suites. Float32 sums in another order differ in the last bits, so results must agree to
// |backend - js| <= 1e-5 * (1 + |js|) * sqrt(terms), terms being the length of each sum.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Backend, Conv2DInfo, FusedActivation, MatmulArgs, Pool2DInfo } from '../../src/backend/backend.js';
import { composeMaxPoolActivationBackward } from '../../src/backend/js/fused.js';
import { jsBackend as js } from '../../src/backend/js/index.js';
import { convAxis } from '../../src/ops/conv.js';
import { makeRng } from '../gradcheck.js';

export const rand = makeRng(2024);
export const randomArray = (n: number) => Float32Array.from({ length: n }, () => Math.fround(rand() * 2 - 1));
/** An output buffer full of NaN, so an element the kernel forgets to write fails the comparison. */
export const poisoned = (n: number) => new Float32Array(n).fill(Number.NaN);

export function assertNear(actual: Float32Array, expected: Float32Array, terms: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  const scale = 1e-5 * Math.sqrt(Math.max(terms, 1));
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    if (actual[i] === e || (Number.isNaN(actual[i]) && Number.isNaN(e))) continue;
    const d = Math.abs(actual[i] - e);
    if (!(d <= scale * (1 + Math.abs(e)))) assert.fail(`${what}: element ${i} is ${actual[i]}, js gives ${e}`);
  }
}

/** Exact equality, NaN equal to NaN (max pooling moves values; it never rounds). */
export function assertSame(actual: Float32Array, expected: Float32Array, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i]) && !(actual[i] === 0 && expected[i] === 0)) {
      assert.fail(`${what}: element ${i} is ${actual[i]}, js gives ${expected[i]}`);
    }
  }
}

export function checkMatmul(
  backend: Backend,
  m: number,
  k: number,
  n: number,
  transposeA: boolean,
  transposeB: boolean,
  batch?: { a: number[]; b: number[]; aSize: number; bSize: number },
): void {
  const a = randomArray(batch ? batch.aSize : m * k);
  const b = randomArray(batch ? batch.bSize : k * n);
  const args: MatmulArgs = { m, k, n, transposeA, transposeB, aOffsets: batch ? batch.a : [0], bOffsets: batch ? batch.b : [0] };
  const count = args.aOffsets.length;
  const expected = poisoned(count * m * n);
  const actual = poisoned(count * m * n);
  js.matmul(a, b, expected, args);
  backend.matmul(a, b, actual, args);
  assertNear(actual, expected, k, `matmul m${m} k${k} n${n}${transposeA ? ' tA' : ''}${transposeB ? ' tB' : ''}`);
}

/** GEMM shapes around the register tiles' edges: ones, odd sizes, just over a tile, long k. */
export const gemmShapes: [number, number, number][] = [
  [1, 1, 1],
  [1, 7, 1],
  [1, 300, 1],
  [2, 3, 4],
  [1, 1, 40],
  [40, 1, 1],
  [5, 2, 17],
  [14, 32, 16],
  [15, 33, 17],
  [17, 33, 65],
  [28, 385, 64],
  [64, 5, 3],
  [3, 500, 10],
  [50, 9, 33],
  [100, 64, 10],
  [129, 785, 130],
  // a few rows (a Dense layer on one sample): the sum over k in slices
  [1, 3000, 50],
  [4, 1100, 128],
  [1, 9216, 128],
  [3, 700, 200],
  [2, 500, 33],
];

export type Pad = 'valid' | 'same' | [[number, number], [number, number]];

export function convInfo(
  batch: number,
  inH: number,
  inW: number,
  inC: number,
  outC: number,
  kh: number,
  kw: number,
  stride: number | [number, number],
  dilation: number,
  padding: Pad,
): Conv2DInfo {
  const [strideH, strideW] = typeof stride === 'number' ? [stride, stride] : stride;
  const rows = convAxis(inH, kh, strideH, dilation, typeof padding === 'string' ? padding : padding[0]);
  const cols = convAxis(inW, kw, strideW, dilation, typeof padding === 'string' ? padding : padding[1]);
  return {
    batch,
    inH,
    inW,
    inC,
    outH: rows.out,
    outW: cols.out,
    outC,
    kh,
    kw,
    strideH,
    strideW,
    dilationH: dilation,
    dilationW: dilation,
    padTop: rows.before,
    padLeft: cols.before,
  };
}

export function checkConv(backend: Backend, c: Conv2DInfo, label: string): void {
  const x = randomArray(c.batch * c.inH * c.inW * c.inC);
  const w = randomArray(c.kh * c.kw * c.inC * c.outC);
  const outSize = c.batch * c.outH * c.outW * c.outC;
  const dy = randomArray(outSize);

  const y0 = poisoned(outSize),
    y1 = poisoned(outSize);
  js.conv2d(x, w, y0, c);
  backend.conv2d(x, w, y1, c);
  assertNear(y1, y0, c.kh * c.kw * c.inC, `${label}: conv2d`);

  const dx0 = poisoned(x.length),
    dx1 = poisoned(x.length);
  js.conv2dBackpropInput(dy, w, dx0, c);
  backend.conv2dBackpropInput(dy, w, dx1, c);
  assertNear(dx1, dx0, c.kh * c.kw * c.outC, `${label}: conv2dBackpropInput`);

  const dw0 = poisoned(w.length),
    dw1 = poisoned(w.length);
  js.conv2dBackpropFilter(x, dy, dw0, c);
  backend.conv2dBackpropFilter(x, dy, dw1, c);
  assertNear(dw1, dw0, c.batch * c.outH * c.outW, `${label}: conv2dBackpropFilter`);
  checkConvFused(backend, c, x, w, label);
}

/**
 * conv2dFused (bias, activation, and a max pool whose windows tile the output) against js, and bit for bit against
 * the backend's own conv2d, biasActivation and maxPool2d one after the other.
 */
function checkConvFused(backend: Backend, c: Conv2DInfo, x: Float32Array, w: Float32Array, label: string): void {
  const bias = randomArray(c.outC);
  const outSize = c.batch * c.outH * c.outW * c.outC;
  const [ph, pw] = [c.outH >= 3 ? 3 : 1, c.outW >= 2 ? 2 : 1];
  const pool: Pool2DInfo = {
    batch: c.batch,
    inH: c.outH,
    inW: c.outW,
    channels: c.outC,
    outH: Math.floor(c.outH / ph),
    outW: Math.floor(c.outW / pw),
    poolH: ph,
    poolW: pw,
    strideH: ph,
    strideW: pw,
    padTop: 0,
    padLeft: 0,
  };
  const pooledSize = c.batch * pool.outH * pool.outW * c.outC;
  for (const [activation, b] of [
    ['relu', bias],
    ['tanh', bias],
    ['linear', null],
  ] as const) {
    const what = `${label}: conv2dFused(${activation}${b ? ', bias' : ''})`;
    const unfused = poisoned(outSize);
    backend.conv2d(x, w, unfused, c);
    if (b || activation !== 'linear') backend.biasActivation(unfused, b, activation, unfused);
    const pooled = poisoned(pooledSize);
    backend.maxPool2d(unfused, pooled, pool);
    const y0 = poisoned(outSize),
      y1 = poisoned(outSize);
    js.conv2dFused(x, w, b, activation, y0, c, null, null);
    backend.conv2dFused(x, w, b, activation, y1, c, null, null);
    assertNear(y1, y0, c.kh * c.kw * c.inC, what);
    assertSame(y1, unfused, `${what} against the unfused kernels`);
    const p0 = poisoned(pooledSize),
      p1 = poisoned(pooledSize);
    js.conv2dFused(x, w, b, activation, p0, c, pool, null);
    const kept = poisoned(outSize);
    backend.conv2dFused(x, w, b, activation, p1, c, pool, kept);
    assertNear(p1, p0, c.kh * c.kw * c.inC, `${what}, ${ph}x${pw} max pool`);
    assertSame(p1, pooled, `${what}, ${ph}x${pw} max pool, against the unfused kernels`);
    assertSame(kept, unfused, `${what}, ${ph}x${pw} max pool: the convolution kept for the backward pass`);
    // the backward pass of the pair: the pool's gradient routed, times the activation's derivative
    const dyPooled = randomArray(pooledSize);
    const routed = poisoned(outSize);
    backend.maxPool2dBackprop(unfused, dyPooled, routed, pool);
    backend.activationBackward(activation, unfused, routed, routed);
    const dz0 = poisoned(outSize),
      dz1 = poisoned(outSize);
    const db0 = poisoned(c.outC),
      db1 = poisoned(c.outC);
    js.maxPoolActivationBackward(unfused, dyPooled, activation, dz0, db0, pool);
    backend.maxPoolActivationBackward(unfused, dyPooled, activation, dz1, db1, pool);
    assertNear(dz1, dz0, 1, `${what}: maxPoolActivationBackward`);
    assertSame(dz1, routed, `${what}: maxPoolActivationBackward against maxPool2dBackprop + activationBackward`);
    // the bias gradient: js's sums of the backend's own dz, in the same order, bit for bit
    const jsSums = poisoned(c.outC);
    composeMaxPoolActivationBackward(backend)(unfused, dyPooled, activation, poisoned(outSize), jsSums, pool);
    assertSame(db1, jsSums, `${what}: maxPoolActivationBackward's bias gradient`);
    assertNear(db1, db0, c.batch * c.outH * c.outW, `${what}: maxPoolActivationBackward's bias gradient against js`);
    const dz2 = poisoned(outSize);
    backend.maxPoolActivationBackward(unfused, dyPooled, activation, dz2, null, pool);
    assertSame(dz2, routed, `${what}: maxPoolActivationBackward without a bias gradient`);
  }
}

export const convCases: [string, Conv2DInfo][] = [
  ['1x1x1 image, 1x1 kernel', convInfo(1, 1, 1, 1, 1, 1, 1, 1, 1, 'valid')],
  ['1x1 kernel (pointwise)', convInfo(2, 5, 7, 3, 4, 1, 1, 1, 1, 'valid')],
  ['1x1 kernel, stride 2', convInfo(2, 5, 7, 6, 5, 1, 1, 2, 1, 'valid')],
  ['1x1 kernel, same, stride 3', convInfo(1, 7, 8, 4, 3, 1, 1, 3, 1, 'same')],
  ['3x3 same', convInfo(2, 6, 5, 3, 4, 3, 3, 1, 1, 'same')],
  ['3x3 valid, stride 2', convInfo(3, 9, 8, 2, 5, 3, 3, 2, 1, 'valid')],
  ['5x5 same, stride 3 (odd extra padding)', convInfo(2, 10, 11, 3, 7, 5, 5, 3, 1, 'same')],
  ['4x4 same (even kernel, odd extra at bottom/right)', convInfo(1, 7, 6, 2, 3, 4, 4, 1, 1, 'same')],
  ['3x3 dilation 2, same', convInfo(2, 9, 10, 3, 4, 3, 3, 1, 2, 'same')],
  ['3x3 dilation 2, valid, stride 2', convInfo(1, 11, 12, 2, 3, 3, 3, 2, 2, 'valid')],
  [
    'explicit padding [[1, 2], [0, 3]]',
    convInfo(2, 6, 5, 3, 2, 3, 2, 1, 1, [
      [1, 2],
      [0, 3],
    ]),
  ],
  [
    'explicit padding, strides [2, 1]',
    convInfo(1, 8, 7, 2, 3, 3, 3, [2, 1], 1, [
      [2, 0],
      [1, 1],
    ]),
  ],
  ['kernel as large as the input', convInfo(2, 4, 3, 2, 3, 4, 3, 1, 1, 'valid')],
  ['kernel larger than the input, same', convInfo(1, 2, 3, 2, 2, 5, 5, 1, 1, 'same')],
  ['16 -> 33 channels', convInfo(2, 7, 6, 16, 33, 3, 3, 1, 1, 'same')],
  ['MNIST conv 1: 28x28x1 -> 32, 3x3 valid', convInfo(2, 28, 28, 1, 32, 3, 3, 1, 1, 'valid')],
  ['MNIST conv 2: 26x26x32 -> 64, 3x3 valid', convInfo(3, 26, 26, 32, 64, 3, 3, 1, 1, 'valid')],
];

export function poolInfo(
  batch: number,
  inH: number,
  inW: number,
  channels: number,
  pool: number | [number, number],
  stride: number,
  padding: 'valid' | 'same',
): Pool2DInfo {
  const [poolH, poolW] = typeof pool === 'number' ? [pool, pool] : pool;
  const rows = convAxis(inH, poolH, stride, 1, padding);
  const cols = convAxis(inW, poolW, stride, 1, padding);
  return {
    batch,
    inH,
    inW,
    channels,
    outH: rows.out,
    outW: cols.out,
    poolH,
    poolW,
    strideH: stride,
    strideW: stride,
    padTop: rows.before,
    padLeft: cols.before,
  };
}

export const poolCases: [string, Pool2DInfo][] = [
  ['1x1 pool', poolInfo(1, 1, 1, 1, 1, 1, 'valid')],
  ['2x2 stride 2 valid', poolInfo(2, 6, 7, 3, 2, 2, 'valid')],
  ['2x2 stride 1 valid', poolInfo(1, 5, 4, 17, 2, 1, 'valid')],
  ['3x3 stride 2 same', poolInfo(2, 7, 8, 5, 3, 2, 'same')],
  ['3x3 stride 1 same', poolInfo(1, 6, 6, 2, 3, 1, 'same')],
  ['3x2 pool, stride 3, same (odd extra padding)', poolInfo(2, 8, 7, 4, [3, 2], 3, 'same')],
  ['pool larger than the input, same', poolInfo(1, 2, 3, 3, 4, 1, 'same')],
  ['MNIST: 24x24x64, 2x2', poolInfo(4, 24, 24, 64, 2, 2, 'valid')],
  ['large enough to use threads', poolInfo(9, 32, 30, 16, 3, 1, 'same')],
  ['larger, odd channels', poolInfo(9, 32, 30, 19, 3, 1, 'same')],
];

/** Empty sizes: k = 0 writes zeros, m or n = 0 (or no batches) writes nothing. */
export function checkEmptyMatmul(backend: Backend): void {
  const out = poisoned(12);
  backend.matmul(new Float32Array(0), new Float32Array(0), out, { m: 3, k: 0, n: 4, transposeA: false, transposeB: false, aOffsets: [0], bOffsets: [0] });
  assert.deepEqual([...out], new Array(12).fill(0));
  backend.matmul(new Float32Array(0), randomArray(6), new Float32Array(0), {
    m: 0,
    k: 2,
    n: 3,
    transposeA: false,
    transposeB: false,
    aOffsets: [0],
    bOffsets: [0],
  });
  backend.matmul(randomArray(6), new Float32Array(0), new Float32Array(0), {
    m: 3,
    k: 2,
    n: 0,
    transposeA: false,
    transposeB: true,
    aOffsets: [0],
    bOffsets: [0],
  });
  backend.matmul(new Float32Array(0), new Float32Array(0), new Float32Array(0), {
    m: 2,
    k: 2,
    n: 2,
    transposeA: false,
    transposeB: false,
    aOffsets: [],
    bOffsets: [],
  });
}

/** Too-short arrays throw, naming the array, instead of writing out of bounds. */
/** matmul on Float32Array views into larger buffers reads and writes only inside the views. */
export function checkSubarrayMatmul(backend: Backend): void {
  const base = randomArray(200);
  const a = base.subarray(3, 3 + 6 * 5);
  const b = base.subarray(50, 50 + 5 * 7);
  const args: MatmulArgs = { m: 6, k: 5, n: 7, transposeA: false, transposeB: false, aOffsets: [0], bOffsets: [0] };
  const expected = poisoned(42);
  const outBase = poisoned(50);
  js.matmul(a, b, expected, args);
  backend.matmul(a, b, outBase.subarray(5, 47), args);
  assertNear(outBase.subarray(5, 47), expected, 5, 'subarray matmul');
  assert.ok(Number.isNaN(outBase[4]) && Number.isNaN(outBase[47]), 'writes stay inside the view');
}

export function checkBounds(backend: Backend): void {
  const args: MatmulArgs = { m: 4, k: 4, n: 4, transposeA: false, transposeB: false, aOffsets: [0], bOffsets: [0] };
  assert.throws(() => backend.matmul(randomArray(16), randomArray(16), new Float32Array(15), args), /out is too short/);
  assert.throws(() => backend.matmul(randomArray(16), randomArray(16), new Float32Array(16), { ...args, aOffsets: [1] }), /a is too short/);
  assert.throws(() => backend.conv2d(randomArray(8), randomArray(9), new Float32Array(1), convInfo(1, 3, 3, 1, 1, 3, 3, 1, 1, 'valid')), /x is too short/);
}

/** Registers the bias + activation and pooling tests of `backend()` against js. */
export function describeBiasActivationAndPooling(backend: () => Backend): void {
  describe('biasActivation and activationBackward', () => {
    const activations: FusedActivation[] = ['linear', 'relu', 'sigmoid', 'tanh'];
    // linear and relu only add and compare, so they match js exactly; sigmoid and tanh go through exp
    const compare = (act: FusedActivation, a: Float32Array, e: Float32Array, what: string) =>
      act === 'linear' || act === 'relu' ? assertSame(a, e, what) : assertNear(a, e, 1, what);
    for (const [rows, cols] of [
      [1, 1],
      [3, 7],
      [5, 64],
      [2000, 130],
    ] as const) {
      test(`${rows}x${cols}`, () => {
        const x = randomArray(rows * cols);
        x[0] = Number.NaN;
        const bias = randomArray(cols);
        const y = randomArray(rows * cols);
        const dy = randomArray(rows * cols);
        for (const act of activations) {
          for (const b of [bias, null]) {
            const e = poisoned(x.length),
              a = poisoned(x.length);
            js.biasActivation(x, b, act, e);
            backend().biasActivation(x, b, act, a);
            compare(act, a, e, `biasActivation ${act}${b ? '' : ' (no bias)'}`);
          }
          const inPlace = x.slice();
          backend().biasActivation(inPlace, bias, act, inPlace);
          const e = poisoned(x.length);
          js.biasActivation(x, bias, act, e);
          compare(act, inPlace, e, `biasActivation ${act} in place`);

          const ge = poisoned(y.length),
            ga = poisoned(y.length);
          js.activationBackward(act, y, dy, ge);
          backend().activationBackward(act, y, dy, ga);
          compare(act, ga, ge, `activationBackward ${act}`);
        }
      });
    }
  });

  describe('pooling and its gradients', () => {
    for (const [label, p] of poolCases) {
      test(label, () => {
        const inSize = p.batch * p.inH * p.inW * p.channels;
        const outSize = p.batch * p.outH * p.outW * p.channels;
        // coarse values make ties, so the first-maximum rule is exercised; a few NaN and -Infinity cells too
        const x = Float32Array.from({ length: inSize }, () => Math.round(rand() * 6) / 2);
        for (let i = 0; i < inSize; i += 37) x[i] = i % 2 ? Number.NaN : -Infinity;
        const dy = randomArray(outSize);

        const m0 = poisoned(outSize),
          m1 = poisoned(outSize);
        js.maxPool2d(x, m0, p);
        backend().maxPool2d(x, m1, p);
        assertSame(m1, m0, `${label}: maxPool2d`);

        const dm0 = poisoned(inSize),
          dm1 = poisoned(inSize);
        js.maxPool2dBackprop(x, dy, dm0, p);
        backend().maxPool2dBackprop(x, dy, dm1, p);
        assertNear(dm1, dm0, p.poolH * p.poolW, `${label}: maxPool2dBackprop`);

        const xs = randomArray(inSize);
        const a0 = poisoned(outSize),
          a1 = poisoned(outSize);
        js.avgPool2d(xs, a0, p);
        backend().avgPool2d(xs, a1, p);
        assertNear(a1, a0, p.poolH * p.poolW, `${label}: avgPool2d`);

        const da0 = poisoned(inSize),
          da1 = poisoned(inSize);
        js.avgPool2dBackprop(dy, da0, p);
        backend().avgPool2dBackprop(dy, da1, p);
        assertNear(da1, da0, p.poolH * p.poolW, `${label}: avgPool2dBackprop`);
      });
    }
  });
}
