import { maximum as maximumOp } from '../../ops/binary.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { LayerArgs } from '../layer.js';
import type { SymbolicTensor } from '../symbolic-tensor.js';
import { layerArgs, type LayerConfig } from './config-args.js';
import { ElementwiseMerge } from './merge.js';

/** The elementwise maximum of its inputs (Keras `Maximum`); the gradient goes to the larger input. */
export class Maximum extends ElementwiseMerge {
  static readonly className = 'Maximum';
  constructor(args: LayerArgs = {}) {
    super(args, 'Maximum');
  }

  protected merge(inputs: Tensor[]): Tensor {
    let y = inputs[0];
    for (const x of inputs.slice(1)) y = maximumOp(y, x);
    return y;
  }

  /** The layer a model file's config describes (camelCase keys); the inverse of `getConfig`. */
  static fromConfig(c: LayerConfig): Maximum {
    return new Maximum(layerArgs(c));
  }
}

/**
 * A `Maximum` layer, or, given a list of inputs, their elementwise maximum (Keras' `maximum`):
 *
 *     const y = layers.maximum().apply([a, b]);
 */
export function maximum(args?: LayerArgs): Maximum;
export function maximum(inputs: readonly SymbolicTensor[]): SymbolicTensor;
export function maximum(inputs: readonly Tensor[]): Tensor;
export function maximum(args: LayerArgs | readonly SymbolicTensor[] | readonly Tensor[] = {}): Maximum | SymbolicTensor | Tensor {
  return Array.isArray(args) ? new Maximum().apply(args) : new Maximum(args as LayerArgs);
}
