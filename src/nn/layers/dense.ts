import { add } from '../../ops/binary.js';
import { matmul } from '../../ops/matmul.js';
import { reshape } from '../../ops/reshape.js';
import { formatShape } from '../../tensor/shape.js';
import type { Tensor, Variable } from '../../tensor/tensor.js';
import { applyBiasAndActivation, getActivation, type ActivationFunction, type ActivationIdentifier } from '../activations.js';
import { getInitializer, serializeInitializer, type Initializer, type InitializerIdentifier } from '../initializers.js';
import { Layer, type CallArgs, type LayerArgs, type SymbolicShape } from '../layer.js';
import { getRegularizer, serializeRegularizer, type Regularizer, type RegularizerIdentifier } from '../regularizers.js';
import { activationArg, initializerArg, layerArgs, refuse, regularizerArg, trueUnlessFalse, type LayerConfig } from './config-args.js';

export interface DenseArgs extends LayerArgs {
  /** Number of output features. */
  units: number;
  /** Applied after the affine map (default `'linear'`). */
  activation?: ActivationIdentifier;
  /** Whether to add a bias (default true). */
  useBias?: boolean;
  kernelInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier;
  biasRegularizer?: RegularizerIdentifier;
}

/**
 * A fully connected layer: `y = activation(x · kernel + bias)` with kernel `[inFeatures, units]`, applied on
 * the last axis (so `[N, T, in]` maps to `[N, T, units]`).
 */
export class Dense extends Layer {
  static readonly className = 'Dense';
  /** The mask passes through (Keras' `supports_masking`). */
  override supportsMasking = true;
  readonly units: number;
  readonly activation: ActivationFunction;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  kernel: Variable | null = null;
  bias: Variable | null = null;

  constructor(args: DenseArgs) {
    super(args, 'Dense');
    if (!Number.isInteger(args.units) || args.units < 1) {
      throw new Error(`Layer '${this.name}' (Dense): units must be a positive integer, got ${String(args.units)}.`);
    }
    this.units = args.units;
    this.activation = getActivation(args.activation ?? 'linear');
    this.useBias = args.useBias ?? true;
    // resolved now, so a misspelt name fails where the layer is declared rather than at build time
    this.kernelInitializer = getInitializer(args.kernelInitializer ?? 'glorotUniform');
    this.biasInitializer = getInitializer(args.biasInitializer ?? 'zeros');
    this.kernelRegularizer = args.kernelRegularizer ? getRegularizer(args.kernelRegularizer) : null;
    this.biasRegularizer = args.biasRegularizer ? getRegularizer(args.biasRegularizer) : null;
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    if (inputShape.length < 2) {
      throw new Error(
        `Layer '${this.name}' (Dense) expects inputs of rank >= 2 ([batch, ..., features]), got shape ${formatShape(inputShape)}. A single sample needs a batch axis: reshape it to [1, features].`,
      );
    }
    const features = inputShape[inputShape.length - 1];
    if (features === null) {
      throw new Error(`Layer '${this.name}' (Dense) needs the size of the last input axis to create its kernel, got shape ${formatShape(inputShape)}.`);
    }
    if (this.kernel && features !== this.kernel.shape[0]) {
      const expected = [...inputShape.slice(0, -1).map(() => null), this.kernel.shape[0]];
      throw new Error(
        `Layer '${this.name}' (Dense) expects inputs of shape ${formatShape(expected)} (it was built for ${this.kernel.shape[0]} features), got ${formatShape(inputShape)}.`,
      );
    }
    return [...inputShape.slice(0, -1), this.units];
  }

  override build(inputShape: SymbolicShape): void {
    const features = inputShape[inputShape.length - 1] as number;
    this.kernel = this.addWeight('kernel', [features, this.units], this.kernelInitializer, { regularizer: this.kernelRegularizer });
    if (this.useBias) this.bias = this.addWeight('bias', [this.units], this.biasInitializer, { regularizer: this.biasRegularizer });
  }

  call(x: Tensor, args: CallArgs): Tensor {
    void args;
    const kernel = this.kernel!;
    // rank > 2: one [rows, in] x [in, units] product instead of a batched one (and a single kernel gradient)
    const flat = x.rank === 2 ? x : reshape(x, [-1, kernel.shape[0]]);
    const y = matmul(flat, kernel);
    if (x.rank === 2) return applyBiasAndActivation(y, this.bias, this.activation);
    // activations such as softmax work on the last axis, so the bias is added before restoring the shape
    const z = this.bias ? add(y, this.bias) : y;
    return this.activation.apply(reshape(z, [...x.shape.slice(0, -1), this.units]));
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: this.activation.name,
      useBias: this.useBias,
      kernelInitializer: serializeInitializer(this.kernelInitializer),
      biasInitializer: serializeInitializer(this.biasInitializer),
      kernelRegularizer: this.kernelRegularizer ? serializeRegularizer(this.kernelRegularizer) : null,
      biasRegularizer: this.biasRegularizer ? serializeRegularizer(this.biasRegularizer) : null,
    };
  }

  /** The layer a model file's config describes (camelCase keys); the inverse of `getConfig`. */
  static fromConfig(c: LayerConfig): Dense {
    refuse(c, ['activityRegularizer', 'kernelConstraint', 'biasConstraint']);
    return new Dense({
      ...layerArgs(c),
      units: Number(c.units),
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
 * A fully connected layer (Keras `Dense`).
 *
 *     dense({ units: 10, activation: 'softmax', inputShape: [784] });
 */
export function dense(args: DenseArgs): Dense {
  return new Dense(args);
}
