import { noGrad } from '../../autograd/mode.js';
import { add, mul } from '../../ops/binary.js';
import { batchNorm, moments } from '../../ops/normalization.js';
import { reshape } from '../../ops/reshape.js';
import { formatShape } from '../../tensor/shape.js';
import type { Tensor, Variable } from '../../tensor/tensor.js';
import { getInitializer, serializeInitializer, type Initializer, type InitializerIdentifier } from '../initializers.js';
import { Layer, type CallArgs, type LayerArgs, type SymbolicShape } from '../layer.js';
import { getRegularizer, serializeRegularizer, type Regularizer, type RegularizerIdentifier } from '../regularizers.js';
import { describeLayer } from './image-args.js';
import { fail, initializerArg, normalizationArgs, refuse, type LayerConfig } from './config-args.js';

export interface BatchNormalizationArgs extends LayerArgs {
  /** The features axis, normalised per entry (default -1: channels of NHWC images, features of [N, F]). */
  axis?: number;
  /** Weight of the old value in the moving averages (default 0.99). */
  momentum?: number;
  /** Added to the variance before the square root (default 1e-3). */
  epsilon?: number;
  /** Whether to add the learned offset beta (default true). */
  center?: boolean;
  /** Whether to multiply by the learned scale gamma (default true). */
  scale?: boolean;
  betaInitializer?: InitializerIdentifier;
  gammaInitializer?: InitializerIdentifier;
  movingMeanInitializer?: InitializerIdentifier;
  movingVarianceInitializer?: InitializerIdentifier;
  betaRegularizer?: RegularizerIdentifier;
  gammaRegularizer?: RegularizerIdentifier;
}

/**
 * Batch normalisation (Keras 3 / TF.js semantics). Training: `y = gamma * (x - mean) / sqrt(var + epsilon) + beta`
 * with the batch's mean and biased variance over every axis but `axis` (gradients flow through them), and
 * the moving statistics move towards them: `moving = moving * momentum + batch * (1 - momentum)`.
 * Inference: the same formula with the moving statistics. Weights, in Keras order: gamma, beta (trainable),
 * moving_mean, moving_variance (non-trainable), each of the axis' size.
 */
export class BatchNormalization extends Layer {
  static readonly className = 'BatchNormalization';
  /** The mask passes through (Keras' `supports_masking`). */
  override supportsMasking = true;
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: Initializer;
  readonly gammaInitializer: Initializer;
  readonly movingMeanInitializer: Initializer;
  readonly movingVarianceInitializer: Initializer;
  readonly betaRegularizer: Regularizer | null;
  readonly gammaRegularizer: Regularizer | null;
  gamma: Variable | null = null;
  beta: Variable | null = null;
  movingMean: Variable | null = null;
  movingVariance: Variable | null = null;

  constructor(args: BatchNormalizationArgs = {}) {
    super(args, 'BatchNormalization');
    this.axis = args.axis ?? -1;
    this.momentum = args.momentum ?? 0.99;
    this.epsilon = args.epsilon ?? 1e-3;
    if (!Number.isInteger(this.axis)) throw new Error(`${describeLayer(this)}: axis must be an integer, got ${String(args.axis)}.`);
    if (!(this.momentum >= 0 && this.momentum <= 1)) throw new Error(`${describeLayer(this)}: momentum must be in [0, 1], got ${String(args.momentum)}.`);
    if (!(this.epsilon > 0)) throw new Error(`${describeLayer(this)}: epsilon must be positive, got ${String(args.epsilon)}.`);
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.betaInitializer = getInitializer(args.betaInitializer ?? 'zeros');
    this.gammaInitializer = getInitializer(args.gammaInitializer ?? 'ones');
    this.movingMeanInitializer = getInitializer(args.movingMeanInitializer ?? 'zeros');
    this.movingVarianceInitializer = getInitializer(args.movingVarianceInitializer ?? 'ones');
    this.betaRegularizer = args.betaRegularizer ? getRegularizer(args.betaRegularizer) : null;
    this.gammaRegularizer = args.gammaRegularizer ? getRegularizer(args.gammaRegularizer) : null;
  }

  /** The normalised axis as a non-negative index for inputs of `rank`. */
  private featureAxis(inputShape: SymbolicShape): number {
    const rank = inputShape.length;
    const a = this.axis < 0 ? this.axis + rank : this.axis;
    if (a < 1 || a >= rank) {
      throw new Error(
        `${describeLayer(this)}: axis ${this.axis} is not a feature axis of inputs of shape ${formatShape(inputShape)} (axis 0 is the batch); inputs need rank >= 2, e.g. [batch, features] or [batch, height, width, channels].`,
      );
    }
    return a;
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const a = this.featureAxis(inputShape);
    const size = inputShape[a];
    if (size === null)
      throw new Error(`${describeLayer(this)} needs the size of axis ${this.axis} to create its weights, got shape ${formatShape(inputShape)}.`);
    const built = this.movingMean?.shape[0];
    if (built !== undefined && size !== built) {
      throw new Error(`${describeLayer(this)} was built for ${built} features on axis ${this.axis}, got inputs of shape ${formatShape(inputShape)}.`);
    }
    return [...inputShape];
  }

  override build(inputShape: SymbolicShape): void {
    const shape = [inputShape[this.featureAxis(inputShape)] as number];
    if (this.scale) this.gamma = this.addWeight('gamma', shape, this.gammaInitializer, { regularizer: this.gammaRegularizer });
    if (this.center) this.beta = this.addWeight('beta', shape, this.betaInitializer, { regularizer: this.betaRegularizer });
    this.movingMean = this.addWeight('moving_mean', shape, this.movingMeanInitializer, { trainable: false });
    this.movingVariance = this.addWeight('moving_variance', shape, this.movingVarianceInitializer, { trainable: false });
  }

  call(x: Tensor, args: CallArgs): Tensor {
    const a = this.featureAxis(x.shape);
    // per-feature [C] statistics placed on the feature axis: [1, ..., C, ..., 1] (no reshape when it is the last)
    const placed = x.shape.map((d, i) => (i === a ? d : 1));
    const place = (t: Tensor | null): Tensor | null => (t === null || a === x.rank - 1 ? t : reshape(t, placed));
    // Keras: a frozen BatchNormalization runs in inference mode even in fit (so fine-tuning keeps its statistics)
    if (!args.training || !this.trainable) {
      return batchNorm(x, place(this.movingMean!)!, place(this.movingVariance!)!, place(this.beta), place(this.gamma), this.epsilon);
    }
    const reduced = x.shape.map((_, i) => i).filter((i) => i !== a);
    const { mean, variance } = moments(x, reduced);
    const y = batchNorm(x, place(mean)!, place(variance)!, place(this.beta), place(this.gamma), this.epsilon);
    noGrad(() => {
      // NOTE: the biased batch variance, as Keras 3 and TF.js layers (tf.keras 2's fused kernel and PyTorch use n/(n-1))
      this.movingMean!.assign(add(mul(this.movingMean!, this.momentum), mul(mean, 1 - this.momentum)));
      this.movingVariance!.assign(add(mul(this.movingVariance!, this.momentum), mul(variance, 1 - this.momentum)));
    });
    return y;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: this.axis,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: serializeInitializer(this.betaInitializer),
      gammaInitializer: serializeInitializer(this.gammaInitializer),
      movingMeanInitializer: serializeInitializer(this.movingMeanInitializer),
      movingVarianceInitializer: serializeInitializer(this.movingVarianceInitializer),
      betaRegularizer: this.betaRegularizer ? serializeRegularizer(this.betaRegularizer) : null,
      gammaRegularizer: this.gammaRegularizer ? serializeRegularizer(this.gammaRegularizer) : null,
    };
  }

  /** The layer a model file's config describes (camelCase keys); the inverse of `getConfig`. */
  static fromConfig(c: LayerConfig): BatchNormalization {
    refuse(c, ['betaConstraint', 'gammaConstraint']);
    if (c.renorm === true) fail('renorm is not supported');
    const axis = Array.isArray(c.axis)
      ? c.axis.length === 1
        ? Number(c.axis[0])
        : fail(`axis ${JSON.stringify(c.axis)}: dendrite normalises one axis`)
      : c.axis;
    return new BatchNormalization({
      ...normalizationArgs(c),
      axis: axis === undefined || axis === null ? undefined : Number(axis),
      momentum: typeof c.momentum === 'number' ? c.momentum : undefined,
      movingMeanInitializer: initializerArg(c, 'movingMeanInitializer', 'zeros'),
      movingVarianceInitializer: initializerArg(c, 'movingVarianceInitializer', 'ones'),
    });
  }
}

/**
 * Normalises each feature with batch statistics in training and moving averages at inference (Keras
 * `BatchNormalization`); typically between a convolution and its activation.
 *
 *     batchNormalization();  // [null, 26, 26, 32] -> same shape, 4 * 32 weights (64 trainable)
 */
export function batchNormalization(args: BatchNormalizationArgs = {}): BatchNormalization {
  return new BatchNormalization(args);
}
