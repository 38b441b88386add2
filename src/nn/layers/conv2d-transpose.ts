import { conv2dTranspose as conv2dTransposeOp } from '../../ops/conv.js';
import { formatShape } from '../../tensor/shape.js';
import type { Tensor, Variable } from '../../tensor/tensor.js';
import { applyBiasAndActivation, getActivation, type ActivationFunction, type ActivationIdentifier } from '../activations.js';
import { getInitializer, serializeInitializer, type Initializer, type InitializerIdentifier } from '../initializers.js';
import { Layer, type CallArgs, type LayerArgs, type SymbolicShape } from '../layer.js';
import { getRegularizer, serializeRegularizer, type Regularizer, type RegularizerIdentifier } from '../regularizers.js';
import { describeLayer, imageDims, paddingMode, positivePair, type PaddingMode } from './image-args.js';

export interface Conv2DTransposeArgs extends LayerArgs {
  /** Number of output channels. */
  filters: number;
  /** Kernel height and width, one number for both or `[kh, kw]`. */
  kernelSize: number | readonly [number, number];
  /** Up-sampling factor (default 1). */
  strides?: number | readonly [number, number];
  /** `'valid'` (default): out = in*stride + max(k - stride, 0); `'same'`: out = in*stride. */
  padding?: PaddingMode;
  /** Spacing between kernel taps (default 1). */
  dilationRate?: number | readonly [number, number];
  /** Default `'linear'`. */
  activation?: ActivationIdentifier;
  /** Whether to add a bias per filter (default true). */
  useBias?: boolean;
  kernelInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier;
  biasRegularizer?: RegularizerIdentifier;
}

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
export class Conv2DTranspose extends Layer {
  readonly className = 'Conv2DTranspose';
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: PaddingMode;
  readonly dilationRate: [number, number];
  readonly activation: ActivationFunction;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  kernel: Variable | null = null;
  bias: Variable | null = null;

  constructor(args: Conv2DTransposeArgs) {
    super(args, 'Conv2DTranspose');
    if (!Number.isInteger(args.filters) || args.filters < 1) {
      throw new Error(`${describeLayer(this)}: filters must be a positive integer, got ${String(args.filters)}.`);
    }
    this.filters = args.filters;
    this.kernelSize = positivePair(this, 'kernelSize', args.kernelSize);
    this.strides = positivePair(this, 'strides', args.strides ?? 1);
    this.padding = paddingMode(this, args.padding ?? 'valid');
    this.dilationRate = positivePair(this, 'dilationRate', args.dilationRate ?? 1);
    this.activation = getActivation(args.activation ?? 'linear');
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = getInitializer(args.kernelInitializer ?? 'glorotUniform');
    this.biasInitializer = getInitializer(args.biasInitializer ?? 'zeros');
    this.kernelRegularizer = args.kernelRegularizer ? getRegularizer(args.kernelRegularizer) : null;
    this.biasRegularizer = args.biasRegularizer ? getRegularizer(args.biasRegularizer) : null;
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const [h, w, channels] = imageDims(this, inputShape, true);
    if (this.kernel && channels !== this.kernel.shape[3]) {
      throw new Error(`${describeLayer(this)} expects inputs of shape ${formatShape([null, null, null, this.kernel.shape[3]])} (it was built for ${this.kernel.shape[3]} channels), got ${formatShape(inputShape)}.`);
    }
    return [
      inputShape[0],
      deconvLength(h, this.kernelSize[0], this.strides[0], this.dilationRate[0], this.padding),
      deconvLength(w, this.kernelSize[1], this.strides[1], this.dilationRate[1], this.padding),
      this.filters,
    ];
  }

  override build(inputShape: SymbolicShape): void {
    const channels = inputShape[3] as number;
    // NOTE: [kh, kw, out, in], the reverse of Conv2D's channel order (Keras and tf.conv2dTranspose)
    this.kernel = this.addWeight('kernel', [...this.kernelSize, this.filters, channels], this.kernelInitializer, { regularizer: this.kernelRegularizer });
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], this.biasInitializer, { regularizer: this.biasRegularizer });
  }

  call(x: Tensor, args: CallArgs): Tensor {
    void args;
    let y = conv2dTransposeOp(x, this.kernel!, { strides: this.strides, padding: this.padding, dilationRate: this.dilationRate });
    return applyBiasAndActivation(y, this.bias, this.activation);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      dataFormat: 'channelsLast',
      dilationRate: [...this.dilationRate],
      activation: this.activation.name,
      useBias: this.useBias,
      kernelInitializer: serializeInitializer(this.kernelInitializer),
      biasInitializer: serializeInitializer(this.biasInitializer),
      kernelRegularizer: this.kernelRegularizer ? serializeRegularizer(this.kernelRegularizer) : null,
      biasRegularizer: this.biasRegularizer ? serializeRegularizer(this.biasRegularizer) : null,
    };
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
