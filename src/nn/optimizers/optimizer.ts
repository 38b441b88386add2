import { formatShape, shapesEqual } from '../../tensor/shape.js';
import type { Tensor, Variable } from '../../tensor/tensor.js';

/**
 * The base of every optimizer. Subclasses implement `update` for one variable with a fused backend kernel
 * over its Float32Arrays (weight updates are not differentiated, so they bypass the tape). Per-variable state
 * ("slots": momentum, Adam moments...) is created on first use.
 */
export abstract class Optimizer {
  abstract readonly className: string;
  learningRate: number;
  /** Number of update steps applied so far (Keras `iterations`). */
  iterations = 0;
  private readonly slots = new Map<Variable, Float32Array[]>();

  constructor(learningRate: number) {
    if (!(learningRate > 0) || !Number.isFinite(learningRate)) throw new Error(`learningRate must be a positive number, got ${learningRate}.`);
    this.learningRate = learningRate;
  }

  /** How many slot arrays (same size as the variable) this optimizer keeps per variable. */
  protected abstract readonly slotNames: readonly string[];

  /** Initial value of every slot (Adagrad starts its accumulator at 0.1). */
  protected initialSlotValue(slot: number): number {
    void slot;
    return 0;
  }

  /** Updates `p` in place from gradient `g`; `step` counts from 1. */
  protected abstract update(p: Float32Array, g: Float32Array, slots: Float32Array[], step: number): void;

  /**
   * Applies one step with the given `[gradient, variable]` pairs (Keras order).
   *
   *     optimizer.applyGradients(grads.map((g, i) => [g, vars[i]]));
   */
  applyGradients(pairs: readonly (readonly [Tensor, Variable])[]): void {
    this.iterations++;
    for (const [g, v] of pairs) {
      if (!shapesEqual(g.shape, v.shape)) {
        throw new Error(`${this.className}: gradient of shape ${formatShape(g.shape)} does not match variable '${v.name}' of shape ${formatShape(v.shape)}.`);
      }
      this.update(v.values, g.values, this.slotsFor(v), this.iterations);
    }
  }

  /** PyTorch-style step: updates each variable from its accumulated `.grad` (variables without one are skipped). */
  step(variables: readonly Variable[]): void {
    this.applyGradients(variables.filter((v) => v.grad !== null).map((v) => [v.grad!, v] as const));
  }

  /** Clears `.grad` of each variable. */
  zeroGrad(variables: readonly Variable[]): void {
    for (const v of variables) v.grad = null;
  }

  private slotsFor(v: Variable): Float32Array[] {
    let s = this.slots.get(v);
    if (!s) {
      s = this.slotNames.map((_, i) => new Float32Array(v.size).fill(this.initialSlotValue(i)));
      this.slots.set(v, s);
    }
    return s;
  }

  /**
   * The optimizer's state for checkpoints: the iteration count and every slot, keyed by variable name and
   * slot name, in the order the variables were first updated.
   */
  getState(): { iterations: number; slots: { variable: string; slot: string; values: Float32Array }[] } {
    const slots: { variable: string; slot: string; values: Float32Array }[] = [];
    for (const [v, arrays] of this.slots)
      arrays.forEach((values, i) => {
        slots.push({ variable: v.name, slot: this.slotNames[i], values: values.slice() });
      });
    return { iterations: this.iterations, slots };
  }

  /** Restores `getState()` output for the given variables (matched by name). */
  setState(state: ReturnType<Optimizer['getState']>, variables: readonly Variable[]): void {
    const byName = new Map(variables.map((v) => [v.name, v]));
    this.iterations = state.iterations;
    this.slots.clear();
    for (const { variable, slot, values } of state.slots) {
      const v = byName.get(variable);
      if (!v) throw new Error(`${this.className} state refers to unknown variable '${variable}'.`);
      const index = this.slotNames.indexOf(slot);
      if (index < 0) throw new Error(`${this.className} has no slot '${slot}'.`);
      if (values.length !== v.size) throw new Error(`${this.className} slot '${slot}' of '${variable}' has ${values.length} values, expected ${v.size}.`);
      this.slotsFor(v)[index].set(values);
    }
  }

  /** Hyper-parameters (Keras names, camelCase). */
  getConfig(): Record<string, unknown> {
    return { learningRate: this.learningRate };
  }
}
