import type { Tensor } from '../../tensor/tensor.js';
import { getActivation, type ActivationFunction, type ActivationIdentifier } from '../activations.js';
import { Layer, type CallArgs, type LayerArgs, type SymbolicShape } from '../layer.js';
import { activationArg, layerArgs, type LayerConfig } from './config-args.js';

export interface ActivationArgs extends LayerArgs {
  /** The function to apply elementwise (softmax: over the last axis). */
  activation: ActivationIdentifier;
}

/** Applies an activation function on its own, e.g. after a layer built with `activation: 'linear'`. */
export class Activation extends Layer {
  static readonly className = 'Activation';
  /** The mask passes through (Keras' `supports_masking`). */
  override supportsMasking = true;
  readonly activation: ActivationFunction;

  constructor(args: ActivationArgs) {
    super(args, 'Activation');
    this.activation = getActivation(args.activation);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [...inputShape];
  }

  call(x: Tensor, args: CallArgs): Tensor {
    void args;
    return this.activation.apply(x);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), activation: this.activation.name };
  }

  /** The layer a model file's config describes (camelCase keys); the inverse of `getConfig`. */
  static fromConfig(c: LayerConfig): Activation {
    return new Activation({ ...layerArgs(c), activation: activationArg(c) });
  }
}

/**
 * An activation as a layer (Keras `Activation`).
 *
 *     activation({ activation: 'relu' });
 */
export function activation(args: ActivationArgs): Activation {
  return new Activation(args);
}
