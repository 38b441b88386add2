import { add, div } from '../../ops/binary.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { LayerArgs } from '../layer.js';
import type { SymbolicTensor } from '../symbolic-tensor.js';
import { layerArgs, type LayerConfig } from './config-args.js';
import { ElementwiseMerge } from './merge.js';

/** The elementwise mean of its inputs (Keras `Average`), e.g. of an ensemble's outputs. */
export class Average extends ElementwiseMerge {
  static readonly className = 'Average';
  constructor(args: LayerArgs = {}) {
    super(args, 'Average');
  }

  protected merge(inputs: Tensor[]): Tensor {
    let y = inputs[0];
    for (const x of inputs.slice(1)) y = add(y, x);
    // NOTE: divided rather than multiplied by 1/n, as Keras does, so that three inputs average to the same bits
    return div(y, inputs.length);
  }

  /** The layer a model file's config describes (camelCase keys); the inverse of `getConfig`. */
  static fromConfig(c: LayerConfig): Average {
    return new Average(layerArgs(c));
  }
}

/**
 * An `Average` layer, or, given a list of inputs, their elementwise mean (Keras' `average`):
 *
 *     const mean = layers.average().apply([a, b, c]);
 */
export function average(args?: LayerArgs): Average;
export function average(inputs: readonly SymbolicTensor[]): SymbolicTensor;
export function average(inputs: readonly Tensor[]): Tensor;
export function average(args: LayerArgs | readonly SymbolicTensor[] | readonly Tensor[] = {}): Average | SymbolicTensor | Tensor {
  return Array.isArray(args) ? new Average().apply(args) : new Average(args as LayerArgs);
}
