import { max } from '../../ops/reduce.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { CallArgs } from '../layer.js';
import { GlobalPooling1D, type GlobalPooling1DArgs } from './global-pooling1d.js';

/** The maximum over the steps of each channel: [N, steps, C] -> [N, C] (ties share the gradient). A mask is dropped, as Keras 3. */
export class GlobalMaxPooling1D extends GlobalPooling1D {
  static readonly className = 'GlobalMaxPooling1D';

  constructor(args: GlobalPooling1DArgs = {}) {
    super(args, 'GlobalMaxPooling1D');
  }

  protected pool(x: Tensor, args: CallArgs): Tensor {
    void args;
    return max(x, 1);
  }
}

/**
 * The largest value of each channel over the steps of sequences (Keras `GlobalMaxPooling1D`), e.g. after a
 * Conv1D in a text classifier.
 *
 *     globalMaxPooling1d();  // [null, 96, 32] -> [null, 32]
 */
export function globalMaxPooling1d(args: GlobalPooling1DArgs = {}): GlobalMaxPooling1D {
  return new GlobalMaxPooling1D(args);
}
