import { conv2dTranspose as conv2dTransposeOp } from '../../ops/conv.js';
import { formatShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { CallArgs, SymbolicShape } from '../layer.js';
import { BaseConv2D, type BaseConv2DArgs } from './base-conv2d.js';
import { describeLayer, imageDims, type PaddingMode } from './image-args.js';

/** Padding `'valid'` (default): out = in*stride + max(k - stride, 0); `'same'`: out = in*stride. */
export type Conv2DTransposeArgs = BaseConv2DArgs;

/** Keras' `deconv_output_length` (no output padding); null stays null. */
function deconvLength(size: number | null, kernel: number, stride: number, dilation: number, padding: PaddingMode): number | null {
  if (size === null) return null;
  const span = (kernel - 1) * dilation + 1;
  return padding === 'same' ? size * stride : size * stride + Math.max(span - stride, 0);
}

/**
 * Transposed convolution ("deconvolution"), the input-gradient of a Conv2D with the same kernel, strides
 * and padding: `y = activation(conv2dTranspose(x, kernel) + bias)`, kernel `[kh, kw, filters, inChannels]`.
 */
export class Conv2DTranspose extends BaseConv2D {
  static readonly className = 'Conv2DTranspose';

  constructor(args: Conv2DTransposeArgs) {
    super(args, 'Conv2DTranspose');
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const [h, w, channels] = imageDims(this, inputShape, true);
    if (this.kernel && channels !== this.kernel.shape[3]) {
      throw new Error(
        `${describeLayer(this)} expects inputs of shape ${formatShape([null, null, null, this.kernel.shape[3]])} (it was built for ${this.kernel.shape[3]} channels), got ${formatShape(inputShape)}.`,
      );
    }
    return [
      inputShape[0],
      deconvLength(h, this.kernelSize[0], this.strides[0], this.dilationRate[0], this.padding),
      deconvLength(w, this.kernelSize[1], this.strides[1], this.dilationRate[1], this.padding),
      this.filters,
    ];
  }

  override build(inputShape: SymbolicShape): void {
    // NOTE: [kh, kw, out, in], the reverse of Conv2D's channel order (Keras and tf.conv2dTranspose)
    this.buildWeights([...this.kernelSize, this.filters, inputShape[3] as number]);
  }

  call(x: Tensor, args: CallArgs): Tensor {
    void args;
    return this.finish(conv2dTransposeOp(x, this.kernel!, { strides: this.strides, padding: this.padding, dilationRate: this.dilationRate }));
  }
}

/**
 * A transposed convolution layer (Keras `Conv2DTranspose`), e.g. to up-sample in a decoder.
 *
 *     conv2dTranspose({ filters: 8, kernelSize: 3, strides: 2, padding: 'same' });  // [null, 7, 7, 16] -> [null, 14, 14, 8]
 */
export function conv2dTranspose(args: Conv2DTransposeArgs): Conv2DTranspose {
  return new Conv2DTranspose(args);
}
