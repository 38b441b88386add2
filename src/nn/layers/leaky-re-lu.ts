import { leakyRelu } from '../../ops/activations.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Layer, type CallArgs, type LayerArgs, type SymbolicShape } from '../layer.js';
import { describeLayer } from './image-args.js';
import { layerArgs, numberArg, type LayerConfig } from './config-args.js';

export interface LeakyReLUArgs extends LayerArgs {
  /** Slope for x < 0 (default 0.3, as TF.js and Keras; the `'leakyRelu'` activation name uses 0.2). */
  alpha?: number;
}

/** Leaky ReLU as a layer: x where x > 0, alpha * x elsewhere. */
export class LeakyReLU extends Layer {
  static readonly className = 'LeakyReLU';
  /** The mask passes through (Keras' `supports_masking`). */
  override supportsMasking = true;
  readonly alpha: number;

  constructor(args: LeakyReLUArgs = {}) {
    super(args, 'LeakyReLU');
    const alpha = args.alpha ?? 0.3;
    if (typeof alpha !== 'number' || !Number.isFinite(alpha))
      throw new Error(`${describeLayer(this)}: alpha must be a finite number, got ${String(args.alpha)}.`);
    this.alpha = alpha;
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [...inputShape];
  }

  call(x: Tensor, args: CallArgs): Tensor {
    void args;
    return leakyRelu(x, this.alpha);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), alpha: this.alpha };
  }

  /** The layer a model file's config describes (camelCase keys); the inverse of `getConfig`. Keras 3 calls alpha `negative_slope`. */
  static fromConfig(c: LayerConfig): LeakyReLU {
    return new LeakyReLU({ ...layerArgs(c), alpha: numberArg(c, 'alpha', numberArg(c, 'negativeSlope', 0.3)) });
  }
}

/**
 * A leaky ReLU layer (TF.js `tf.layers.leakyReLU`, Keras `LeakyReLU`).
 *
 *     leakyReLU({ alpha: 0.1 });
 */
export function leakyReLU(args: LeakyReLUArgs = {}): LeakyReLU {
  return new LeakyReLU(args);
}
