import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { avgPool2d, globalAveragePooling2d, globalMaxPooling2d, grads, maxPool2d, ones, randomNormal, tensor, type Tensor } from '../../src/index.js';
import { avgPool2dBackprop } from '../../src/ops/pool.js';
import { assertClose } from '../helpers.js';
import { gradCheck, type ND } from '../gradcheck.js';

// Float64 references from the definitions: window (i, j) covers input rows i*sh - top .. i*sh - top + ph - 1
// (TensorFlow's 'same' rule for top/left); only cells inside the image take part.

type Mode = 'valid' | 'same';
interface PoolGeo {
  pool: [number, number];
  strides?: [number, number];
  padding?: Mode;
}

function before(inSize: number, k: number, s: number, padding: Mode): number {
  if (padding === 'valid') return 0;
  const out = Math.ceil(inSize / s);
  return Math.floor(Math.max((out - 1) * s + k - inSize, 0) / 2);
}

/** For each output cell, the list of input values in its window (per channel), by reduction `f`. */
function refPool(x: ND, g: PoolGeo, f: (values: number[]) => number): ND {
  const [N, H, W, C] = x.shape;
  const [ph, pw] = g.pool;
  const [sh, sw] = g.strides ?? g.pool;
  const padding = g.padding ?? 'valid';
  const OH = padding === 'same' ? Math.ceil(H / sh) : Math.floor((H - ph) / sh) + 1;
  const OW = padding === 'same' ? Math.ceil(W / sw) : Math.floor((W - pw) / sw) + 1;
  const top = before(H, ph, sh, padding);
  const left = before(W, pw, sw, padding);
  const data: number[] = [];
  for (let n = 0; n < N; n++)
    for (let i = 0; i < OH; i++)
      for (let j = 0; j < OW; j++)
        for (let c = 0; c < C; c++) {
          const values: number[] = [];
          for (let dy = 0; dy < ph; dy++)
            for (let dx = 0; dx < pw; dx++) {
              const iy = i * sh - top + dy;
              const ix = j * sw - left + dx;
              if (iy >= 0 && iy < H && ix >= 0 && ix < W) values.push(x.data[((n * H + iy) * W + ix) * C + c]);
            }
          data.push(f(values));
        }
  return { shape: [N, OH, OW, C], data };
}

const refMax = (x: ND, g: PoolGeo) => refPool(x, g, (v) => Math.max(...v));
const refAvg = (x: ND, g: PoolGeo) => refPool(x, g, (v) => v.reduce((s, a) => s + a, 0) / v.length);

const cases: { x: number[]; g: PoolGeo }[] = [
  { x: [2, 6, 6, 3], g: { pool: [2, 2] } },
  { x: [2, 7, 7, 2], g: { pool: [2, 2] } }, // odd size: the last row/column is dropped
  { x: [2, 7, 8, 3], g: { pool: [3, 3], strides: [2, 2], padding: 'same' } }, // width: pad total 1 -> [0, 1]
  { x: [1, 8, 8, 2], g: { pool: [2, 2], strides: [2, 2], padding: 'same' } },
  { x: [1, 5, 6, 2], g: { pool: [2, 2], strides: [1, 1], padding: 'same' } }, // pad [0, 1]: only bottom/right
  { x: [1, 9, 10, 2], g: { pool: [3, 3], strides: [3, 3] } },
  { x: [2, 10, 11, 2], g: { pool: [3, 3], strides: [3, 3], padding: 'same' } },
  { x: [1, 6, 7, 2], g: { pool: [2, 3], strides: [1, 2] } },
  { x: [1, 6, 7, 2], g: { pool: [4, 4], strides: [1, 1], padding: 'same' } }, // pad total 3 -> [1, 2]
  { x: [2, 4, 4, 3], g: { pool: [1, 1], strides: [2, 2] } },
];
const label = (g: PoolGeo) => `pool ${g.pool}, strides ${g.strides ?? g.pool}, ${g.padding ?? 'valid'}`;
const opts = (g: PoolGeo) => ({ poolSize: g.pool, strides: g.strides, padding: g.padding });

describe('maxPool2d: forward and gradient vs float64 reference', () => {
  for (const { x, g } of cases) {
    test(`x [${x}], ${label(g)}`, () => {
      // distinct inputs, so the maximum is unique and finite differences are valid
      gradCheck(
        (a) => maxPool2d(a, opts(g)),
        (a) => refMax(a, g),
        [{ shape: x, minGap: 1e-3 }],
      );
    });
  }

  test('padding never wins, even when every real cell is negative', () => {
    const x = tensor([-5, -4, -3, -2, -1, -6, -7, -8, -9], [1, 3, 3, 1]);
    assert.deepEqual([...maxPool2d(x, { poolSize: 2, strides: 2, padding: 'same' }).values], [-1, -3, -7, -9]);
  });

  test('ties: the whole gradient goes to the first maximum of the window', () => {
    const x = tensor([1, 1, 1, 1], [1, 2, 2, 1]);
    const [dx] = grads((a: Tensor) => maxPool2d(a))([x], tensor([3], [1, 1, 1, 1]));
    assert.deepEqual([...dx.values], [3, 0, 0, 0]);
  });

  test('overlapping windows add their gradients', () => {
    const x = tensor([0, 0, 0, 0, 9, 0, 0, 0, 0], [1, 3, 3, 1]);
    const [dx] = grads((a: Tensor) => maxPool2d(a, { poolSize: 2, strides: 1 }))([x], tensor([1, 2, 3, 4], [1, 2, 2, 1]));
    assert.deepEqual([...dx.values], [0, 0, 0, 0, 10, 0, 0, 0, 0]);
  });
});

describe('avgPool2d: forward and gradient vs float64 reference', () => {
  for (const { x, g } of cases) {
    test(`x [${x}], ${label(g)}`, () => {
      gradCheck(
        (a) => avgPool2d(a, opts(g)),
        (a) => refAvg(a, g),
        [{ shape: x }],
      );
    });
  }

  test("'same' divides by the number of real cells in each window", () => {
    const y = avgPool2d(ones([1, 5, 5, 2]), { poolSize: 3, strides: 2, padding: 'same' });
    assert.deepEqual(y.shape, [1, 3, 3, 2]);
    assert.ok(y.values.every((v) => v === 1));
    const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    assertClose(avgPool2d(x, { poolSize: 2, strides: 2, padding: 'same' }), [3, 4.5, 7.5, 9]);
  });

  test('avgPool2dBackprop is differentiable (its adjoint is the pooling itself)', () => {
    const info = { batch: 1, inH: 5, inW: 6, channels: 2, outH: 3, outW: 3, poolH: 3, poolW: 2, strideH: 2, strideW: 2, padTop: 1, padLeft: 0 };
    const g: PoolGeo = { pool: [3, 2], strides: [2, 2], padding: 'same' };
    // <avgPool2dBackprop(dy), u> = <dy, avgPool2d(u)>, so the reference is the transpose of refAvg, built column by column
    const ref = (dy: ND): ND => {
      const data = new Array<number>(60).fill(0);
      for (let k = 0; k < 60; k++) {
        const e = new Array<number>(60).fill(0);
        e[k] = 1;
        const col = refAvg({ shape: [1, 5, 6, 2], data: e }, g);
        data[k] = col.data.reduce((s, v, o) => s + v * dy.data[o], 0);
      }
      return { shape: [1, 5, 6, 2], data };
    };
    gradCheck((d) => avgPool2dBackprop(d, info), ref, [{ shape: [1, 3, 3, 2] }]);
  });
});

describe('pool options and errors', () => {
  test('defaults: poolSize 2, strides = poolSize, valid', () => {
    assert.deepEqual(maxPool2d(randomNormal([2, 7, 7, 3])).shape, [2, 3, 3, 3]);
    assert.deepEqual(avgPool2d(randomNormal([7, 7, 3]), { poolSize: 3 }).shape, [2, 2, 3]);
  });

  test('errors', () => {
    assert.throws(() => maxPool2d(randomNormal([4, 4])), /NHWC.*\[4, 4\]/);
    assert.throws(() => maxPool2d(randomNormal([1, 2, 2, 1]), { poolSize: 3 }), /3x3 window does not fit in the 2x2 input/);
    assert.throws(() => avgPool2d(randomNormal([1, 4, 4, 1]), { poolSize: [2, 0] }), /poolSize must be a positive integer/);
    assert.throws(() => avgPool2d(randomNormal([1, 4, 4, 1]), { padding: 'causal' as 'same' }), /padding must be 'valid' or 'same'/);
    assert.throws(() => globalAveragePooling2d(randomNormal([3, 4])), /NHWC.*\[3, 4\]/);
  });
});

describe('global pooling: [N, H, W, C] -> [N, C]', () => {
  const refGlobal = (x: ND, f: (v: number[]) => number): ND => {
    const [N, H, W, C] = x.shape;
    const data: number[] = [];
    for (let n = 0; n < N; n++)
      for (let c = 0; c < C; c++) {
        const v: number[] = [];
        for (let p = 0; p < H * W; p++) v.push(x.data[(n * H * W + p) * C + c]);
        data.push(f(v));
      }
    return { shape: [N, C], data };
  };
  test('globalAveragePooling2d', () => {
    gradCheck(globalAveragePooling2d, (x) => refGlobal(x, (v) => v.reduce((s, a) => s + a, 0) / v.length), [{ shape: [2, 5, 4, 3] }]);
  });
  test('globalMaxPooling2d', () => {
    gradCheck(globalMaxPooling2d, (x) => refGlobal(x, (v) => Math.max(...v)), [{ shape: [2, 3, 4, 3], minGap: 1e-3 }]);
  });
});
