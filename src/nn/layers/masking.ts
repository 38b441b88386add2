import { mul, notEqual } from '../../ops/binary.js';
import { max } from '../../ops/reduce.js';
import { formatShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Layer, type CallArgs, type LayerArgs, type LayerMask, type SymbolicShape } from '../layer.js';
import { layerArgs, numberArg, type LayerConfig } from './config-args.js';
import { describeLayer } from './image-args.js';

export interface MaskingArgs extends LayerArgs {
  /** The padding value: a step whose features all equal it is masked (default 0). */
  maskValue?: number;
}

/**
 * Marks padding steps of a sequence (Keras `Masking`): a step whose features all equal `maskValue` is masked,
 * for the layers after it (an RNN skips it, keeping its state), and zeroed in the output.
 */
export class Masking extends Layer {
  static readonly className = 'Masking';
  override supportsMasking = true;
  readonly maskValue: number;

  constructor(args: MaskingArgs = {}) {
    super(args, 'Masking');
    const v = args.maskValue ?? 0;
    if (typeof v !== 'number' || Number.isNaN(v)) throw new Error(`${describeLayer(this)}: maskValue must be a number, got ${String(v)}.`);
    this.maskValue = v;
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    if (inputShape.length < 2) {
      throw new Error(
        `${describeLayer(this)} expects sequences [batch, timesteps, features] (rank 2 or more), got shape ${formatShape(inputShape)} of rank ${inputShape.length}.`,
      );
    }
    return [...inputShape];
  }

  call(x: Tensor, args: CallArgs): Tensor {
    void args;
    // the kept-steps factor is a constant (notEqual records no gradient): masked steps get none
    return mul(x, max(notEqual(x, this.maskValue), -1, true));
  }

  /** The mask of the steps, [batch, timesteps] for sequences (the input's own mask is replaced, as in Keras). */
  override computeMask(inputs: Tensor | Tensor[], mask?: LayerMask): LayerMask {
    void mask;
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return max(notEqual(x, this.maskValue), -1);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), maskValue: this.maskValue };
  }

  /** The layer a model file's config describes (camelCase keys); the inverse of `getConfig`. */
  static fromConfig(c: LayerConfig): Masking {
    return new Masking({ ...layerArgs(c), maskValue: numberArg(c, 'maskValue', 0) });
  }
}

/**
 * Masks the padding steps of sequences (TF.js `tf.layers.masking`, Keras `Masking`), for the recurrent layers after it.
 *
 *     masking({ maskValue: 0, inputShape: [null, 8] });  // steps of eight zeros are skipped
 */
export function masking(args: MaskingArgs = {}): Masking {
  return new Masking(args);
}
