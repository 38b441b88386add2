import { conv2d as conv2dOp, type Conv2DOptions } from '../../ops/conv.js';
import { conv2dBiasActivation, conv2dMaxPool } from '../../ops/conv-fused.js';
import { formatShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { CallArgs, Layer, SymbolicShape } from '../layer.js';
import { BaseConv2D, type BaseConv2DArgs } from './base-conv2d.js';
import { describeLayer, imageDims, windowOutputDims } from './image-args.js';
import { MaxPooling2D } from './max-pooling2d.js';

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

  private get options(): Conv2DOptions {
    return { strides: this.strides, padding: this.padding, dilationRate: this.dilationRate };
  }

  call(x: Tensor, args: CallArgs): Tensor {
    void args;
    const fused = this.activation.fused;
    // the bias and activation on each block of the convolution while it is in cache (same values as finish())
    if (fused) return conv2dBiasActivation(x, this.kernel!, this.bias, fused, this.options);
    return this.finish(conv2dOp(x, this.kernel!, this.options));
  }

  /**
   * `next` when it is a max pool that can run fused after this layer (applyPooled): built-in layers only (a
   * subclass may override call()), a fusable activation, windows that tile the image.
   */
  pooledBy(next: Layer | undefined): MaxPooling2D | null {
    if (this.constructor !== Conv2D || !this.built || !this.activation.fused) return null;
    if (!(next instanceof MaxPooling2D) || next.constructor !== MaxPooling2D || !next.built || next.padding !== 'valid') return null;
    return next.strides[0] === next.poolSize[0] && next.strides[1] === next.poolSize[1] ? next : null;
  }

  /** `pool.apply(this.apply(x))` in one pass (see conv2dMaxPool); `pool` from pooledBy(). */
  applyPooled(x: Tensor, pool: MaxPooling2D): Tensor {
    this.checkInputShape(x.shape);
    return conv2dMaxPool(x, this.kernel!, this.bias, this.activation.fused!, this.options, {
      poolSize: pool.poolSize,
      strides: pool.strides,
      padding: 'valid',
    });
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
