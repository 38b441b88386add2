import { layerNorm } from '../../ops/normalization.js';
import { formatShape } from '../../tensor/shape.js';
import type { Tensor, Variable } from '../../tensor/tensor.js';
import { getInitializer, serializeInitializer, type Initializer, type InitializerIdentifier } from '../initializers.js';
import { Layer, type CallArgs, type LayerArgs, type SymbolicShape } from '../layer.js';
import { getRegularizer, serializeRegularizer, type Regularizer, type RegularizerIdentifier } from '../regularizers.js';
import { describeLayer } from './image-args.js';
import { fail, normalizationArgs, refuse, type LayerConfig } from './config-args.js';

export interface LayerNormalizationArgs extends LayerArgs {
  /** Axis or axes each sample is normalised over (default -1, the features). */
  axis?: number | readonly number[];
  /** Added to the variance before the square root (default 1e-3). */
  epsilon?: number;
  /** Whether to add the learned offset beta (default true). */
  center?: boolean;
  /** Whether to multiply by the learned scale gamma (default true). */
  scale?: boolean;
  betaInitializer?: InitializerIdentifier;
  gammaInitializer?: InitializerIdentifier;
  betaRegularizer?: RegularizerIdentifier;
  gammaRegularizer?: RegularizerIdentifier;
}

/**
 * Layer normalisation: each sample normalised over `axis` with its own mean and biased variance, then
 * `* gamma + beta`; gamma and beta have the shape of the normalised axes. The same in training and inference.
 */
export class LayerNormalization extends Layer {
  static readonly className = 'LayerNormalization';
  /** The mask passes through (Keras' `supports_masking`). */
  override supportsMasking = true;
  readonly axis: number | readonly number[];
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: Initializer;
  readonly gammaInitializer: Initializer;
  readonly betaRegularizer: Regularizer | null;
  readonly gammaRegularizer: Regularizer | null;
  gamma: Variable | null = null;
  beta: Variable | null = null;

  constructor(args: LayerNormalizationArgs = {}) {
    super(args, 'LayerNormalization');
    const axis = args.axis ?? -1;
    const axes = typeof axis === 'number' ? [axis] : [...axis];
    if (axes.length === 0 || !axes.every((a) => Number.isInteger(a))) {
      throw new Error(`${describeLayer(this)}: axis must be an integer or a non-empty list of them, got ${JSON.stringify(args.axis)}.`);
    }
    this.axis = typeof axis === 'number' ? axis : [...axis];
    this.epsilon = args.epsilon ?? 1e-3;
    if (!(this.epsilon > 0)) throw new Error(`${describeLayer(this)}: epsilon must be positive, got ${String(args.epsilon)}.`);
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.betaInitializer = getInitializer(args.betaInitializer ?? 'zeros');
    this.gammaInitializer = getInitializer(args.gammaInitializer ?? 'ones');
    this.betaRegularizer = args.betaRegularizer ? getRegularizer(args.betaRegularizer) : null;
    this.gammaRegularizer = args.gammaRegularizer ? getRegularizer(args.gammaRegularizer) : null;
  }

  /** The normalised axes as sorted non-negative indices, checked against `inputShape`. */
  private axes(inputShape: SymbolicShape): number[] {
    const rank = inputShape.length;
    const axes = (typeof this.axis === 'number' ? [this.axis] : this.axis).map((a) => (a < 0 ? a + rank : a));
    if (axes.some((a) => a < 1 || a >= rank) || new Set(axes).size !== axes.length) {
      throw new Error(
        `${describeLayer(this)}: axis ${JSON.stringify(this.axis)} must name distinct non-batch axes of inputs of shape ${formatShape(inputShape)} (axis 0 is the batch).`,
      );
    }
    if (axes.some((a) => inputShape[a] === null)) {
      throw new Error(
        `${describeLayer(this)} needs the sizes of the normalised axes ${JSON.stringify(this.axis)} to create its weights, got shape ${formatShape(inputShape)}.`,
      );
    }
    return axes.sort((p, q) => p - q);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const paramShape = this.axes(inputShape).map((a) => inputShape[a] as number);
    const built = (this.gamma ?? this.beta)?.shape;
    if (built && (built.length !== paramShape.length || built.some((d, i) => d !== paramShape[i]))) {
      throw new Error(`${describeLayer(this)} was built for normalised axes of shape ${formatShape(built)}, got inputs of shape ${formatShape(inputShape)}.`);
    }
    return [...inputShape];
  }

  override build(inputShape: SymbolicShape): void {
    const shape = this.axes(inputShape).map((a) => inputShape[a] as number);
    if (this.scale) this.gamma = this.addWeight('gamma', shape, this.gammaInitializer, { regularizer: this.gammaRegularizer });
    if (this.center) this.beta = this.addWeight('beta', shape, this.betaInitializer, { regularizer: this.betaRegularizer });
  }

  call(x: Tensor, args: CallArgs): Tensor {
    void args;
    return layerNorm(x, this.gamma, this.beta, { axis: this.axes(x.shape), epsilon: this.epsilon });
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: typeof this.axis === 'number' ? this.axis : [...this.axis],
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: serializeInitializer(this.betaInitializer),
      gammaInitializer: serializeInitializer(this.gammaInitializer),
      betaRegularizer: this.betaRegularizer ? serializeRegularizer(this.betaRegularizer) : null,
      gammaRegularizer: this.gammaRegularizer ? serializeRegularizer(this.gammaRegularizer) : null,
    };
  }

  /** The layer a model file's config describes (camelCase keys); the inverse of `getConfig`. */
  static fromConfig(c: LayerConfig): LayerNormalization {
    refuse(c, ['betaConstraint', 'gammaConstraint']);
    if (c.rmsScaling === true) fail('rms_scaling is not supported');
    const axis = c.axis === undefined || c.axis === null ? undefined : Array.isArray(c.axis) ? c.axis.map(Number) : Number(c.axis);
    return new LayerNormalization({ ...normalizationArgs(c), axis });
  }
}

/**
 * Normalises each sample over its features (Keras `LayerNormalization`), as in transformers.
 *
 *     layerNormalization({ epsilon: 1e-6 });  // [null, 10, 64]: gamma and beta of [64]
 */
export function layerNormalization(args: LayerNormalizationArgs = {}): LayerNormalization {
  return new LayerNormalization(args);
}
