import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { BinaryKernel, ReduceKernel, UnaryKernel } from '../../src/backend/backend.js';
import { jsBackend as js } from '../../src/backend/js/index.js';
import { configureNative, measureFmaPeak, nativeBackend, nativeInfo } from '../../src/backend/native/index.js';
import { getBackend, listBackends, setBackend } from '../../src/index.js';
import {
  assertNear,
  assertSame,
  checkBounds,
  checkConv,
  checkEmptyMatmul,
  checkMatmul,
  checkSubarrayMatmul,
  convCases,
  convInfo,
  describeBiasActivationAndPooling,
  gemmShapes,
  poisoned,
  rand,
  randomArray,
} from './kernel-checks.js';

// Every native kernel against the js reference. Float32 sums in another order differ in the last bits, so
// results must agree to |native - js| <= 1e-5 * (1 + |js|) * sqrt(terms), terms being the length of each sum.

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

describe('native backend', { skip }, () => {
  after(() => setBackend(native ? 'native' : 'js'));

  test("the FMA peak loop (the bench's roofline) runs in each instruction set the CPU has, on 1 and 2 threads, and refuses bad arguments", () => {
    for (const isa of info?.isas ?? []) {
      for (const threads of [1, 2]) {
        const peak = measureFmaPeak({ isa, threads, seconds: 0.01 });
        assert.equal(peak?.isa, isa);
        assert.ok(Number.isFinite(peak?.gflops) && (peak?.gflops ?? 0) > 0, `${isa}, ${threads} threads: ${peak?.gflops}`);
      }
    }
    assert.throws(() => measureFmaPeak({ threads: 0 }), /threads must be 1 to 1024/);
    assert.throws(() => measureFmaPeak({ seconds: 60 }), /seconds must be above 0 and at most 10/);
  });

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
            for (const tA of [false, true]) for (const tB of [false, true]) checkMatmul(native!, m, k, n, tA, tB);
          });
        });
      }
      test('split over threads from the smallest size', () => {
        withIsa(isa, () =>
          withThreshold(0, () => {
            for (const [m, k, n] of [
              [2, 3, 2],
              [15, 8, 3],
              [29, 17, 33],
              [3, 20, 70],
              [129, 65, 130],
              [200, 31, 9],
            ] as const) {
              for (const tA of [false, true]) for (const tB of [false, true]) checkMatmul(native!, m, k, n, tA, tB);
            }
          }),
        );
      });
    });
  }

  describe('matmul batches and edge cases', () => {
    test('batched, with a broadcast right operand', () => {
      const [m, k, n] = [9, 13, 21];
      checkMatmul(native!, m, k, n, false, false, { a: [0, m * k, 2 * m * k], b: [0, 0, 0], aSize: 3 * m * k, bSize: k * n });
      checkMatmul(native!, m, k, n, true, true, { a: [0, 0], b: [0, k * n], aSize: m * k, bSize: 2 * k * n });
    });

    test('unaligned, overlapping offsets into larger buffers', () => {
      const [m, k, n] = [17, 19, 35];
      checkMatmul(native!, m, k, n, false, true, { a: [5, 1, 40, 3], b: [7, 0, 2, 11], aSize: m * k + 41, bSize: k * n + 12 });
      withThreshold(0, () => checkMatmul(native!, m, k, n, true, false, { a: [5, 1], b: [3, 0], aSize: m * k + 6, bSize: k * n + 4 }));
    });

    test('empty sizes: k = 0 writes zeros, m or n = 0 writes nothing', () => checkEmptyMatmul(native!));

    test('a long inner dimension (summed in slices) matches js, bit for bit the same on one thread or split', () => {
      for (const isa of info?.isas ?? []) {
        withIsa(isa, () => {
          for (const [m, k, n] of [
            [20, 5000, 24],
            [9, 4100, 33],
          ] as const) {
            for (const tA of [false, true]) {
              for (const tB of [false, true]) {
                checkMatmul(native!, m, k, n, tA, tB);
                const a = randomArray(m * k);
                const b = randomArray(k * n);
                const args = { m, k, n, transposeA: tA, transposeB: tB, aOffsets: [0], bOffsets: [0] };
                const serial = new Float32Array(m * n);
                const split = new Float32Array(m * n);
                withThreshold(Number.POSITIVE_INFINITY, () => native!.matmul(a, b, serial, args));
                withThreshold(0, () => native!.matmul(a, b, split, args));
                assertSame(split, serial, `${isa} ${m}x${k}x${n}${tA ? ' tA' : ''}${tB ? ' tB' : ''}`);
              }
            }
          }
        });
      }
    });

    test('a product with a few rows (a Dense layer on 1-4 samples): the same bits in every instruction-set build, on one thread or split, call after call', () => {
      for (const [m, k, n] of [
        [1, 9216, 128],
        [2, 3000, 50],
        [3, 700, 200],
        [4, 1100, 17],
        [1, 40, 8192],
      ] as const) {
        const a = randomArray(m * k);
        const b = randomArray(k * n);
        const args = { m, k, n, transposeA: false, transposeB: false, aOffsets: [0], bOffsets: [0] };
        const reference = new Float32Array(m * n);
        withIsa('scalar', () => withThreshold(Number.POSITIVE_INFINITY, () => native!.matmul(a, b, reference, args)));
        for (const isa of info?.isas ?? []) {
          withIsa(isa, () => {
            // split products alternate the direction each thread takes its slices in: two calls take both
            for (const [label, threshold] of [
              ['one thread', Number.POSITIVE_INFINITY],
              ['split', 0],
              ['split again', 0],
            ] as const) {
              const out = poisoned(m * n);
              withThreshold(threshold, () => native!.matmul(a, b, out, args));
              assertSame(out, reference, `${isa} ${label} ${m}x${k}x${n}`);
            }
          });
        }
      }
    });

    test('few rows by a long transposed B (the input gradient of a Dense layer), computed as its transpose: the bits of the product with B stored untransposed', () => {
      // m over 16 and at most 128, n at least 8m: tiles stored transposed; edges in both directions, two KC blocks
      for (const [m, k, n] of [
        [17, 5, 200],
        [40, 385, 400],
        [64, 128, 9216],
        [128, 64, 1030],
      ] as const) {
        checkMatmul(native!, m, k, n, false, true);
        const a = randomArray(m * k);
        const bt = randomArray(n * k);
        const b = new Float32Array(k * n);
        for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) b[p * n + j] = bt[j * k + p];
        for (const isa of info?.isas ?? []) {
          withIsa(isa, () => {
            const usual = new Float32Array(m * n);
            withThreshold(Number.POSITIVE_INFINITY, () =>
              native!.matmul(a, b, usual, { m, k, n, transposeA: false, transposeB: false, aOffsets: [0], bOffsets: [0] }),
            );
            for (const [label, threshold] of [
              ['one thread', Number.POSITIVE_INFINITY],
              ['split', 0],
            ] as const) {
              const out = poisoned(m * n);
              withThreshold(threshold, () => native!.matmul(a, bt, out, { m, k, n, transposeA: false, transposeB: true, aOffsets: [0], bOffsets: [0] }));
              assertSame(out, usual, `${isa} ${label} ${m}x${k}x${n} tB`);
            }
          });
        }
      }
    });

    test('too-short arrays throw instead of writing out of bounds', () => checkBounds(native!));

    test('works on subarray views', () => checkSubarrayMatmul(native!));
  });

  // ---- convolution ----

  describe('conv2d and its gradients', () => {
    for (const [label, c] of convCases) test(label, () => checkConv(native!, c, label));

    test('a filter changed in place, or more filters in turn than are kept packed, convolves as it is now', () => {
      const c = convInfo(2, 9, 8, 5, 12, 3, 3, 1, 1, 'same');
      const x = randomArray(c.batch * c.inH * c.inW * c.inC);
      const filters = Array.from({ length: 6 }, () => randomArray(c.kh * c.kw * c.inC * c.outC));
      const check = (w: Float32Array, what: string) => {
        const [expected, actual] = [poisoned(c.batch * c.outH * c.outW * c.outC), poisoned(c.batch * c.outH * c.outW * c.outC)];
        js.conv2d(x, w, expected, c);
        native!.conv2d(x, w, actual, c);
        assertNear(actual, expected, c.kh * c.kw * c.inC, what);
      };
      for (const round of [1, 2, 3]) for (const [i, w] of filters.entries()) check(w, `round ${round}, filter ${i}`);
      for (const at of [0, filters[0].length >> 1, filters[0].length - 1]) {
        check(filters[0], `before filter[${at}] changes`);
        filters[0][at] += 10;
        check(filters[0], `after filter[${at}] changed in place`);
      }
    });

    test('many small chunks over threads', () => {
      withThreshold(0, () => {
        for (const [label, c] of convCases) checkConv(native!, c, `${label} (threaded)`);
      });
    });

    for (const isa of (info?.isas ?? []).filter((i) => i !== info?.isa)) {
      test(`${isa} kernel`, () => {
        withIsa(isa, () => {
          for (const [label, c] of convCases.slice(4, 12)) checkConv(native!, c, `${label} (${isa})`);
        });
      });
    }
  });

  describeBiasActivationAndPooling(() => native!);

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
    cases.push(
      [[7, 13], [13]],
      [[13], [7, 13]],
      [
        [5000, 40],
        [1, 40],
      ],
      [[3, 1, 64], [64]],
      [
        [9, 33],
        [9, 1],
      ],
      [
        [4, 1, 3],
        [1, 5, 3],
      ],
      [[2, 3], []],
      [[], []],
    );
    for (const op of ops) {
      test(op, () => {
        for (const [as, bs] of cases) {
          const outShape =
            as.length >= bs.length
              ? as.map((d, i) => Math.max(d, bs[i - as.length + bs.length] ?? 1))
              : bs.map((d, i) => Math.max(d, as[i - bs.length + as.length] ?? 1));
          const size = (s: number[]) => s.reduce((p, d) => p * d, 1);
          const a = awkward(size(as));
          const b = awkward(size(bs));
          const e = poisoned(size(outShape)),
            r = poisoned(size(outShape));
          js.binary(op, a, as, b, bs, e, outShape);
          native!.binary(op, a, as, b, bs, r, outShape);
          assertSame(r, e, `${op} [${as}] [${bs}]`);
        }
      });
    }
    test('in place (out is an input)', () => {
      const a = randomArray(3000),
        b = randomArray(3000);
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
          const e = poisoned(n),
            r = poisoned(n);
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
      [[1], [0]],
      [[100], [0]],
      [[7, 13], [0]],
      [[7, 13], [1]],
      [
        [7, 13],
        [0, 1],
      ],
      [
        [64, 26, 26, 32],
        [0, 1, 2],
      ],
      [[5, 6, 7], [1]],
      [
        [5, 6, 7],
        [0, 2],
      ],
      [
        [3, 4, 5, 6],
        [1, 3],
      ],
      [
        [2, 3, 4],
        [0, 1, 2],
      ],
      [[128, 10], [1]],
      [[0, 5], [0]],
      [[4, 0, 3], [1]],
    ];
    for (const op of ['sum', 'max', 'min'] as ReduceKernel[]) {
      test(op, () => {
        for (const [shape, axes] of cases) {
          const n = shape.reduce((p, d) => p * d, 1);
          const outSize = shape.filter((_, i) => !axes.includes(i)).reduce((p, d) => p * d, 1);
          // sums: finite values (NaN placement is not what is tested there); max/min: the awkward ones
          const x = op === 'sum' ? randomArray(n) : awkward(n);
          const e = poisoned(outSize),
            r = poisoned(outSize);
          js.reduce(op, x, shape, axes, e);
          native!.reduce(op, x, shape, axes, r);
          assertSame(r, e, `${op} [${shape}] axes [${axes}]`);
        }
      });
    }
  });

  test('bernoulliMask: the js draws and state, bit for bit', () => {
    for (const n of [0, 1, 63, 64, 65, 1000, 100003]) {
      for (const keep of [0.5, 0.75, 0.25, 0.123, 1 - 1e-9, 1, 0]) {
        const s0 = Uint32Array.of(123456789, 987654321, 42, 4294967295);
        const s1 = s0.slice();
        const expected = poisoned(n),
          actual = poisoned(n);
        js.bernoulliMask(expected, s0, keep, 1 / keep);
        native!.bernoulliMask(actual, s1, keep, 1 / keep);
        assertSame(actual, expected, `bernoulliMask n ${n} keep ${keep}`);
        assert.deepEqual(Array.from(s1), Array.from(s0), `state after n ${n} keep ${keep}`);
      }
    }
  });

  describe('gatherRows', () => {
    for (const [rows, rowSize, count] of [
      [1, 1, 1],
      [10, 3, 25],
      [5, 784, 0],
      [200, 784, 128],
      [7, 0, 3],
      [3000, 17, 5000],
    ]) {
      test(`${count} of ${rows} rows of ${rowSize}`, () => {
        const x = randomArray(rows * rowSize);
        const idx = Array.from({ length: count }, () => Math.floor(rand() * rows));
        const e = poisoned(count * rowSize),
          r = poisoned(count * rowSize);
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
    for (const [rows, cols] of [
      [1, 1],
      [1, 10],
      [128, 10],
      [7, 3],
      [3000, 50],
      [2, 1000],
    ]) {
      test(`${rows}x${cols}`, () => {
        const n = rows * cols;
        const x = Float32Array.from({ length: n }, () => Math.fround(rand() * 20 - 10));
        const y = Float32Array.from({ length: n }, () => (rand() < 0.3 ? Math.fround(rand()) : 0));
        const e = poisoned(n),
          r = poisoned(n);
        js.softmax(x, rows, cols, e);
        native!.softmax(x, rows, cols, r);
        assertNear(r, e, 1, 'softmax');
        const pe = poisoned(n),
          pr = poisoned(n),
          le = poisoned(rows),
          lr = poisoned(rows);
        js.softmaxCrossEntropy(x, y, rows, cols, pe, le);
        native!.softmaxCrossEntropy(x, y, rows, cols, pr, lr);
        assertNear(pr, pe, 1, 'softmaxCrossEntropy probs');
        assertNear(lr, le, cols, 'softmaxCrossEntropy losses');
        const dl = randomArray(rows);
        const de = poisoned(n),
          dr = poisoned(n);
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
                backend.adamUpdate(p, g, a, b, {
                  learningRate: 0.01,
                  beta1: 0.9,
                  beta2: 0.999,
                  epsilon: 1e-7,
                  correction1: 1 / (1 - 0.9 ** t),
                  correction2: 1 / (1 - 0.999 ** t),
                  decay: kind === 'adamw' ? 0.996 : 1,
                });
              } else if (kind === 'sgd') backend.sgdUpdate(p, g, null, { learningRate: 0.1, momentum: 0, nesterov: false });
              else if (kind === 'momentum' || kind === 'nesterov')
                backend.sgdUpdate(p, g, a, { learningRate: 0.1, momentum: 0.9, nesterov: kind === 'nesterov' });
              else if (kind.startsWith('rmsprop')) {
                const centred = kind !== 'rmsprop';
                backend.rmspropUpdate(p, g, a, centred ? b : null, centred ? c : null, {
                  learningRate: 0.01,
                  rho: 0.9,
                  momentum: centred ? 0.5 : 0,
                  epsilon: 1e-7,
                });
              } else backend.adagradUpdate(p, g, a, { learningRate: 0.01, epsilon: 1e-7 });
            }
            return [p, a, b, c];
          });
          states[0].forEach((expected, i) => {
            assertSame(states[1][i], expected, `${kind}: array ${i}`);
          });
        }
      });
    }
    test('too-short slots throw', () => {
      const s = { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, correction1: 10, correction2: 1000, decay: 1 };
      assert.throws(() => native!.adamUpdate(new Float32Array(4), new Float32Array(4), new Float32Array(3), new Float32Array(4), s), /too short/);
      assert.throws(
        () => native!.sgdUpdate(new Float32Array(4), new Float32Array(4), new Float32Array(2), { learningRate: 0.1, momentum: 0.9, nesterov: false }),
        /too short/,
      );
    });
  });
});
