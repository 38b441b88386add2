// TF.js' gradient functions: `tf.grad`, `tf.grads`, `tf.valueAndGrad`, `tf.valueAndGrads`, `tf.variableGrads`
// and `tf.customGrad`, on dendrite's tape (autograd/functional.ts, autograd/variable-grads.ts, ops/op.ts' record).
// Where TF.js differs from dendrite's own functions, TF.js' way is kept:
// - without `dy`, a function of any shape is differentiated as if `dy` were ones (dendrite asks for a scalar);
// - an argument that the result does not depend on is an error (dendrite gives it a zero gradient);
// - `grad` and `grads` take TensorLike arguments (numbers, arrays), `valueAndGrad(s)` only tensors;
// - `variableGrads` returns the gradients by variable name, with null for a non-trainable variable of `varList`.
import { valueAndGrads as dendriteValueAndGrads } from '../autograd/functional.js';
import { noGrad } from '../autograd/mode.js';
import { dependsOn, variableGradients } from '../autograd/variable-grads.js';
import { record } from '../ops/op.js';
import { sum } from '../ops/reduce.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import { Tensor, type Variable } from '../tensor/tensor.js';
import { convertToTensor, convertToTensorArray } from './convert.js';
import type { TensorLike } from './dtype.js';

/** TF.js' NamedTensorMap: tensors by name. */
export type NamedTensorMap = Record<string, Tensor>;

function fail(message: string): never {
  throw new Error(message);
}

function checkFunction(f: unknown, where: string): void {
  if (typeof f !== 'function') fail(`The f passed in ${where} must be a function`);
}

/**
 * The value of `f(...xs)` and its gradients with respect to each of `xs`, TF.js' way: `dy` defaults to ones of
 * the value's shape, and every argument must reach the value.
 */
function valueAndGradients(f: (...xs: Tensor[]) => Tensor, xs: Tensor[], dy: Tensor | null, call: string): { value: Tensor; grads: Tensor[] } {
  let value: Tensor | undefined;
  const result = dendriteValueAndGrads((...leaves: Tensor[]) => {
    const y = f(...leaves);
    if (!(y instanceof Tensor)) fail('The result y returned by f() must be a tensor.');
    if (dependsOn(y, leaves).includes(false)) {
      fail('Cannot compute gradient of y=f(x) with respect to x. Make sure that the f you passed encloses all operations that lead from x to y.');
    }
    if (dy !== null && !shapesEqual(dy.shape, y.shape)) {
      fail(`The shape of dy passed in ${call} must match the shape returned by f: ${formatShape(dy.shape)} and ${formatShape(y.shape)}.`);
    }
    value = y;
    // NOTE: without dy, TF.js seeds the backward pass with ones; the sum's gradient is exactly that
    return dy === null ? sum(y) : y;
  })(xs, dy ?? undefined);
  return { value: value!, grads: result.grads };
}

/**
 * `tf.grad(f)`: the function `(x, dy?) => df/dx` for a function of one tensor.
 *
 *     tf.grad((x) => x.square())(tf.tensor1d([1, 2]));  // [2, 4]
 */
export function grad(f: (x: Tensor) => Tensor): (x: Tensor | TensorLike, dy?: Tensor | TensorLike | null) => Tensor {
  checkFunction(f, 'grad(f)');
  return (x, dy) => {
    const $x = convertToTensor(x, 'x', 'tf.grad');
    const $dy = dy != null ? convertToTensor(dy, 'dy', 'tf.grad') : null;
    return valueAndGradients(f, [$x], $dy, 'grad(f)(x, dy)').grads[0];
  };
}

/**
 * `tf.grads(f)`: the function `(args, dy?) => [df/dx1, df/dx2, ...]` for a function of several tensors.
 *
 *     tf.grads((a, b) => a.mul(b))([tf.tensor1d([1, 2]), tf.tensor1d([3, 4])]);  // [[3, 4], [1, 2]]
 */
export function grads(f: (...args: Tensor[]) => Tensor): (args: readonly (Tensor | TensorLike)[], dy?: Tensor | TensorLike | null) => Tensor[] {
  checkFunction(f, 'grads(f)');
  return (args, dy) => {
    if (!Array.isArray(args)) fail('The args passed in grads(f)(args) must be an array of `Tensor`s or `TensorLike`s');
    const $args = convertToTensorArray(args, 'args', 'tf.grads');
    const $dy = dy != null ? convertToTensor(dy, 'dy', 'tf.grads') : null;
    return valueAndGradients(f, $args, $dy, 'grads(f)([x1,...], dy)').grads;
  };
}

/**
 * `tf.valueAndGrad(f)`: `(x, dy?) => { value: f(x), grad: df/dx }`.
 *
 *     const { value, grad } = tf.valueAndGrad((x) => x.square())(tf.tensor1d([3]));  // 9, 6
 */
export function valueAndGrad(f: (x: Tensor) => Tensor): (x: Tensor, dy?: Tensor | null) => { value: Tensor; grad: Tensor } {
  checkFunction(f, 'valueAndGrad(f)');
  return (x, dy) => {
    if (!(x instanceof Tensor)) fail('The x passed in valueAndGrad(f)(x) must be a tensor');
    if (dy != null && !(dy instanceof Tensor)) fail('The dy passed in valueAndGrad(f)(x, dy) must be a tensor');
    const {
      value,
      grads: [g],
    } = valueAndGradients(f, [x], dy ?? null, 'valueAndGrad(f)(x, dy)');
    return { grad: g, value };
  };
}

/**
 * `tf.valueAndGrads(f)`: `(args, dy?) => { value: f(...args), grads: [df/dx1, ...] }`.
 *
 *     tf.valueAndGrads((a, b) => a.mul(b))([tf.scalar(2), tf.scalar(5)]);  // value 10, grads [5, 2]
 */
export function valueAndGrads(f: (...args: Tensor[]) => Tensor): (args: readonly Tensor[], dy?: Tensor | null) => { value: Tensor; grads: Tensor[] } {
  checkFunction(f, 'valueAndGrads(f)');
  return (args, dy) => {
    if (!Array.isArray(args) || !args.every((a) => a instanceof Tensor)) fail('The args passed in valueAndGrads(f)(args) must be array of tensors');
    if (dy != null && !(dy instanceof Tensor)) fail('The dy passed in valueAndGrads(f)(args, dy) must be a tensor');
    return valueAndGradients(f, [...args], dy ?? null, 'valueAndGrads(f)([x1,...], dy)');
  };
}

/**
 * `tf.variableGrads(f, varList?)`: the scalar `f()` and its gradients by variable name, with respect to the
 * trainable variables of `varList` or, without one, every trainable variable `f` used (a variable the loss does
 * not depend on is left out; a non-trainable one in `varList` gets null, as in TF.js).
 *
 *     const { value, grads } = tf.variableGrads(() => w.square().sum());  // grads[w.name]
 */
export function variableGrads(f: () => Tensor, varList?: readonly Variable[] | null): { value: Tensor; grads: Record<string, Tensor | null> } {
  const { value, variables, grads: gs } = variableGradients(f, varList);
  const named: Record<string, Tensor | null> = {};
  variables.forEach((v, i) => {
    named[v.name] = gs[i];
  });
  for (const v of varList ?? []) if (!v.trainable) named[v.name] = null;
  return { value, grads: named };
}

/** What `customGrad`'s function returns: the value and the function of its gradients. */
export interface CustomGradientResult {
  value: Tensor;
  gradFunc: (dy: Tensor, saved: Tensor[]) => Tensor | Tensor[];
}

/** The `save` function `customGrad` passes last: the tensors given reach `gradFunc` as `saved`. */
export type GradSaveFunc = (save: Tensor[]) => void;

/**
 * `tf.customGrad(f)`: a function whose gradient is the one `f` gives. `f(...inputs, save)` returns
 * `{ value, gradFunc: (dy, saved) => gradient(s) of the inputs }`; its own operations are not recorded.
 *
 *     const clippedIdentity = tf.customGrad((x, save) => ({ value: x.clone(), gradFunc: (dy) => dy.clipByValue(-1, 1) }));
 */
export function customGrad(f: (...args: never[]) => CustomGradientResult): (...args: Tensor[]) => Tensor {
  checkFunction(f, 'customGrad(f)');
  return (...inputs) => {
    if (!inputs.every((t) => t instanceof Tensor)) fail('The args passed in customGrad(f)(x1, x2,...) must all be tensors');
    let saved: Tensor[] = [];
    const save: GradSaveFunc = (tensors) => {
      saved = tensors;
    };
    const call = f as unknown as (...args: (Tensor | GradSaveFunc)[]) => CustomGradientResult;
    const result = noGrad(() => call(...inputs, save));
    if (!(result?.value instanceof Tensor)) fail('The function f passed in customGrad(f) must return an object where `obj.value` is a tensor');
    if (typeof result.gradFunc !== 'function') fail('The function f passed in customGrad(f) must return an object where `obj.gradFunc` is a function.');
    // a tensor of its own over the value's numbers, so that recording it leaves the value f returned untouched
    const out = new Tensor(result.value.values, result.value.shape, result.value.dtype);
    return record(out, 'customGrad', inputs, (dy) => {
      const g = result.gradFunc(dy, saved);
      const list = Array.isArray(g) ? g : [g];
      if (list.length !== inputs.length || !list.every((t) => t instanceof Tensor)) {
        fail(
          'The function f passed in customGrad(f) must return an object where `obj.gradFunc` returns the same number of tensors as inputs passed to f(...).',
        );
      }
      return list;
    });
  };
}
