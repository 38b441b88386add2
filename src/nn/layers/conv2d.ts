import { conv2d as conv2dOp } from '../../ops/conv.js';
import { formatShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { CallArgs, SymbolicShape } from '../layer.js';
import { BaseConv2D, type BaseConv2DArgs } from './base-conv2d.js';
import { describeLayer, imageDims, windowOutputDims } from './image-args.js';

export type Conv2DArgs = BaseConv2DArgs;

/**
 * 2-D convolution over NHWC images: `y = activation(conv2d(x, kernel) + bias)` with kernel
 * `[kh, kw, inChannels, filters]` and bias `[filters]`.
 */
export class Conv2D extends BaseConv2D {
  static readonly className = 'Conv2D';

  constructor(args: Conv2DArgs) {
    super(args, 'Conv2D');
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const [, , channels] = imageDims(this, inputShape, true);
    if (this.kernel && channels !== this.kernel.shape[2]) {
      throw new Error(
        `${describeLayer(this)} expects inputs of shape ${formatShape([null, null, null, this.kernel.shape[2]])} (it was built for ${this.kernel.shape[2]} channels), got ${formatShape(inputShape)}.`,
      );
    }
    const [h, w] = windowOutputDims(this, inputShape, this.kernelSize, this.strides, this.dilationRate, this.padding, 'kernel');
    return [inputShape[0], h, w, this.filters];
  }

  override build(inputShape: SymbolicShape): void {
    this.buildWeights([...this.kernelSize, inputShape[3] as number, this.filters]);
  }

  call(x: Tensor, args: CallArgs): Tensor {
    void args;
    return this.finish(conv2dOp(x, this.kernel!, { strides: this.strides, padding: this.padding, dilationRate: this.dilationRate }));
  }
}

/**
 * A 2-D convolution layer over NHWC images (Keras `Conv2D`).
 *
 *     conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] });  // -> [null, 26, 26, 32]
 */
export function conv2d(args: Conv2DArgs): Conv2D {
  return new Conv2D(args);
}
