import { add } from '../ops/binary.js';
import { biasActivation, FUSABLE_ACTIVATIONS, type FusedActivation } from '../ops/fused.js';
import { elu, gelu, leakyRelu, softplus, swish } from '../ops/activations.js';
import { softmax } from '../ops/softmax.js';
import { relu, sigmoid, tanh } from '../ops/unary.js';
import type { Tensor } from '../tensor/tensor.js';
import { unknownNameMessage } from './suggest.js';

/**
 * Activation names (TF.js spelling), plus the Keras spellings `'leaky_relu'` and `'silu'` (= swish).
 * Defaults of the parameterised ones: `leakyRelu` alpha 0.2 (TF.js; Keras uses 0.3), `elu` alpha 1,
 * `gelu` exact erf form (Keras `approximate=False`), `softmax` over the last axis.
 */
export type ActivationName =
  | 'linear'
  | 'relu'
  | 'leakyRelu'
  | 'elu'
  | 'sigmoid'
  | 'tanh'
  | 'softmax'
  | 'softplus'
  | 'gelu'
  | 'swish'
  | 'leaky_relu'
  | 'silu';

/** An activation by name, or any tensor-to-tensor function (recorded ops keep it differentiable). */
export type ActivationIdentifier = ActivationName | ((x: Tensor) => Tensor);

/** A resolved activation: its canonical name (stored in layer configs) and the function. */
export interface ActivationFunction {
  readonly name: string;
  apply(x: Tensor): Tensor;
  /** Set for built-ins that `biasActivation` can fuse with the preceding bias add. */
  readonly fused?: FusedActivation;
}

const BY_NAME: Record<string, (x: Tensor) => Tensor> = {
  linear: (x) => x,
  relu: (x) => relu(x),
  leakyRelu: (x) => leakyRelu(x, 0.2),
  elu: (x) => elu(x, 1),
  sigmoid: (x) => sigmoid(x),
  tanh: (x) => tanh(x),
  softmax: (x) => softmax(x, -1),
  softplus: (x) => softplus(x),
  gelu: (x) => gelu(x, false),
  swish: (x) => swish(x),
};

const ALIASES: Record<string, string> = { leaky_relu: 'leakyRelu', silu: 'swish' };

const CANONICAL = Object.keys(BY_NAME);

/**
 * The activation for a name or function. Unknown names throw with a suggestion
 * ("Unknown activation 'relux' — did you mean 'relu'?").
 *
 *     getActivation('relu').apply(tensor([-1, 2]));  // [0, 2]
 */
/** True for an activation resolved from a name (dendrite's code), false for a user's function. */
export function isBuiltInActivation(activation: ActivationFunction): boolean {
  return Object.hasOwn(BY_NAME, activation.name) && BY_NAME[activation.name] === activation.apply;
}

export function getActivation(id: ActivationIdentifier): ActivationFunction {
  if (typeof id === 'function') {
    const fn = id;
    return { name: fn.name || 'custom', apply: (x) => fn(x) };
  }
  if (typeof id !== 'string') throw new Error(`An activation must be a name or a function, got ${String(id)}.`);
  const name = Object.hasOwn(ALIASES, id) ? ALIASES[id] : id;
  if (!Object.hasOwn(BY_NAME, name)) throw new Error(unknownNameMessage('activation', id, [...CANONICAL, ...Object.keys(ALIASES)]));
  const fused = FUSABLE_ACTIVATIONS.find((f) => f === name);
  return { name, apply: BY_NAME[name], ...(fused ? { fused } : {}) };
}

/**
 * `activation(x + bias)` for a layer's output (bias over the last axis, or none): one fused pass when the
 * activation allows it, otherwise the add and the activation as separate ops.
 */
export function applyBiasAndActivation(x: Tensor, bias: Tensor | null, activation: ActivationFunction): Tensor {
  if (activation.fused) return biasActivation(x, bias, activation.fused);
  return activation.apply(bias ? add(x, bias) : x);
}
