// Argument normalisation and input-shape checks shared by the 2-D image layers (convolutions, pooling,
// padding, up-sampling), so each states its errors the same way: naming the layer, the expected and the
// actual shape.
import { convOutputLength } from '../../ops/conv.js';
import { formatShape } from '../../tensor/shape.js';
import type { Layer, SymbolicShape } from '../layer.js';

/** `Layer 'conv2d' (Conv2D)`, the prefix of every layer error. */
export function describeLayer(layer: Layer): string {
  return `Layer '${layer.name}' (${layer.className})`;
}

/** `n` or `[a, b]` as a pair of positive integers (kernelSize, strides, poolSize, dilationRate, size). */
export function positivePair(layer: Layer, argName: string, value: number | readonly number[]): [number, number] {
  const p: number[] = typeof value === 'number' ? [value, value] : Array.isArray(value) ? [...value] : [];
  if (p.length !== 2 || !p.every((d) => Number.isInteger(d) && d >= 1)) {
    throw new Error(`${describeLayer(layer)}: ${argName} must be a positive integer or a pair [height, width] of them, got ${JSON.stringify(value)}.`);
  }
  return [p[0], p[1]];
}

export type PaddingMode = 'valid' | 'same';

/** `'valid'` or `'same'`, or an error naming the layer. */
export function paddingMode(layer: Layer, value: unknown): PaddingMode {
  if (value !== 'valid' && value !== 'same') {
    throw new Error(`${describeLayer(layer)}: padding must be 'valid' or 'same', got ${JSON.stringify(value)}.`);
  }
  return value;
}

/** What to tell someone whose input is not an NHWC batch: the reshape that probably fixes it. */
function reshapeHint(shape: SymbolicShape): string {
  if (shape.length === 2 && shape[1] !== null) {
    const side = Math.round(Math.sqrt(shape[1]));
    if (side * side === shape[1] && side > 1)
      return ` Flat images need reshaping to [N, ${side}, ${side}, 1] (height, width, channels) first, e.g. inputShape [${side}, ${side}, 1].`;
    return ' Reshape the images to [N, height, width, channels] first.';
  }
  if (shape.length === 3 && shape[1] !== null && shape[2] !== null) {
    return ` Single-channel images need a channels axis: reshape them to [N, ${shape[1]}, ${shape[2]}, 1], e.g. inputShape [${shape[1]}, ${shape[2]}, 1].`;
  }
  return ' Images are NHWC: [batch, height, width, channels].';
}

/**
 * Checks that `inputShape` is an NHWC image batch [batch, height, width, channels] and returns
 * `[height, width, channels]` (null where unknown); `channels` must be known when `needChannels`.
 */
export function imageDims(layer: Layer, inputShape: SymbolicShape, needChannels = false): [number | null, number | null, number | null] {
  if (inputShape.length !== 4) {
    throw new Error(
      `${describeLayer(layer)} expects inputs of rank 4 [batch, height, width, channels] (e.g. [null, 28, 28, 1]), got shape ${formatShape(inputShape)} of rank ${inputShape.length}.${reshapeHint(inputShape)}`,
    );
  }
  const [, h, w, c] = inputShape;
  if (needChannels && c === null) {
    throw new Error(`${describeLayer(layer)} needs the size of the channels axis (the last one) to create its weights, got shape ${formatShape(inputShape)}.`);
  }
  return [h, w, c];
}

/**
 * Output height and width of a sliding window (kernel or pool) over an image batch, as Keras'
 * `conv_output_length`; null where the input size is unknown. Throws when the output would be empty.
 */
export function windowOutputDims(
  layer: Layer,
  inputShape: SymbolicShape,
  window: readonly [number, number],
  strides: readonly [number, number],
  dilation: readonly [number, number],
  padding: PaddingMode,
  what: 'kernel' | 'pool window',
): [number | null, number | null] {
  const [h, w] = imageDims(layer, inputShape);
  const out = [h, w].map((size, i) => (size === null ? null : convOutputLength(size, window[i], strides[i], padding, dilation[i]))) as [
    number | null,
    number | null,
  ];
  if (out[0] === 0 || out[1] === 0) {
    const span = window.map((k, i) => (k - 1) * dilation[i] + 1);
    const dilated = dilation.some((d) => d > 1) ? ` (${span[0]}x${span[1]} with dilation ${dilation[0]}x${dilation[1]})` : '';
    const fix = what === 'kernel' ? 'a smaller kernelSize' : 'a smaller poolSize';
    throw new Error(
      `${describeLayer(layer)}: the ${window[0]}x${window[1]} ${what}${dilated} does not fit in the ${h}x${w} input (shape ${formatShape(inputShape)}) with '${padding}' padding, so the output would be empty. Use padding 'same', ${fix} or larger images.`,
    );
  }
  return out;
}
