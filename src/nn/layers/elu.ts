import { elu as eluOp } from '../../ops/activations.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Layer, type CallArgs, type LayerArgs, type SymbolicShape } from '../layer.js';
import { describeLayer } from './image-args.js';
import { layerArgs, numberArg, type LayerConfig } from './config-args.js';

export interface ELUArgs extends LayerArgs {
  /** Scale of the negative part (default 1). */
  alpha?: number;
}

/** Exponential linear unit as a layer: x where x > 0, alpha * (exp(x) - 1) elsewhere. */
export class ELU extends Layer {
  static readonly className = 'ELU';
  /** The mask passes through (Keras' `supports_masking`). */
  override supportsMasking = true;
  readonly alpha: number;

  constructor(args: ELUArgs = {}) {
    super(args, 'ELU');
    const alpha = args.alpha ?? 1;
    if (typeof alpha !== 'number' || !Number.isFinite(alpha))
      throw new Error(`${describeLayer(this)}: alpha must be a finite number, got ${String(args.alpha)}.`);
    this.alpha = alpha;
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [...inputShape];
  }

  call(x: Tensor, args: CallArgs): Tensor {
    void args;
    return eluOp(x, this.alpha);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), alpha: this.alpha };
  }

  /** The layer a model file's config describes (camelCase keys); the inverse of `getConfig`. */
  static fromConfig(c: LayerConfig): ELU {
    return new ELU({ ...layerArgs(c), alpha: numberArg(c, 'alpha', 1) });
  }
}

/**
 * An ELU layer (TF.js `tf.layers.elu`, Keras `ELU`). NOTE: TF.js' own ELU layer accepts only alpha 1.
 *
 *     elu({ alpha: 0.5 });
 */
export function elu(args: ELUArgs = {}): ELU {
  return new ELU(args);
}
