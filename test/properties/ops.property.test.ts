import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import fc from 'fast-check';
import {
  abs,
  add,
  broadcastTo,
  div,
  exp,
  getBackend,
  grad,
  listBackends,
  log,
  logSoftmax,
  matmul,
  max,
  maximum,
  mean,
  min,
  mul,
  neg,
  relu,
  reshape,
  setBackend,
  sigmoid,
  softmax,
  sqrt,
  square,
  sub,
  sum,
  tanh,
  tensor,
  transpose,
  type Tensor,
} from '../../src/index.js';

const RUNS = { numRuns: 60 };
const f32 = fc.float({ noNaN: true, min: -10, max: 10, noDefaultInfinity: true }).map(Math.fround);
const shapeArb = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 0, maxLength: 4 });
const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const tensorOf = (shape: readonly number[]) =>
  fc.array(f32, { minLength: size(shape), maxLength: size(shape) }).map((v) => tensor(Float32Array.from(v), shape));
const tensorArb = shapeArb.chain(tensorOf);

/** A shape and two shapes that broadcast to it (each dim kept or set to 1, leading dims maybe dropped). */
const broadcastPair = shapeArb
  .chain((s) =>
    fc
      .tuple(
        fc.constant(s),
        fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }),
        fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }),
        fc.nat(s.length),
        fc.nat(s.length),
      )
      .map(([full, m1, m2, d1, d2]) => {
        const a = full.map((d, i) => (m1[i] ? 1 : d)).slice(d1);
        const b = full.map((d, i) => (m2[i] ? 1 : d)).slice(d2);
        return { full, a, b };
      }),
  )
  .chain(({ full, a, b }) => fc.tuple(fc.constant(full), tensorOf(a), tensorOf(b)));

function close(actual: Tensor, expected: ArrayLike<number>, rtol = 1e-5, atol = 1e-5, what = ''): void {
  assert.equal(actual.values.length, expected.length, `${what} length`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual.values[i];
    const e = expected[i];
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    if (a === e) continue;
    assert.ok(Math.abs(a - e) <= atol + rtol * Math.abs(e), `${what} element ${i}: got ${a}, expected ${e}`);
  }
}

const permArb = (rank: number) => fc.shuffledSubarray([...Array(rank).keys()], { minLength: rank, maxLength: rank });

describe('properties: broadcasting', () => {
  test('add(a, b) equals add of both broadcast to the result shape, and add commutes', () => {
    fc.assert(
      fc.property(broadcastPair, ([full, a, b]) => {
        const y = add(a, b);
        const ref = add(broadcastTo(a, y.shape), broadcastTo(b, y.shape));
        assert.deepEqual([...y.shape], [...ref.shape]);
        assert.deepEqual(y.values, ref.values);
        assert.ok(y.rank <= full.length);
        assert.deepEqual(add(b, a).values, y.values);
        assert.deepEqual(mul(b, a).values, mul(a, b).values);
      }),
      RUNS,
    );
  });
});

describe('properties: reductions', () => {
  test('reducing over all axes equals reducing axis by axis; sum matches the float64 sum', () => {
    fc.assert(
      fc.property(tensorArb, (x) => {
        let s = x;
        let m = x;
        let n = x;
        for (let axis = x.rank - 1; axis >= 0; axis--) {
          s = sum(s, axis);
          m = max(m, axis);
          n = min(n, axis);
        }
        const all = sum(x);
        let ref = 0;
        let absSum = 0;
        for (const v of x.values) {
          ref += v;
          absSum += Math.abs(v);
        }
        const tol = 1e-5 * absSum + 1e-6;
        assert.ok(Math.abs(all.values[0] - ref) <= tol, `sum ${all.values[0]} vs float64 ${ref}`);
        assert.ok(Math.abs(s.values[0] - ref) <= tol, `axis-by-axis sum ${s.values[0]} vs ${ref}`);
        assert.equal(max(x).values[0], m.values[0]);
        assert.equal(min(x).values[0], n.values[0]);
        assert.equal(max(x).values[0], Math.max(...x.values));
        assert.ok(Math.abs(mean(x).values[0] - ref / x.size) <= tol / x.size + 1e-6);
      }),
      RUNS,
    );
  });
});

describe('properties: shape ops', () => {
  test('transpose by a perm then by its inverse is the identity', () => {
    fc.assert(
      fc.property(
        tensorArb.chain((x) => fc.tuple(fc.constant(x), permArb(x.rank))),
        ([x, perm]) => {
          const inv = new Array<number>(perm.length);
          perm.forEach((p, i) => {
            inv[p] = i;
          });
          const t = transpose(x, perm);
          assert.deepEqual(
            [...t.shape],
            perm.map((p) => x.shape[p]),
          );
          const back = transpose(t, inv);
          assert.deepEqual([...back.shape], [...x.shape]);
          assert.deepEqual(back.values, x.values);
        },
      ),
      RUNS,
    );
  });

  test('reshape to a flat vector and back is the identity', () => {
    fc.assert(
      fc.property(tensorArb, (x) => {
        const flat = reshape(x, [-1]);
        assert.deepEqual([...flat.shape], [x.size]);
        const back = reshape(flat, x.shape);
        assert.deepEqual([...back.shape], [...x.shape]);
        assert.deepEqual(back.values, x.values);
      }),
      RUNS,
    );
  });
});

describe('properties: softmax', () => {
  const big = fc.float({ noNaN: true, min: -1e4, max: 1e4, noDefaultInfinity: true }).map(Math.fround);
  const logits = fc
    .tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.constantFrom(1, 100, 1e4))
    .chain(([r, c, scale]) =>
      fc
        .array(scale === 1e4 ? big : f32.map((v) => Math.fround(v * (scale / 10))), { minLength: r * c, maxLength: r * c })
        .map((v) => tensor(Float32Array.from(v), [r, c])),
    );

  test('rows sum to 1 and lie in [0, 1], even for logits up to 1e4', () => {
    fc.assert(
      fc.property(logits, (x) => {
        const y = softmax(x);
        for (const v of y.values) assert.ok(v >= 0 && v <= 1, `softmax value ${v}`);
        const s = sum(y, -1);
        for (const v of s.values) assert.ok(Math.abs(v - 1) <= 1e-5, `row sum ${v}`);
      }),
      RUNS,
    );
  });

  test('logSoftmax equals log(softmax) where finite, and is finite and <= 0', () => {
    fc.assert(
      fc.property(logits, (x) => {
        const ls = logSoftmax(x);
        const ref = log(softmax(x));
        for (let i = 0; i < ls.size; i++) {
          assert.ok(Number.isFinite(ls.values[i]) && ls.values[i] <= 1e-6, `logSoftmax ${ls.values[i]}`);
          const r = ref.values[i];
          // log(softmax) loses precision where softmax is tiny (a subnormal or below); compare where it is normal.
          if (Number.isFinite(r) && r > -80)
            assert.ok(Math.abs(ls.values[i] - r) <= 1e-4 + 1e-5 * Math.abs(r), `logSoftmax ${ls.values[i]} vs log(softmax) ${r}`);
        }
      }),
      RUNS,
    );
  });
});

describe('properties: gradients', () => {
  test('the gradient of sum(x) is ones and of sum(x * x) is 2x', () => {
    fc.assert(
      fc.property(tensorArb, (x) => {
        const g1 = grad((t) => sum(t))(x);
        assert.deepEqual([...g1.shape], [...x.shape]);
        assert.ok(g1.values.every((v) => v === 1));
        const g2 = grad((t) => sum(mul(t, t)))(x);
        assert.deepEqual([...g2.shape], [...x.shape]);
        close(
          g2,
          Array.from(x.values, (v) => 2 * v),
          1e-6,
          1e-6,
          'd sum(x*x)',
        );
      }),
      RUNS,
    );
  });
});

describe('properties: matmul', () => {
  test('(AB)C equals A(BC) within tolerance', () => {
    const dims = fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }));
    fc.assert(
      fc.property(
        dims.chain(([m, k, n, p]) => fc.tuple(tensorOf([m, k]), tensorOf([k, n]), tensorOf([n, p]))),
        ([a, b, c]) => {
          const left = matmul(matmul(a, b), c);
          const right = matmul(a, matmul(b, c));
          // Error bound: a few ulps of |A||B||C| elementwise.
          const bound = matmul(matmul(abs(a), abs(b)), abs(c));
          for (let i = 0; i < left.size; i++) {
            assert.ok(Math.abs(left.values[i] - right.values[i]) <= 1e-5 * bound.values[i] + 1e-6, `(AB)C ${left.values[i]} vs A(BC) ${right.values[i]}`);
          }
        },
      ),
      RUNS,
    );
  });
});

// each fast backend against the js reference
for (const fast of ['native', 'wasm'])
  describe(`properties: ${fast} backend equals js`, { skip: listBackends().includes(fast) ? false : `no ${fast} backend here` }, () => {
    const initial = getBackend();
    after(() => setBackend(initial));

    function onBoth<T>(f: () => T): { js: T; other: T } {
      const before = getBackend();
      try {
        setBackend('js');
        const js = f();
        setBackend(fast);
        const other = f();
        return { js, other };
      } finally {
        setBackend(before);
      }
    }

    function same(name: string, js: Tensor, other: Tensor, rtol = 1e-5, atol = 1e-5): void {
      assert.deepEqual([...other.shape], [...js.shape], `${name}: shape`);
      close(other, js.values, rtol, atol, `${name} (${fast} vs js)`);
    }

    const positive = (x: Tensor) => add(abs(x), 0.5);
    const unary: Record<string, (x: Tensor) => Tensor> = {
      neg,
      abs,
      exp,
      tanh,
      sigmoid,
      relu,
      square,
      sqrt: (x) => sqrt(positive(x)),
      log: (x) => log(positive(x)),
      softmax: (x) => (x.rank === 0 ? x : softmax(x)),
      logSoftmax: (x) => (x.rank === 0 ? x : logSoftmax(x)),
      sum: (x) => sum(x),
      sumLastAxis: (x) => (x.rank === 0 ? x : sum(x, -1)),
      sumFirstAxisKeep: (x) => (x.rank === 0 ? x : sum(x, 0, true)),
      mean: (x) => mean(x),
      max: (x) => max(x),
      maxLastAxis: (x) => (x.rank === 0 ? x : max(x, -1)),
      transposeReverse: (x) => transpose(x),
      gradSumSquare: (x) => grad((t) => sum(mul(t, t)))(x),
      gradSoftmax: (x) => grad((t) => sum(mul(softmax(t.rank === 0 ? reshape(t, [1]) : t), t)))(x),
    };

    test('unary ops, reductions, softmax and gradients', () => {
      fc.assert(
        fc.property(tensorArb, (x) => {
          for (const [name, f] of Object.entries(unary)) {
            const { js, other } = onBoth(() => f(x));
            same(name, js, other, 1e-5, 1e-5 * Math.max(1, ...Array.from(x.values, Math.abs)) * x.size);
          }
        }),
        { numRuns: 40 },
      );
    });

    test('broadcasting binary ops', () => {
      const binary: Record<string, (a: Tensor, b: Tensor) => Tensor> = {
        add,
        sub,
        mul,
        maximum,
        div: (a, b) => div(a, add(abs(b), 0.5)),
      };
      fc.assert(
        fc.property(broadcastPair, ([, a, b]) => {
          for (const [name, f] of Object.entries(binary)) {
            const { js, other } = onBoth(() => f(a, b));
            same(name, js, other);
          }
          const g = onBoth(() => grad((t) => sum(mul(t, b)))(a));
          same('grad of broadcast mul', g.js, g.other, 1e-5, 1e-4);
        }),
        { numRuns: 40 },
      );
    });

    test('matmul (with transposes)', () => {
      const dims = fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.boolean(), fc.boolean());
      fc.assert(
        fc.property(
          dims.chain(([m, k, n, ta, tb]) => fc.tuple(tensorOf(ta ? [k, m] : [m, k]), tensorOf(tb ? [n, k] : [k, n]), fc.constant(ta), fc.constant(tb))),
          ([a, b, ta, tb]) => {
            const { js, other } = onBoth(() => matmul(a, b, ta, tb));
            same('matmul', js, other, 1e-5, 1e-4);
          },
        ),
        { numRuns: 40 },
      );
    });

    test('the backend is restored', () => {
      assert.equal(getBackend(), initial);
    });
  });
