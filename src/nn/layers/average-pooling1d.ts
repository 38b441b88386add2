import { avgPool2d } from '../../ops/pool.js';
import { Pooling1D, type Pool2DOp, type Pooling1DArgs } from './pooling1d.js';

/** The mean of each window of steps of sequences [N, steps, channels]; with `'same'` only real steps are averaged (TensorFlow). */
export class AveragePooling1D extends Pooling1D {
  static readonly className = 'AveragePooling1D';
  protected readonly pool2d: Pool2DOp = avgPool2d;

  constructor(args: Pooling1DArgs = {}) {
    super(args, 'AveragePooling1D');
  }
}

/**
 * Average pooling over the steps of sequences (Keras `AveragePooling1D`, TF.js `tf.layers.averagePooling1d`);
 * strides default to the pool size.
 *
 *     averagePooling1d({ poolSize: 3, strides: 1, padding: 'same' });  // [null, 100, 8] -> [null, 100, 8]
 */
export function averagePooling1d(args: Pooling1DArgs = {}): AveragePooling1D {
  return new AveragePooling1D(args);
}
