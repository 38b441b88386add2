import { transpose } from '../../ops/transpose.js';
import { formatShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Layer, type CallArgs, type LayerArgs, type SymbolicShape } from '../layer.js';
import { describeLayer } from './image-args.js';
import { fail, layerArgs, type LayerConfig } from './config-args.js';

export interface PermuteArgs extends LayerArgs {
  /**
   * The new order of the non-batch axes, numbered from 1 (the batch axis, 0, stays first): `[2, 1]` swaps the
   * two axes of [N, a, b] to give [N, b, a].
   */
  dims: readonly number[];
}

/** Reorders the axes of each sample (a transpose that keeps the batch axis first). */
export class Permute extends Layer {
  static readonly className = 'Permute';
  readonly dims: readonly number[];

  constructor(args: PermuteArgs) {
    super(args, 'Permute');
    const dims = args.dims;
    const isPermutation =
      Array.isArray(dims) && dims.length > 0 && [...dims].sort((a, b) => a - b).every((d, i) => d === i + 1) && dims.every((d) => Number.isInteger(d));
    if (!isPermutation) {
      throw new Error(
        `${describeLayer(this)}: dims must list each non-batch axis once, numbered from 1 (e.g. [2, 1] or [3, 1, 2]), got ${JSON.stringify(dims)}.`,
      );
    }
    this.dims = [...dims];
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    if (inputShape.length !== this.dims.length + 1) {
      throw new Error(
        `${describeLayer(this)}: dims ${JSON.stringify(this.dims)} reorder ${this.dims.length} axes, so it expects inputs of rank ${this.dims.length + 1} (batch first), got shape ${formatShape(inputShape)} of rank ${inputShape.length}.`,
      );
    }
    return [inputShape[0], ...this.dims.map((d) => inputShape[d])];
  }

  call(x: Tensor, args: CallArgs): Tensor {
    void args;
    return transpose(x, [0, ...this.dims]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dims: [...this.dims] };
  }

  /** The layer a model file's config describes (camelCase keys); the inverse of `getConfig`. */
  static fromConfig(c: LayerConfig): Permute {
    if (!Array.isArray(c.dims)) fail(`dims must be a list of axes, got ${JSON.stringify(c.dims)}`);
    return new Permute({ ...layerArgs(c), dims: c.dims.map(Number) });
  }
}

/**
 * Reorders the non-batch axes (TF.js `tf.layers.permute`, Keras `Permute`); `dims` counts from 1.
 *
 *     permute({ dims: [2, 1] });  // [null, 10, 64] -> [null, 64, 10]
 */
export function permute(args: PermuteArgs): Permute {
  return new Permute(args);
}
