import { noGrad } from '../../autograd/mode.js';
import { div, sub } from '../../ops/binary.js';
import { max, sum } from '../../ops/reduce.js';
import { softmax as softmaxOp } from '../../ops/softmax.js';
import { exp } from '../../ops/unary.js';
import { formatShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Layer, type CallArgs, type LayerArgs, type SymbolicShape } from '../layer.js';
import { describeLayer } from './image-args.js';
import { fail, layerArgs, type LayerConfig } from './config-args.js';

export interface SoftmaxArgs extends LayerArgs {
  /** The axis to normalise over, or several normalised together (default -1, the last; TF.js' own default is 1). */
  axis?: number | readonly number[];
}

/** exp(x) / sum(exp(x)) over several axes at once (Keras `Softmax(axis=(1, 2))`), shifted by the maximum so exp stays finite. */
function softmaxOverAxes(x: Tensor, axes: readonly number[]): Tensor {
  // NOTE: the maximum cancels out of the result, so treating it as a constant leaves the gradient exact
  const e = exp(
    sub(
      x,
      noGrad(() => max(x, axes, true)),
    ),
  );
  return div(e, sum(e, axes, true));
}

/** Softmax as a layer, over any axis or axes (the `'softmax'` activation is over the last one). */
export class Softmax extends Layer {
  static readonly className = 'Softmax';
  /** The mask passes through (Keras' `supports_masking`). */
  override supportsMasking = true;
  readonly axis: number | readonly number[];

  constructor(args: SoftmaxArgs = {}) {
    super(args, 'Softmax');
    const axis = args.axis ?? -1;
    const axes = typeof axis === 'number' ? [axis] : Array.isArray(axis) ? axis : [];
    if (axes.length === 0 || !axes.every((a) => Number.isInteger(a))) {
      throw new Error(`${describeLayer(this)}: axis must be an integer or a non-empty list of integers, got ${JSON.stringify(args.axis)}.`);
    }
    this.axis = typeof axis === 'number' ? axis : [...axis];
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const rank = inputShape.length;
    const axes = typeof this.axis === 'number' ? [this.axis] : this.axis;
    const bad = axes.find((a) => a < -rank || a >= rank);
    if (bad !== undefined) {
      throw new Error(
        `${describeLayer(this)}: axis ${bad} is out of range for inputs of shape ${formatShape(inputShape)} (rank ${rank}: axes -${rank} to ${rank - 1}).`,
      );
    }
    return [...inputShape];
  }

  call(x: Tensor, args: CallArgs): Tensor {
    void args;
    if (typeof this.axis === 'number') return softmaxOp(x, this.axis);
    const axes = [...new Set(this.axis.map((a) => (a < 0 ? a + x.rank : a)))];
    return axes.length === 1 ? softmaxOp(x, axes[0]) : softmaxOverAxes(x, axes);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: typeof this.axis === 'number' ? this.axis : [...this.axis] };
  }

  /** The layer a model file's config describes (camelCase keys); the inverse of `getConfig`. */
  static fromConfig(c: LayerConfig): Softmax {
    const axis = c.axis ?? -1;
    if (typeof axis !== 'number' && !(Array.isArray(axis) && axis.every((a) => typeof a === 'number'))) {
      fail(`axis must be an integer or a list of integers, got ${JSON.stringify(axis)}`);
    }
    return new Softmax({ ...layerArgs(c), axis: axis as number | number[] });
  }
}

/**
 * A softmax layer (TF.js `tf.layers.softmax`, Keras `Softmax`).
 *
 *     softmax({ axis: -1 });
 */
export function softmax(args: SoftmaxArgs = {}): Softmax {
  return new Softmax(args);
}
