import { minimum as minimumOp } from '../../ops/binary.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { LayerArgs } from '../layer.js';
import type { SymbolicTensor } from '../symbolic-tensor.js';
import { layerArgs, type LayerConfig } from './config-args.js';
import { ElementwiseMerge } from './merge.js';

/** The elementwise minimum of its inputs (Keras `Minimum`); the gradient goes to the smaller input. */
export class Minimum extends ElementwiseMerge {
  static readonly className = 'Minimum';
  constructor(args: LayerArgs = {}) {
    super(args, 'Minimum');
  }

  protected merge(inputs: Tensor[]): Tensor {
    let y = inputs[0];
    for (const x of inputs.slice(1)) y = minimumOp(y, x);
    return y;
  }

  /** The layer a model file's config describes (camelCase keys); the inverse of `getConfig`. */
  static fromConfig(c: LayerConfig): Minimum {
    return new Minimum(layerArgs(c));
  }
}

/**
 * A `Minimum` layer, or, given a list of inputs, their elementwise minimum (Keras' `minimum`):
 *
 *     const y = layers.minimum().apply([a, b]);
 */
export function minimum(args?: LayerArgs): Minimum;
export function minimum(inputs: readonly SymbolicTensor[]): SymbolicTensor;
export function minimum(inputs: readonly Tensor[]): Tensor;
export function minimum(args: LayerArgs | readonly SymbolicTensor[] | readonly Tensor[] = {}): Minimum | SymbolicTensor | Tensor {
  return Array.isArray(args) ? new Minimum().apply(args) : new Minimum(args as LayerArgs);
}
