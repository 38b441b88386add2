// The base of the elementwise merge layers (Add, Subtract, Multiply, Average, Maximum, Minimum): layers of
// several inputs of one shape, or of shapes that broadcast, combined value by value. Their gradients come from
// the ops they are made of.
import { reshape } from '../../ops/reshape.js';
import { maxOf } from '../../tensor/extremes.js';
import { formatShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { mul } from '../../ops/binary.js';
import { Layer, type CallArgs, type LayerArgs, type LayerMask, type SymbolicShape } from '../layer.js';
import { isShapeList } from '../symbolic-tensor.js';

/** "[null, 4], [null, 4]" for an error message. */
export function formatShapes(shapes: readonly SymbolicShape[]): string {
  return shapes.map((s) => formatShape(s)).join(', ');
}

/**
 * Keras' elementwise output shape of two per-sample shapes (no batch axis): aligned on the right, a 1 or an
 * unknown size gives way, other sizes must agree. Null when they do not.
 */
function broadcastSampleShapes(a: SymbolicShape, b: SymbolicShape): SymbolicShape | null {
  if (a.length < b.length) return broadcastSampleShapes(b, a);
  const out: (number | null)[] = [...a.slice(0, a.length - b.length)];
  for (const [k, j] of b.entries()) {
    const i = a[a.length - b.length + k];
    if (i === null || j === null) out.push(i === 1 ? j : j === 1 ? i : i === null ? j : i);
    else if (i === 1) out.push(j);
    else if (j === 1 || i === j) out.push(i);
    else return null;
  }
  return out;
}

/** A layer that merges a list of inputs (`inputCount` of them, or at least two) into one output. */
export abstract class MergeLayer extends Layer {
  /** How many inputs the layer takes, when it is a fixed number (Subtract and Dot take exactly 2). */
  protected readonly inputCount: number | null = null;

  constructor(args: LayerArgs = {}, className?: string) {
    super(args, className);
  }

  /** The input shapes, checked to be a list of the right length. */
  protected inputShapes(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape[] {
    const shapes = isShapeList(inputShape) ? inputShape : [inputShape];
    const count = this.inputCount;
    const enough = count === null ? shapes.length >= 2 : shapes.length === count;
    if (!enough || !isShapeList(inputShape)) {
      const expected = count === null ? 'a list of at least 2 inputs' : `a list of exactly ${count} inputs`;
      const got = isShapeList(inputShape) ? `${shapes.length} (shapes ${formatShapes(shapes)})` : `one input of shape ${formatShape(inputShape)}`;
      throw new Error(`Layer '${this.name}' (${this.className}) merges ${expected}, got ${got}; call it as layer.apply([a, b]).`);
    }
    return shapes;
  }

  /**
   * The output's mask: the step-wise AND of the inputs' masks (a step is real when it is real in every masked
   * input), none when no input has one, as Keras' merge layers. Masks of different shapes (e.g. sequences
   * concatenated in time) give none.
   */
  override computeMask(inputs: Tensor | Tensor[], mask: LayerMask | undefined): LayerMask {
    void inputs;
    const masks = (Array.isArray(mask) ? mask : []).filter((m): m is Tensor => m !== null);
    if (masks.length === 0) return null;
    const sameShape = masks.every((m) => m.shape.length === masks[0].shape.length && m.shape.every((d, i) => d === masks[0].shape[i]));
    return sameShape ? masks.reduce((a, b) => mul(a, b)) : null;
  }

  /** The inputs of `call`, checked the same way. */
  protected inputTensors(inputs: Tensor | Tensor[]): Tensor[] {
    this.inputShapes(Array.isArray(inputs) ? inputs.map((t) => t.shape) : inputs.shape);
    return inputs as Tensor[];
  }
}

/** A merge layer that combines its inputs value by value, broadcasting sizes of 1 (Keras `_Merge`). */
export abstract class ElementwiseMerge extends MergeLayer {
  /** Combines the inputs, all of one rank (their sizes broadcast). */
  protected abstract merge(inputs: Tensor[]): Tensor;

  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape {
    const shapes = this.inputShapes(inputShape);
    let sample: SymbolicShape | null = shapes[0].slice(1);
    for (const s of shapes.slice(1)) sample = sample && broadcastSampleShapes(sample, s.slice(1));
    if (!sample) {
      throw new Error(
        `Layer '${this.name}' (${this.className}) needs inputs of one shape, or of shapes that broadcast (sizes of 1), got ${formatShapes(shapes)} (the first axis is the batch).`,
      );
    }
    const batches = new Set(shapes.map((s) => s[0]).filter((d) => d !== null));
    if (batches.size > 1) throw new Error(`Layer '${this.name}' (${this.className}) cannot merge inputs of different batch sizes: ${formatShapes(shapes)}.`);
    return [batches.size === 1 ? [...batches][0] : null, ...sample];
  }

  call(inputs: Tensor | Tensor[], args: CallArgs): Tensor {
    void args;
    const xs = this.inputTensors(inputs);
    const rank = maxOf(xs.map((x) => x.rank));
    // as Keras: an input of lower rank gains axes of size 1 after the batch axis ([N, 3] with [N, 4, 3] is [N, 1, 3])
    const same = xs.map((x) => (x.rank === rank ? x : reshape(x, [x.shape[0], ...new Array<number>(rank - x.rank).fill(1), ...x.shape.slice(1)])));
    return this.merge(same);
  }
}
