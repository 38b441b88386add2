import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { jsBackend as B } from '../../src/backend/js/index.js';
import { erf } from '../../src/backend/js/elementwise.js';
import { getBackend, listBackends, setBackend } from '../../src/index.js';
import { assertClose } from '../helpers.js';
import { makeRng, nd, ndMap, ndMatmul, ndReduce, ndTranspose, ravel, size, unravel } from '../gradcheck.js';

const rand = makeRng(77);
const randomArray = (n: number) => Float32Array.from({ length: n }, () => Math.fround(rand() * 4 - 2));
const iota = (n: number) => Float32Array.from({ length: n }, (_, i) => i);

describe('js backend: copyRegion', () => {
  test('copies an interior box of a 3-D tensor', () => {
    const srcShape = [3, 4, 5];
    const src = iota(60);
    const dstShape = [4, 4, 4];
    const dst = new Float32Array(64).fill(-1);
    const srcBegin = [1, 1, 2];
    const dstBegin = [2, 0, 1];
    const box = [2, 3, 3];
    B.copyRegion(src, srcShape, srcBegin, dst, dstShape, dstBegin, box);
    for (let flat = 0; flat < 64; flat++) {
      const d = unravel(flat, dstShape);
      const inBox = d.every((v, i) => v >= dstBegin[i] && v < dstBegin[i] + box[i]);
      const expected = inBox
        ? ravel(
            d.map((v, i) => v - dstBegin[i] + srcBegin[i]),
            srcShape,
          )
        : -1;
      assert.equal(dst[flat], expected, `dst[${d}]`);
    }
  });

  test('rank 0 copies the single value', () => {
    const dst = new Float32Array(1);
    B.copyRegion(Float32Array.of(5), [], [], dst, [], [], []);
    assert.equal(dst[0], 5);
  });

  test('an empty box copies nothing', () => {
    const dst = new Float32Array(6).fill(9);
    B.copyRegion(iota(6), [2, 3], [0, 0], dst, [2, 3], [0, 0], [2, 0]);
    B.copyRegion(iota(6), [2, 3], [1, 0], dst, [2, 3], [0, 0], [0, 3]);
    assert.deepEqual([...dst], [9, 9, 9, 9, 9, 9]);
  });

  test('size-1 axes and a whole-tensor copy', () => {
    const dst = new Float32Array(6);
    B.copyRegion(iota(6), [1, 6, 1], [0, 0, 0], dst, [1, 6, 1], [0, 0, 0], [1, 6, 1]);
    assert.deepEqual([...dst], [0, 1, 2, 3, 4, 5]);
    const col = new Float32Array(3);
    B.copyRegion(iota(6), [3, 2], [0, 1], col, [3, 1], [0, 0], [3, 1]);
    assert.deepEqual([...col], [1, 3, 5]);
  });
});

describe('js backend: transpose', () => {
  const cases: [number[], number[]][] = [
    [
      [2, 3],
      [1, 0],
    ],
    [
      [2, 3, 4],
      [2, 0, 1],
    ],
    [
      [2, 3, 4],
      [0, 2, 1],
    ],
    [
      [1, 5, 1],
      [2, 1, 0],
    ],
    [
      [2, 1, 3, 2],
      [3, 1, 0, 2],
    ],
    [[7], [0]],
  ];
  for (const [shape, perm] of cases) {
    test(`shape [${shape}] perm [${perm}]`, () => {
      const x = randomArray(size(shape));
      const out = new Float32Array(x.length);
      B.transpose(x, shape, perm, out);
      assert.deepEqual([...out], ndTranspose(nd(shape, [...x]), perm).data);
    });
  }

  test('rank 0 and empty', () => {
    const out = new Float32Array(1);
    B.transpose(Float32Array.of(3), [], [], out);
    assert.equal(out[0], 3);
    B.transpose(new Float32Array(0), [2, 0, 3], [2, 1, 0], new Float32Array(0));
  });
});

describe('js backend: reduce', () => {
  const cases: [number[], number[]][] = [
    [[2, 3], [0]],
    [[2, 3], [1]],
    [
      [2, 3],
      [0, 1],
    ],
    [[2, 3, 4], [1]],
    [
      [2, 3, 4],
      [0, 2],
    ],
    [[3, 1, 4], [1]],
    [
      [1, 1, 1],
      [0, 2],
    ],
    [[5], [0]],
    [
      [2, 3, 4, 5],
      [1, 3],
    ],
    [[2, 3], []],
  ];
  const refs = { sum: (v: number[]) => v.reduce((a, b) => a + b, 0), max: (v: number[]) => Math.max(...v), min: (v: number[]) => Math.min(...v) };
  for (const op of ['sum', 'max', 'min'] as const) {
    for (const [shape, axes] of cases) {
      test(`${op} of [${shape}] over [${axes}]`, () => {
        const x = randomArray(size(shape));
        const expected = ndReduce(nd(shape, [...x]), axes, false, refs[op]);
        const out = new Float32Array(expected.data.length);
        B.reduce(op, x, shape, axes, out);
        assertClose(out, expected.data, { rtol: 1e-6, atol: 1e-6 });
      });
    }
  }

  test('rank 0: the value itself', () => {
    for (const op of ['sum', 'max', 'min'] as const) {
      const out = new Float32Array(1);
      B.reduce(op, Float32Array.of(-4), [], [], out);
      assert.equal(out[0], -4);
    }
  });

  test('empty input: the identity of the reduction', () => {
    const out = new Float32Array(3);
    B.reduce('sum', new Float32Array(0), [0, 3], [0], out);
    assert.deepEqual([...out], [0, 0, 0]);
    B.reduce('max', new Float32Array(0), [0, 3], [0], out);
    assert.deepEqual([...out], [-Infinity, -Infinity, -Infinity]);
    B.reduce('min', new Float32Array(0), [0, 3], [0], out);
    assert.deepEqual([...out], [Infinity, Infinity, Infinity]);
  });

  test('empty input, non-empty output along a reduced zero axis', () => {
    const out = new Float32Array(2).fill(7);
    B.reduce('sum', new Float32Array(0), [2, 0], [1], out);
    assert.deepEqual([...out], [0, 0]);
  });

  test('max propagates NaN', () => {
    const out = new Float32Array(1);
    B.reduce('max', Float32Array.of(1, NaN, 3), [3], [0], out);
    assert.ok(Number.isNaN(out[0]));
  });
});

describe('js backend: argReduce', () => {
  test('argMax/argMin along each axis, first index on ties', () => {
    const x = Float32Array.of(1, 5, 5, 0, /**/ 2, -1, 7, 7, /**/ 3, 3, 3, 3);
    const out = new Float32Array(3);
    B.argReduce('argMax', x, [3, 4], 1, out);
    assert.deepEqual([...out], [1, 2, 0]);
    B.argReduce('argMin', x, [3, 4], 1, out);
    assert.deepEqual([...out], [3, 1, 0]);
    const cols = new Float32Array(4);
    B.argReduce('argMax', x, [3, 4], 0, cols);
    assert.deepEqual([...cols], [2, 0, 1, 1]);
  });
});

describe('js backend: matmul', () => {
  test('batched with broadcast offsets and transposes against a float64 reference', () => {
    for (const [ta, tb] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ]) {
      const m = 3,
        k = 4,
        n = 2;
      const aShape = ta ? [2, k, m] : [2, m, k];
      const bShape = tb ? [n, k] : [k, n];
      const a = randomArray(size(aShape));
      const b = randomArray(size(bShape));
      const out = new Float32Array(2 * m * n);
      B.matmul(a, b, out, { m, k, n, transposeA: ta, transposeB: tb, aOffsets: [0, m * k], bOffsets: [0, 0] });
      const expected = ndMatmul(nd(aShape, [...a]), nd(bShape, [...b]), ta, tb);
      assertClose(out, expected.data, { rtol: 1e-5, atol: 1e-5 });
    }
  });

  test('k = 0 gives zeros', () => {
    const out = new Float32Array(4).fill(3);
    B.matmul(new Float32Array(0), new Float32Array(0), out, { m: 2, k: 0, n: 2, transposeA: false, transposeB: false, aOffsets: [0], bOffsets: [0] });
    assert.deepEqual([...out], [0, 0, 0, 0]);
  });
});

describe('js backend: elementwise', () => {
  test('binary broadcasting against the float64 reference', () => {
    const shapes: [number[], number[]][] = [
      [
        [3, 1],
        [1, 4],
      ],
      [[4], []],
      [
        [2, 3, 4],
        [3, 1],
      ],
      [[1], [5]],
      [
        [2, 1, 3],
        [2, 1],
      ],
    ];
    for (const [as, bs] of shapes) {
      const a = randomArray(size(as));
      const b = randomArray(size(bs));
      const expected = ndMap([nd(as, [...a]), nd(bs, [...b])], (x, y) => x - y);
      const out = new Float32Array(expected.data.length);
      B.binary('sub', a, as, b, bs, out, expected.shape);
      assertClose(out, expected.data, { rtol: 1e-6, atol: 1e-6 });
    }
  });

  test('comparisons return 1 or 0', () => {
    const a = Float32Array.of(1, 2, 3);
    const b = Float32Array.of(2, 2, 2);
    const out = new Float32Array(3);
    const expect = { equal: [0, 1, 0], notEqual: [1, 0, 1], greater: [0, 0, 1], greaterEqual: [0, 1, 1], less: [1, 0, 0], lessEqual: [1, 1, 0] };
    for (const [op, e] of Object.entries(expect)) {
      B.binary(op as keyof typeof expect, a, [3], b, [3], out, [3]);
      assert.deepEqual([...out], e, op);
    }
  });

  test('where broadcasts all three inputs', () => {
    const out = new Float32Array(6);
    B.where(Float32Array.of(1, 0, 1), [3], Float32Array.of(10, 20), [2, 1], Float32Array.of(-1), [], out, [2, 3]);
    assert.deepEqual([...out], [10, -1, 10, 20, -1, 20]);
    const s = new Float32Array(1);
    B.where(Float32Array.of(0), [], Float32Array.of(1), [], Float32Array.of(2), [], s, []);
    assert.equal(s[0], 2);
  });

  test('unary kernels', () => {
    const x = Float32Array.of(-2.5, -0.5, 0, 0.5, 2.5);
    const out = new Float32Array(5);
    const check = (op: Parameters<typeof B.unary>[0], f: (v: number) => number) => {
      B.unary(op, x, out);
      assertClose(out, [...x].map(f), { rtol: 1e-6, atol: 1e-7 });
    };
    check('neg', (v) => -v);
    check('abs', Math.abs);
    check('sign', Math.sign);
    check('step', (v) => (v > 0 ? 1 : 0));
    check('relu', (v) => Math.max(v, 0));
    check('exp', Math.exp);
    check('tanh', Math.tanh);
    check('sigmoid', (v) => 1 / (1 + Math.exp(-v)));
    check('floor', Math.floor);
    B.unary('erf', x, out);
    // erf(2.5) = 0.999593047982555, erf(0.5) = 0.5204998778130465 (tables); erf is odd
    assertClose(out, [-0.999593047982555, -0.5204998778130465, 0, 0.5204998778130465, 0.999593047982555], { rtol: 2e-7, atol: 2e-7 });
  });

  test('erf against known values', () => {
    // erf(x) from tables (Abramowitz & Stegun 7.1)
    const known: [number, number][] = [
      [0, 0],
      [0.1, 0.1124629160182849],
      [0.5, 0.5204998778130465],
      [1, 0.8427007929497149],
      [2, 0.9953222650189527],
      [3, 0.9999779095030014],
      [-1, -0.8427007929497149],
    ];
    for (const [x, e] of known) assert.ok(Math.abs(erf(x) - e) < 2e-7, `erf(${x}) = ${erf(x)}, expected ${e}`);
  });
});

describe('backend registry', () => {
  test('js is always registered; the default is the fastest available; setBackend switches', () => {
    assert.ok(listBackends().includes('js'));
    const initial = getBackend();
    const fastest = ['native', 'wasm', 'js'].find((name) => listBackends().includes(name));
    assert.equal(initial, process.env.DENDRITE_BACKEND ?? fastest);
    setBackend('js');
    assert.equal(getBackend(), 'js');
    assert.throws(() => setBackend('nope'), /Unknown backend 'nope'. Available: js/);
    setBackend(initial);
  });
});

describe('js backend: softmax and softmax + crossentropy', () => {
  const rows = 4;
  const cols = 5;
  const x = randomArray(rows * cols);
  const y = Float32Array.from({ length: rows * cols }, (_, i) => (i % cols === i % 3 ? 1 : 0));
  const lane = (a: ArrayLike<number>, r: number) => Array.from(a).slice(r * cols, (r + 1) * cols);
  const softmax64 = (v: number[]) => {
    const m = Math.max(...v);
    const e = v.map((u) => Math.exp(u - m));
    const s = e.reduce((p, q) => p + q, 0);
    return e.map((u) => u / s);
  };

  test('softmax rows against float64', () => {
    const out = new Float32Array(rows * cols);
    B.softmax(x, rows, cols, out);
    for (let r = 0; r < rows; r++) assertClose(lane(out, r), softmax64(lane(x, r)), { rtol: 1e-6, atol: 1e-7 });
  });

  test('crossentropy, its probabilities and its gradient against float64', () => {
    const probs = new Float32Array(rows * cols);
    const losses = new Float32Array(rows);
    B.softmaxCrossEntropy(x, y, rows, cols, probs, losses);
    const dLosses = Float32Array.from({ length: rows }, (_, r) => r - 1.5);
    const d = new Float32Array(rows * cols);
    B.softmaxCrossEntropyBackward(probs, y, dLosses, rows, cols, d);
    for (let r = 0; r < rows; r++) {
      const p = softmax64(lane(x, r));
      const t = lane(y, r);
      assertClose(lane(probs, r), p, { rtol: 1e-6, atol: 1e-7 });
      assertClose([losses[r]], [-t.reduce((s, v, j) => s + v * Math.log(p[j]), 0)], { rtol: 1e-5, atol: 1e-6 });
      const sumY = t.reduce((s, v) => s + v, 0);
      assertClose(
        lane(d, r),
        p.map((v, j) => dLosses[r] * (v * sumY - t[j])),
        { rtol: 1e-5, atol: 1e-6 },
      );
    }
  });
});

describe('js backend: optimizer updates', () => {
  test('adam (and AdamW decay) against the formula in float64', () => {
    const p = Float32Array.of(0.5, -1, 2);
    const g = Float32Array.of(0.1, -0.2, 0);
    const m = Float32Array.of(0.01, 0, -0.3);
    const v = Float32Array.of(0.001, 0.02, 0.5);
    const [b1, b2, lr, eps, t, decay] = [0.9, 0.999, 0.01, 1e-7, 3, 0.99];
    const expected = Array.from(p, (pi, i) => {
      const mi = b1 * m[i] + (1 - b1) * g[i];
      const vi = b2 * v[i] + (1 - b2) * g[i] * g[i];
      return Math.fround(pi * decay) - (lr * mi) / (1 - b1 ** t) / (Math.sqrt(vi / (1 - b2 ** t)) + eps);
    });
    B.adamUpdate(p, g, m, v, { learningRate: lr, beta1: b1, beta2: b2, epsilon: eps, correction1: 1 / (1 - b1 ** t), correction2: 1 / (1 - b2 ** t), decay });
    assertClose(p, expected, { rtol: 1e-6, atol: 1e-7 });
    assertClose(m, [0.019, -0.02, -0.27], { rtol: 1e-6 });
  });

  test('sgd with and without (Nesterov) momentum', () => {
    const p = Float32Array.of(1, 2);
    B.sgdUpdate(p, Float32Array.of(1, -1), null, { learningRate: 0.5, momentum: 0, nesterov: false });
    assertClose(p, [0.5, 2.5]);
    const v = Float32Array.of(0.1, 0);
    B.sgdUpdate(p, Float32Array.of(1, 0), v, { learningRate: 0.5, momentum: 0.9, nesterov: false });
    assertClose(v, [0.09 - 0.5, 0], { rtol: 1e-6 });
    assertClose(p, [0.5 + 0.09 - 0.5, 2.5], { rtol: 1e-6 });
    const q = Float32Array.of(0);
    B.sgdUpdate(q, Float32Array.of(1), Float32Array.of(1), { learningRate: 0.1, momentum: 0.5, nesterov: true });
    // v = 0.5 - 0.1 = 0.4; p += 0.5 * 0.4 - 0.1
    assertClose(q, [0.1], { rtol: 1e-6 });
  });

  test('rmsprop (plain, centred with momentum) and adagrad', () => {
    const p = Float32Array.of(1);
    const a = Float32Array.of(0);
    B.rmspropUpdate(p, Float32Array.of(2), a, null, null, { learningRate: 0.1, rho: 0.9, momentum: 0, epsilon: 0 });
    // a = 0.1 * 4 = 0.4; p -= 0.1 * 2 / sqrt(0.4)
    assertClose(a, [0.4], { rtol: 1e-6 });
    assertClose(p, [1 - 0.2 / Math.sqrt(0.4)], { rtol: 1e-6 });
    const q = Float32Array.of(1);
    const mom = Float32Array.of(0.5);
    const avg = Float32Array.of(0);
    B.rmspropUpdate(q, Float32Array.of(2), Float32Array.of(0), mom, avg, { learningRate: 0.1, rho: 0.9, momentum: 0.5, epsilon: 0 });
    // avg = 0.2; a = 0.4; denom = 0.4 - 0.04; mom = 0.25 + 0.2 / sqrt(0.36)
    assertClose(mom, [0.25 + 0.2 / 0.6], { rtol: 1e-6 });
    assertClose(q, [1 - (0.25 + 0.2 / 0.6)], { rtol: 1e-6 });
    const r = Float32Array.of(1);
    const acc = Float32Array.of(0.1);
    B.adagradUpdate(r, Float32Array.of(0.5), acc, { learningRate: 0.1, epsilon: 0 });
    assertClose(acc, [0.35], { rtol: 1e-6 });
    assertClose(r, [1 - 0.05 / Math.sqrt(0.35)], { rtol: 1e-6 });
  });
});

describe('js backend: gatherRows', () => {
  test('copies the chosen rows in order, repeats allowed', () => {
    const out = new Float32Array(8);
    B.gatherRows(iota(6), 2, [2, 0, 2, 1], out);
    assert.deepEqual([...out], [4, 5, 0, 1, 4, 5, 2, 3]);
  });
});
