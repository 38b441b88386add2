import { Tensor, Variable } from '../tensor/tensor.js';
import { gradients } from './backward.js';
import { whileDifferentiating } from './mode.js';

// Gradients with respect to variables that the caller need not list: what TF.js' `optimizer.minimize(f)` and
// `variableGrads(f)` compute. TF.js takes every trainable variable alive and keeps those connected to the loss;
// here the tape says which are.

/** Every tensor that `y` was computed from on the tape (those that require gradients), `y` included. */
function reachable(y: Tensor): Set<Tensor> {
  const visited = new Set<Tensor>();
  // iterative depth-first walk, so deep graphs cannot overflow the stack
  const stack: Tensor[] = [y];
  while (stack.length > 0) {
    const t = stack.pop()!;
    if (visited.has(t) || !t.requiresGrad) continue;
    visited.add(t);
    const inputs = t.gradFn?.inputs ?? [];
    // pushed last to first, so inputs are walked in order and variables come out in the order the forward pass used them
    for (let i = inputs.length - 1; i >= 0; i--) if (!visited.has(inputs[i])) stack.push(inputs[i]);
  }
  return visited;
}

/**
 * The trainable variables that `y` was computed from, in the order the computation first used them.
 *
 *     variablesOf(sum(mul(w, x)));  // [w]
 */
export function variablesOf(y: Tensor): Variable[] {
  return [...reachable(y)].filter((t): t is Variable => t instanceof Variable && !t.gradFn && t.trainable);
}

/** For each of `xs`, whether `y` depends on it on the tape (TF.js gives such an input a null gradient). */
export function dependsOn(y: Tensor, xs: readonly Tensor[]): boolean[] {
  const seen = reachable(y);
  return xs.map((x) => seen.has(x));
}

/**
 * Runs `f` (which returns a scalar loss) and differentiates it with respect to the trainable variables of
 * `varList`, or, without one, every trainable variable it used. Only the variables the loss depends on are
 * returned, each with its gradient.
 *
 *     const { value, variables, grads } = variableGradients(() => sum(square(sub(mul(w, x), y))));
 */
export function variableGradients(f: () => Tensor, varList?: readonly Variable[] | null): { value: Tensor; variables: Variable[]; grads: Tensor[] } {
  if (typeof f !== 'function') throw new Error(`variableGrads(f): f must be a function that returns the loss, got ${typeof f}.`);
  if (varList != null && !(Array.isArray(varList) && varList.every((v) => v instanceof Variable))) {
    throw new Error('variableGrads(f, varList): varList must be an array of variables.');
  }
  const candidates = varList ? varList.filter((v) => v.trainable) : null;
  if (varList && candidates!.length === 0) {
    throw new Error(`variableGrads(f, varList): none of the ${varList.length} variables of varList is trainable.`);
  }
  const value = whileDifferentiating(f);
  if (!(value instanceof Tensor)) throw new Error(`variableGrads(f): f must return the loss as a tensor, got ${value === null ? 'null' : typeof value}.`);
  let variables: Variable[];
  if (candidates) {
    const connected = dependsOn(value, candidates);
    variables = candidates.filter((_, i) => connected[i]);
  } else {
    variables = variablesOf(value);
  }
  if (variables.length === 0) {
    throw new Error(
      'variableGrads(f): the loss f() returned does not depend on any trainable variable. Make sure the operations that use the variables run inside f.',
    );
  }
  if (value.rank !== 0) throw new Error(`variableGrads(f): f must return a scalar (rank 0), but it returned a tensor of rank ${value.rank}.`);
  return { value, variables, grads: gradients(value, variables) };
}
