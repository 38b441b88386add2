import { Tensor } from '../tensor/tensor.js';
import { gradients } from './backward.js';
import { whileDifferentiating } from './mode.js';

function asLeaf(x: Tensor): Tensor {
  const leaf = new Tensor(x.values, x.shape);
  leaf.requiresGrad = true;
  return leaf;
}

/**
 * `grad(f)` is the function x -> df/dx (f must return a scalar, or pass `dy`).
 *
 *     const dSquare = grad((x) => x.square().sum());
 *     dSquare(tensor([1, 2]));  // [2, 4]
 */
export function grad(f: (x: Tensor) => Tensor): (x: Tensor, dy?: Tensor) => Tensor {
  return (x, dy) => valueAndGrad(f)(x, dy).grad;
}

/** Like `grad`, for a function of several tensors: returns one gradient per argument. */
export function grads(f: (...xs: Tensor[]) => Tensor): (xs: Tensor[], dy?: Tensor) => Tensor[] {
  return (xs, dy) => valueAndGrads(f)(xs, dy).grads;
}

/** The value of `f(x)` and its gradient with respect to `x`, in one pass. */
export function valueAndGrad(f: (x: Tensor) => Tensor): (x: Tensor, dy?: Tensor) => { value: Tensor; grad: Tensor } {
  return (x, dy) => {
    const leaf = asLeaf(x);
    const value = whileDifferentiating(() => f(leaf));
    const [g] = gradients(value, [leaf], dy);
    return { value, grad: g };
  };
}

/** The value of `f(...xs)` and its gradients with respect to each argument. */
export function valueAndGrads(f: (...xs: Tensor[]) => Tensor): (xs: Tensor[], dy?: Tensor) => { value: Tensor; grads: Tensor[] } {
  return (xs, dy) => {
    const leaves = xs.map(asLeaf);
    const value = whileDifferentiating(() => f(...leaves));
    return { value, grads: gradients(value, leaves, dy) };
  };
}
