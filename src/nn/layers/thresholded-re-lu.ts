import { thresholdedRelu } from '../../ops/activations.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Layer, type CallArgs, type LayerArgs, type SymbolicShape } from '../layer.js';
import { describeLayer } from './image-args.js';
import { layerArgs, numberArg, type LayerConfig } from './config-args.js';

export interface ThresholdedReLUArgs extends LayerArgs {
  /** Inputs at or below it become 0 (default 1). */
  theta?: number;
}

/** Thresholded ReLU as a layer: x where x > theta, 0 elsewhere. */
export class ThresholdedReLU extends Layer {
  static readonly className = 'ThresholdedReLU';
  readonly theta: number;

  constructor(args: ThresholdedReLUArgs = {}) {
    super(args, 'ThresholdedReLU');
    const theta = args.theta ?? 1;
    if (typeof theta !== 'number' || !Number.isFinite(theta))
      throw new Error(`${describeLayer(this)}: theta must be a finite number, got ${String(args.theta)}.`);
    this.theta = theta;
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [...inputShape];
  }

  call(x: Tensor, args: CallArgs): Tensor {
    void args;
    return thresholdedRelu(x, this.theta);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), theta: this.theta };
  }

  /** The layer a model file's config describes (camelCase keys); the inverse of `getConfig`. */
  static fromConfig(c: LayerConfig): ThresholdedReLU {
    return new ThresholdedReLU({ ...layerArgs(c), theta: numberArg(c, 'theta', 1) });
  }
}

/**
 * A thresholded ReLU layer (TF.js `tf.layers.thresholdedReLU`, Keras 2 `ThresholdedReLU`).
 *
 *     thresholdedReLU({ theta: 0.5 });
 */
export function thresholdedReLU(args: ThresholdedReLUArgs = {}): ThresholdedReLU {
  return new ThresholdedReLU(args);
}
