import { concat } from '../../ops/slice.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { CallArgs, LayerArgs, SymbolicShape } from '../layer.js';
import type { SymbolicTensor } from '../symbolic-tensor.js';
import { fail, layerArgs, type LayerConfig } from './config-args.js';
import { formatShapes, MergeLayer } from './merge.js';

export interface ConcatenateArgs extends LayerArgs {
  /** The axis to join along (default -1, the last: features, or channels of NHWC images); not the batch axis. */
  axis?: number;
}

/** Joins its inputs along `axis` (Keras `Concatenate`); their other sizes must agree. */
export class Concatenate extends MergeLayer {
  static readonly className = 'Concatenate';
  readonly axis: number;

  constructor(args: ConcatenateArgs = {}) {
    super(args, 'Concatenate');
    this.axis = args.axis ?? -1;
    if (!Number.isInteger(this.axis)) throw new Error(`Layer '${this.name}' (Concatenate): axis must be an integer, got ${String(args.axis)}.`);
  }

  /** The axis as a non-negative index for inputs of `rank`; never the batch axis. */
  private joinAxis(rank: number): number {
    const a = this.axis < 0 ? this.axis + rank : this.axis;
    if (a < 1 || a >= rank) {
      throw new Error(
        `Layer '${this.name}' (Concatenate): axis ${this.axis} is not an axis of inputs of rank ${rank} besides the batch axis (axis 0); use 1..${rank - 1} or -1..${1 - rank}.`,
      );
    }
    return a;
  }

  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape {
    const shapes = this.inputShapes(inputShape);
    const rank = shapes[0].length;
    const a = this.joinAxis(rank);
    const out = [...shapes[0]];
    for (const s of shapes.slice(1)) {
      const fits = s.length === rank && s.every((d, i) => i === a || d === null || out[i] === null || d === out[i]);
      if (!fits) {
        throw new Error(
          `Layer '${this.name}' (Concatenate) needs inputs whose shapes match except on axis ${this.axis}, got ${formatShapes(shapes)} (the first axis is the batch).`,
        );
      }
      s.forEach((d, i) => {
        if (i !== a && out[i] === null) out[i] = d;
      });
      out[a] = out[a] === null || s[a] === null ? null : (out[a] as number) + (s[a] as number);
    }
    return out;
  }

  call(inputs: Tensor | Tensor[], args: CallArgs): Tensor {
    void args;
    const xs = this.inputTensors(inputs);
    return concat(xs, this.joinAxis(xs[0].rank));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }

  /** The layer a model file's config describes (camelCase keys); the inverse of `getConfig`. */
  static fromConfig(c: LayerConfig): Concatenate {
    if (c.axis !== undefined && c.axis !== null && !Number.isInteger(c.axis)) fail(`axis ${JSON.stringify(c.axis)} must be an integer`);
    return new Concatenate({ ...layerArgs(c), axis: typeof c.axis === 'number' ? c.axis : undefined });
  }
}

/**
 * A `Concatenate` layer, or, given a list of inputs, their concatenation on the last axis (Keras' `concatenate`):
 *
 *     const both = layers.concatenate().apply([left, right]);   // [null, 3] and [null, 5] -> [null, 8]
 *     layers.concatenate({ axis: 1 });
 */
export function concatenate(args?: ConcatenateArgs): Concatenate;
export function concatenate(inputs: readonly SymbolicTensor[]): SymbolicTensor;
export function concatenate(inputs: readonly Tensor[]): Tensor;
export function concatenate(args: ConcatenateArgs | readonly SymbolicTensor[] | readonly Tensor[] = {}): Concatenate | SymbolicTensor | Tensor {
  return Array.isArray(args) ? new Concatenate().apply(args) : new Concatenate(args as ConcatenateArgs);
}
