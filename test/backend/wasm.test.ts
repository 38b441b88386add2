import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { Conv2DInfo } from '../../src/backend/backend.js';
import { configureWasm, wasmBackend, wasmInfo, wasmReady } from '../../src/backend/wasm/index.js';
import { getBackend, listBackends, setBackend } from '../../src/index.js';
import {
  checkBounds,
  checkConv,
  checkEmptyMatmul,
  checkMatmul,
  checkSubarrayMatmul,
  convCases,
  convInfo,
  describeBiasActivationAndPooling,
  gemmShapes,
  randomArray,
} from './kernel-checks.js';

// Every wasm kernel against the js reference. Float32 sums in another order differ in the last bits, so
// results must agree to |wasm - js| <= 1e-5 * (1 + |js|) * sqrt(terms), terms being the length of each sum.
// Shapes cover the GEMM's edges (4 x 8 register tile, 128 x 256 x 512 blocks), every transpose, batch
// offsets, and convolutions with strides, padding, dilation and chunked patches, on one thread and split
// over the worker threads; subprocesses check the conformance fixtures, the relaxed-SIMD build and the
// browser main thread's asynchronous compilation.

const wasm = wasmBackend;
const skip = wasm ? false : 'WebAssembly SIMD is not available in this runtime';

/** Runs `fn` with every GEMM split over the threads (`0`) once the workers run (they start on the first GEMM). */
async function withThreads(fn: () => void): Promise<void> {
  const saved = wasmInfo()!.parallelThreshold;
  const a = randomArray(4),
    out = new Float32Array(4);
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

// the shared shapes, plus ones across the wasm GEMM's cache blocks: k > 256, m > 128, n > 512
const wasmGemmShapes: [number, number, number][] = [...gemmShapes, [131, 513, 9], [3, 260, 530], [257, 17, 1030]];

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
    const which = spawnSync(process.execPath, ['--import', 'tsx', '-e', "import('./src/index.ts').then((d) => console.log(d.getBackend()))"], {
      cwd: root,
      env,
      encoding: 'utf8',
    });
    assert.equal(which.stdout.trim(), 'wasm', which.stderr);
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'test/conformance/run.ts'], { cwd: root, env, encoding: 'utf8' });
    assert.equal(
      run.status,
      0,
      run.stdout
        .split('\n')
        .filter((l) => l.startsWith('FAIL'))
        .join('\n') || run.stderr,
    );
    assert.match(run.stdout, /conformance: \d+ passed, 0 failed/);
  });

  test('the relaxed-SIMD build (fused multiply-add) passes this file too, where the runtime has it', {
    skip: process.env.DENDRITE_WASM_TEST_NESTED ? 'running inside that check' : false,
  }, () => {
    // Node 20 validates relaxed SIMD only behind a V8 flag; current browsers and newer Node have it on
    const file = fileURLToPath(import.meta.url);
    const env = { ...process.env, DENDRITE_WASM_TEST_NESTED: '1' };
    const run = spawnSync(process.execPath, ['--experimental-wasm-relaxed-simd', '--import', 'tsx', '--test', file], { env, encoding: 'utf8' });
    if (run.status !== 0 && /bad option/.test(run.stderr)) return; // a runtime without the flag has relaxed SIMD on
    assert.equal(
      run.status,
      0,
      run.stdout
        .split('\n')
        .filter((l) => l.startsWith('not ok') || l.includes('error'))
        .join('\n') || run.stderr,
    );
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
    for (const [m, k, n] of wasmGemmShapes) {
      test(`${m}x${k}x${n}, all transpose flags`, () => {
        for (const tA of [false, true]) for (const tB of [false, true]) checkMatmul(wasm!, m, k, n, tA, tB);
      });
    }

    test('split over threads from the smallest size (rows or columns)', {
      skip: (wasmInfo()?.threads ?? 1) > 1 ? false : 'one thread here (DENDRITE_NUM_THREADS=1 or no worker_threads)',
    }, async () => {
      await withThreads(() => {
        for (const [m, k, n] of [
          [2, 3, 2],
          [15, 8, 3],
          [29, 17, 33],
          [3, 20, 70],
          [129, 65, 130],
          [200, 31, 9],
          [8, 300, 17],
          [131, 513, 9],
          [3, 260, 530],
        ] as const) {
          for (const tA of [false, true]) for (const tB of [false, true]) checkMatmul(wasm!, m, k, n, tA, tB);
        }
        // batches with offsets, and a product larger than any before, so the memory grows under the workers
        checkMatmul(wasm!, 17, 19, 35, true, false, { a: [5, 1], b: [3, 0], aSize: 17 * 19 + 6, bSize: 19 * 35 + 4 });
        checkMatmul(wasm!, 700, 900, 650, false, false);
      });
    });
  });

  describe('matmul batches and edge cases', () => {
    test('batched, with a broadcast right operand', () => {
      const [m, k, n] = [9, 13, 21];
      checkMatmul(wasm!, m, k, n, false, false, { a: [0, m * k, 2 * m * k], b: [0, 0, 0], aSize: 3 * m * k, bSize: k * n });
      checkMatmul(wasm!, m, k, n, true, true, { a: [0, 0], b: [0, k * n], aSize: m * k, bSize: 2 * k * n });
    });

    test('unaligned, overlapping offsets into larger buffers', () => {
      const [m, k, n] = [17, 19, 35];
      checkMatmul(wasm!, m, k, n, false, true, { a: [5, 1, 40, 3], b: [7, 0, 2, 11], aSize: m * k + 41, bSize: k * n + 12 });
      checkMatmul(wasm!, m, k, n, true, false, { a: [5, 1], b: [3, 0], aSize: m * k + 6, bSize: k * n + 4 });
    });

    test('empty sizes: k = 0 writes zeros, m or n = 0 writes nothing', () => checkEmptyMatmul(wasm!));

    test('too-short arrays throw instead of writing out of bounds', () => checkBounds(wasm!));

    test('operands that do not fit in wasm memory run on js', () => {
      const grow = WebAssembly.Memory.prototype.grow;
      WebAssembly.Memory.prototype.grow = () => {
        throw new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded');
      };
      try {
        checkMatmul(wasm!, 1, 3_000_000, 2, false, false); // 12 MB of operands: more than any test before grew to
      } finally {
        WebAssembly.Memory.prototype.grow = grow;
      }
    });

    test('works on subarray views', () => checkSubarrayMatmul(wasm!));
  });

  // ---- convolution ----

  // the js suite's cases, plus the wasm kernel's own edges: several patch chunks, 1x1 convolutions as GEMMs
  const wasmConvCases: [string, Conv2DInfo][] = [
    ...convCases,
    ['several patch chunks (K = 9, 5000 pixels)', convInfo(5, 33, 31, 1, 3, 3, 3, 1, 1, 'same')],
    ['1x1 kernel, stride 1, valid (GEMM on the image)', convInfo(2, 9, 7, 13, 6, 1, 1, 1, 1, 'valid')],
    ['1x1 kernel, stride 1, valid, dilation 3', convInfo(1, 5, 5, 4, 5, 1, 1, 1, 3, 'valid')],
  ];

  describe('conv2d and its gradients', () => {
    for (const [label, c] of wasmConvCases) test(label, () => checkConv(wasm!, c, label));

    test('GEMMs split over threads', { skip: (wasmInfo()?.threads ?? 1) > 1 ? false : 'one thread here' }, async () => {
      await withThreads(() => {
        for (const [label, c] of wasmConvCases) checkConv(wasm!, c, `${label} (threaded)`);
      });
    });

    test('split over threads, bit for bit the single-thread result (also in baseline-compiled wasm)', {
      skip: (wasmInfo()?.threads ?? 1) > 1 ? false : 'one thread here',
    }, () => {
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
      const run = spawnSync(process.execPath, ['--liftoff-only', '--import', 'tsx', '--input-type=module', '-e', script], {
        cwd: root,
        encoding: 'utf8',
        timeout: 120_000,
      });
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.stdout.trim(), '0', 'elements differing from the single-thread result');
    });

    test('a second call reuses the arena after a larger one (no stale data)', () => {
      checkConv(wasm!, wasmConvCases[16][1], 'large first');
      checkConv(wasm!, wasmConvCases[4][1], 'small after large');
    });
  });

  describeBiasActivationAndPooling(() => wasm!);
});
