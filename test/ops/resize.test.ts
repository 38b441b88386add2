import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { randomNormal, resizeBilinear, resizeNearestNeighbor, tensor, upSampling2d } from '../../src/index.js';
import { assertClose } from '../helpers.js';
import { gradCheck, type ND } from '../gradcheck.js';

// Float64 references. Source coordinate of output index o along an axis of `inSize` -> `outSize`:
//   half-pixel centres (TF 2 tf.image.resize, Keras):  (o + 0.5) * in/out - 0.5   (nearest: floor((o + 0.5) * in/out))
//   align corners:                                      o * (in-1)/(out-1)          (nearest: round)
//   legacy (TF 1, TF.js default):                       o * in/out                  (nearest: floor)
// Bilinear clamps the coordinate into [0, in-1] and blends the two neighbouring pixels.

type Convention = 'halfPixel' | 'alignCorners' | 'legacy';

function sourceCoordinate(o: number, inSize: number, outSize: number, c: Convention, nearest: boolean): number {
  if (c === 'alignCorners') return outSize > 1 ? (o * (inSize - 1)) / (outSize - 1) : 0;
  if (c === 'legacy') return (o * inSize) / outSize;
  return ((o + 0.5) * inSize) / outSize - (nearest ? 0 : 0.5);
}

function refResize(x: ND, outH: number, outW: number, c: Convention, method: 'bilinear' | 'nearest'): ND {
  const [N, H, W, C] = x.shape;
  const at = (n: number, y: number, xx: number, ch: number) => x.data[((n * H + y) * W + xx) * C + ch];
  const taps = (o: number, inSize: number, outSize: number): [number, number][] => {
    const s = sourceCoordinate(o, inSize, outSize, c, method === 'nearest');
    if (method === 'nearest') {
      const i = c === 'alignCorners' ? Math.round(s) : Math.floor(s);
      return [[Math.min(Math.max(i, 0), inSize - 1), 1]];
    }
    const clamped = Math.min(Math.max(s, 0), inSize - 1);
    const i0 = Math.floor(clamped);
    const i1 = Math.min(i0 + 1, inSize - 1);
    const t = clamped - i0;
    return [
      [i0, 1 - t],
      [i1, t],
    ];
  };
  const data: number[] = [];
  for (let n = 0; n < N; n++)
    for (let oy = 0; oy < outH; oy++)
      for (let ox = 0; ox < outW; ox++)
        for (let ch = 0; ch < C; ch++) {
          let v = 0;
          for (const [y, wy] of taps(oy, H, outH)) for (const [xx, wx] of taps(ox, W, outW)) v += wy * wx * at(n, y, xx, ch);
          data.push(v);
        }
  return { shape: [N, outH, outW, C], data };
}

describe('upSampling2d (Keras UpSampling2D)', () => {
  test("'nearest' repeats each pixel", () => {
    const x = tensor([1, 2, 3, 4], [1, 2, 2, 1]);
    const y = upSampling2d(x, { size: [2, 3] });
    assert.deepEqual(y.shape, [1, 4, 6, 1]);
    assert.deepEqual(y.toArray(), [
      [
        [[1], [1], [1], [2], [2], [2]],
        [[1], [1], [1], [2], [2], [2]],
        [[3], [3], [3], [4], [4], [4]],
        [[3], [3], [3], [4], [4], [4]],
      ],
    ]);
  });

  test("'bilinear' matches tf.image.resize with half-pixel centres", () => {
    const x = tensor([1, 2, 3, 4], [1, 2, 2, 1]);
    const y = upSampling2d(x, { size: 2, interpolation: 'bilinear' });
    // per axis [a, b] -> [a, 0.75a + 0.25b, 0.25a + 0.75b, b]
    assertClose(y, [1, 1.25, 1.75, 2, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5, 3, 3.25, 3.75, 4], { shape: [1, 4, 4, 1] });
  });

  for (const [size, interpolation] of [
    [[2, 3], 'nearest'],
    [[2, 2], 'bilinear'],
    [[3, 2], 'bilinear'],
  ] as const) {
    test(`forward and gradient vs float64 reference: size ${size}, ${interpolation}`, () => {
      gradCheck(
        (x) => upSampling2d(x, { size, interpolation }),
        (x) => refResize(x, x.shape[1] * size[0], x.shape[2] * size[1], 'halfPixel', interpolation),
        [{ shape: [2, 3, 4, 2] }],
      );
    });
  }

  test('errors', () => {
    assert.throws(() => upSampling2d(randomNormal([1, 2, 2, 1]), { size: 1.5 }), /size must be a positive integer/);
    assert.throws(() => upSampling2d(randomNormal([1, 2, 2, 1]), { interpolation: 'bicubic' as 'bilinear' }), /interpolation must be 'nearest' or 'bilinear'/);
    assert.throws(() => upSampling2d(randomNormal([2, 2])), /NHWC.*\[2, 2\]/);
  });
});

describe('resizeBilinear / resizeNearestNeighbor: forward and gradient vs float64 reference', () => {
  const conventions: [Convention, { alignCorners?: boolean; halfPixelCenters?: boolean }][] = [
    ['halfPixel', {}],
    ['alignCorners', { alignCorners: true }],
    ['legacy', { halfPixelCenters: false }],
  ];
  const sizes: [number[], [number, number]][] = [
    [
      [2, 3, 4, 2],
      [5, 7],
    ], // up, non-integer factors
    [
      [1, 6, 5, 2],
      [3, 2],
    ], // down
    [
      [1, 4, 3, 1],
      [4, 6],
    ], // one axis unchanged
  ];
  for (const [convention, options] of conventions) {
    for (const [shape, size] of sizes) {
      test(`bilinear, ${convention}, [${shape}] -> ${size}`, () => {
        gradCheck(
          (x) => resizeBilinear(x, size, options),
          (x) => refResize(x, size[0], size[1], convention, 'bilinear'),
          [{ shape }],
        );
      });
      test(`nearest, ${convention}, [${shape}] -> ${size}`, () => {
        gradCheck(
          (x) => resizeNearestNeighbor(x, size, options),
          (x) => refResize(x, size[0], size[1], convention, 'nearest'),
          [{ shape }],
        );
      });
    }
  }

  test('a single [H, W, C] image, and conflicting options', () => {
    const x = randomNormal([3, 3, 2]);
    assert.deepEqual(resizeBilinear(x, [6, 5]).shape, [6, 5, 2]);
    assert.throws(() => resizeBilinear(x, [6, 6], { alignCorners: true, halfPixelCenters: true }), /cannot both be true/);
  });
});
