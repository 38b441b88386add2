import { mul } from '../../ops/binary.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { LayerArgs } from '../layer.js';
import type { SymbolicTensor } from '../symbolic-tensor.js';
import { layerArgs, type LayerConfig } from './config-args.js';
import { ElementwiseMerge } from './merge.js';

/** Multiplies its inputs elementwise (Keras `Multiply`), e.g. to gate features: `multiply([x, sigmoid(g)])`. */
export class Multiply extends ElementwiseMerge {
  static readonly className = 'Multiply';
  constructor(args: LayerArgs = {}) {
    super(args, 'Multiply');
  }

  protected merge(inputs: Tensor[]): Tensor {
    let y = inputs[0];
    for (const x of inputs.slice(1)) y = mul(y, x);
    return y;
  }

  /** The layer a model file's config describes (camelCase keys); the inverse of `getConfig`. */
  static fromConfig(c: LayerConfig): Multiply {
    return new Multiply(layerArgs(c));
  }
}

/**
 * A `Multiply` layer, or, given a list of inputs, their elementwise product (Keras' `multiply`):
 *
 *     const gated = layers.multiply().apply([features, gate]);
 */
export function multiply(args?: LayerArgs): Multiply;
export function multiply(inputs: readonly SymbolicTensor[]): SymbolicTensor;
export function multiply(inputs: readonly Tensor[]): Tensor;
export function multiply(args: LayerArgs | readonly SymbolicTensor[] | readonly Tensor[] = {}): Multiply | SymbolicTensor | Tensor {
  return Array.isArray(args) ? new Multiply().apply(args) : new Multiply(args as LayerArgs);
}
