import { broadcastTo } from '../../ops/broadcast.js';
import { reshape } from '../../ops/reshape.js';
import { formatShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Layer, type CallArgs, type LayerArgs, type SymbolicShape } from '../layer.js';
import { describeLayer } from './image-args.js';
import { layerArgs, type LayerConfig } from './config-args.js';

export interface RepeatVectorArgs extends LayerArgs {
  /** How many times to repeat each sample's vector. */
  n: number;
}

/** Repeats each sample's vector n times: [N, features] -> [N, n, features] (e.g. to feed a sequence decoder). */
export class RepeatVector extends Layer {
  static readonly className = 'RepeatVector';
  readonly n: number;

  constructor(args: RepeatVectorArgs) {
    super(args, 'RepeatVector');
    if (!Number.isInteger(args.n) || args.n < 1) throw new Error(`${describeLayer(this)}: n must be a positive integer, got ${String(args.n)}.`);
    this.n = args.n;
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    if (inputShape.length !== 2) {
      throw new Error(
        `${describeLayer(this)} expects inputs of rank 2 [batch, features], got shape ${formatShape(inputShape)} of rank ${inputShape.length}.${inputShape.length > 2 ? ' Flatten them first.' : ''}`,
      );
    }
    return [inputShape[0], this.n, inputShape[1]];
  }

  call(x: Tensor, args: CallArgs): Tensor {
    void args;
    const [batch, features] = x.shape;
    // the gradient of broadcastTo sums the n copies back
    return broadcastTo(reshape(x, [batch, 1, features]), [batch, this.n, features]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), n: this.n };
  }

  /** The layer a model file's config describes (camelCase keys); the inverse of `getConfig`. */
  static fromConfig(c: LayerConfig): RepeatVector {
    return new RepeatVector({ ...layerArgs(c), n: Number(c.n) });
  }
}

/**
 * Repeats the input vector n times (TF.js `tf.layers.repeatVector`, Keras `RepeatVector`).
 *
 *     repeatVector({ n: 3 });  // [null, 32] -> [null, 3, 32]
 */
export function repeatVector(args: RepeatVectorArgs): RepeatVector {
  return new RepeatVector(args);
}
