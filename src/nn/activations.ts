import { add } from '../ops/binary.js';
import { biasActivation, FUSABLE_ACTIVATIONS, type FusedActivation } from '../ops/fused.js';
import {
  elu,
  gelu,
  generalRelu,
  hardSigmoid,
  leakyRelu,
  mish,
  relu6,
  selu,
  softplus,
  softsign,
  swish,
  thresholdedRelu,
  type GeneralReluOptions,
} from '../ops/activations.js';
import { softmax } from '../ops/softmax.js';
import { relu, sigmoid, tanh } from '../ops/unary.js';
import type { Tensor } from '../tensor/tensor.js';
import { unknownNameMessage } from './suggest.js';

/**
 * Every built-in activation, by its canonical (TF.js) name: the one table that model files, the loader and
 * ONNX export derive their names from (io/onnx/activations.ts must give each one an ONNX form, or the build
 * fails). Defaults of the parameterised ones: `leakyRelu` alpha 0.2 (TF.js; Keras uses 0.3), `elu` alpha 1,
 * `gelu` exact erf form (Keras `approximate=False`), `softmax` over the last axis. `hardSigmoid` is TF.js'
 * clip(0.2 x + 0.5, 0, 1), also Keras 2's: what a TF.js file's 'hard_sigmoid' means (Keras 3 writes the same
 * name for relu6(x + 3) / 6).
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
  relu6: (x: Tensor) => relu6(x),
  selu: (x: Tensor) => selu(x),
  hardSigmoid: (x: Tensor) => hardSigmoid(x),
  softsign: (x: Tensor) => softsign(x),
  mish: (x: Tensor) => mish(x),
} as const satisfies Record<string, (x: Tensor) => Tensor>;

/** The canonical name of a built-in activation, as layer configs and model files store it. */
export type CanonicalActivationName = keyof typeof ACTIVATIONS;

/** Keras spellings accepted beside the canonical names. */
export const ACTIVATION_ALIASES = { leaky_relu: 'leakyRelu', silu: 'swish', hard_sigmoid: 'hardSigmoid' } as const satisfies Record<
  string,
  CanonicalActivationName
>;

/** Activation names: the canonical ones (TF.js spelling), plus the Keras spellings `'leaky_relu'`, `'hard_sigmoid'` and `'silu'` (= swish). */
export type ActivationName = CanonicalActivationName | keyof typeof ACTIVATION_ALIASES;

/**
 * An activation by name, any tensor-to-tensor function (recorded ops keep it differentiable), or one already
 * resolved (`getActivation`'s or `activationFromLayer`'s result).
 */
export type ActivationIdentifier = ActivationName | ((x: Tensor) => Tensor) | ActivationFunction;

/**
 * A Keras activation layer with its parameters (TF.js' config keys), as a model file may store it in place of
 * an activation name: Keras 3 writes `"activation": {"class_name": "LeakyReLU", "config": {...}}` for
 * `Dense(activation=LeakyReLU())`.
 */
export type ActivationLayerSpec =
  | { readonly className: 'ReLU'; readonly config: Readonly<GeneralReluOptions> }
  | { readonly className: 'LeakyReLU'; readonly config: { readonly alpha: number } }
  | { readonly className: 'ELU'; readonly config: { readonly alpha: number } }
  | { readonly className: 'Softmax'; readonly config: { readonly axis: number } }
  | { readonly className: 'ThresholdedReLU'; readonly config: { readonly theta: number } };

/** A resolved activation: its canonical name (stored in layer configs) and the function. */
export interface ActivationFunction {
  readonly name: string;
  apply(x: Tensor): Tensor;
  /** Set for built-ins that `biasActivation` can fuse with the preceding bias add. */
  readonly fused?: FusedActivation;
  /** Set for an activation that no name stands for (LeakyReLU with alpha 0.3...): model files store this layer in place of a name. */
  readonly layer?: ActivationLayerSpec;
}

/** True when `name` is a built-in activation's canonical name (an own key: 'constructor' is none). */
export function isCanonicalActivationName(name: unknown): name is CanonicalActivationName {
  return typeof name === 'string' && Object.hasOwn(ACTIVATIONS, name);
}

/** The activations `activationFromLayer` made: dendrite's code, like the named ones. */
const FROM_LAYERS = new WeakSet<ActivationFunction>();

/** True for an activation resolved from a name or a Keras activation layer (dendrite's code), false for a user's function. */
export function isBuiltInActivation(activation: ActivationFunction): boolean {
  return (isCanonicalActivationName(activation.name) && ACTIVATIONS[activation.name] === activation.apply) || FROM_LAYERS.has(activation);
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
  if (isActivationFunction(id)) return id;
  if (typeof id !== 'string') throw new Error(`An activation must be a name or a function, got ${String(id)}.`);
  const name = Object.hasOwn(ACTIVATION_ALIASES, id) ? ACTIVATION_ALIASES[id as keyof typeof ACTIVATION_ALIASES] : id;
  if (!isCanonicalActivationName(name))
    throw new Error(unknownNameMessage('activation', id, [...Object.keys(ACTIVATIONS), ...Object.keys(ACTIVATION_ALIASES)]));
  const fused = FUSABLE_ACTIVATIONS.find((f) => f === name);
  return { name, apply: ACTIVATIONS[name], ...(fused ? { fused } : {}) };
}

function isActivationFunction(id: unknown): id is ActivationFunction {
  return typeof id === 'object' && id !== null && typeof (id as ActivationFunction).name === 'string' && typeof (id as ActivationFunction).apply === 'function';
}

/** The named activation a Keras activation layer computes, where one does (ReLU with maxValue 6 is relu6); else null. */
function namedEquivalent(spec: ActivationLayerSpec): CanonicalActivationName | null {
  switch (spec.className) {
    case 'ReLU': {
      const { negativeSlope = 0, threshold = 0, maxValue = null } = spec.config;
      if (negativeSlope !== 0 || threshold !== 0) return null;
      return maxValue === null ? 'relu' : maxValue === 6 ? 'relu6' : null;
    }
    case 'LeakyReLU':
      return spec.config.alpha === 0.2 ? 'leakyRelu' : null;
    case 'ELU':
      return spec.config.alpha === 1 ? 'elu' : null;
    case 'Softmax':
      return spec.config.axis === -1 ? 'softmax' : null;
    case 'ThresholdedReLU':
      return null;
  }
}

/** The function of a Keras activation layer. */
function layerFunction(spec: ActivationLayerSpec): (x: Tensor) => Tensor {
  switch (spec.className) {
    case 'ReLU':
      return (x) => generalRelu(x, spec.config);
    case 'LeakyReLU':
      return (x) => leakyRelu(x, spec.config.alpha);
    case 'ELU':
      return (x) => elu(x, spec.config.alpha);
    case 'Softmax':
      return (x) => softmax(x, spec.config.axis);
    case 'ThresholdedReLU':
      return (x) => thresholdedRelu(x, spec.config.theta);
  }
}

/**
 * The activation a Keras activation layer computes, for a layer that takes it in place of a name: the named
 * one where it is the same (ReLU with maxValue 6 is 'relu6', LeakyReLU with alpha 0.2 'leakyRelu'), otherwise
 * one that model files store as that layer (`activation.layer`).
 *
 *     dense({ units: 8, activation: activationFromLayer({ className: 'LeakyReLU', config: { alpha: 0.3 } }) });
 */
export function activationFromLayer(spec: ActivationLayerSpec): ActivationFunction {
  for (const [key, value] of Object.entries(spec.config)) {
    if (value !== undefined && value !== null && !Number.isFinite(value))
      throw new Error(`activation ${spec.className}: ${key} must be a finite number, got ${value}.`);
    // as Keras requires: the ReLU formula assumes 0 <= threshold and 0 <= maxValue
    if (spec.className === 'ReLU' && typeof value === 'number' && value < 0) throw new Error(`activation ReLU: ${key} must be non-negative, got ${value}.`);
  }
  const named = namedEquivalent(spec);
  if (named) return getActivation(named);
  const params = Object.entries(spec.config)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${k}=${String(v)}`);
  const activation: ActivationFunction = { name: `${spec.className}(${params.join(', ')})`, apply: layerFunction(spec), layer: spec };
  FROM_LAYERS.add(activation);
  return activation;
}

/**
 * `activation(x + bias)` for a layer's output (bias over the last axis, or none): one fused pass when the
 * activation allows it, otherwise the add and the activation as separate ops.
 */
export function applyBiasAndActivation(x: Tensor, bias: Tensor | null, activation: ActivationFunction): Tensor {
  if (activation.fused) return biasActivation(x, bias, activation.fused);
  return activation.apply(bias ? add(x, bias) : x);
}
