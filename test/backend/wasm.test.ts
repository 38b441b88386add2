import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { Conv2DInfo, FusedActivation, MatmulArgs, Pool2DInfo } from '../../src/backend/backend.js';
import { jsBackend as js } from '../../src/backend/js/index.js';
import { configureWasm, wasmBackend, wasmInfo, wasmReady } from '../../src/backend/wasm/index.js';
import { getBackend, listBackends, setBackend } from '../../src/index.js';
import { convAxis } from '../../src/ops/conv.js';
import { makeRng } from '../gradcheck.js';

// Every wasm kernel against the js reference. Float32 sums in another order differ in the last bits, so
// results must agree to |wasm - js| <= 1e-5 * (1 + |js|) * sqrt(terms), terms being the length of each sum.
// Shapes cover the GEMM's edges (4 x 8 register tile, 128 x 256 x 512 blocks), every transpose, batch
// offsets, and convolutions with strides, padding, dilation and chunked patches, on one thread and split
// over the worker threads; subprocesses check the conformance fixtures, the relaxed-SIMD build and the
// browser main thread's asynchronous compilation.

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

const wasm = wasmBackend;
const skip = wasm ? false : 'WebAssembly SIMD is not available in this runtime';

/** Runs `fn` with every GEMM split over the threads (`0`) once the workers run (they start on the first GEMM). */
async function withThreads(fn: () => void): Promise<void> {
  const saved = wasmInfo()!.parallelThreshold;
  const a = randomArray(4), out = new Float32Array(4);
  wasm!.matmul(a, a, out, { m: 2, k: 2, n: 2, transposeA: false, transposeB: false, aOffsets: [0], bOffsets: [0] });
  for (let i = 0; i < 200 && wasmInfo()!.threadsRunning < wasmInfo()!.threads; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(wasmInfo()!.threadsRunning, wasmInfo()!.threads, 'the workers started');
  configureWasm({ parallelThreshold: 0 });
  try {
    fn();
  } finally {
    configureWasm({ parallelThreshold: saved });
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
  wasm!.matmul(a, b, actual, args);
  assertNear(actual, expected, k, `matmul m${m} k${k} n${n}${transposeA ? ' tA' : ''}${transposeB ? ' tB' : ''}`);
}

const gemmShapes: [number, number, number][] = [
  [1, 1, 1], [1, 7, 1], [1, 300, 1], [2, 3, 4], [1, 1, 40], [40, 1, 1], [5, 2, 17], [14, 32, 16], [15, 33, 17],
  [17, 33, 65], [28, 385, 64], [64, 5, 3], [3, 500, 10], [50, 9, 33], [100, 64, 10], [129, 785, 130],
  // across the cache blocks: k > 256, m > 128, n > 512
  [131, 513, 9], [3, 260, 530], [257, 17, 1030],
];

describe('wasm backend', { skip }, () => {
  const initial = getBackend();
  before(async () => {
    assert.equal(await wasmReady, true);
  });
  after(() => setBackend(initial));

  test('is registered and selectable; the default after native', () => {
    assert.ok(listBackends().includes('wasm'));
    if (!process.env.DENDRITE_BACKEND) assert.equal(getBackend(), listBackends().includes('native') ? 'native' : 'wasm');
    setBackend('wasm');
    assert.equal(getBackend(), 'wasm');
    setBackend('js');
    assert.equal(getBackend(), 'js');
    const info = wasmInfo()!;
    assert.equal(info.ready, true);
    assert.ok(info.threads >= 1 && info.threadsRunning >= 1 && info.threadsRunning <= info.threads);
    assert.equal(typeof info.relaxedSimd, 'boolean');
    if (process.env.DENDRITE_WASM_TEST_NESTED) assert.equal(info.relaxedSimd, true, 'the relaxed-SIMD build runs');
  });

  test('DENDRITE_BACKEND=wasm selects it, and the conformance fixtures pass on it', () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const env = { ...process.env, DENDRITE_BACKEND: 'wasm' };
    const which = spawnSync(process.execPath, ['--import', 'tsx', '-e', "import('./src/index.ts').then((d) => console.log(d.getBackend()))"], { cwd: root, env, encoding: 'utf8' });
    assert.equal(which.stdout.trim(), 'wasm', which.stderr);
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'test/conformance/run.ts'], { cwd: root, env, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stdout.split('\n').filter((l) => l.startsWith('FAIL')).join('\n') || run.stderr);
    assert.match(run.stdout, /conformance: \d+ passed, 0 failed/);
  });

  test('the relaxed-SIMD build (fused multiply-add) passes this file too, where the runtime has it', { skip: process.env.DENDRITE_WASM_TEST_NESTED ? 'running inside that check' : false }, () => {
    // Node 20 validates relaxed SIMD only behind a V8 flag; current browsers and newer Node have it on
    const file = fileURLToPath(import.meta.url);
    const env = { ...process.env, DENDRITE_WASM_TEST_NESTED: '1' };
    const run = spawnSync(process.execPath, ['--experimental-wasm-relaxed-simd', '--import', 'tsx', '--test', file], { env, encoding: 'utf8' });
    if (run.status !== 0 && /bad option/.test(run.stderr)) return; // a runtime without the flag has relaxed SIMD on
    assert.equal(run.status, 0, run.stdout.split('\n').filter((l) => l.startsWith('not ok') || l.includes('error')).join('\n') || run.stderr);
  });

  test("where synchronous compilation is refused (Chrome's main thread), it runs js until compiled", () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    // a runtime whose WebAssembly.Module constructor throws, as Chrome's main thread does for modules over 4 KB
    // (and whose asynchronous compilation takes a while, so the first kernel surely runs before it is done)
    const refuse =
      "data:text/javascript,WebAssembly.Module = function () { throw new RangeError('WebAssembly.Module is disallowed on the main thread, if the buffer size is larger than 4KB.'); };" +
      'const instantiate = WebAssembly.instantiate; WebAssembly.instantiate = (...args) => new Promise((r) => setTimeout(r, 500)).then(() => instantiate(...args));';
    const script = `
      const { getBackend, matmul, tensor } = await import('./src/index.ts');
      const { wasmInfo, wasmReady } = await import('./src/backend/wasm/index.ts');
      const a = tensor([[1, 2, 3], [4, 5, 6]]), b = tensor([[1, 0], [0, 1], [1, 1]]);
      const before = [...matmul(a, b).values];
      const wasReady = wasmInfo().ready;
      const ready = await wasmReady;
      console.log(JSON.stringify({ backend: getBackend(), wasReady, ready, nowReady: wasmInfo().ready, before, after: [...matmul(a, b).values] }));`;
    const env = { ...process.env, DENDRITE_BACKEND: 'wasm' };
    const run = spawnSync(process.execPath, ['--import', refuse, '--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, env, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const r = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
    assert.deepEqual(r, { backend: 'wasm', wasReady: false, ready: true, nowReady: true, before: [4, 5, 10, 11], after: [4, 5, 10, 11] });
  });

  describe('matmul', () => {
    for (const [m, k, n] of gemmShapes) {
      test(`${m}x${k}x${n}, all transpose flags`, () => {
        for (const tA of [false, true]) for (const tB of [false, true]) checkMatmul(m, k, n, tA, tB);
      });
    }

    test('split over threads from the smallest size (rows or columns)', { skip: (wasmInfo()?.threads ?? 1) > 1 ? false : 'one thread here (DENDRITE_NUM_THREADS=1 or no worker_threads)' }, async () => {
      await withThreads(() => {
        for (const [m, k, n] of [[2, 3, 2], [15, 8, 3], [29, 17, 33], [3, 20, 70], [129, 65, 130], [200, 31, 9], [8, 300, 17], [131, 513, 9], [3, 260, 530]] as const) {
          for (const tA of [false, true]) for (const tB of [false, true]) checkMatmul(m, k, n, tA, tB);
        }
        // batches with offsets, and a product larger than any before, so the memory grows under the workers
        checkMatmul(17, 19, 35, true, false, { a: [5, 1], b: [3, 0], aSize: 17 * 19 + 6, bSize: 19 * 35 + 4 });
        checkMatmul(700, 900, 650, false, false);
      });
    });
  });

  describe('matmul batches and edge cases', () => {
    test('batched, with a broadcast right operand', () => {
      const [m, k, n] = [9, 13, 21];
      checkMatmul(m, k, n, false, false, { a: [0, m * k, 2 * m * k], b: [0, 0, 0], aSize: 3 * m * k, bSize: k * n });
      checkMatmul(m, k, n, true, true, { a: [0, 0], b: [0, k * n], aSize: m * k, bSize: 2 * k * n });
    });

    test('unaligned, overlapping offsets into larger buffers', () => {
      const [m, k, n] = [17, 19, 35];
      checkMatmul(m, k, n, false, true, { a: [5, 1, 40, 3], b: [7, 0, 2, 11], aSize: m * k + 41, bSize: k * n + 12 });
      checkMatmul(m, k, n, true, false, { a: [5, 1], b: [3, 0], aSize: m * k + 6, bSize: k * n + 4 });
    });

    test('empty sizes: k = 0 writes zeros, m or n = 0 writes nothing', () => {
      const out = poisoned(12);
      wasm!.matmul(new Float32Array(0), new Float32Array(0), out, { m: 3, k: 0, n: 4, transposeA: false, transposeB: false, aOffsets: [0], bOffsets: [0] });
      assert.deepEqual([...out], new Array(12).fill(0));
      wasm!.matmul(new Float32Array(0), randomArray(6), new Float32Array(0), { m: 0, k: 2, n: 3, transposeA: false, transposeB: false, aOffsets: [0], bOffsets: [0] });
      wasm!.matmul(randomArray(6), new Float32Array(0), new Float32Array(0), { m: 3, k: 2, n: 0, transposeA: false, transposeB: true, aOffsets: [0], bOffsets: [0] });
      wasm!.matmul(new Float32Array(0), new Float32Array(0), new Float32Array(0), { m: 2, k: 2, n: 2, transposeA: false, transposeB: false, aOffsets: [], bOffsets: [] });
    });

    test('too-short arrays throw instead of writing out of bounds', () => {
      const args: MatmulArgs = { m: 4, k: 4, n: 4, transposeA: false, transposeB: false, aOffsets: [0], bOffsets: [0] };
      assert.throws(() => wasm!.matmul(randomArray(16), randomArray(16), new Float32Array(15), args), /out is too short/);
      assert.throws(() => wasm!.matmul(randomArray(16), randomArray(16), new Float32Array(16), { ...args, aOffsets: [1] }), /a is too short/);
      assert.throws(() => wasm!.conv2d(randomArray(8), randomArray(9), new Float32Array(1), convInfo(1, 3, 3, 1, 1, 3, 3, 1, 1, 'valid')), /x is too short/);
    });

    test('operands that do not fit in wasm memory run on js', () => {
      const grow = WebAssembly.Memory.prototype.grow;
      WebAssembly.Memory.prototype.grow = () => {
        throw new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded');
      };
      try {
        checkMatmul(1, 3_000_000, 2, false, false); // 12 MB of operands: more than any test before grew to
      } finally {
        WebAssembly.Memory.prototype.grow = grow;
      }
    });

    test('works on subarray views', () => {
      const base = randomArray(200);
      const a = base.subarray(3, 3 + 6 * 5);
      const b = base.subarray(50, 50 + 5 * 7);
      const args: MatmulArgs = { m: 6, k: 5, n: 7, transposeA: false, transposeB: false, aOffsets: [0], bOffsets: [0] };
      const expected = poisoned(42);
      const outBase = poisoned(50);
      js.matmul(a, b, expected, args);
      wasm!.matmul(a, b, outBase.subarray(5, 47), args);
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
    wasm!.conv2d(x, w, y1, c);
    assertNear(y1, y0, c.kh * c.kw * c.inC, `${label}: conv2d`);

    const dx0 = poisoned(x.length), dx1 = poisoned(x.length);
    js.conv2dBackpropInput(dy, w, dx0, c);
    wasm!.conv2dBackpropInput(dy, w, dx1, c);
    assertNear(dx1, dx0, c.kh * c.kw * c.outC, `${label}: conv2dBackpropInput`);

    const dw0 = poisoned(w.length), dw1 = poisoned(w.length);
    js.conv2dBackpropFilter(x, dy, dw0, c);
    wasm!.conv2dBackpropFilter(x, dy, dw1, c);
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
    ['several patch chunks (K = 9, 5000 pixels)', convInfo(5, 33, 31, 1, 3, 3, 3, 1, 1, 'same')],
    ['1x1 kernel, stride 1, valid (GEMM on the image)', convInfo(2, 9, 7, 13, 6, 1, 1, 1, 1, 'valid')],
    ['1x1 kernel, stride 1, valid, dilation 3', convInfo(1, 5, 5, 4, 5, 1, 1, 1, 3, 'valid')],
  ];

  describe('conv2d and its gradients', () => {
    for (const [label, c] of convCases) test(label, () => checkConv(c, label));

    test('GEMMs split over threads', { skip: (wasmInfo()?.threads ?? 1) > 1 ? false : 'one thread here' }, async () => {
      await withThreads(() => {
        for (const [label, c] of convCases) checkConv(c, `${label} (threaded)`);
      });
    });

    test('split over threads, bit for bit the single-thread result (also in baseline-compiled wasm)', { skip: (wasmInfo()?.threads ?? 1) > 1 ? false : 'one thread here' }, () => {
      // a join that returned before a worker finished showed only under --liftoff-only or on a busy machine
      const root = fileURLToPath(new URL('../../', import.meta.url));
      const script = `
        const { configureWasm, wasmBackend: w, wasmInfo } = await import('./src/backend/wasm/index.ts');
        const rand = (n) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898) * 0.5);
        const c = { batch: 5, inH: 26, inW: 26, inC: 32, outH: 24, outW: 24, outC: 64, kh: 3, kw: 3, strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, padTop: 0, padLeft: 0 };
        const x = rand(5 * 26 * 26 * 32), f = rand(9 * 32 * 64), size = 5 * 24 * 24 * 64;
        const run = () => { const o = new Float32Array(size); w.conv2d(x, f, o, c); return o; };
        configureWasm({ parallelThreshold: 2 ** 30 });
        const one = run();
        for (let i = 0; i < 400 && wasmInfo().threadsRunning < wasmInfo().threads; i++) await new Promise((r) => setTimeout(r, 5));
        if (wasmInfo().threadsRunning < wasmInfo().threads) throw new Error('the workers did not start');
        configureWasm({ parallelThreshold: 0 });
        let differing = 0;
        for (let r = 0; r < 4; r++) { const o = run(); for (let i = 0; i < size; i++) if (o[i] !== one[i]) differing++; }
        console.log(differing);`;
      const run = spawnSync(process.execPath, ['--liftoff-only', '--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', timeout: 120_000 });
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.stdout.trim(), '0', 'elements differing from the single-thread result');
    });

    test('a second call reuses the arena after a larger one (no stale data)', () => {
      checkConv(convCases[16][1], 'large first');
      checkConv(convCases[4][1], 'small after large');
    });
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
            wasm!.biasActivation(x, b, act, a);
            compare(act, a, e, `biasActivation ${act}${b ? '' : ' (no bias)'}`);
          }
          const inPlace = x.slice();
          wasm!.biasActivation(inPlace, bias, act, inPlace);
          const e = poisoned(x.length);
          js.biasActivation(x, bias, act, e);
          compare(act, inPlace, e, `biasActivation ${act} in place`);

          const ge = poisoned(y.length), ga = poisoned(y.length);
          js.activationBackward(act, y, dy, ge);
          wasm!.activationBackward(act, y, dy, ga);
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
    ['larger, odd channels', poolInfo(9, 32, 30, 19, 3, 1, 'same')],
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
        wasm!.maxPool2d(x, m1, p);
        assertSame(m1, m0, `${label}: maxPool2d`);

        const dm0 = poisoned(inSize), dm1 = poisoned(inSize);
        js.maxPool2dBackprop(x, dy, dm0, p);
        wasm!.maxPool2dBackprop(x, dy, dm1, p);
        assertNear(dm1, dm0, p.poolH * p.poolW, `${label}: maxPool2dBackprop`);

        const xs = randomArray(inSize);
        const a0 = poisoned(outSize), a1 = poisoned(outSize);
        js.avgPool2d(xs, a0, p);
        wasm!.avgPool2d(xs, a1, p);
        assertNear(a1, a0, p.poolH * p.poolW, `${label}: avgPool2d`);

        const da0 = poisoned(inSize), da1 = poisoned(inSize);
        js.avgPool2dBackprop(dy, da0, p);
        wasm!.avgPool2dBackprop(dy, da1, p);
        assertNear(da1, da0, p.poolH * p.poolW, `${label}: avgPool2dBackprop`);
      });
    }
  });
});
