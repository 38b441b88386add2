import { conv2d as conv2dOp } from '../../ops/conv.js';
import { formatShape } from '../../tensor/shape.js';
import type { Tensor, Variable } from '../../tensor/tensor.js';
import { applyBiasAndActivation, getActivation, type ActivationFunction, type ActivationIdentifier } from '../activations.js';
import { getInitializer, serializeInitializer, type Initializer, type InitializerIdentifier } from '../initializers.js';
import { Layer, type CallArgs, type LayerArgs, type SymbolicShape } from '../layer.js';
import { getRegularizer, serializeRegularizer, type Regularizer, type RegularizerIdentifier } from '../regularizers.js';
import { describeLayer, imageDims, paddingMode, positivePair, windowOutputDims, type PaddingMode } from './image-args.js';

export interface Conv2DArgs extends LayerArgs {
  /** Number of output channels. */
  filters: number;
  /** Kernel height and width, one number for both or `[kh, kw]`. */
  kernelSize: number | readonly [number, number];
  /** Step between windows (default 1). */
  strides?: number | readonly [number, number];
  /** `'valid'` (default, no padding) or `'same'` (output = ceil(input / stride), TensorFlow's rule). */
  padding?: PaddingMode;
  /** Spacing between kernel taps (default 1). */
  dilationRate?: number | readonly [number, number];
  /** Applied after the convolution and bias (default `'linear'`). */
  activation?: ActivationIdentifier;
  /** Whether to add a bias per filter (default true). */
  useBias?: boolean;
  kernelInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier;
  biasRegularizer?: RegularizerIdentifier;
}

/**
 * 2-D convolution over NHWC images: `y = activation(conv2d(x, kernel) + bias)` with kernel
 * `[kh, kw, inChannels, filters]` and bias `[filters]`.
 */
export class Conv2D extends Layer {
  readonly className = 'Conv2D';
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

  constructor(args: Conv2DArgs) {
    super(args, 'Conv2D');
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
    const [, , channels] = imageDims(this, inputShape, true);
    if (this.kernel && channels !== this.kernel.shape[2]) {
      throw new Error(`${describeLayer(this)} expects inputs of shape ${formatShape([null, null, null, this.kernel.shape[2]])} (it was built for ${this.kernel.shape[2]} channels), got ${formatShape(inputShape)}.`);
    }
    const [h, w] = windowOutputDims(this, inputShape, this.kernelSize, this.strides, this.dilationRate, this.padding, 'kernel');
    return [inputShape[0], h, w, this.filters];
  }

  override build(inputShape: SymbolicShape): void {
    const channels = inputShape[3] as number;
    this.kernel = this.addWeight('kernel', [...this.kernelSize, channels, this.filters], this.kernelInitializer, { regularizer: this.kernelRegularizer });
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], this.biasInitializer, { regularizer: this.biasRegularizer });
  }

  call(x: Tensor, args: CallArgs): Tensor {
    void args;
    let y = conv2dOp(x, this.kernel!, { strides: this.strides, padding: this.padding, dilationRate: this.dilationRate });
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
 * A 2-D convolution layer over NHWC images (Keras `Conv2D`).
 *
 *     conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] });  // -> [null, 26, 26, 32]
 */
export function conv2d(args: Conv2DArgs): Conv2D {
  return new Conv2D(args);
}
