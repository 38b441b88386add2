import { variableGradients } from '../../autograd/variable-grads.js';
import type { OptimizerFormula } from '../../backend/backend.js';
import { formatShape, shapesEqual } from '../../tensor/shape.js';
import { Tensor, Variable } from '../../tensor/tensor.js';
import { registeredVariable } from '../../tensor/variable-registry.js';

/** `[gradient, variable]` pairs, Keras' order. */
export type GradientPairs = readonly (readonly [Tensor, Variable])[];

/**
 * Gradients by variable name as TF.js passes them: `{ [name]: gradient }` (NamedTensorMap) or
 * `[{ name, tensor }]` (NamedTensor[]). A null or missing gradient leaves its variable as it is.
 */
export type NamedGradients = Readonly<Record<string, Tensor | null | undefined>> | readonly { name: string; tensor: Tensor | null | undefined }[];

/** An optimizer's `formula` option, checked ('keras' when not given). */
export function checkFormula(optimizer: string, formula: unknown): OptimizerFormula {
  if (formula === undefined || formula === 'keras' || formula === 'tfjs') return formula ?? 'keras';
  throw new Error(`${optimizer}: formula must be 'keras' or 'tfjs', got ${JSON.stringify(formula)}.`);
}

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

  /** The names of the slots kept per variable, in order (Adam: momentum, velocity), as Keras names them. */
  get slotKinds(): readonly string[] {
    return this.slotNames;
  }

  /** Initial value of every slot (Adagrad starts its accumulator at 0.1). */
  protected initialSlotValue(slot: number): number {
    void slot;
    return 0;
  }

  /** Updates `p` in place from gradient `g`; `step` counts from 1. */
  protected abstract update(p: Float32Array, g: Float32Array, slots: Float32Array[], step: number): void;

  /**
   * Applies one step with the given `[gradient, variable]` pairs (Keras order), or with gradients by variable
   * name as TF.js passes them (`{ [name]: gradient }` or `[{ name, tensor }]`; a variable is found by its name
   * among the live variables, and a null gradient leaves its variable as it is).
   *
   *     optimizer.applyGradients(grads.map((g, i) => [g, vars[i]]));
   *     optimizer.applyGradients(tf.variableGrads(f).grads);
   */
  applyGradients(gradients: GradientPairs | NamedGradients): void {
    const pairs = this.pairsOf(gradients);
    for (const [g, v] of pairs) {
      if (!shapesEqual(g.shape, v.shape)) {
        throw new Error(`${this.className}: gradient of shape ${formatShape(g.shape)} does not match variable '${v.name}' of shape ${formatShape(v.shape)}.`);
      }
    }
    this.iterations++;
    for (const [g, v] of pairs) this.update(v.values, g.values, this.slotsFor(v), this.iterations);
  }

  /**
   * TF.js' `optimizer.minimize(f, returnCost, varList)`: runs `f`, which returns a scalar loss, differentiates it
   * with respect to the trainable variables of `varList` (default: every trainable variable the loss depends
   * on) and applies one step. Returns the loss when `returnCost` is true, else null.
   *
   *     const w = new Variable(Float32Array.of(0), [1], 'w');
   *     opt.minimize(() => square(sub(w, 3)).sum());
   */
  minimize(f: () => Tensor, returnCost = false, varList?: readonly Variable[] | null): Tensor | null {
    const { value, variables, grads } = variableGradients(f, varList);
    this.applyGradients(grads.map((g, i) => [g, variables[i]] as const));
    return returnCost ? value : null;
  }

  /** Tensors are garbage-collected, so there is nothing to free (TF.js' `dispose`, accepted for ported code). */
  dispose(): void {}

  /** The pairs to update, from either form `applyGradients` takes (null gradients dropped). */
  private pairsOf(gradients: GradientPairs | NamedGradients): [Tensor, Variable][] {
    const usage = `${this.className}.applyGradients takes [gradient, variable] pairs, { [variableName]: gradient } or [{ name, tensor }]`;
    if (gradients === null || typeof gradients !== 'object') throw new Error(`${usage}, got ${String(gradients)}.`);
    const named: [string, Tensor | null | undefined][] = [];
    const pairs: [Tensor, Variable][] = [];
    if (Array.isArray(gradients)) {
      for (const item of gradients as readonly unknown[]) {
        if (Array.isArray(item) && item.length === 2 && item[0] instanceof Tensor && item[1] instanceof Variable) pairs.push([item[0], item[1]]);
        else if (item !== null && typeof item === 'object' && typeof (item as { name?: unknown }).name === 'string' && !Array.isArray(item))
          named.push([(item as { name: string }).name, (item as { tensor?: Tensor | null }).tensor]);
        else throw new Error(`${usage}; got an entry that is neither.`);
      }
    } else {
      for (const [name, g] of Object.entries(gradients as Record<string, Tensor | null | undefined>)) named.push([name, g]);
    }
    for (const [name, g] of named) {
      if (g === null || g === undefined) continue;
      if (!(g instanceof Tensor)) throw new Error(`${usage}; the gradient of '${name}' is not a tensor.`);
      const v = registeredVariable(name);
      if (!(v instanceof Variable)) throw new Error(`${this.className}.applyGradients: there is no variable named '${name}'.`);
      pairs.push([g, v]);
    }
    return pairs;
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
