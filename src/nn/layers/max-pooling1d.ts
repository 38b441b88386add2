import { maxPool2d } from '../../ops/pool.js';
import { Pooling1D, type Pool2DOp, type Pooling1DArgs } from './pooling1d.js';

/** The maximum of each window of steps of sequences [N, steps, channels]; channels are pooled separately. */
export class MaxPooling1D extends Pooling1D {
  static readonly className = 'MaxPooling1D';
  protected readonly pool2d: Pool2DOp = maxPool2d;

  constructor(args: Pooling1DArgs = {}) {
    super(args, 'MaxPooling1D');
  }
}

/**
 * Max pooling over the steps of sequences (Keras `MaxPooling1D`, TF.js `tf.layers.maxPooling1d`); strides
 * default to the pool size.
 *
 *     maxPooling1d({ poolSize: 2 });  // [null, 100, 32] -> [null, 50, 32]
 */
export function maxPooling1d(args: Pooling1DArgs = {}): MaxPooling1D {
  return new MaxPooling1D(args);
}
