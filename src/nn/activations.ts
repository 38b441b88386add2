import { add } from '../ops/binary.js';
import { biasActivation, FUSABLE_ACTIVATIONS, type FusedActivation } from '../ops/fused.js';
import { elu, gelu, leakyRelu, softplus, swish } from '../ops/activations.js';
import { softmax } from '../ops/softmax.js';
import { relu, sigmoid, tanh } from '../ops/unary.js';
import type { Tensor } from '../tensor/tensor.js';
import { unknownNameMessage } from './suggest.js';

/**
 * Every built-in activation, by its canonical (TF.js) name: the one table that model files, the loader and
 * ONNX export derive their names from (io/onnx/activations.ts must give each one an ONNX form, or the build
 * fails). Defaults of the parameterised ones: `leakyRelu` alpha 0.2 (TF.js; Keras uses 0.3), `elu` alpha 1,
 * `gelu` exact erf form (Keras `approximate=False`), `softmax` over the last axis.
 */
export const ACTIVATIONS = {
  linear: (x: Tensor) => x,
  relu: (x: Tensor) => relu(x),
  leakyRelu: (x: Tensor) => leakyRelu(x, 0.2),
  elu: (x: Tensor) => elu(x, 1),
  sigmoid: (x: Tensor) => sigmoid(x),
  tanh: (x: Tensor) => tanh(x),
  softmax: (x: Tensor) => softmax(x, -1),
  softplus: (x: Tensor) => softplus(x),
  gelu: (x: Tensor) => gelu(x, false),
  swish: (x: Tensor) => swish(x),
} as const satisfies Record<string, (x: Tensor) => Tensor>;

/** The canonical name of a built-in activation, as layer configs and model files store it. */
export type CanonicalActivationName = keyof typeof ACTIVATIONS;

/** Keras spellings accepted beside the canonical names. */
export const ACTIVATION_ALIASES = { leaky_relu: 'leakyRelu', silu: 'swish' } as const satisfies Record<string, CanonicalActivationName>;

/** Activation names: the canonical ones (TF.js spelling), plus the Keras spellings `'leaky_relu'` and `'silu'` (= swish). */
export type ActivationName = CanonicalActivationName | keyof typeof ACTIVATION_ALIASES;

/** An activation by name, or any tensor-to-tensor function (recorded ops keep it differentiable). */
export type ActivationIdentifier = ActivationName | ((x: Tensor) => Tensor);

/** A resolved activation: its canonical name (stored in layer configs) and the function. */
export interface ActivationFunction {
  readonly name: string;
  apply(x: Tensor): Tensor;
  /** Set for built-ins that `biasActivation` can fuse with the preceding bias add. */
  readonly fused?: FusedActivation;
}

/** True when `name` is a built-in activation's canonical name (an own key: 'constructor' is none). */
export function isCanonicalActivationName(name: unknown): name is CanonicalActivationName {
  return typeof name === 'string' && Object.hasOwn(ACTIVATIONS, name);
}

/** True for an activation resolved from a name (dendrite's code), false for a user's function. */
export function isBuiltInActivation(activation: ActivationFunction): boolean {
  return isCanonicalActivationName(activation.name) && ACTIVATIONS[activation.name] === activation.apply;
}

/**
 * The activation for a name or function. Unknown names throw with a suggestion
 * ("Unknown activation 'relux' — did you mean 'relu'?").
 *
 *     getActivation('relu').apply(tensor([-1, 2]));  // [0, 2]
 */
export function getActivation(id: ActivationIdentifier): ActivationFunction {
  if (typeof id === 'function') {
    const fn = id;
    return { name: fn.name || 'custom', apply: (x) => fn(x) };
  }
  if (typeof id !== 'string') throw new Error(`An activation must be a name or a function, got ${String(id)}.`);
  const name = Object.hasOwn(ACTIVATION_ALIASES, id) ? ACTIVATION_ALIASES[id as keyof typeof ACTIVATION_ALIASES] : id;
  if (!isCanonicalActivationName(name))
    throw new Error(unknownNameMessage('activation', id, [...Object.keys(ACTIVATIONS), ...Object.keys(ACTIVATION_ALIASES)]));
  const fused = FUSABLE_ACTIVATIONS.find((f) => f === name);
  return { name, apply: ACTIVATIONS[name], ...(fused ? { fused } : {}) };
}

/**
 * `activation(x + bias)` for a layer's output (bias over the last axis, or none): one fused pass when the
 * activation allows it, otherwise the add and the activation as separate ops.
 */
export function applyBiasAndActivation(x: Tensor, bias: Tensor | null, activation: ActivationFunction): Tensor {
  if (activation.fused) return biasActivation(x, bias, activation.fused);
  return activation.apply(bias ? add(x, bias) : x);
}
