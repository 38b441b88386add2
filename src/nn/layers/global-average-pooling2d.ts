import { globalAveragePooling2d as globalAveragePooling2dOp } from '../../ops/pool.js';
import type { Tensor } from '../../tensor/tensor.js';
import { GlobalPooling2D, type GlobalPooling2DArgs } from './global-pooling2d.js';

/** The mean over height and width of each channel: [N, H, W, C] -> [N, C]. */
export class GlobalAveragePooling2D extends GlobalPooling2D {
  static readonly className = 'GlobalAveragePooling2D';

  constructor(args: GlobalPooling2DArgs = {}) {
    super(args, 'GlobalAveragePooling2D');
  }

  protected pool(x: Tensor): Tensor {
    return globalAveragePooling2dOp(x);
  }
}

/**
 * Averages each feature map to one number (Keras `GlobalAveragePooling2D`), often instead of Flatten.
 *
 *     globalAveragePooling2d();  // [null, 7, 7, 64] -> [null, 64]
 */
export function globalAveragePooling2d(args: GlobalPooling2DArgs = {}): GlobalAveragePooling2D {
  return new GlobalAveragePooling2D(args);
}
