import { avgPool2d } from '../../ops/pool.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Pooling2D, type Pooling2DArgs } from './pooling2d.js';

/** The mean of each window of NHWC images; with `'same'` padding only real cells are averaged (TensorFlow). */
export class AveragePooling2D extends Pooling2D {
  static readonly className = 'AveragePooling2D';

  constructor(args: Pooling2DArgs = {}) {
    super(args, 'AveragePooling2D');
  }

  protected pool(x: Tensor): Tensor {
    return avgPool2d(x, { poolSize: this.poolSize, strides: this.strides, padding: this.padding });
  }
}

/**
 * Average pooling over NHWC images (Keras `AveragePooling2D`); strides default to the pool size.
 *
 *     averagePooling2d({ poolSize: 2 });  // [null, 28, 28, 6] -> [null, 14, 14, 6]
 */
export function averagePooling2d(args: Pooling2DArgs = {}): AveragePooling2D {
  return new AveragePooling2D(args);
}
