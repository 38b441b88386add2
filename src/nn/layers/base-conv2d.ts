import type { Tensor, Variable } from '../../tensor/tensor.js';
import { applyBiasAndActivation, getActivation, type ActivationFunction, type ActivationIdentifier } from '../activations.js';
import { getInitializer, serializeInitializer, type Initializer, type InitializerIdentifier } from '../initializers.js';
import { Layer, type LayerArgs } from '../layer.js';
import { getRegularizer, serializeRegularizer, type Regularizer, type RegularizerIdentifier } from '../regularizers.js';
import { describeLayer, paddingMode, positivePair, type PaddingMode } from './image-args.js';
import { convArgs, initializerArg, regularizerArg, type LayerConfig } from './config-args.js';

/** The arguments Conv2D and Conv2DTranspose share (Keras `BaseConv`). */
export interface BaseConv2DArgs extends LayerArgs {
  /** Number of output channels. */
  filters: number;
  /** Kernel height and width, one number for both or `[kh, kw]`. */
  kernelSize: number | readonly [number, number];
  /** Step between windows (Conv2D) or up-sampling factor (Conv2DTranspose); default 1. */
  strides?: number | readonly [number, number];
  /** `'valid'` (default) or `'same'` (TensorFlow's rule). */
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
 * What Conv2D and Conv2DTranspose have in common: their arguments, weights, config and the bias +
 * activation after the convolution. Subclasses give the output shape, the kernel layout and the op.
 */
export abstract class BaseConv2D extends Layer {
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

  constructor(args: BaseConv2DArgs, className: string) {
    super(args, className);
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

  /** Creates the kernel of `shape` and the bias (one per filter). */
  protected buildWeights(kernelShape: readonly number[]): void {
    this.kernel = this.addWeight('kernel', kernelShape, this.kernelInitializer, { regularizer: this.kernelRegularizer });
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], this.biasInitializer, { regularizer: this.biasRegularizer });
  }

  /** The bias and activation applied to the convolution's output. */
  protected finish(y: Tensor): Tensor {
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

  /** The layer a model file's config describes (camelCase keys); the inverse of `getConfig`. Conv2D and Conv2DTranspose read the same config. */
  static fromConfig<T extends BaseConv2D>(this: new (args: BaseConv2DArgs) => T, c: LayerConfig): T {
    return new this({
      ...convArgs(c),
      filters: Number(c.filters),
      kernelInitializer: initializerArg(c, 'kernelInitializer', 'glorotUniform'),
      kernelRegularizer: regularizerArg(c, 'kernelRegularizer'),
    } as BaseConv2DArgs);
  }
}
