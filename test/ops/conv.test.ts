import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { conv2d, conv2dTranspose, convOutputLength, depthwiseConv2d, grads, randomNormal, tensor, type Tensor } from '../../src/index.js';
import type { Conv2DInfo } from '../../src/backend/backend.js';
import { conv2dBackpropFilter, conv2dBackpropInput, depthwiseConv2dBackpropFilter, depthwiseConv2dBackpropInput } from '../../src/ops/conv.js';
import { assertClose } from '../helpers.js';
import { gradCheck, type ND } from '../gradcheck.js';

// Float64 references written straight from the definitions, with TensorFlow's 'same' rule, sharing no code
// with src/: out[n,i,j,o] = sum_{ky,kx,c} x[n, i*sh - top + ky*dh, j*sw - left + kx*dw, c] * w[ky,kx,c,o].

type Pad = 'valid' | 'same' | [[number, number], [number, number]];
interface Geo {
  strides?: [number, number];
  padding?: Pad;
  dilation?: [number, number];
}

/** [before, after] padding along one axis. */
function pads(inSize: number, k: number, s: number, d: number, padding: Pad, axis: 0 | 1): [number, number] {
  if (padding === 'valid') return [0, 0];
  if (padding !== 'same') return padding[axis];
  const out = Math.ceil(inSize / s);
  const total = Math.max((out - 1) * s + (k - 1) * d + 1 - inSize, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

function outSize(inSize: number, k: number, s: number, d: number, p: [number, number]): number {
  return Math.floor((inSize + p[0] + p[1] - ((k - 1) * d + 1)) / s) + 1;
}

const at4 = (t: ND, a: number, b: number, c: number, d: number) => t.data[((a * t.shape[1] + b) * t.shape[2] + c) * t.shape[3] + d];

function refGeometry(x: ND, kh: number, kw: number, g: Geo) {
  const [N, H, W] = x.shape;
  const [sh, sw] = g.strides ?? [1, 1];
  const [dh, dw] = g.dilation ?? [1, 1];
  const padding = g.padding ?? 'valid';
  const ph = pads(H, kh, sh, dh, padding, 0);
  const pw = pads(W, kw, sw, dw, padding, 1);
  const OH = outSize(H, kh, sh, dh, ph);
  const OW = outSize(W, kw, sw, dw, pw);
  if (padding === 'same') assert.deepEqual([OH, OW], [Math.ceil(H / sh), Math.ceil(W / sw)], 'reference same-padding size');
  /** The input cell read by output (i, j) through tap (ky, kx), or null in the padding. */
  const tap = (i: number, j: number, ky: number, kx: number): [number, number] | null => {
    const iy = i * sh - ph[0] + ky * dh;
    const ix = j * sw - pw[0] + kx * dw;
    return iy >= 0 && iy < H && ix >= 0 && ix < W ? [iy, ix] : null;
  };
  return { N, OH, OW, tap };
}

function refConv2d(x: ND, w: ND, g: Geo): ND {
  const [kh, kw, C, O] = w.shape;
  const { N, OH, OW, tap } = refGeometry(x, kh, kw, g);
  const data: number[] = [];
  for (let n = 0; n < N; n++)
    for (let i = 0; i < OH; i++)
      for (let j = 0; j < OW; j++)
        for (let o = 0; o < O; o++) {
          let s = 0;
          for (let ky = 0; ky < kh; ky++)
            for (let kx = 0; kx < kw; kx++) {
              const p = tap(i, j, ky, kx);
              if (p) for (let c = 0; c < C; c++) s += at4(x, n, p[0], p[1], c) * at4(w, ky, kx, c, o);
            }
          data.push(s);
        }
  return { shape: [N, OH, OW, O], data };
}

function refDepthwise(x: ND, w: ND, g: Geo): ND {
  const [kh, kw, C, M] = w.shape;
  const { N, OH, OW, tap } = refGeometry(x, kh, kw, g);
  const data: number[] = [];
  for (let n = 0; n < N; n++)
    for (let i = 0; i < OH; i++)
      for (let j = 0; j < OW; j++)
        for (let c = 0; c < C; c++)
          for (let m = 0; m < M; m++) {
            let s = 0;
            for (let ky = 0; ky < kh; ky++)
              for (let kx = 0; kx < kw; kx++) {
                const p = tap(i, j, ky, kx);
                if (p) s += at4(x, n, p[0], p[1], c) * at4(w, ky, kx, c, m);
              }
            data.push(s);
          }
  return { shape: [N, OH, OW, C * M], data };
}

/**
 * Transposed convolution as a scatter: input pixel (i, j) adds x[n,i,j,c] * w[ky,kx,f,c] at output
 * (i*s + ky*d - cropTop, j*s + kx*d - cropLeft); output size and crop by Keras' deconv rule.
 */
function refConv2dTranspose(x: ND, w: ND, strides: [number, number], padding: 'valid' | 'same', dilation: [number, number] = [1, 1]): ND {
  const [N, H, W, C] = x.shape;
  const [kh, kw, F] = w.shape;
  const span = (k: number, d: number) => (k - 1) * d + 1;
  const size = (n: number, k: number, s: number, d: number) => (padding === 'same' ? n * s : n * s + Math.max(span(k, d) - s, 0));
  const OH = size(H, kh, strides[0], dilation[0]);
  const OW = size(W, kw, strides[1], dilation[1]);
  const crop = (k: number, s: number, d: number) => (padding === 'same' ? Math.floor(Math.max(span(k, d) - s, 0) / 2) : 0);
  const top = crop(kh, strides[0], dilation[0]);
  const left = crop(kw, strides[1], dilation[1]);
  const data = new Array<number>(N * OH * OW * F).fill(0);
  for (let n = 0; n < N; n++)
    for (let i = 0; i < H; i++)
      for (let j = 0; j < W; j++)
        for (let ky = 0; ky < kh; ky++)
          for (let kx = 0; kx < kw; kx++) {
            const oy = i * strides[0] + ky * dilation[0] - top;
            const ox = j * strides[1] + kx * dilation[1] - left;
            if (oy < 0 || oy >= OH || ox < 0 || ox >= OW) continue;
            for (let f = 0; f < F; f++) for (let c = 0; c < C; c++) data[((n * OH + oy) * OW + ox) * F + f] += at4(x, n, i, j, c) * at4(w, ky, kx, f, c);
          }
  return { shape: [N, OH, OW, F], data };
}

/** The filter gradient from its definition: dw[ky,kx,c,o] = sum x[n, tap(i,j,ky,kx), c] * dy[n,i,j,o]. */
function refFilterGrad(x: ND, dy: ND, kh: number, kw: number, g: Geo): ND {
  const C = x.shape[3];
  const O = dy.shape[3];
  const { N, OH, OW, tap } = refGeometry(x, kh, kw, g);
  const data: number[] = [];
  for (let ky = 0; ky < kh; ky++)
    for (let kx = 0; kx < kw; kx++)
      for (let c = 0; c < C; c++)
        for (let o = 0; o < O; o++) {
          let s = 0;
          for (let n = 0; n < N; n++)
            for (let i = 0; i < OH; i++)
              for (let j = 0; j < OW; j++) {
                const p = tap(i, j, ky, kx);
                if (p) s += at4(x, n, p[0], p[1], c) * at4(dy, n, i, j, o);
              }
          data.push(s);
        }
  return { shape: [kh, kw, C, O], data };
}

const opts = (g: Geo) => ({ strides: g.strides, padding: g.padding, dilationRate: g.dilation });
const label = (g: Geo) => `strides ${g.strides ?? [1, 1]}, padding ${JSON.stringify(g.padding ?? 'valid')}, dilation ${g.dilation ?? [1, 1]}`;

describe('conv2d: forward and gradients vs float64 reference', () => {
  const cases: { x: number[]; k: number[]; g: Geo }[] = [
    { x: [2, 7, 6, 3], k: [3, 3, 3, 4], g: {} },
    { x: [2, 7, 8, 3], k: [3, 3, 3, 5], g: { strides: [2, 2], padding: 'same' } }, // width: pad total 1 -> [0, 1]
    { x: [1, 6, 6, 2], k: [4, 4, 2, 3], g: { padding: 'same' } }, // pad total 3 -> [1, 2]
    { x: [1, 10, 11, 2], k: [3, 2, 2, 3], g: { strides: [3, 3] } },
    { x: [2, 10, 11, 2], k: [3, 2, 2, 3], g: { strides: [3, 3], padding: 'same' } },
    { x: [1, 9, 9, 2], k: [3, 3, 2, 2], g: { dilation: [2, 2] } },
    { x: [2, 8, 7, 2], k: [3, 3, 2, 3], g: { dilation: [2, 2], padding: 'same' } },
    { x: [2, 8, 9, 2], k: [2, 3, 2, 3], g: { strides: [2, 1], dilation: [1, 2], padding: 'same' } },
    { x: [2, 5, 5, 3], k: [1, 1, 3, 4], g: {} },
    { x: [2, 5, 6, 3], k: [1, 1, 3, 5], g: { strides: [2, 2] } },
    {
      x: [1, 6, 5, 2],
      k: [3, 3, 2, 2],
      g: {
        padding: [
          [1, 2],
          [0, 3],
        ],
      },
    },
    // 300 output pixels: several pixel blocks in the filter gradient; K = 18 and 7 output channels pad the strips
    { x: [3, 10, 10, 2], k: [3, 3, 2, 7], g: { padding: 'same' } },
  ];
  for (const { x, k, g } of cases) {
    test(`x [${x}], kernel [${k}], ${label(g)}`, () => {
      gradCheck(
        (a, b) => conv2d(a, b, opts(g)),
        (a, b) => refConv2d(a, b, g),
        [{ shape: x }, { shape: k }],
      );
    });
  }

  test('a single [H, W, C] image gives a single image', () => {
    const x = randomNormal([5, 5, 2]);
    const w = randomNormal([3, 3, 2, 4]);
    const y = conv2d(x, w, { padding: 'same' });
    assert.deepEqual(y.shape, [5, 5, 4]);
    assertClose(y, conv2d(x.reshape([1, 5, 5, 2]), w, { padding: 'same' }).values);
  });
});

describe('conv2d: hand-computed values and errors', () => {
  test('a 2x2 box filter sums each window', () => {
    const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    const w = tensor([1, 1, 1, 1], [2, 2, 1, 1]);
    assert.deepEqual([...conv2d(x, w).values], [12, 16, 24, 28]);
    // 'same': pad total 1 per axis, all of it at the bottom/right
    assert.deepEqual([...conv2d(x, w, { padding: 'same' }).values], [12, 16, 9, 24, 28, 15, 15, 17, 9]);
  });

  test('errors name the expected and actual shapes', () => {
    const x = randomNormal([2, 5, 5, 3]);
    assert.throws(() => conv2d(x, randomNormal([3, 3, 4, 8])), /in-channels 4.*\[3, 3, 4, 8\].*3 channels.*\[2, 5, 5, 3\]/);
    assert.throws(() => conv2d(randomNormal([5, 5]), randomNormal([3, 3, 1, 1])), /NHWC.*got shape \[5, 5\]/);
    assert.throws(() => conv2d(x, randomNormal([3, 3, 3])), /rank 4.*\[3, 3, 3\]/);
    assert.throws(() => conv2d(x, randomNormal([7, 7, 3, 1])), /7x7 kernel.*does not fit in the 5x5 input/);
    assert.throws(() => conv2d(x, randomNormal([3, 3, 3, 1]), { strides: 0 }), /strides must be a positive integer/);
    assert.throws(() => conv2d(x, randomNormal([3, 3, 3, 1]), { padding: 'full' as 'same' }), /padding must be/);
    assert.throws(() => depthwiseConv2d(x, randomNormal([3, 3, 2, 1])), /in-channels 2.*3 channels/);
    assert.throws(() => conv2dTranspose(x, randomNormal([3, 3, 2, 4])), /in-channels 4.*\[kh, kw, filters, inChannels\].*3 channels/);
  });

  test('convOutputLength follows Keras', () => {
    assert.equal(convOutputLength(28, 3), 26);
    assert.equal(convOutputLength(28, 3, 2, 'same'), 14);
    assert.equal(convOutputLength(7, 3, 2, 'valid'), 3);
    assert.equal(convOutputLength(9, 3, 1, 'valid', 2), 5);
  });
});

describe('depthwiseConv2d: forward and gradients vs float64 reference', () => {
  const cases: { x: number[]; k: number[]; g: Geo }[] = [
    { x: [2, 6, 6, 3], k: [3, 3, 3, 1], g: {} },
    { x: [2, 7, 6, 3], k: [3, 3, 3, 2], g: { padding: 'same' } },
    { x: [1, 8, 7, 2], k: [3, 3, 2, 3], g: { strides: [2, 2], padding: 'same' } },
    { x: [2, 10, 9, 2], k: [2, 3, 2, 2], g: { strides: [3, 3] } },
    { x: [1, 9, 8, 2], k: [3, 3, 2, 2], g: { dilation: [2, 2], padding: 'same' } },
    { x: [2, 4, 5, 3], k: [1, 1, 3, 2], g: {} },
  ];
  for (const { x, k, g } of cases) {
    test(`x [${x}], kernel [${k}], ${label(g)}`, () => {
      gradCheck(
        (a, b) => depthwiseConv2d(a, b, opts(g)),
        (a, b) => refDepthwise(a, b, g),
        [{ shape: x }, { shape: k }],
      );
    });
  }

  test('output channel c*multiplier + m uses kernel[:, :, c, m]', () => {
    const x = tensor([1, 10], [1, 1, 1, 2]);
    const w = tensor([2, 3, 5, 7], [1, 1, 2, 2]);
    assert.deepEqual([...depthwiseConv2d(x, w).values], [2, 3, 50, 70]);
  });
});

describe('conv2dTranspose: forward and gradients vs float64 reference', () => {
  const cases: { x: number[]; k: number[]; s: [number, number]; p: 'valid' | 'same'; d?: [number, number] }[] = [
    { x: [2, 3, 3, 3], k: [3, 3, 2, 3], s: [2, 2], p: 'valid' },
    { x: [2, 3, 4, 3], k: [3, 3, 2, 3], s: [2, 2], p: 'same' }, // crop total 1 -> [0, 1]
    { x: [1, 3, 3, 2], k: [4, 4, 3, 2], s: [2, 2], p: 'same' }, // crop total 2 -> [1, 1]
    { x: [1, 3, 2, 2], k: [2, 2, 2, 2], s: [3, 3], p: 'valid' }, // kernel smaller than the stride
    { x: [1, 3, 2, 2], k: [2, 2, 2, 2], s: [3, 3], p: 'same' },
    { x: [2, 4, 4, 2], k: [3, 3, 2, 2], s: [1, 1], p: 'same' },
    { x: [1, 3, 3, 2], k: [3, 3, 2, 2], s: [1, 1], p: 'valid', d: [2, 2] },
    { x: [1, 4, 3, 3], k: [3, 2, 4, 3], s: [2, 1], p: 'same' },
  ];
  for (const { x, k, s, p, d } of cases) {
    test(`x [${x}], kernel [${k}], strides ${s}, ${p}${d ? `, dilation ${d}` : ''}`, () => {
      gradCheck(
        (a, b) => conv2dTranspose(a, b, { strides: s, padding: p, dilationRate: d }),
        (a, b) => refConv2dTranspose(a, b, s, p, d),
        [{ shape: x }, { shape: k }],
      );
    });
  }

  test('equals the input-gradient of conv2d with the same kernel, strides and padding', () => {
    for (const padding of ['valid', 'same'] as const) {
      const w = randomNormal([3, 3, 2, 4]);
      const dy = randomNormal([2, 4, 4, 4]);
      const y = conv2dTranspose(dy, w, { strides: 2, padding });
      const x = randomNormal(y.shape);
      const [dx] = grads((a: Tensor) => conv2d(a, w, { strides: 2, padding }))([x], dy);
      assertClose(y, dx.values, { rtol: 1e-5, atol: 1e-5 });
    }
  });
});

describe('gradient ops are themselves differentiable', () => {
  const g: Geo = { strides: [2, 1], padding: 'same', dilation: [1, 2] };
  const info: Conv2DInfo = {
    batch: 2,
    inH: 5,
    inW: 6,
    inC: 2,
    outH: 3,
    outW: 6,
    outC: 3,
    kh: 3,
    kw: 2,
    strideH: 2,
    strideW: 1,
    dilationH: 1,
    dilationW: 2,
    padTop: 1,
    padLeft: 1,
  };
  const x = [2, 5, 6, 2];
  const dy = [2, 3, 6, 3];

  test('the geometry above is what conv2d computes', () => {
    assert.deepEqual(refConv2d({ shape: x, data: new Array(120).fill(0) }, { shape: [3, 2, 2, 3], data: new Array(36).fill(0) }, g).shape, dy);
  });

  test('conv2dBackpropFilter(x, dy)', () => {
    gradCheck(
      (a, b) => conv2dBackpropFilter(a, b, info),
      (a, b) => refFilterGrad(a, b, 3, 2, g),
      [{ shape: x }, { shape: dy }],
    );
  });

  test('conv2dBackpropInput(dy, kernel) = gradient of <conv2d(x, kernel), dy> in x', () => {
    const ref = (d: ND, w: ND): ND => {
      // the input gradient is linear in x's dual: dx[cell] = sum over outputs reading that cell
      const out = new Array<number>(2 * 5 * 6 * 2).fill(0);
      const { tap } = refGeometry({ shape: x, data: [] }, 3, 2, g);
      for (let n = 0; n < 2; n++)
        for (let i = 0; i < 3; i++)
          for (let j = 0; j < 6; j++)
            for (let ky = 0; ky < 3; ky++)
              for (let kx = 0; kx < 2; kx++) {
                const p = tap(i, j, ky, kx);
                if (!p) continue;
                for (let c = 0; c < 2; c++) for (let o = 0; o < 3; o++) out[((n * 5 + p[0]) * 6 + p[1]) * 2 + c] += at4(d, n, i, j, o) * at4(w, ky, kx, c, o);
              }
      return { shape: x, data: out };
    };
    gradCheck((a, b) => conv2dBackpropInput(a, b, info), ref, [{ shape: dy }, { shape: [3, 2, 2, 3] }]);
  });

  const dwInfo: Conv2DInfo = { ...info, outC: 4 };
  test('depthwiseConv2dBackpropFilter(x, dy) and depthwiseConv2dBackpropInput(dy, kernel)', () => {
    const refFilter = (a: ND, d: ND): ND => {
      // d/dw of sum(depthwise(x, w) * dy), from the definition: dw[ky,kx,c,m] = sum x[tap, c] * dy[..., c*2+m]
      const { tap } = refGeometry(a, 3, 2, g);
      const data: number[] = [];
      for (let ky = 0; ky < 3; ky++)
        for (let kx = 0; kx < 2; kx++)
          for (let c = 0; c < 2; c++)
            for (let m = 0; m < 2; m++) {
              let s = 0;
              for (let n = 0; n < 2; n++)
                for (let i = 0; i < 3; i++)
                  for (let j = 0; j < 6; j++) {
                    const p = tap(i, j, ky, kx);
                    if (p) s += at4(a, n, p[0], p[1], c) * at4(d, n, i, j, c * 2 + m);
                  }
              data.push(s);
            }
      return { shape: [3, 2, 2, 2], data };
    };
    gradCheck((a, b) => depthwiseConv2dBackpropFilter(a, b, dwInfo), refFilter, [{ shape: x }, { shape: [2, 3, 6, 4] }]);
    const refInput = (d: ND, w: ND): ND => {
      const { tap } = refGeometry({ shape: x, data: [] }, 3, 2, g);
      const out = new Array<number>(2 * 5 * 6 * 2).fill(0);
      for (let n = 0; n < 2; n++)
        for (let i = 0; i < 3; i++)
          for (let j = 0; j < 6; j++)
            for (let ky = 0; ky < 3; ky++)
              for (let kx = 0; kx < 2; kx++) {
                const p = tap(i, j, ky, kx);
                if (!p) continue;
                for (let c = 0; c < 2; c++)
                  for (let m = 0; m < 2; m++) out[((n * 5 + p[0]) * 6 + p[1]) * 2 + c] += at4(d, n, i, j, c * 2 + m) * at4(w, ky, kx, c, m);
              }
      return { shape: x, data: out };
    };
    gradCheck((a, b) => depthwiseConv2dBackpropInput(a, b, dwInfo), refInput, [{ shape: [2, 3, 6, 4] }, { shape: [3, 2, 2, 2] }]);
  });
});
