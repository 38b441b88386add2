import { sub } from '../../ops/binary.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { LayerArgs } from '../layer.js';
import type { SymbolicTensor } from '../symbolic-tensor.js';
import { layerArgs, type LayerConfig } from './config-args.js';
import { ElementwiseMerge } from './merge.js';

/** Subtracts its second input from its first, elementwise (Keras `Subtract`); it takes exactly two inputs. */
export class Subtract extends ElementwiseMerge {
  static readonly className = 'Subtract';
  protected override readonly inputCount = 2;

  constructor(args: LayerArgs = {}) {
    super(args, 'Subtract');
  }

  protected merge(inputs: Tensor[]): Tensor {
    return sub(inputs[0], inputs[1]);
  }

  /** The layer a model file's config describes (camelCase keys); the inverse of `getConfig`. */
  static fromConfig(c: LayerConfig): Subtract {
    return new Subtract(layerArgs(c));
  }
}

/**
 * A `Subtract` layer, or, given two inputs, their difference (Keras' `subtract`):
 *
 *     const diff = layers.subtract().apply([a, b]);   // a - b
 */
export function subtract(args?: LayerArgs): Subtract;
export function subtract(inputs: readonly SymbolicTensor[]): SymbolicTensor;
export function subtract(inputs: readonly Tensor[]): Tensor;
export function subtract(args: LayerArgs | readonly SymbolicTensor[] | readonly Tensor[] = {}): Subtract | SymbolicTensor | Tensor {
  return Array.isArray(args) ? new Subtract().apply(args) : new Subtract(args as LayerArgs);
}
