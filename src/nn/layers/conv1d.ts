import { conv2d as conv2dOp } from '../../ops/conv.js';
import { reshape } from '../../ops/reshape.js';
import { formatShape } from '../../tensor/shape.js';
import type { Tensor, Variable } from '../../tensor/tensor.js';
import { applyBiasAndActivation, getActivation, type ActivationFunction, type ActivationIdentifier } from '../activations.js';
import { getInitializer, serializeInitializer, type Initializer, type InitializerIdentifier } from '../initializers.js';
import { Layer, type CallArgs, type LayerArgs, type SymbolicShape } from '../layer.js';
import { getRegularizer, serializeRegularizer, type Regularizer, type RegularizerIdentifier } from '../regularizers.js';
import { describeLayer } from './image-args.js';
import { activationArg, channelsLast, fail, initializerArg, layerArgs, refuse, regularizerArg, trueUnlessFalse, type LayerConfig } from './config-args.js';
import { positiveInt, sequenceDims, singleArg, stepPadding, windowOutputSteps, type Padding1D } from './sequence-args.js';

export interface Conv1DArgs extends LayerArgs {
  /** Number of output channels. */
  filters: number;
  /** Kernel length in steps, `k` or `[k]`. */
  kernelSize: number | readonly [number];
  /** Step between windows (default 1). */
  strides?: number | readonly [number];
  /** `'valid'` (default), `'same'` (TensorFlow's rule) or `'causal'` (padded on the left only: output step t sees input steps <= t). */
  padding?: Padding1D;
  /** Spacing between kernel taps (default 1). */
  dilationRate?: number | readonly [number];
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
 * 1-D convolution over sequences [N, steps, channels]: `y = activation(conv1d(x, kernel) + bias)` with kernel
 * `[k, inChannels, filters]` (Keras' layout) and bias `[filters]`.
 */
export class Conv1D extends Layer {
  static readonly className = 'Conv1D';
  readonly filters: number;
  readonly kernelSize: [number];
  readonly strides: [number];
  readonly padding: Padding1D;
  readonly dilationRate: [number];
  readonly activation: ActivationFunction;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  kernel: Variable | null = null;
  bias: Variable | null = null;

  constructor(args: Conv1DArgs) {
    super(args, 'Conv1D');
    if (!Number.isInteger(args.filters) || args.filters < 1) {
      throw new Error(`${describeLayer(this)}: filters must be a positive integer, got ${String(args.filters)}.`);
    }
    this.filters = args.filters;
    this.kernelSize = [positiveInt(this, 'kernelSize', args.kernelSize)];
    this.strides = [positiveInt(this, 'strides', args.strides ?? 1)];
    this.dilationRate = [positiveInt(this, 'dilationRate', args.dilationRate ?? 1)];
    const padding = args.padding ?? 'valid';
    if (padding !== 'valid' && padding !== 'same' && padding !== 'causal') {
      throw new Error(`${describeLayer(this)}: padding must be 'valid', 'same' or 'causal', got ${JSON.stringify(args.padding)}.`);
    }
    this.padding = padding;
    this.activation = getActivation(args.activation ?? 'linear');
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = getInitializer(args.kernelInitializer ?? 'glorotUniform');
    this.biasInitializer = getInitializer(args.biasInitializer ?? 'zeros');
    this.kernelRegularizer = args.kernelRegularizer ? getRegularizer(args.kernelRegularizer) : null;
    this.biasRegularizer = args.biasRegularizer ? getRegularizer(args.biasRegularizer) : null;
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const [, channels] = sequenceDims(this, inputShape, true);
    if (this.kernel && channels !== this.kernel.shape[1]) {
      throw new Error(
        `${describeLayer(this)} expects inputs of shape ${formatShape([null, null, this.kernel.shape[1]])} (it was built for ${this.kernel.shape[1]} channels), got ${formatShape(inputShape)}.`,
      );
    }
    const steps = windowOutputSteps(this, inputShape, this.kernelSize[0], this.strides[0], this.dilationRate[0], this.padding, 'kernel');
    return [inputShape[0], steps, this.filters];
  }

  override build(inputShape: SymbolicShape): void {
    this.kernel = this.addWeight('kernel', [this.kernelSize[0], inputShape[2] as number, this.filters], this.kernelInitializer, {
      regularizer: this.kernelRegularizer,
    });
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], this.biasInitializer, { regularizer: this.biasRegularizer });
  }

  call(x: Tensor, args: CallArgs): Tensor {
    void args;
    const [batch, steps, channels] = x.shape;
    const [k, s, d] = [this.kernelSize[0], this.strides[0], this.dilationRate[0]];
    // NOTE: a sequence is an image one row high: [N, T, C] -> [N, 1, T, C] and the kernel [k, C, F] -> [1, k, C, F]
    // (both views of the same memory), so the backends' conv2d kernels and their gradients do the work.
    const { before, after } = stepPadding(steps, k, s, d, this.padding);
    const y = conv2dOp(reshape(x, [batch, 1, steps, channels]), reshape(this.kernel!, [1, k, channels, this.filters]), {
      strides: [1, s],
      dilationRate: [1, d],
      padding: [
        [0, 0],
        [before, after],
      ],
    });
    return applyBiasAndActivation(reshape(y, [batch, y.shape[2], this.filters]), this.bias, this.activation);
  }

  override getConfig(): Record<string, unknown> {
    // as TF.js writes it: no data_format (Keras reads its absence as channels_last)
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      dilationRate: [...this.dilationRate],
      activation: this.activation.name,
      useBias: this.useBias,
      kernelInitializer: serializeInitializer(this.kernelInitializer),
      biasInitializer: serializeInitializer(this.biasInitializer),
      kernelRegularizer: this.kernelRegularizer ? serializeRegularizer(this.kernelRegularizer) : null,
      biasRegularizer: this.biasRegularizer ? serializeRegularizer(this.biasRegularizer) : null,
    };
  }

  /** The layer a model file's config describes (camelCase keys); the inverse of `getConfig`. */
  static fromConfig(c: LayerConfig): Conv1D {
    channelsLast(c);
    refuse(c, ['activityRegularizer', 'kernelConstraint', 'biasConstraint']);
    if (c.groups !== undefined && c.groups !== null && c.groups !== 1) fail(`groups ${JSON.stringify(c.groups)} is not supported`);
    const padding = c.padding ?? 'valid';
    if (padding !== 'valid' && padding !== 'same' && padding !== 'causal') fail(`padding '${String(padding)}' is not supported (valid, same or causal)`);
    return new Conv1D({
      ...layerArgs(c),
      filters: Number(c.filters),
      kernelSize: singleArg(c.kernelSize, NaN),
      strides: singleArg(c.strides, 1),
      padding,
      dilationRate: singleArg(c.dilationRate, 1),
      activation: activationArg(c),
      useBias: trueUnlessFalse(c.useBias),
      kernelInitializer: initializerArg(c, 'kernelInitializer', 'glorotUniform'),
      biasInitializer: initializerArg(c, 'biasInitializer', 'zeros'),
      kernelRegularizer: regularizerArg(c, 'kernelRegularizer'),
      biasRegularizer: regularizerArg(c, 'biasRegularizer'),
    });
  }
}

/**
 * A 1-D convolution layer over sequences [N, steps, channels] (Keras `Conv1D`, TF.js `tf.layers.conv1d`).
 *
 *     conv1d({ filters: 32, kernelSize: 5, activation: 'relu', inputShape: [100, 8] });  // -> [null, 96, 32]
 *     conv1d({ filters: 16, kernelSize: 3, padding: 'causal', dilationRate: 2 });        // steps kept, no look-ahead
 */
export function conv1d(args: Conv1DArgs): Conv1D {
  return new Conv1D(args);
}
