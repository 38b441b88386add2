import { backend } from '../../backend/registry.js';
import { mul } from '../../ops/binary.js';
import { takeBuffer } from '../../tensor/buffer-pool.js';
import { fillBernoulliMask } from '../../tensor/rng.js';
import { Tensor } from '../../tensor/tensor.js';
import { Layer, type CallArgs, type LayerArgs, type SymbolicShape } from '../layer.js';
import { SeededStream } from './seeded-stream.js';
import { layerArgs, refuse, type LayerConfig } from './config-args.js';

export interface DropoutArgs extends LayerArgs {
  /** Fraction of the inputs to drop, in [0, 1). */
  rate: number;
  /**
   * Gives this layer its own random stream, started from `seed`, so its masks do not depend on (or shift)
   * the global stream. Without it the masks come from the global generator (`setSeed`).
   */
  seed?: number;
}

/**
 * Inverted dropout: in training, zeroes each input with probability `rate` and scales the rest by
 * `1 / (1 - rate)`, so the expected value is unchanged and inference is the identity.
 */
export class Dropout extends Layer {
  static readonly className = 'Dropout';
  /** The mask passes through (Keras' `supports_masking`). */
  override supportsMasking = true;
  readonly rate: number;
  readonly seed: number | undefined;
  /** Where this layer's masks come from: its own stream with `seed`, else the global one. */
  private readonly stream: SeededStream;

  constructor(args: DropoutArgs) {
    super(args, 'Dropout');
    if (typeof args.rate !== 'number' || !(args.rate >= 0 && args.rate < 1)) {
      throw new Error(`Layer '${this.name}' (Dropout): rate must be in [0, 1) (the fraction of inputs to drop), got ${String(args.rate)}.`);
    }
    if (args.seed !== undefined && !Number.isFinite(args.seed)) {
      throw new Error(`Layer '${this.name}' (Dropout): seed must be a finite number, got ${String(args.seed)}.`);
    }
    this.rate = args.rate;
    this.seed = args.seed;
    this.stream = new SeededStream(args.seed);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [...inputShape];
  }

  call(x: Tensor, args: CallArgs): Tensor {
    if (!args.training || this.rate === 0) return x;
    const mask = this.stream.run(() => {
      const keep = 1 - this.rate;
      // every element is written; a training step's buffer, reused as its others are
      const m = takeBuffer(x.size, false);
      fillBernoulliMask(m, keep, 1 / keep, backend().bernoulliMask);
      return m;
    });
    // the mask is a constant, so the gradient is the same mask: dropped units get none
    return mul(x, new Tensor(mask, x.shape));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, ...(this.seed !== undefined ? { seed: this.seed } : {}) };
  }

  /** The layer a model file's config describes (camelCase keys); the inverse of `getConfig`. */
  static fromConfig(c: LayerConfig): Dropout {
    refuse(c, ['noiseShape']);
    return new Dropout({ ...layerArgs(c), rate: Number(c.rate), ...(typeof c.seed === 'number' ? { seed: c.seed } : {}) });
  }
}

/**
 * Randomly zeroes inputs during training (Keras `Dropout`); a no-op at inference.
 *
 *     dropout({ rate: 0.5 });
 */
export function dropout(args: DropoutArgs): Dropout {
  return new Dropout(args);
}
