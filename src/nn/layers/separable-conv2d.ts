import { conv2d as conv2dOp, depthwiseConv2d as depthwiseConv2dOp } from '../../ops/conv.js';
import { formatShape } from '../../tensor/shape.js';
import type { Tensor, Variable } from '../../tensor/tensor.js';
import { applyBiasAndActivation, getActivation, type ActivationFunction, type ActivationIdentifier } from '../activations.js';
import { getInitializer, serializeInitializer, type Initializer, type InitializerIdentifier } from '../initializers.js';
import { Layer, type CallArgs, type LayerArgs, type SymbolicShape } from '../layer.js';
import { getRegularizer, serializeRegularizer, type Regularizer, type RegularizerIdentifier } from '../regularizers.js';
import { describeLayer, imageDims, paddingMode, positivePair, windowOutputDims, type PaddingMode } from './image-args.js';
import { convArgs, initializerArg, refuse, regularizerArg, type LayerConfig } from './config-args.js';

export interface SeparableConv2DArgs extends LayerArgs {
  /** Number of output channels (of the pointwise step). */
  filters: number;
  /** Kernel height and width of the depthwise step, one number for both or `[kh, kw]`. */
  kernelSize: number | readonly [number, number];
  /** Step between windows of the depthwise step (default 1). */
  strides?: number | readonly [number, number];
  /** `'valid'` (default) or `'same'`. */
  padding?: PaddingMode;
  /** Spacing between the depthwise kernel's taps (default 1). */
  dilationRate?: number | readonly [number, number];
  /** Depthwise output channels per input channel (default 1). */
  depthMultiplier?: number;
  /** Applied after the pointwise step and the bias (default `'linear'`). */
  activation?: ActivationIdentifier;
  /** Whether to add a bias per filter (default true). */
  useBias?: boolean;
  depthwiseInitializer?: InitializerIdentifier;
  pointwiseInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  depthwiseRegularizer?: RegularizerIdentifier;
  pointwiseRegularizer?: RegularizerIdentifier;
  biasRegularizer?: RegularizerIdentifier;
}

/**
 * Depthwise separable 2-D convolution: a depthwise convolution (`depthwise_kernel` `[kh, kw, C, M]`: each
 * input channel its own M filters), then a 1x1 convolution mixing the C*M channels (`pointwise_kernel`
 * `[1, 1, C*M, filters]`), then a bias `[filters]` and the activation. Far fewer weights than a Conv2D of
 * the same window (MobileNet, Xception).
 */
export class SeparableConv2D extends Layer {
  static readonly className = 'SeparableConv2D';
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: PaddingMode;
  readonly dilationRate: [number, number];
  readonly depthMultiplier: number;
  readonly activation: ActivationFunction;
  readonly useBias: boolean;
  readonly depthwiseInitializer: Initializer;
  readonly pointwiseInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly depthwiseRegularizer: Regularizer | null;
  readonly pointwiseRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  depthwiseKernel: Variable | null = null;
  pointwiseKernel: Variable | null = null;
  bias: Variable | null = null;

  constructor(args: SeparableConv2DArgs) {
    super(args, 'SeparableConv2D');
    if (!Number.isInteger(args.filters) || args.filters < 1) {
      throw new Error(`${describeLayer(this)}: filters must be a positive integer, got ${String(args.filters)}.`);
    }
    const multiplier = args.depthMultiplier ?? 1;
    if (!Number.isInteger(multiplier) || multiplier < 1) {
      throw new Error(`${describeLayer(this)}: depthMultiplier must be a positive integer, got ${String(args.depthMultiplier)}.`);
    }
    this.filters = args.filters;
    this.depthMultiplier = multiplier;
    this.kernelSize = positivePair(this, 'kernelSize', args.kernelSize);
    this.strides = positivePair(this, 'strides', args.strides ?? 1);
    this.padding = paddingMode(this, args.padding ?? 'valid');
    this.dilationRate = positivePair(this, 'dilationRate', args.dilationRate ?? 1);
    this.activation = getActivation(args.activation ?? 'linear');
    this.useBias = args.useBias ?? true;
    this.depthwiseInitializer = getInitializer(args.depthwiseInitializer ?? 'glorotUniform');
    this.pointwiseInitializer = getInitializer(args.pointwiseInitializer ?? 'glorotUniform');
    this.biasInitializer = getInitializer(args.biasInitializer ?? 'zeros');
    this.depthwiseRegularizer = args.depthwiseRegularizer ? getRegularizer(args.depthwiseRegularizer) : null;
    this.pointwiseRegularizer = args.pointwiseRegularizer ? getRegularizer(args.pointwiseRegularizer) : null;
    this.biasRegularizer = args.biasRegularizer ? getRegularizer(args.biasRegularizer) : null;
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const [, , channels] = imageDims(this, inputShape, true);
    if (this.depthwiseKernel && channels !== this.depthwiseKernel.shape[2]) {
      throw new Error(
        `${describeLayer(this)} expects inputs of shape ${formatShape([null, null, null, this.depthwiseKernel.shape[2]])} (it was built for ${this.depthwiseKernel.shape[2]} channels), got ${formatShape(inputShape)}.`,
      );
    }
    const [h, w] = windowOutputDims(this, inputShape, this.kernelSize, this.strides, this.dilationRate, this.padding, 'kernel');
    return [inputShape[0], h, w, this.filters];
  }

  override build(inputShape: SymbolicShape): void {
    const channels = inputShape[3] as number;
    this.depthwiseKernel = this.addWeight('depthwise_kernel', [...this.kernelSize, channels, this.depthMultiplier], this.depthwiseInitializer, {
      regularizer: this.depthwiseRegularizer,
    });
    this.pointwiseKernel = this.addWeight('pointwise_kernel', [1, 1, channels * this.depthMultiplier, this.filters], this.pointwiseInitializer, {
      regularizer: this.pointwiseRegularizer,
    });
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], this.biasInitializer, { regularizer: this.biasRegularizer });
  }

  call(x: Tensor, args: CallArgs): Tensor {
    void args;
    const depthwise = depthwiseConv2dOp(x, this.depthwiseKernel!, { strides: this.strides, padding: this.padding, dilationRate: this.dilationRate });
    const pointwise = conv2dOp(depthwise, this.pointwiseKernel!);
    return applyBiasAndActivation(pointwise, this.bias, this.activation);
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
      depthMultiplier: this.depthMultiplier,
      activation: this.activation.name,
      useBias: this.useBias,
      depthwiseInitializer: serializeInitializer(this.depthwiseInitializer),
      pointwiseInitializer: serializeInitializer(this.pointwiseInitializer),
      biasInitializer: serializeInitializer(this.biasInitializer),
      depthwiseRegularizer: this.depthwiseRegularizer ? serializeRegularizer(this.depthwiseRegularizer) : null,
      pointwiseRegularizer: this.pointwiseRegularizer ? serializeRegularizer(this.pointwiseRegularizer) : null,
      biasRegularizer: this.biasRegularizer ? serializeRegularizer(this.biasRegularizer) : null,
    };
  }

  /** The layer a model file's config describes (camelCase keys); the inverse of `getConfig`. */
  static fromConfig(c: LayerConfig): SeparableConv2D {
    refuse(c, ['pointwiseConstraint']);
    return new SeparableConv2D({
      ...convArgs(c),
      filters: Number(c.filters),
      depthMultiplier: c.depthMultiplier === undefined || c.depthMultiplier === null ? 1 : Number(c.depthMultiplier),
      depthwiseInitializer: initializerArg(c, 'depthwiseInitializer', 'glorotUniform'),
      pointwiseInitializer: initializerArg(c, 'pointwiseInitializer', 'glorotUniform'),
      depthwiseRegularizer: regularizerArg(c, 'depthwiseRegularizer'),
      pointwiseRegularizer: regularizerArg(c, 'pointwiseRegularizer'),
    } as SeparableConv2DArgs);
  }
}

/**
 * A depthwise separable 2-D convolution layer (TF.js `tf.layers.separableConv2d`, Keras `SeparableConv2D`).
 *
 *     separableConv2d({ filters: 64, kernelSize: 3, padding: 'same', activation: 'relu' });  // [null, 32, 32, 16] -> [null, 32, 32, 64]
 */
export function separableConv2d(args: SeparableConv2DArgs): SeparableConv2D {
  return new SeparableConv2D(args);
}
