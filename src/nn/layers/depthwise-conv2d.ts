import { depthwiseConv2d as depthwiseConv2dOp } from '../../ops/conv.js';
import { formatShape } from '../../tensor/shape.js';
import type { Tensor, Variable } from '../../tensor/tensor.js';
import { applyBiasAndActivation, getActivation, type ActivationFunction, type ActivationIdentifier } from '../activations.js';
import { getInitializer, serializeInitializer, type Initializer, type InitializerIdentifier } from '../initializers.js';
import { Layer, type CallArgs, type LayerArgs, type SymbolicShape } from '../layer.js';
import { getRegularizer, serializeRegularizer, type Regularizer, type RegularizerIdentifier } from '../regularizers.js';
import { describeLayer, imageDims, paddingMode, positivePair, windowOutputDims, type PaddingMode } from './image-args.js';
import { convArgs, initializerArg, regularizerArg, type LayerConfig } from './config-args.js';

export interface DepthwiseConv2DArgs extends LayerArgs {
  /** Kernel height and width, one number for both or `[kh, kw]`. */
  kernelSize: number | readonly [number, number];
  /** Step between windows (default 1). */
  strides?: number | readonly [number, number];
  /** `'valid'` (default) or `'same'`. */
  padding?: PaddingMode;
  /** Output channels per input channel (default 1). */
  depthMultiplier?: number;
  /** Spacing between kernel taps (default 1). */
  dilationRate?: number | readonly [number, number];
  /** Default `'linear'`. */
  activation?: ActivationIdentifier;
  /** Whether to add a bias per output channel (default true). */
  useBias?: boolean;
  depthwiseInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  depthwiseRegularizer?: RegularizerIdentifier;
  biasRegularizer?: RegularizerIdentifier;
}

/**
 * Depthwise 2-D convolution: each input channel c gets its own `depthMultiplier` filters
 * (`depthwise_kernel` `[kh, kw, channels, depthMultiplier]`); output channel `c*depthMultiplier + m`, plus a
 * bias of `[channels * depthMultiplier]`.
 */
export class DepthwiseConv2D extends Layer {
  static readonly className = 'DepthwiseConv2D';
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: PaddingMode;
  readonly depthMultiplier: number;
  readonly dilationRate: [number, number];
  readonly activation: ActivationFunction;
  readonly useBias: boolean;
  readonly depthwiseInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly depthwiseRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  depthwiseKernel: Variable | null = null;
  bias: Variable | null = null;

  constructor(args: DepthwiseConv2DArgs) {
    super(args, 'DepthwiseConv2D');
    const multiplier = args.depthMultiplier ?? 1;
    if (!Number.isInteger(multiplier) || multiplier < 1) {
      throw new Error(`${describeLayer(this)}: depthMultiplier must be a positive integer, got ${String(args.depthMultiplier)}.`);
    }
    this.depthMultiplier = multiplier;
    this.kernelSize = positivePair(this, 'kernelSize', args.kernelSize);
    this.strides = positivePair(this, 'strides', args.strides ?? 1);
    this.padding = paddingMode(this, args.padding ?? 'valid');
    this.dilationRate = positivePair(this, 'dilationRate', args.dilationRate ?? 1);
    this.activation = getActivation(args.activation ?? 'linear');
    this.useBias = args.useBias ?? true;
    this.depthwiseInitializer = getInitializer(args.depthwiseInitializer ?? 'glorotUniform');
    this.biasInitializer = getInitializer(args.biasInitializer ?? 'zeros');
    this.depthwiseRegularizer = args.depthwiseRegularizer ? getRegularizer(args.depthwiseRegularizer) : null;
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
    return [inputShape[0], h, w, (channels as number) * this.depthMultiplier];
  }

  override build(inputShape: SymbolicShape): void {
    const channels = inputShape[3] as number;
    this.depthwiseKernel = this.addWeight('depthwise_kernel', [...this.kernelSize, channels, this.depthMultiplier], this.depthwiseInitializer, {
      regularizer: this.depthwiseRegularizer,
    });
    if (this.useBias) this.bias = this.addWeight('bias', [channels * this.depthMultiplier], this.biasInitializer, { regularizer: this.biasRegularizer });
  }

  call(x: Tensor, args: CallArgs): Tensor {
    void args;
    const y = depthwiseConv2dOp(x, this.depthwiseKernel!, { strides: this.strides, padding: this.padding, dilationRate: this.dilationRate });
    return applyBiasAndActivation(y, this.bias, this.activation);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      depthMultiplier: this.depthMultiplier,
      dataFormat: 'channelsLast',
      dilationRate: [...this.dilationRate],
      activation: this.activation.name,
      useBias: this.useBias,
      depthwiseInitializer: serializeInitializer(this.depthwiseInitializer),
      biasInitializer: serializeInitializer(this.biasInitializer),
      depthwiseRegularizer: this.depthwiseRegularizer ? serializeRegularizer(this.depthwiseRegularizer) : null,
      biasRegularizer: this.biasRegularizer ? serializeRegularizer(this.biasRegularizer) : null,
    };
  }

  /** The layer a model file's config describes (camelCase keys); the inverse of `getConfig`. */
  static fromConfig(c: LayerConfig): DepthwiseConv2D {
    return new DepthwiseConv2D({
      ...convArgs(c),
      depthMultiplier: c.depthMultiplier === undefined ? 1 : Number(c.depthMultiplier),
      depthwiseInitializer: initializerArg(c, 'depthwiseInitializer', 'glorotUniform'),
      depthwiseRegularizer: regularizerArg(c, 'depthwiseRegularizer'),
    } as DepthwiseConv2DArgs);
  }
}

/**
 * A depthwise 2-D convolution layer (Keras `DepthwiseConv2D`), e.g. the first half of a separable convolution.
 *
 *     depthwiseConv2d({ kernelSize: 3, padding: 'same', depthMultiplier: 2 });  // [null, 32, 32, 16] -> [null, 32, 32, 32]
 */
export function depthwiseConv2d(args: DepthwiseConv2DArgs): DepthwiseConv2D {
  return new DepthwiseConv2D(args);
}
