import { add } from '../ops/binary.js';
import { onesLike, zerosLike } from '../tensor/create.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { noGrad } from './mode.js';

/** Every recorded tensor that `root` depends on, inputs before outputs. */
function topologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  // iterative DFS so deep graphs (long training unrolls) cannot overflow the stack
  const stack: [Tensor, boolean][] = [[root, false]];
  while (stack.length > 0) {
    const [t, expanded] = stack.pop()!;
    if (expanded) {
      order.push(t);
      continue;
    }
    if (visited.has(t)) continue;
    visited.add(t);
    stack.push([t, true]);
    for (const input of t.gradFn?.inputs ?? []) if (input.requiresGrad && !visited.has(input)) stack.push([input, false]);
  }
  return order;
}

/** Runs reverse-mode differentiation from `y` and returns the gradient of every tensor on its tape. */
function propagate(y: Tensor, dy?: Tensor): Map<Tensor, Tensor> {
  if (!y.requiresGrad) {
    throw new Error('backward(): this tensor does not depend on any tensor with requiresGrad, so there is nothing to differentiate.');
  }
  if (dy === undefined && y.size !== 1) {
    throw new Error(`backward(): the output has shape ${formatShape(y.shape)}; pass an upstream gradient of that shape, or reduce it to a scalar first (e.g. with sum()).`);
  }
  const seed = dy ?? onesLike(y);
  if (!shapesEqual(seed.shape, y.shape)) {
    throw new Error(`backward(): upstream gradient has shape ${formatShape(seed.shape)}, output has shape ${formatShape(y.shape)}.`);
  }
  const grads = new Map<Tensor, Tensor>([[y, seed]]);
  noGrad(() => {
    const order = topologicalOrder(y);
    for (let i = order.length - 1; i >= 0; i--) {
      const t = order[i];
      const g = grads.get(t);
      if (!g || !t.gradFn) continue;
      const inputGrads = t.gradFn.backward(g);
      t.gradFn.inputs.forEach((input, k) => {
        const gi = inputGrads[k];
        if (!gi || !input.requiresGrad) return;
        if (!shapesEqual(gi.shape, input.shape)) {
          throw new Error(`Internal error: gradient of '${t.gradFn!.op}' input ${k} has shape ${formatShape(gi.shape)}, expected ${formatShape(input.shape)}.`);
        }
        const prev = grads.get(input);
        grads.set(input, prev ? add(prev, gi) : gi);
      });
    }
  });
  return grads;
}

/**
 * Backpropagates from `y` (a scalar, or pass `dy`) and adds the result into `.grad` of every leaf tensor
 * with `requiresGrad`, like PyTorch (gradients accumulate until you reset them).
 */
export function backward(y: Tensor, dy?: Tensor): void {
  const grads = propagate(y, dy);
  noGrad(() => {
    for (const [t, g] of grads) {
      if (t.gradFn || !t.requiresGrad) continue;
      t.grad = t.grad ? add(t.grad, g) : g;
    }
  });
}

/** Gradients of `y` with respect to each of `xs` (zeros where `y` does not depend on one); touches no `.grad`. */
export function gradients(y: Tensor, xs: readonly Tensor[], dy?: Tensor): Tensor[] {
  const grads = propagate(y, dy);
  return xs.map((x) => grads.get(x) ?? zerosLike(x));
}
