import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { BinaryKernel, Conv2DInfo, FusedActivation, MatmulArgs, Pool2DInfo, ReduceKernel, UnaryKernel } from '../../src/backend/backend.js';
import { jsBackend as js } from '../../src/backend/js/index.js';
import { configureNative, nativeBackend, nativeInfo } from '../../src/backend/native/index.js';
import { getBackend, listBackends, setBackend } from '../../src/index.js';
import { convAxis } from '../../src/ops/conv.js';
import { makeRng } from '../gradcheck.js';

// Every native kernel against the js reference. Float32 sums in another order differ in the last bits, so
// results must agree to |native - js| <= 1e-5 * (1 + |js|) * sqrt(terms), terms being the length of each sum.

const rand = makeRng(2024);
const randomArray = (n: number) => Float32Array.from({ length: n }, () => Math.fround(rand() * 2 - 1));
/** An output buffer full of NaN, so an element the kernel forgets to write fails the comparison. */
const poisoned = (n: number) => new Float32Array(n).fill(Number.NaN);

function assertNear(actual: Float32Array, expected: Float32Array, terms: number, what: string): void {
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
function assertSame(actual: Float32Array, expected: Float32Array, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i]) && !(actual[i] === 0 && expected[i] === 0)) {
      assert.fail(`${what}: element ${i} is ${actual[i]}, js gives ${expected[i]}`);
    }
  }
}

const native = nativeBackend;
const info = nativeInfo();
const skip = native ? false : 'the native addon is not built here (npm run build:native); dendrite uses the js backend';

/** Runs `fn` with the GEMM split over threads from the smallest size (`0`) or never (`Infinity`). */
function withThreshold(threshold: number, fn: () => void): void {
  const saved = info?.parallelThreshold ?? 0;
  configureNative({ parallelThreshold: threshold });
  try {
    fn();
  } finally {
    configureNative({ parallelThreshold: saved });
  }
}

function withIsa(isa: string, fn: () => void): void {
  const saved = info?.isa ?? 'scalar';
  configureNative({ isa });
  try {
    fn();
  } finally {
    configureNative({ isa: saved });
  }
}

// ---- matmul ----

function checkMatmul(m: number, k: number, n: number, transposeA: boolean, transposeB: boolean, batch?: { a: number[]; b: number[]; aSize: number; bSize: number }): void {
  const a = randomArray(batch ? batch.aSize : m * k);
  const b = randomArray(batch ? batch.bSize : k * n);
  const args: MatmulArgs = { m, k, n, transposeA, transposeB, aOffsets: batch ? batch.a : [0], bOffsets: batch ? batch.b : [0] };
  const count = args.aOffsets.length;
  const expected = poisoned(count * m * n);
  const actual = poisoned(count * m * n);
  js.matmul(a, b, expected, args);
  native!.matmul(a, b, actual, args);
  assertNear(actual, expected, k, `matmul m${m} k${k} n${n}${transposeA ? ' tA' : ''}${transposeB ? ' tB' : ''}`);
}

const gemmShapes: [number, number, number][] = [
  [1, 1, 1], [1, 7, 1], [1, 300, 1], [2, 3, 4], [1, 1, 40], [40, 1, 1], [5, 2, 17], [14, 32, 16], [15, 33, 17],
  [17, 33, 65], [28, 385, 64], [64, 5, 3], [3, 500, 10], [50, 9, 33], [100, 64, 10], [129, 785, 130],
];

describe('native backend', { skip }, () => {
  after(() => setBackend(native ? 'native' : 'js'));

  test('is registered and the default; js stays selectable', () => {
    assert.ok(listBackends().includes('native'));
    if (!process.env.DENDRITE_BACKEND) assert.equal(getBackend(), 'native');
    setBackend('js');
    assert.equal(getBackend(), 'js');
    setBackend('native');
    assert.equal(getBackend(), 'native');
    assert.ok(info!.threads >= 1);
    assert.ok(info!.isas.includes(info!.isa));
  });

  for (const isa of info?.isas ?? []) {
    describe(`matmul (${isa} kernel)`, () => {
      for (const [m, k, n] of gemmShapes) {
        test(`${m}x${k}x${n}, all transpose flags`, () => {
          withIsa(isa, () => {
            for (const tA of [false, true]) for (const tB of [false, true]) checkMatmul(m, k, n, tA, tB);
          });
        });
      }
      test('split over threads from the smallest size', () => {
        withIsa(isa, () => withThreshold(0, () => {
          for (const [m, k, n] of [[2, 3, 2], [15, 8, 3], [29, 17, 33], [3, 20, 70], [129, 65, 130], [200, 31, 9]] as const) {
            for (const tA of [false, true]) for (const tB of [false, true]) checkMatmul(m, k, n, tA, tB);
          }
        }));
      });
    });
  }

  describe('matmul batches and edge cases', () => {
    test('batched, with a broadcast right operand', () => {
      const [m, k, n] = [9, 13, 21];
      checkMatmul(m, k, n, false, false, { a: [0, m * k, 2 * m * k], b: [0, 0, 0], aSize: 3 * m * k, bSize: k * n });
      checkMatmul(m, k, n, true, true, { a: [0, 0], b: [0, k * n], aSize: m * k, bSize: 2 * k * n });
    });

    test('unaligned, overlapping offsets into larger buffers', () => {
      const [m, k, n] = [17, 19, 35];
      checkMatmul(m, k, n, false, true, { a: [5, 1, 40, 3], b: [7, 0, 2, 11], aSize: m * k + 41, bSize: k * n + 12 });
      withThreshold(0, () => checkMatmul(m, k, n, true, false, { a: [5, 1], b: [3, 0], aSize: m * k + 6, bSize: k * n + 4 }));
    });

    test('empty sizes: k = 0 writes zeros, m or n = 0 writes nothing', () => {
      const out = poisoned(12);
      native!.matmul(new Float32Array(0), new Float32Array(0), out, { m: 3, k: 0, n: 4, transposeA: false, transposeB: false, aOffsets: [0], bOffsets: [0] });
      assert.deepEqual([...out], new Array(12).fill(0));
      native!.matmul(new Float32Array(0), randomArray(6), new Float32Array(0), { m: 0, k: 2, n: 3, transposeA: false, transposeB: false, aOffsets: [0], bOffsets: [0] });
      native!.matmul(randomArray(6), new Float32Array(0), new Float32Array(0), { m: 3, k: 2, n: 0, transposeA: false, transposeB: true, aOffsets: [0], bOffsets: [0] });
      native!.matmul(new Float32Array(0), new Float32Array(0), new Float32Array(0), { m: 2, k: 2, n: 2, transposeA: false, transposeB: false, aOffsets: [], bOffsets: [] });
    });

    test('too-short arrays throw instead of writing out of bounds', () => {
      const args: MatmulArgs = { m: 4, k: 4, n: 4, transposeA: false, transposeB: false, aOffsets: [0], bOffsets: [0] };
      assert.throws(() => native!.matmul(randomArray(16), randomArray(16), new Float32Array(15), args), /out is too short/);
      assert.throws(() => native!.matmul(randomArray(16), randomArray(16), new Float32Array(16), { ...args, aOffsets: [1] }), /a is too short/);
      assert.throws(() => native!.conv2d(randomArray(8), randomArray(9), new Float32Array(1), convInfo(1, 3, 3, 1, 1, 3, 3, 1, 1, 'valid')), /x is too short/);
    });

    test('works on subarray views', () => {
      const base = randomArray(200);
      const a = base.subarray(3, 3 + 6 * 5);
      const b = base.subarray(50, 50 + 5 * 7);
      const args: MatmulArgs = { m: 6, k: 5, n: 7, transposeA: false, transposeB: false, aOffsets: [0], bOffsets: [0] };
      const expected = poisoned(42);
      const outBase = poisoned(50);
      js.matmul(a, b, expected, args);
      native!.matmul(a, b, outBase.subarray(5, 47), args);
      assertNear(outBase.subarray(5, 47), expected, 5, 'subarray matmul');
      assert.ok(Number.isNaN(outBase[4]) && Number.isNaN(outBase[47]), 'writes stay inside the view');
    });
  });

  // ---- convolution ----

  type Pad = 'valid' | 'same' | [[number, number], [number, number]];

  function convInfo(batch: number, inH: number, inW: number, inC: number, outC: number, kh: number, kw: number, stride: number | [number, number], dilation: number, padding: Pad): Conv2DInfo {
    const [strideH, strideW] = typeof stride === 'number' ? [stride, stride] : stride;
    const rows = convAxis(inH, kh, strideH, dilation, typeof padding === 'string' ? padding : padding[0]);
    const cols = convAxis(inW, kw, strideW, dilation, typeof padding === 'string' ? padding : padding[1]);
    return { batch, inH, inW, inC, outH: rows.out, outW: cols.out, outC, kh, kw, strideH, strideW, dilationH: dilation, dilationW: dilation, padTop: rows.before, padLeft: cols.before };
  }

  function checkConv(c: Conv2DInfo, label: string): void {
    const x = randomArray(c.batch * c.inH * c.inW * c.inC);
    const w = randomArray(c.kh * c.kw * c.inC * c.outC);
    const outSize = c.batch * c.outH * c.outW * c.outC;
    const dy = randomArray(outSize);

    const y0 = poisoned(outSize), y1 = poisoned(outSize);
    js.conv2d(x, w, y0, c);
    native!.conv2d(x, w, y1, c);
    assertNear(y1, y0, c.kh * c.kw * c.inC, `${label}: conv2d`);

    const dx0 = poisoned(x.length), dx1 = poisoned(x.length);
    js.conv2dBackpropInput(dy, w, dx0, c);
    native!.conv2dBackpropInput(dy, w, dx1, c);
    assertNear(dx1, dx0, c.kh * c.kw * c.outC, `${label}: conv2dBackpropInput`);

    const dw0 = poisoned(w.length), dw1 = poisoned(w.length);
    js.conv2dBackpropFilter(x, dy, dw0, c);
    native!.conv2dBackpropFilter(x, dy, dw1, c);
    assertNear(dw1, dw0, c.batch * c.outH * c.outW, `${label}: conv2dBackpropFilter`);
  }

  const convCases: [string, Conv2DInfo][] = [
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
    ['explicit padding [[1, 2], [0, 3]]', convInfo(2, 6, 5, 3, 2, 3, 2, 1, 1, [[1, 2], [0, 3]])],
    ['explicit padding, strides [2, 1]', convInfo(1, 8, 7, 2, 3, 3, 3, [2, 1], 1, [[2, 0], [1, 1]])],
    ['kernel as large as the input', convInfo(2, 4, 3, 2, 3, 4, 3, 1, 1, 'valid')],
    ['kernel larger than the input, same', convInfo(1, 2, 3, 2, 2, 5, 5, 1, 1, 'same')],
    ['16 -> 33 channels', convInfo(2, 7, 6, 16, 33, 3, 3, 1, 1, 'same')],
    ['MNIST conv 1: 28x28x1 -> 32, 3x3 valid', convInfo(2, 28, 28, 1, 32, 3, 3, 1, 1, 'valid')],
    ['MNIST conv 2: 26x26x32 -> 64, 3x3 valid', convInfo(3, 26, 26, 32, 64, 3, 3, 1, 1, 'valid')],
  ];

  describe('conv2d and its gradients', () => {
    for (const [label, c] of convCases) test(label, () => checkConv(c, label));

    test('many small chunks over threads', () => {
      withThreshold(0, () => {
        for (const [label, c] of convCases) checkConv(c, `${label} (threaded)`);
      });
    });

    for (const isa of (info?.isas ?? []).filter((i) => i !== info?.isa)) {
      test(`${isa} kernel`, () => {
        withIsa(isa, () => {
          for (const [label, c] of convCases.slice(4, 12)) checkConv(c, `${label} (${isa})`);
        });
      });
    }
  });

  // ---- bias + activation ----

  describe('biasActivation and activationBackward', () => {
    const activations: FusedActivation[] = ['linear', 'relu', 'sigmoid', 'tanh'];
    // linear and relu only add and compare, so they match js exactly; sigmoid and tanh go through exp
    const compare = (act: FusedActivation, a: Float32Array, e: Float32Array, what: string) => (act === 'linear' || act === 'relu' ? assertSame(a, e, what) : assertNear(a, e, 1, what));
    for (const [rows, cols] of [[1, 1], [3, 7], [5, 64], [2000, 130]] as const) {
      test(`${rows}x${cols}`, () => {
        const x = randomArray(rows * cols);
        x[0] = Number.NaN;
        const bias = randomArray(cols);
        const y = randomArray(rows * cols);
        const dy = randomArray(rows * cols);
        for (const act of activations) {
          for (const b of [bias, null]) {
            const e = poisoned(x.length), a = poisoned(x.length);
            js.biasActivation(x, b, act, e);
            native!.biasActivation(x, b, act, a);
            compare(act, a, e, `biasActivation ${act}${b ? '' : ' (no bias)'}`);
          }
          const inPlace = x.slice();
          native!.biasActivation(inPlace, bias, act, inPlace);
          const e = poisoned(x.length);
          js.biasActivation(x, bias, act, e);
          compare(act, inPlace, e, `biasActivation ${act} in place`);

          const ge = poisoned(y.length), ga = poisoned(y.length);
          js.activationBackward(act, y, dy, ge);
          native!.activationBackward(act, y, dy, ga);
          compare(act, ga, ge, `activationBackward ${act}`);
        }
      });
    }
  });

  // ---- pooling ----

  function poolInfo(batch: number, inH: number, inW: number, channels: number, pool: number | [number, number], stride: number, padding: 'valid' | 'same'): Pool2DInfo {
    const [poolH, poolW] = typeof pool === 'number' ? [pool, pool] : pool;
    const rows = convAxis(inH, poolH, stride, 1, padding);
    const cols = convAxis(inW, poolW, stride, 1, padding);
    return { batch, inH, inW, channels, outH: rows.out, outW: cols.out, poolH, poolW, strideH: stride, strideW: stride, padTop: rows.before, padLeft: cols.before };
  }

  const poolCases: [string, Pool2DInfo][] = [
    ['1x1 pool', poolInfo(1, 1, 1, 1, 1, 1, 'valid')],
    ['2x2 stride 2 valid', poolInfo(2, 6, 7, 3, 2, 2, 'valid')],
    ['2x2 stride 1 valid', poolInfo(1, 5, 4, 17, 2, 1, 'valid')],
    ['3x3 stride 2 same', poolInfo(2, 7, 8, 5, 3, 2, 'same')],
    ['3x3 stride 1 same', poolInfo(1, 6, 6, 2, 3, 1, 'same')],
    ['3x2 pool, stride 3, same (odd extra padding)', poolInfo(2, 8, 7, 4, [3, 2], 3, 'same')],
    ['pool larger than the input, same', poolInfo(1, 2, 3, 3, 4, 1, 'same')],
    ['MNIST: 24x24x64, 2x2', poolInfo(4, 24, 24, 64, 2, 2, 'valid')],
    ['large enough to use threads', poolInfo(9, 32, 30, 16, 3, 1, 'same')],
  ];

  describe('pooling and its gradients', () => {
    for (const [label, p] of poolCases) {
      test(label, () => {
        const inSize = p.batch * p.inH * p.inW * p.channels;
        const outSize = p.batch * p.outH * p.outW * p.channels;
        // coarse values make ties, so the first-maximum rule is exercised; a few NaN and -Infinity cells too
        const x = Float32Array.from({ length: inSize }, () => Math.round(rand() * 6) / 2);
        for (let i = 0; i < inSize; i += 37) x[i] = i % 2 ? Number.NaN : -Infinity;
        const dy = randomArray(outSize);

        const m0 = poisoned(outSize), m1 = poisoned(outSize);
        js.maxPool2d(x, m0, p);
        native!.maxPool2d(x, m1, p);
        assertSame(m1, m0, `${label}: maxPool2d`);

        const dm0 = poisoned(inSize), dm1 = poisoned(inSize);
        js.maxPool2dBackprop(x, dy, dm0, p);
        native!.maxPool2dBackprop(x, dy, dm1, p);
        assertNear(dm1, dm0, p.poolH * p.poolW, `${label}: maxPool2dBackprop`);

        const xs = randomArray(inSize);
        const a0 = poisoned(outSize), a1 = poisoned(outSize);
        js.avgPool2d(xs, a0, p);
        native!.avgPool2d(xs, a1, p);
        assertNear(a1, a0, p.poolH * p.poolW, `${label}: avgPool2d`);

        const da0 = poisoned(inSize), da1 = poisoned(inSize);
        js.avgPool2dBackprop(dy, da0, p);
        native!.avgPool2dBackprop(dy, da1, p);
        assertNear(da1, da0, p.poolH * p.poolW, `${label}: avgPool2dBackprop`);
      });
    }
  });

  // ---- elementwise, reductions, softmax, optimizers ----

  /** Values with ties, zeros of both signs, NaN and infinities sprinkled in, so comparisons and min/max meet every case. */
  const awkward = (n: number) => {
    const a = Float32Array.from({ length: n }, () => Math.round(rand() * 8 - 4) / 2 + (rand() < 0.5 ? Math.fround(rand() * 1e-3) : 0));
    for (let i = 3; i < n; i += 29) a[i] = [Number.NaN, Infinity, -Infinity, -0, 0][i % 5];
    return a;
  };
  // below 64 elements the js loops run; 200000 is split over the threads
  const elementSizes = [0, 1, 5, 63, 64, 65, 1000, 200000];

  describe('binary ops', () => {
    const ops: BinaryKernel[] = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'equal', 'notEqual', 'greater', 'greaterEqual', 'less', 'lessEqual'];
    const cases: [number[], number[]][] = [];
    for (const n of elementSizes) cases.push([[n], [n]], [[n], [1]], [[1], [n]]);
    cases.push([[7, 13], [13]], [[13], [7, 13]], [[5000, 40], [1, 40]], [[3, 1, 64], [64]], [[9, 33], [9, 1]], [[4, 1, 3], [1, 5, 3]], [[2, 3], []], [[], []]);
    for (const op of ops) {
      test(op, () => {
        for (const [as, bs] of cases) {
          const outShape = as.length >= bs.length ? as.map((d, i) => Math.max(d, bs[i - as.length + bs.length] ?? 1)) : bs.map((d, i) => Math.max(d, as[i - bs.length + as.length] ?? 1));
          const size = (s: number[]) => s.reduce((p, d) => p * d, 1);
          const a = awkward(size(as));
          const b = awkward(size(bs));
          const e = poisoned(size(outShape)), r = poisoned(size(outShape));
          js.binary(op, a, as, b, bs, e, outShape);
          native!.binary(op, a, as, b, bs, r, outShape);
          assertSame(r, e, `${op} [${as}] [${bs}]`);
        }
      });
    }
    test('in place (out is an input)', () => {
      const a = randomArray(3000), b = randomArray(3000);
      const e = a.slice();
      js.binary('mul', e, [3000], b, [3000], e, [3000]);
      native!.binary('mul', a, [3000], b, [3000], a, [3000]);
      assertSame(a, e, 'mul in place');
    });
  });

  describe('unary ops', () => {
    const exact: UnaryKernel[] = ['neg', 'abs', 'sign', 'step', 'sqrt', 'relu', 'floor', 'round'];
    const rounded: UnaryKernel[] = ['exp', 'log', 'tanh', 'sigmoid', 'erf'];
    for (const op of [...exact, ...rounded]) {
      test(op, () => {
        for (const n of elementSizes) {
          const x = awkward(n);
          // halves, for round's ties (Math.round(-2.5) is -2)
          for (let i = 0; i < n; i += 7) x[i] = Math.round(x[i] * 4) / 2 + 0.5;
          const e = poisoned(n), r = poisoned(n);
          js.unary(op, x, e);
          native!.unary(op, x, r);
          if (exact.includes(op)) assertSame(r, e, `${op} n=${n}`);
          else assertNear(r, e, 1, `${op} n=${n}`);
        }
      });
    }
  });

  describe('reduce', () => {
    const cases: [number[], number[]][] = [
      [[1], [0]], [[100], [0]], [[7, 13], [0]], [[7, 13], [1]], [[7, 13], [0, 1]], [[64, 26, 26, 32], [0, 1, 2]], [[5, 6, 7], [1]],
      [[5, 6, 7], [0, 2]], [[3, 4, 5, 6], [1, 3]], [[2, 3, 4], [0, 1, 2]], [[128, 10], [1]], [[0, 5], [0]], [[4, 0, 3], [1]],
    ];
    for (const op of ['sum', 'max', 'min'] as ReduceKernel[]) {
      test(op, () => {
        for (const [shape, axes] of cases) {
          const n = shape.reduce((p, d) => p * d, 1);
          const outSize = shape.filter((_, i) => !axes.includes(i)).reduce((p, d) => p * d, 1);
          // sums: finite values (NaN placement is not what is tested there); max/min: the awkward ones
          const x = op === 'sum' ? randomArray(n) : awkward(n);
          const e = poisoned(outSize), r = poisoned(outSize);
          js.reduce(op, x, shape, axes, e);
          native!.reduce(op, x, shape, axes, r);
          assertSame(r, e, `${op} [${shape}] axes [${axes}]`);
        }
      });
    }
  });

  describe('gatherRows', () => {
    for (const [rows, rowSize, count] of [[1, 1, 1], [10, 3, 25], [5, 784, 0], [200, 784, 128], [7, 0, 3], [3000, 17, 5000]]) {
      test(`${count} of ${rows} rows of ${rowSize}`, () => {
        const x = randomArray(rows * rowSize);
        const idx = Array.from({ length: count }, () => Math.floor(rand() * rows));
        const e = poisoned(count * rowSize), r = poisoned(count * rowSize);
        js.gatherRows(x, rowSize, idx, e);
        native!.gatherRows(x, rowSize, idx, r);
        assertSame(r, e, 'gatherRows');
        const r2 = poisoned(count * rowSize);
        native!.gatherRows(x, rowSize, Int32Array.from(idx), r2);
        assertSame(r2, e, 'gatherRows from an Int32Array');
      });
    }
    test('an index past the end throws', () => {
      assert.throws(() => native!.gatherRows(new Float32Array(6), 3, [0, 2], new Float32Array(6)), /out of range/);
      assert.throws(() => native!.gatherRows(new Float32Array(6), 3, [0, 1], new Float32Array(5)), /too short/);
    });
  });

  describe('softmax and softmax + crossentropy', () => {
    for (const [rows, cols] of [[1, 1], [1, 10], [128, 10], [7, 3], [3000, 50], [2, 1000]]) {
      test(`${rows}x${cols}`, () => {
        const n = rows * cols;
        const x = Float32Array.from({ length: n }, () => Math.fround(rand() * 20 - 10));
        const y = Float32Array.from({ length: n }, () => (rand() < 0.3 ? Math.fround(rand()) : 0));
        const e = poisoned(n), r = poisoned(n);
        js.softmax(x, rows, cols, e);
        native!.softmax(x, rows, cols, r);
        assertNear(r, e, 1, 'softmax');
        const pe = poisoned(n), pr = poisoned(n), le = poisoned(rows), lr = poisoned(rows);
        js.softmaxCrossEntropy(x, y, rows, cols, pe, le);
        native!.softmaxCrossEntropy(x, y, rows, cols, pr, lr);
        assertNear(pr, pe, 1, 'softmaxCrossEntropy probs');
        assertNear(lr, le, cols, 'softmaxCrossEntropy losses');
        const dl = randomArray(rows);
        const de = poisoned(n), dr = poisoned(n);
        js.softmaxCrossEntropyBackward(pe, y, dl, rows, cols, de);
        native!.softmaxCrossEntropyBackward(pe, y, dl, rows, cols, dr);
        assertSame(dr, de, 'softmaxCrossEntropyBackward');
      });
    }
    test('too-short arrays throw', () => {
      assert.throws(() => native!.softmax(new Float32Array(5), 2, 3, new Float32Array(6)), /too short/);
      assert.throws(() => native!.softmaxCrossEntropy(new Float32Array(6), new Float32Array(6), 2, 3, new Float32Array(6), new Float32Array(1)), /too short/);
    });
  });

  describe('optimizer updates: bit for bit the js formulas', () => {
    // 20000 elements are split over the threads
    for (const n of [0, 1, 7, 17, 1000, 20000]) {
      test(`${n} weights, 3 steps`, () => {
        const g = Float32Array.from({ length: n }, () => Math.fround((rand() - 0.5) * 3));
        const start = [randomArray(n), randomArray(n).map(Math.abs), randomArray(n).map(Math.abs), randomArray(n)];
        const kinds = ['adam', 'adamw', 'sgd', 'momentum', 'nesterov', 'rmsprop', 'rmsprop centred + momentum', 'adagrad'];
        for (const kind of kinds) {
          const states = [js, native!].map((backend) => {
            const [p, a, b, c] = start.map((s) => s.slice());
            for (let t = 1; t <= 3; t++) {
              if (kind.startsWith('adam')) {
                backend.adamUpdate(p, g, a, b, { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, correction1: 1 / (1 - 0.9 ** t), correction2: 1 / (1 - 0.999 ** t), decay: kind === 'adamw' ? 0.996 : 1 });
              } else if (kind === 'sgd') backend.sgdUpdate(p, g, null, { learningRate: 0.1, momentum: 0, nesterov: false });
              else if (kind === 'momentum' || kind === 'nesterov') backend.sgdUpdate(p, g, a, { learningRate: 0.1, momentum: 0.9, nesterov: kind === 'nesterov' });
              else if (kind.startsWith('rmsprop')) {
                const centred = kind !== 'rmsprop';
                backend.rmspropUpdate(p, g, a, centred ? b : null, centred ? c : null, { learningRate: 0.01, rho: 0.9, momentum: centred ? 0.5 : 0, epsilon: 1e-7 });
              } else backend.adagradUpdate(p, g, a, { learningRate: 0.01, epsilon: 1e-7 });
            }
            return [p, a, b, c];
          });
          states[0].forEach((expected, i) => assertSame(states[1][i], expected, `${kind}: array ${i}`));
        }
      });
    }
    test('too-short slots throw', () => {
      const s = { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, correction1: 10, correction2: 1000, decay: 1 };
      assert.throws(() => native!.adamUpdate(new Float32Array(4), new Float32Array(4), new Float32Array(3), new Float32Array(4), s), /too short/);
      assert.throws(() => native!.sgdUpdate(new Float32Array(4), new Float32Array(4), new Float32Array(2), { learningRate: 0.1, momentum: 0.9, nesterov: false }), /too short/);
    });
  });
});
