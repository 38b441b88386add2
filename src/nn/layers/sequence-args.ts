// Argument normalisation and input-shape checks shared by the 1-D sequence layers (Conv1D, the 1-D poolings,
// padding, cropping and up-sampling), so each states its errors the same way: naming the layer, the expected
// and the actual shape. Their inputs are [batch, steps, channels].
import { convAxis } from '../../ops/conv.js';
import { formatShape } from '../../tensor/shape.js';
import type { Layer, SymbolicShape } from '../layer.js';
import { fail } from './config-args.js';
import { describeLayer } from './image-args.js';

/** `n` or `[n]` as a positive integer (kernelSize, strides, poolSize, dilationRate of a 1-D layer). */
export function positiveInt(layer: Layer, argName: string, value: number | readonly number[]): number {
  const n = typeof value === 'number' ? value : Array.isArray(value) && value.length === 1 ? value[0] : NaN;
  if (!Number.isInteger(n) || n < 1) throw new Error(`${describeLayer(layer)}: ${argName} must be a positive integer (or [n]), got ${JSON.stringify(value)}.`);
  return n;
}

/** `n` (both ends) or `[left, right]` as a pair of non-negative integers (padding, cropping). */
export function endsPair(layer: Layer, argName: string, value: number | readonly number[]): [number, number] {
  const ok = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;
  if (ok(value)) return [value, value];
  if (Array.isArray(value) && value.length === 2 && value.every(ok)) return [value[0], value[1]];
  throw new Error(`${describeLayer(layer)}: ${argName} must be a non-negative integer or a pair [left, right] of them, got ${JSON.stringify(value)}.`);
}

/** A number or `[n]` of a file's config (`fallback` when absent), for the 1-D layers' window arguments. */
export function singleArg(v: unknown, fallback: number): number {
  if (v === undefined || v === null) return fallback;
  if (typeof v === 'number') return v;
  if (Array.isArray(v) && v.length === 1) return Number(v[0]);
  return fail(`expected a number or a list of one, got ${JSON.stringify(v)}`);
}

/** What to tell someone whose input is not a [batch, steps, channels] batch. */
function reshapeHint(shape: SymbolicShape): string {
  if (shape.length === 2) {
    return ` A batch of sequences of one value per step needs a channels axis: reshape it to [N, ${shape[1] ?? 'steps'}, 1]; token ids go through an Embedding layer first.`;
  }
  if (shape.length === 4) return ' Images [batch, height, width, channels] go to the 2-D layers.';
  return ' Sequences are [batch, steps, channels].';
}

/**
 * Checks that `inputShape` is a sequence batch [batch, steps, channels] and returns `[steps, channels]`
 * (null where unknown); `channels` must be known when `needChannels`.
 */
export function sequenceDims(layer: Layer, inputShape: SymbolicShape, needChannels = false): [number | null, number | null] {
  if (inputShape.length !== 3) {
    throw new Error(
      `${describeLayer(layer)} expects inputs of rank 3 [batch, steps, channels] (e.g. [null, 100, 8]), got shape ${formatShape(inputShape)} of rank ${inputShape.length}.${reshapeHint(inputShape)}`,
    );
  }
  const [, steps, channels] = inputShape;
  if (needChannels && channels === null) {
    throw new Error(`${describeLayer(layer)} needs the size of the channels axis (the last one) to create its weights, got shape ${formatShape(inputShape)}.`);
  }
  return [steps, channels];
}

/** `'valid'`, `'same'` or, for a convolution, `'causal'` (left padding only: step t sees steps <= t). */
export type Padding1D = 'valid' | 'same' | 'causal';

/** The padding before and after the steps of a window over `steps` (the same rule as the 2-D layers; causal: all on the left). */
export function stepPadding(
  steps: number,
  window: number,
  stride: number,
  dilation: number,
  padding: Padding1D,
): { out: number; before: number; after: number } {
  if (padding === 'causal') return convAxis(steps, window, stride, dilation, [(window - 1) * dilation, 0]);
  return convAxis(steps, window, stride, dilation, padding);
}

/**
 * The number of output steps of a sliding window (kernel or pool) over a sequence batch, as Keras'
 * `conv_output_length`; null where the input length is unknown. Throws when the output would be empty.
 */
export function windowOutputSteps(
  layer: Layer,
  inputShape: SymbolicShape,
  window: number,
  stride: number,
  dilation: number,
  padding: Padding1D,
  what: 'kernel' | 'pool window',
): number | null {
  const [steps] = sequenceDims(layer, inputShape);
  if (steps === null) return null;
  const out = Math.max(stepPadding(steps, window, stride, dilation, padding).out, 0);
  if (out === 0) {
    const dilated = dilation > 1 ? ` (spanning ${(window - 1) * dilation + 1} steps with dilation ${dilation})` : '';
    const fix = what === 'kernel' ? 'a smaller kernelSize' : 'a smaller poolSize';
    throw new Error(
      `${describeLayer(layer)}: the ${what} of ${window}${dilated} does not fit in the ${steps} steps of the input (shape ${formatShape(inputShape)}) with '${padding}' padding, so the output would be empty. Use padding 'same', ${fix} or longer sequences.`,
    );
  }
  return out;
}
