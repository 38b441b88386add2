// TF.js' matrix products, convolution and pooling on dendrite's ops, with TF.js' positional arguments:
// matMul(a, b, transposeA, transposeB), dot(t1, t2), conv2d(x, filter, strides, pad, dataFormat, dilations,
// dimRoundingMode), maxPool / avgPool(x, filterSize, strides, pad, dimRoundingMode). `pad` is 'valid', 'same', a
// number of pixels on every side, or TF.js' explicit [[0, 0], [top, bottom], [left, right], [0, 0]]. Only NHWC
// is supported, as in TF.js' CPU backend for pooling.
import * as ops from '../ops/index.js';
import type { Padding } from '../ops/index.js';
import { ones } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import { convertToTensor } from './convert.js';
import { type TensorLike, upcastType, withDtype } from './dtype.js';

type Arg = Tensor | TensorLike;
type Pair = number | [number, number] | readonly [number, number];
/** TF.js' `pad` of convolutions and pooling. */
export type PadArg = 'valid' | 'same' | number | readonly (readonly [number, number])[];
export type DimRoundingMode = 'floor' | 'round' | 'ceil';

function fail(message: string): never {
  throw new Error(message);
}

/** tf.matMul(a, b, transposeA = false, transposeB = false): int32 for two int32 tensors. */
export function matMul(a: Arg, b: Arg, transposeA = false, transposeB = false): Tensor {
  const ta = convertToTensor(a, 'a', 'matMul');
  const tb = convertToTensor(b, 'b', 'matMul');
  return withDtype(ops.matmul(ta, tb, transposeA, transposeB), upcastType(ta.dtype, tb.dtype));
}

/** tf.dot(t1, t2): vectors and matrices (ranks 1 and 2). */
export function dot(t1: Arg, t2: Arg): Tensor {
  const a = convertToTensor(t1, 't1', 'dot');
  const b = convertToTensor(t2, 't2', 'dot');
  if (!((a.rank === 1 || a.rank === 2) && (b.rank === 1 || b.rank === 2))) {
    fail(`Error in dot: inputs must all be rank 1 or 2, but got ranks ${a.rank} and ${b.rank}.`);
  }
  const aInner = a.rank === 1 ? a.size : a.shape[1];
  const bInner = b.rank === 1 ? b.size : b.shape[0];
  if (aInner !== bInner) fail(`Error in dot: inner dimensions of inputs must match, but got ${aInner} and ${bInner}.`);
  return withDtype(ops.dot(a, b), upcastType(a.dtype, b.dtype));
}

function pairOf(v: Pair): [number, number] {
  return typeof v === 'number' ? [v, v] : [v[0], v[1]];
}

/** The output length of one axis with `pad` pixels on each side, rounded as TF.js rounds (truncated by default). */
function outLength(inSize: number, field: number, stride: number, pad: number, mode: DimRoundingMode | undefined): number {
  const v = (inSize - field + 2 * pad) / stride + 1;
  if (mode === 'round') return Math.round(v);
  if (mode === 'ceil') return Math.ceil(v);
  return mode === 'floor' ? Math.floor(v) : Math.trunc(v);
}

/**
 * TF.js' pad as dendrite's padding for an NHWC input of height `h` and width `w`. A number pads every side by that
 * many pixels; the output size TF.js' `dimRoundingMode` gives must be the one dendrite computes (floor), else the
 * call is refused rather than computed differently.
 */
function padding(fn: string, pad: PadArg, h: number, w: number, field: [number, number], strides: [number, number], mode?: DimRoundingMode): Padding {
  if (mode != null && typeof pad === 'string') fail(`Error in ${fn}: pad must be an integer when using dimRoundingMode ${mode} but got pad ${pad}.`);
  if (pad === 'valid' || pad === 'same') return pad;
  if (typeof pad === 'number') {
    if (mode != null && !Number.isInteger(pad)) fail(`Error in ${fn}: pad must be an integer when using dimRoundingMode ${mode} but got pad ${pad}.`);
    for (const [size, k, s] of [
      [h, field[0], strides[0]],
      [w, field[1], strides[1]],
    ]) {
      if (outLength(size, k, s, pad, mode) !== Math.floor((size - k + 2 * pad) / s) + 1) {
        fail(`${fn}(): dimRoundingMode '${mode}' with pad ${pad} gives an output size dendrite/tfjs does not compute (it rounds down).`);
      }
    }
    return [
      [pad, pad],
      [pad, pad],
    ];
  }
  if (Array.isArray(pad) && pad.length === 4) {
    return [
      [pad[1][0], pad[1][1]],
      [pad[2][0], pad[2][1]],
    ];
  }
  return fail(`${fn}(): pad must be 'valid', 'same', a number or [[0, 0], [top, bottom], [left, right], [0, 0]], got ${JSON.stringify(pad)}.`);
}

function as4D(fn: string, t: Tensor, what: string): { x4: Tensor; back: (y: Tensor) => Tensor } {
  if (t.rank === 3) return { x4: ops.reshape(t, [1, ...t.shape]), back: (y) => ops.reshape(y, y.shape.slice(1)) };
  if (t.rank !== 4) fail(`Error in ${fn}: ${what} must be rank 4${fn === 'conv2d' ? ',' : ''} but got rank ${t.rank}.`);
  return { x4: t, back: (y) => y };
}

/**
 * tf.conv2d(x, filter, strides, pad, dataFormat = 'NHWC', dilations = [1, 1], dimRoundingMode): NHWC input
 * [batch, h, w, in] (or one [h, w, in] image), filter [fh, fw, in, out]; float32.
 */
export function conv2d(
  x: Arg,
  filter: Arg,
  strides: Pair,
  pad: PadArg,
  dataFormat: 'NHWC' | 'NCHW' = 'NHWC',
  dilations: Pair = [1, 1],
  dimRoundingMode?: DimRoundingMode,
): Tensor {
  const tx = convertToTensor(x, 'x', 'conv2d', 'float32');
  const tf = convertToTensor(filter, 'filter', 'conv2d', 'float32');
  const { x4, back } = as4D('conv2d', tx, 'input');
  if (tf.rank !== 4) fail(`Error in conv2d: filter must be rank 4, but got rank ${tf.rank}.`);
  if (dataFormat !== 'NHWC') fail(`conv2d(): dataFormat '${dataFormat}' is not supported by dendrite/tfjs; images are NHWC.`);
  if (x4.shape[3] !== tf.shape[2]) fail(`Error in conv2d: depth of input (${x4.shape[3]}) must match input depth for filter ${tf.shape[2]}.`);
  const s = pairOf(strides);
  const d = pairOf(dilations);
  if (!(s.every((v) => v === 1) || d.every((v) => v === 1))) {
    fail(`Error in conv2D: Either strides or dilations must be 1. Got strides ${strides} and dilations '${dilations}'`);
  }
  const p = padding('conv2d', pad, x4.shape[1], x4.shape[2], [(tf.shape[0] - 1) * d[0] + 1, (tf.shape[1] - 1) * d[1] + 1], s, dimRoundingMode);
  return back(ops.conv2d(x4, tf, { strides: s, padding: p, dilationRate: d }));
}

/** The input padded by `before/after` pixels with `value` on height and width, for pooling with a numeric pad. */
function padImages(x4: Tensor, p: Padding, value: number): Tensor {
  if (typeof p === 'string') return x4;
  return ops.pad(x4, [[0, 0], p[0], p[1], [0, 0]], value);
}

/** tf.maxPool(x, filterSize, strides, pad, dimRoundingMode): same dtype; padded cells never win. */
export function maxPool(x: Arg, filterSize: Pair, strides: Pair, pad: PadArg, dimRoundingMode?: DimRoundingMode): Tensor {
  const t = convertToTensor(x, 'x', 'maxPool');
  const { x4, back } = as4D('maxPool', t, 'input');
  const f = pairOf(filterSize);
  const s = pairOf(strides);
  const p = padding('maxPool', pad, x4.shape[1], x4.shape[2], f, s, dimRoundingMode);
  const padded = padImages(x4, p, Number.NEGATIVE_INFINITY);
  const out = ops.maxPool2d(padded, { poolSize: f, strides: s, padding: typeof p === 'string' ? p : 'valid' });
  return withDtype(back(out), t.dtype);
}

/** tf.avgPool(x, filterSize, strides, pad, dimRoundingMode): float32; each window averages its real (unpadded) cells. */
export function avgPool(x: Arg, filterSize: Pair, strides: Pair, pad: PadArg, dimRoundingMode?: DimRoundingMode): Tensor {
  const t = convertToTensor(x, 'x', 'avgPool', 'float32');
  const s = pairOf(strides);
  if (!s.every((v) => v >= 1)) fail(`Error in avgPool: Either strides or dilations must be 1. Got strides ${strides} and dilations '1'`);
  if (t.rank !== 3 && t.rank !== 4) fail(`Error in avgPool: x must be rank 4 but got rank ${t.rank}.`);
  const { x4, back } = as4D('avgPool', t, 'x');
  const f = pairOf(filterSize);
  const p = padding('avgPool', pad, x4.shape[1], x4.shape[2], f, s, dimRoundingMode);
  if (typeof p === 'string') return back(ops.avgPool2d(x4, { poolSize: f, strides: s, padding: p }));
  // NOTE: the mean of the real cells of each window: the windows' sums over the zero-padded input, divided by how
  // many real cells each window covers (the same pooling of a padded tensor of ones).
  const sums = ops.avgPool2d(padImages(x4, p, 0), { poolSize: f, strides: s, padding: 'valid' });
  const counts = ops.avgPool2d(padImages(ones([1, x4.shape[1], x4.shape[2], 1]), p, 0), { poolSize: f, strides: s, padding: 'valid' });
  return back(ops.div(sums, counts));
}
