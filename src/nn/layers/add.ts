import { add as addOp } from '../../ops/binary.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { LayerArgs } from '../layer.js';
import type { SymbolicTensor } from '../symbolic-tensor.js';
import { layerArgs, type LayerConfig } from './config-args.js';
import { ElementwiseMerge } from './merge.js';

/** Adds its inputs elementwise (Keras `Add`): a residual connection is `add([x, f(x)])`. */
export class Add extends ElementwiseMerge {
  static readonly className = 'Add';

  constructor(args: LayerArgs = {}) {
    super(args, 'Add');
  }

  protected merge(inputs: Tensor[]): Tensor {
    let y = inputs[0];
    for (const x of inputs.slice(1)) y = addOp(y, x);
    return y;
  }

  /** The layer a model file's config describes (camelCase keys); the inverse of `getConfig`. */
  static fromConfig(c: LayerConfig): Add {
    return new Add(layerArgs(c));
  }
}

/**
 * An `Add` layer, or, given a list of inputs, their sum (Keras' `add`):
 *
 *     const y = layers.add().apply([x, shortcut]);
 *     const z = layers.add([x, shortcut]);   // the same, in one call
 */
export function add(args?: LayerArgs): Add;
export function add(inputs: readonly SymbolicTensor[]): SymbolicTensor;
export function add(inputs: readonly Tensor[]): Tensor;
export function add(args: LayerArgs | readonly SymbolicTensor[] | readonly Tensor[] = {}): Add | SymbolicTensor | Tensor {
  return Array.isArray(args) ? new Add().apply(args) : new Add(args as LayerArgs);
}
