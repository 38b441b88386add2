import { reshape as reshapeOp } from '../../ops/reshape.js';
import { formatShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Layer, type CallArgs, type LayerArgs, type SymbolicShape } from '../layer.js';
import { describeLayer } from './image-args.js';
import { fail, layerArgs, type LayerConfig } from './config-args.js';

export interface ReshapeArgs extends LayerArgs {
  /** The shape of one sample (without the batch axis); one entry may be -1, inferred from the size. */
  targetShape: readonly number[];
}

/** Gives each sample a new shape with the same number of values (row-major): [N, ...] -> [N, ...targetShape]. */
export class Reshape extends Layer {
  static readonly className = 'Reshape';
  readonly targetShape: readonly number[];

  constructor(args: ReshapeArgs) {
    super(args, 'Reshape');
    const t = args.targetShape;
    if (!Array.isArray(t) || !t.every((d) => d === -1 || (Number.isInteger(d) && d >= 1)) || t.filter((d) => d === -1).length > 1) {
      throw new Error(
        `${describeLayer(this)}: targetShape must be a list of positive integers with at most one -1 (the shape of one sample, without the batch axis), got ${JSON.stringify(t)}.`,
      );
    }
    this.targetShape = [...t];
  }

  /** targetShape with its -1 resolved for samples of `size` values, or an error naming the layer. */
  private resolve(sampleShape: readonly number[]): number[] {
    const size = sampleShape.reduce((a, b) => a * b, 1);
    const known = this.targetShape.reduce((a, b) => (b === -1 ? a : a * b), 1);
    const free = this.targetShape.includes(-1);
    if (free ? size % known !== 0 : size !== known) {
      const want = free ? `a multiple of ${known}` : `${known}`;
      throw new Error(
        `${describeLayer(this)} cannot reshape samples of shape ${formatShape(sampleShape)} (${size} values) to targetShape ${formatShape(this.targetShape)} (${want} values).`,
      );
    }
    return this.targetShape.map((d) => (d === -1 ? size / known : d));
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    if (inputShape.length < 1) throw new Error(`${describeLayer(this)} expects inputs with a batch axis ([batch, ...]), got shape ${formatShape(inputShape)}.`);
    const sample = inputShape.slice(1);
    // Keras: with an unknown sample size the -1 stays unknown
    if (sample.some((d) => d === null)) return [inputShape[0], ...this.targetShape.map((d) => (d === -1 ? null : d))];
    return [inputShape[0], ...this.resolve(sample as number[])];
  }

  call(x: Tensor, args: CallArgs): Tensor {
    void args;
    return reshapeOp(x, [x.shape[0], ...this.resolve(x.shape.slice(1))]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), targetShape: [...this.targetShape] };
  }

  /** The layer a model file's config describes (camelCase keys); the inverse of `getConfig`. */
  static fromConfig(c: LayerConfig): Reshape {
    return new Reshape({ ...layerArgs(c), targetShape: (c.targetShape as number[]) ?? fail('target_shape is missing') });
  }
}

/**
 * Reshapes each sample (Keras `Reshape`); the batch axis is kept.
 *
 *     reshape({ targetShape: [28, 28, 1], inputShape: [784] });  // [null, 784] -> [null, 28, 28, 1]
 */
export function reshape(args: ReshapeArgs): Reshape {
  return new Reshape(args);
}
