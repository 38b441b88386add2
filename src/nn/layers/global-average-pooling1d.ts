import { div } from '../../ops/binary.js';
import { mean, sum } from '../../ops/reduce.js';
import { reshape } from '../../ops/reshape.js';
import { where } from '../../ops/where.js';
import { formatShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { CallArgs, LayerMask } from '../layer.js';
import { GlobalPooling1D, type GlobalPooling1DArgs } from './global-pooling1d.js';
import { describeLayer } from './image-args.js';

/**
 * The mean over the steps of each channel: [N, steps, C] -> [N, C]. With a mask (from `Embedding({ maskZero })`
 * or `Masking`), the mean over the unmasked steps only, as Keras; the mask ends here.
 */
export class GlobalAveragePooling1D extends GlobalPooling1D {
  static readonly className = 'GlobalAveragePooling1D';
  /** It reads its input's mask (Keras 3 `supports_masking`); its output has none. */
  override supportsMasking = true;

  constructor(args: GlobalPooling1DArgs = {}) {
    super(args, 'GlobalAveragePooling1D');
  }

  protected pool(x: Tensor, args: CallArgs): Tensor {
    const mask = Array.isArray(args.mask) ? args.mask[0] : args.mask;
    if (!mask) return mean(x, 1);
    const [batch, steps] = x.shape;
    if (mask.rank !== 2 || mask.shape[0] !== batch || mask.shape[1] !== steps) {
      throw new Error(
        `${describeLayer(this)} got a mask of shape ${formatShape(mask.shape)} for inputs of shape ${formatShape(x.shape)}; it must be [batch, steps] = ${formatShape([batch, steps])}.`,
      );
    }
    // NOTE: as Keras: masked steps are zeroed (where, so that a masked NaN does not leak) and the sum divided by the
    // number of real steps; a sample with every step masked gives 0 / 0 = NaN, as in Keras.
    const kept = where(reshape(mask, [batch, steps, 1]), x, 0);
    return div(sum(kept, 1), sum(mask, 1, true));
  }

  override computeMask(inputs: Tensor | Tensor[], mask: LayerMask | undefined): LayerMask {
    void inputs;
    void mask;
    return null;
  }
}

/**
 * Averages each channel over the steps of sequences (Keras `GlobalAveragePooling1D`), honouring a mask.
 *
 *     globalAveragePooling1d();  // [null, 100, 64] -> [null, 64]
 */
export function globalAveragePooling1d(args: GlobalPooling1DArgs = {}): GlobalAveragePooling1D {
  return new GlobalAveragePooling1D(args);
}
