import { asScratch, recycle } from '../tensor/buffer-pool.js';
import { onesLike, zerosLike } from '../tensor/create.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { noGrad } from './mode.js';
import { sumGradients } from './sum-gradients.js';

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

/**
 * Runs reverse-mode differentiation from `y` and returns the gradients of the tensors `keep` selects. The
 * gradients of the other tensors are dropped as soon as they have flowed on, and their buffers go back to
 * the training buffer pool (a no-op outside `fit`) unless a gradient still pending shares them (a reshape
 * or a pass-through such as `add` hands its upstream gradient on as is).
 */
function propagate(y: Tensor, keep: (t: Tensor) => boolean, dy?: Tensor): Map<Tensor, Tensor> {
  if (!y.requiresGrad) {
    throw new Error(
      'backward(): this tensor does not depend on any tensor with requiresGrad, so there is nothing to differentiate. (model.predict and evaluate do not record gradients, for speed: call model.apply(x), or predict inside grad / valueAndGrads, or on an x with requiresGrad.)',
    );
  }
  if (dy === undefined && y.size !== 1) {
    throw new Error(
      `backward(): the output has shape ${formatShape(y.shape)}; pass an upstream gradient of that shape, or reduce it to a scalar first (e.g. with sum()).`,
    );
  }
  const seed = dy ?? onesLike(y);
  if (!shapesEqual(seed.shape, y.shape)) {
    throw new Error(`backward(): upstream gradient has shape ${formatShape(seed.shape)}, output has shape ${formatShape(y.shape)}.`);
  }
  const grads = new Map<Tensor, Tensor>([[y, seed]]);
  // how many entries of `grads` hold each buffer
  const holders = new Map<Float32Array, number>([[seed.values, 1]]);
  const hold = (g: Tensor) => holders.set(g.values, (holders.get(g.values) ?? 0) + 1);
  // a gradient no entry holds any more, or one that never entered `grads`: its buffer is free unless held
  const release = (g: Tensor) => {
    if (!holders.has(g.values)) recycle(g.values);
  };
  const drop = (g: Tensor) => {
    const n = holders.get(g.values)! - 1;
    if (n > 0) {
      holders.set(g.values, n);
    } else {
      holders.delete(g.values);
      recycle(g.values);
    }
  };
  noGrad(() =>
    asScratch(() => {
      const order = topologicalOrder(y);
      for (let i = order.length - 1; i >= 0; i--) {
        const t = order[i];
        const g = grads.get(t);
        if (!g || !t.gradFn) continue;
        const inputGrads = t.gradFn.backward(g);
        t.gradFn.inputs.forEach((input, k) => {
          const gi = inputGrads[k];
          if (!gi) return;
          if (!input.requiresGrad) {
            release(gi);
            return;
          }
          if (!shapesEqual(gi.shape, input.shape)) {
            throw new Error(
              `Internal error: gradient of '${t.gradFn!.op}' input ${k} has shape ${formatShape(gi.shape)}, expected ${formatShape(input.shape)}.`,
            );
          }
          const prev = grads.get(input);
          const sum = prev ? sumGradients(prev, gi) : gi;
          grads.set(input, sum);
          hold(sum);
          if (prev) {
            drop(prev);
            release(gi);
          }
        });
        if (!keep(t)) {
          grads.delete(t);
          drop(g);
        }
      }
    }),
  );
  return grads;
}

/**
 * Backpropagates from `y` (a scalar, or pass `dy`) and adds the result into `.grad` of every leaf tensor
 * with `requiresGrad`, like PyTorch (gradients accumulate until you reset them).
 */
export function backward(y: Tensor, dy?: Tensor): void {
  const grads = propagate(y, (t) => !t.gradFn, dy);
  noGrad(() => {
    for (const [t, g] of grads) {
      if (t.gradFn || !t.requiresGrad) continue;
      t.grad = t.grad ? sumGradients(t.grad, g) : g;
    }
  });
}

/** Gradients of `y` with respect to each of `xs` (zeros where `y` does not depend on one); touches no `.grad`. */
export function gradients(y: Tensor, xs: readonly Tensor[], dy?: Tensor): Tensor[] {
  const wanted = new Set(xs);
  const grads = propagate(y, (t) => wanted.has(t), dy);
  return xs.map((x) => grads.get(x) ?? zerosLike(x));
}
