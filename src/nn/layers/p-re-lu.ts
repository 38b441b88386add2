import { prelu as preluOp } from '../../ops/activations.js';
import { formatShape } from '../../tensor/shape.js';
import type { Tensor, Variable } from '../../tensor/tensor.js';
import { getInitializer, serializeInitializer, type Initializer, type InitializerIdentifier } from '../initializers.js';
import { Layer, type CallArgs, type LayerArgs, type SymbolicShape } from '../layer.js';
import { getRegularizer, serializeRegularizer, type Regularizer, type RegularizerIdentifier } from '../regularizers.js';
import { describeLayer } from './image-args.js';
import { fail, initializerArg, layerArgs, refuse, regularizerArg, type LayerConfig } from './config-args.js';

export interface PReLUArgs extends LayerArgs {
  /** Initial slopes for x < 0 (default zeros: the layer starts as a ReLU). */
  alphaInitializer?: InitializerIdentifier;
  alphaRegularizer?: RegularizerIdentifier;
  /**
   * Axes (1-based, the batch axis is 0) along which one slope is shared: `[1, 2]` after a convolution gives one
   * slope per channel instead of one per pixel and channel. Default: none shared.
   */
  sharedAxes?: number | readonly number[];
}

/**
 * Parametric ReLU: x where x > 0, alpha * x elsewhere, with a trainable `alpha` of the input's shape without
 * the batch axis (size 1 on the shared axes).
 */
export class PReLU extends Layer {
  static readonly className = 'PReLU';
  /** The mask passes through (Keras' `supports_masking`). */
  override supportsMasking = true;
  readonly alphaInitializer: Initializer;
  readonly alphaRegularizer: Regularizer | null;
  readonly sharedAxes: readonly number[] | null;
  alpha: Variable | null = null;

  constructor(args: PReLUArgs = {}) {
    super(args, 'PReLU');
    this.alphaInitializer = getInitializer(args.alphaInitializer ?? 'zeros');
    this.alphaRegularizer = args.alphaRegularizer ? getRegularizer(args.alphaRegularizer) : null;
    const shared = args.sharedAxes;
    const axes = shared === undefined || shared === null ? null : typeof shared === 'number' ? [shared] : Array.isArray(shared) ? [...shared] : undefined;
    if (axes === undefined || (axes && !axes.every((a) => Number.isInteger(a) && a >= 1))) {
      throw new Error(
        `${describeLayer(this)}: sharedAxes must be a positive integer or a list of them (1-based: axis 0 is the batch), got ${JSON.stringify(shared)}.`,
      );
    }
    this.sharedAxes = axes;
  }

  /** The shape of `alpha` for inputs of `inputShape`: the sample shape, 1 on the shared axes. */
  private alphaShape(inputShape: SymbolicShape): number[] {
    const rank = inputShape.length;
    const tooFar = this.sharedAxes?.find((a) => a >= rank);
    if (tooFar !== undefined) {
      throw new Error(
        `${describeLayer(this)}: sharedAxes ${JSON.stringify(this.sharedAxes)} names axis ${tooFar}, but inputs of shape ${formatShape(inputShape)} have axes 1 to ${rank - 1}.`,
      );
    }
    const shape = inputShape.slice(1).map((d, i) => (this.sharedAxes?.includes(i + 1) ? 1 : d));
    if (rank < 2 || shape.some((d) => d === null)) {
      throw new Error(
        `${describeLayer(this)} needs every non-batch axis it does not share to be known to create alpha, got inputs of shape ${formatShape(inputShape)}${rank < 2 ? '' : '; share the unknown axes with sharedAxes'}.`,
      );
    }
    return shape as number[];
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const expected = this.alphaShape(inputShape);
    if (this.alpha && expected.join() !== this.alpha.shape.join()) {
      throw new Error(
        `${describeLayer(this)} was built with alpha of shape ${formatShape(this.alpha.shape)}, which does not fit inputs of shape ${formatShape(inputShape)}.`,
      );
    }
    return [...inputShape];
  }

  override build(inputShape: SymbolicShape): void {
    this.alpha = this.addWeight('alpha', this.alphaShape(inputShape), this.alphaInitializer, { regularizer: this.alphaRegularizer });
  }

  call(x: Tensor, args: CallArgs): Tensor {
    void args;
    return preluOp(x, this.alpha!);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      alphaInitializer: serializeInitializer(this.alphaInitializer),
      alphaRegularizer: this.alphaRegularizer ? serializeRegularizer(this.alphaRegularizer) : null,
      sharedAxes: this.sharedAxes ? [...this.sharedAxes] : null,
    };
  }

  /** The layer a model file's config describes (camelCase keys); the inverse of `getConfig`. */
  static fromConfig(c: LayerConfig): PReLU {
    refuse(c, ['alphaConstraint']);
    const shared = c.sharedAxes;
    if (shared !== undefined && shared !== null && typeof shared !== 'number' && !Array.isArray(shared)) {
      fail(`sharedAxes must be an integer or a list of integers, got ${JSON.stringify(shared)}`);
    }
    return new PReLU({
      ...layerArgs(c),
      alphaInitializer: initializerArg(c, 'alphaInitializer', 'zeros'),
      alphaRegularizer: regularizerArg(c, 'alphaRegularizer'),
      ...(shared === undefined || shared === null ? {} : { sharedAxes: shared as number | number[] }),
    });
  }
}

/**
 * A parametric ReLU layer with a learned slope (TF.js `tf.layers.prelu`, Keras `PReLU`).
 *
 *     prelu({ sharedAxes: [1, 2] });  // after a Conv2D: one slope per channel
 */
export function prelu(args: PReLUArgs = {}): PReLU {
  return new PReLU(args);
}
