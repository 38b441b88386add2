import { globalMaxPooling2d as globalMaxPooling2dOp } from '../../ops/pool.js';
import type { Tensor } from '../../tensor/tensor.js';
import { GlobalPooling2D, type GlobalPooling2DArgs } from './global-pooling2d.js';

/** The maximum over height and width of each channel: [N, H, W, C] -> [N, C]. */
export class GlobalMaxPooling2D extends GlobalPooling2D {
  static readonly className = 'GlobalMaxPooling2D';

  constructor(args: GlobalPooling2DArgs = {}) {
    super(args, 'GlobalMaxPooling2D');
  }

  protected pool(x: Tensor): Tensor {
    return globalMaxPooling2dOp(x);
  }
}

/**
 * The largest value of each feature map (Keras `GlobalMaxPooling2D`).
 *
 *     globalMaxPooling2d();  // [null, 7, 7, 64] -> [null, 64]
 */
export function globalMaxPooling2d(args: GlobalPooling2DArgs = {}): GlobalMaxPooling2D {
  return new GlobalMaxPooling2D(args);
}
