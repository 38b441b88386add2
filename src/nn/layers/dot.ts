import { div, maximum, mul } from '../../ops/binary.js';
import { matmul } from '../../ops/matmul.js';
import { sum } from '../../ops/reduce.js';
import { reshape } from '../../ops/reshape.js';
import { transpose } from '../../ops/transpose.js';
import { sqrt } from '../../ops/unary.js';
import { formatShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { CallArgs, LayerArgs, LayerMask, SymbolicShape } from '../layer.js';
import { fail, layerArgs, type LayerConfig } from './config-args.js';
import { formatShapes, MergeLayer } from './merge.js';

export interface DotArgs extends LayerArgs {
  /** The axis of each input to sum over: one for both, or `[axisOfA, axisOfB]` (never the batch axis 0; negative counts from the end). */
  axes: number | readonly [number, number];
  /** L2-normalise both inputs along `axes` first, so that the result is their cosine similarity (default false). */
  normalize?: boolean;
}

/** Keras' `l2_normalize`: x / sqrt(max(sum(x^2), 1e-12)) along `axis`. */
function l2Normalize(x: Tensor, axis: number): Tensor {
  return div(x, sqrt(maximum(sum(mul(x, x), axis, true), 1e-12)));
}

/** The product of the sizes. */
function product(sizes: readonly number[]): number {
  return sizes.reduce((p, d) => p * d, 1);
}

/**
 * Keras' `batch_dot`: for each sample, the sum over axis `ax` of `a` and axis `bx` of `b` of their products.
 * The result keeps a's other axes, then b's; a result of only the batch axis gets a trailing 1 ([N, 1]).
 */
function batchDot(a: Tensor, b: Tensor, ax: number, bx: number): Tensor {
  const n = a.shape[0];
  const aRest = a.shape.filter((_, i) => i !== 0 && i !== ax);
  const bRest = b.shape.filter((_, i) => i !== 0 && i !== bx);
  const k = a.shape[ax];
  // a as [N, M, K] (the summed axis last), b as [N, K, P] (the summed axis first): one batched matmul
  const aPerm = [0, ...a.shape.map((_, i) => i).filter((i) => i !== 0 && i !== ax), ax];
  const bPerm = [0, bx, ...b.shape.map((_, i) => i).filter((i) => i !== 0 && i !== bx)];
  const isIdentity = (perm: number[]) => perm.every((p, i) => p === i);
  const a3 = reshape(isIdentity(aPerm) ? a : transpose(a, aPerm), [n, product(aRest), k]);
  const b3 = reshape(isIdentity(bPerm) ? b : transpose(b, bPerm), [n, k, product(bRest)]);
  const out = [...aRest, ...bRest];
  return reshape(matmul(a3, b3), [n, ...(out.length === 0 ? [1] : out)]);
}

/**
 * The dot product of two inputs along an axis of each, sample by sample (Keras `Dot`): `[N, 8]` and `[N, 8]`
 * on axes 1 give `[N, 1]`; `[N, 5, 8]` and `[N, 8, 3]` on axes [2, 1] give `[N, 5, 3]`. With `normalize`,
 * the cosine similarity.
 */
export class Dot extends MergeLayer {
  static readonly className = 'Dot';
  protected override readonly inputCount = 2;
  readonly axes: number | readonly [number, number];
  readonly normalize: boolean;

  /** A dot product contracts the steps away: no mask comes out (Keras' `Dot.compute_mask`). */
  override computeMask(): LayerMask {
    return null;
  }

  constructor(args: DotArgs) {
    super(args, 'Dot');
    const axes = args?.axes;
    const valid = Number.isInteger(axes) || (Array.isArray(axes) && axes.length === 2 && axes.every((a) => Number.isInteger(a)));
    if (!valid) throw new Error(`Layer '${this.name}' (Dot): axes must be an integer or a pair of integers, got ${JSON.stringify(axes)}.`);
    this.axes = typeof axes === 'number' ? axes : ([axes[0], axes[1]] as const);
    this.normalize = args.normalize ?? false;
  }

  /** Each input's summed axis as a non-negative index, checked not to be the batch axis. */
  private axesFor(shapes: readonly SymbolicShape[]): [number, number] {
    const given = typeof this.axes === 'number' ? [this.axes, this.axes] : this.axes;
    return [0, 1].map((i) => {
      const rank = shapes[i].length;
      const a = given[i] < 0 ? given[i] + rank : given[i];
      if (a < 1 || a >= rank) {
        throw new Error(
          `Layer '${this.name}' (Dot): axis ${given[i]} is not an axis of input ${i} of shape ${formatShape(shapes[i])} besides the batch axis (axis 0).`,
        );
      }
      return a;
    }) as [number, number];
  }

  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape {
    const shapes = this.inputShapes(inputShape);
    const [ax, bx] = this.axesFor(shapes);
    const [a, b] = shapes;
    if (a[ax] !== null && b[bx] !== null && a[ax] !== b[bx]) {
      throw new Error(
        `Layer '${this.name}' (Dot) sums axis ${ax} of its first input against axis ${bx} of its second, whose sizes differ: ${formatShapes(shapes)} (the first axis is the batch).`,
      );
    }
    const out = [a[0] ?? b[0], ...a.filter((_, i) => i !== 0 && i !== ax), ...b.filter((_, i) => i !== 0 && i !== bx)];
    return out.length === 1 ? [...out, 1] : out;
  }

  call(inputs: Tensor | Tensor[], args: CallArgs): Tensor {
    void args;
    const [a, b] = this.inputTensors(inputs);
    const [ax, bx] = this.axesFor([a.shape, b.shape]);
    return this.normalize ? batchDot(l2Normalize(a, ax), l2Normalize(b, bx), ax, bx) : batchDot(a, b, ax, bx);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axes: typeof this.axes === 'number' ? this.axes : [...this.axes], normalize: this.normalize };
  }

  /** The layer a model file's config describes (camelCase keys); the inverse of `getConfig`. */
  static fromConfig(c: LayerConfig): Dot {
    const axes = c.axes;
    if (!(Number.isInteger(axes) || (Array.isArray(axes) && axes.length === 2 && axes.every((a) => Number.isInteger(a))))) {
      fail(`axes ${JSON.stringify(axes)} must be an integer or a pair of integers`);
    }
    return new Dot({ ...layerArgs(c), axes: axes as number | [number, number], normalize: c.normalize === true });
  }
}

/**
 * A `Dot` layer (Keras `Dot`): the per-sample dot product of two inputs along `axes`.
 *
 *     const score = layers.dot({ axes: 1 }).apply([query, key]);                    // [null, 1]
 *     const cosine = layers.dot({ axes: 1, normalize: true }).apply([a, b]);
 */
export function dot(args: DotArgs): Dot {
  return new Dot(args);
}
