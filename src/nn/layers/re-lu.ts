import { generalRelu } from '../../ops/activations.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Layer, type CallArgs, type LayerArgs, type SymbolicShape } from '../layer.js';
import { describeLayer } from './image-args.js';
import { layerArgs, numberArg, type LayerConfig } from './config-args.js';

export interface ReLUArgs extends LayerArgs {
  /** The largest output (default none: unbounded); 6 gives ReLU6. */
  maxValue?: number | null;
  /** Slope below the threshold (Keras `negative_slope`, default 0). */
  negativeSlope?: number;
  /** Inputs at or below it give `negativeSlope * (x - threshold)` (default 0). */
  threshold?: number;
}

/**
 * Rectified linear unit as a layer, as Keras' `ReLU`: x above `threshold` (capped at `maxValue`),
 * `negativeSlope * (x - threshold)` at or below it. With the defaults, `max(x, 0)`.
 */
export class ReLU extends Layer {
  static readonly className = 'ReLU';
  /** The mask passes through (Keras' `supports_masking`). */
  override supportsMasking = true;
  readonly maxValue: number | null;
  readonly negativeSlope: number;
  readonly threshold: number;

  constructor(args: ReLUArgs = {}) {
    super(args, 'ReLU');
    // non-negative, as Keras requires: the formula assumes 0 <= threshold and 0 <= maxValue
    const nonNegative = (key: 'maxValue' | 'negativeSlope' | 'threshold', fallback: number): number => {
      const v = args[key] ?? fallback;
      if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v)) {
        throw new Error(`${describeLayer(this)}: ${key} must be a non-negative number, got ${String(args[key])}.`);
      }
      return v;
    };
    this.maxValue = args.maxValue === undefined || args.maxValue === null ? null : nonNegative('maxValue', 0);
    this.negativeSlope = nonNegative('negativeSlope', 0);
    this.threshold = nonNegative('threshold', 0);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [...inputShape];
  }

  call(x: Tensor, args: CallArgs): Tensor {
    void args;
    return generalRelu(x, { maxValue: this.maxValue, negativeSlope: this.negativeSlope, threshold: this.threshold });
  }

  override getConfig(): Record<string, unknown> {
    // TF.js knows maxValue only: the other two are written when they are in use (Keras reads them)
    return {
      ...super.getConfig(),
      maxValue: this.maxValue,
      ...(this.negativeSlope !== 0 ? { negativeSlope: this.negativeSlope } : {}),
      ...(this.threshold !== 0 ? { threshold: this.threshold } : {}),
    };
  }

  /** The layer a model file's config describes (camelCase keys); the inverse of `getConfig`. */
  static fromConfig(c: LayerConfig): ReLU {
    return new ReLU({
      ...layerArgs(c),
      maxValue: c.maxValue === undefined || c.maxValue === null ? null : numberArg(c, 'maxValue', 0),
      negativeSlope: numberArg(c, 'negativeSlope', 0),
      threshold: numberArg(c, 'threshold', 0),
    });
  }
}

/**
 * A ReLU layer (TF.js `tf.layers.reLU`, Keras `ReLU`); `maxValue: 6` makes it ReLU6.
 *
 *     reLU({ maxValue: 6 });  // min(max(x, 0), 6)
 */
export function reLU(args: ReLUArgs = {}): ReLU {
  return new ReLU(args);
}
