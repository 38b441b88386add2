import { backend } from '../../backend/registry.js';
import { mul } from '../../ops/binary.js';
import { fillBernoulliMask } from '../../tensor/rng.js';
import { Tensor } from '../../tensor/tensor.js';
import { Layer, type CallArgs, type LayerArgs, type SymbolicShape } from '../layer.js';
import { describeLayer, imageDims } from './image-args.js';
import { channelsLast, layerArgs, refuse, type LayerConfig } from './config-args.js';
import { SeededStream } from './seeded-stream.js';

export interface SpatialDropout2DArgs extends LayerArgs {
  /** Fraction of the channels to drop, in [0, 1). */
  rate: number;
  /** Gives this layer its own random stream, started from `seed` (as Dropout's `seed`). */
  seed?: number;
}

/**
 * Dropout of whole channels: in training, each image's channel is zeroed with probability `rate` (all its
 * pixels together) and the kept ones are scaled by `1 / (1 - rate)`; the identity at inference. Neighbouring
 * pixels are strongly correlated, so dropping single pixels (Dropout) barely regularises a convolution.
 */
export class SpatialDropout2D extends Layer {
  static readonly className = 'SpatialDropout2D';
  readonly rate: number;
  readonly seed: number | undefined;
  /** Where this layer's masks come from: its own stream with `seed`, else the global one. */
  private readonly stream: SeededStream;

  constructor(args: SpatialDropout2DArgs) {
    super(args, 'SpatialDropout2D');
    if (typeof args.rate !== 'number' || !(args.rate >= 0 && args.rate < 1)) {
      throw new Error(`${describeLayer(this)}: rate must be in [0, 1) (the fraction of channels to drop), got ${String(args.rate)}.`);
    }
    if (args.seed !== undefined && !Number.isFinite(args.seed))
      throw new Error(`${describeLayer(this)}: seed must be a finite number, got ${String(args.seed)}.`);
    this.rate = args.rate;
    this.seed = args.seed;
    this.stream = new SeededStream(args.seed);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    imageDims(this, inputShape);
    return [...inputShape];
  }

  call(x: Tensor, args: CallArgs): Tensor {
    if (!args.training || this.rate === 0) return x;
    const [batch, , , channels] = x.shape;
    const mask = this.stream.run(() => {
      const keep = 1 - this.rate;
      const m = new Float32Array(batch * channels);
      fillBernoulliMask(m, keep, 1 / keep, backend().bernoulliMask);
      return m;
    });
    // one value per image and channel, broadcast over its pixels; a constant, so the gradient is the same mask
    return mul(x, new Tensor(mask, [batch, 1, 1, channels]));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, ...(this.seed !== undefined ? { seed: this.seed } : {}), dataFormat: 'channelsLast' };
  }

  /** The layer a model file's config describes (camelCase keys); the inverse of `getConfig`. */
  static fromConfig(c: LayerConfig): SpatialDropout2D {
    channelsLast(c);
    refuse(c, ['noiseShape']);
    return new SpatialDropout2D({ ...layerArgs(c), rate: Number(c.rate), ...(typeof c.seed === 'number' ? { seed: c.seed } : {}) });
  }
}

/**
 * Drops whole channels of NHWC images during training (Keras `SpatialDropout2D`; TF.js has none); a no-op at
 * inference.
 *
 *     spatialDropout2d({ rate: 0.2 });
 */
export function spatialDropout2d(args: SpatialDropout2DArgs): SpatialDropout2D {
  return new SpatialDropout2D(args);
}
