import { broadcastTo } from '../../ops/broadcast.js';
import { reshape } from '../../ops/reshape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Layer, type CallArgs, type LayerArgs, type SymbolicShape } from '../layer.js';
import { layerArgs, numberArg, type LayerConfig } from './config-args.js';
import { positiveInt, sequenceDims } from './sequence-args.js';

export interface UpSampling1DArgs extends LayerArgs {
  /** How many times each step is repeated (default 2). */
  size?: number;
}

/** Repeats each step of sequences `size` times: [N, T, C] -> [N, T*size, C]. */
export class UpSampling1D extends Layer {
  static readonly className = 'UpSampling1D';
  readonly size: number;

  constructor(args: UpSampling1DArgs = {}) {
    super(args, 'UpSampling1D');
    this.size = positiveInt(this, 'size', args.size ?? 2);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const [steps, channels] = sequenceDims(this, inputShape);
    return [inputShape[0], steps === null ? null : steps * this.size, channels];
  }

  call(x: Tensor, args: CallArgs): Tensor {
    void args;
    const [batch, steps, channels] = x.shape;
    // each step broadcast to `size` copies beside it; the gradient of broadcastTo sums them back
    return reshape(broadcastTo(reshape(x, [batch, steps, 1, channels]), [batch, steps, this.size, channels]), [batch, steps * this.size, channels]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), size: this.size };
  }

  /** The layer a model file's config describes (camelCase keys); the inverse of `getConfig`. */
  static fromConfig(c: LayerConfig): UpSampling1D {
    return new UpSampling1D({ ...layerArgs(c), size: numberArg(c, 'size', 2) });
  }
}

/**
 * Up-samples sequences by repeating each step (Keras `UpSampling1D`), e.g. in a 1-D decoder.
 *
 *     upSampling1d({ size: 2 });  // [null, 25, 16] -> [null, 50, 16]
 */
export function upSampling1d(args: UpSampling1DArgs = {}): UpSampling1D {
  return new UpSampling1D(args);
}
