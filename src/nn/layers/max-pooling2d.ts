import { maxPool2d } from '../../ops/pool.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Pooling2D, type Pooling2DArgs } from './pooling2d.js';

/** The maximum of each window of NHWC images; channels are pooled separately. */
export class MaxPooling2D extends Pooling2D {
  static readonly className = 'MaxPooling2D';

  constructor(args: Pooling2DArgs = {}) {
    super(args, 'MaxPooling2D');
  }

  protected pool(x: Tensor): Tensor {
    return maxPool2d(x, { poolSize: this.poolSize, strides: this.strides, padding: this.padding });
  }
}

/**
 * Max pooling over NHWC images (Keras `MaxPooling2D`); strides default to the pool size.
 *
 *     maxPooling2d({ poolSize: 2 });  // [null, 24, 24, 64] -> [null, 12, 12, 64]
 */
export function maxPooling2d(args: Pooling2DArgs = {}): MaxPooling2D {
  return new MaxPooling2D(args);
}
