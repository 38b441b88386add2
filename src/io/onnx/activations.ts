// dendrite's named activations as ONNX nodes, with dendrite's parameters (leakyRelu alpha 0.2, elu alpha 1,
// exact gelu, softmax over the last axis, TF.js' hard sigmoid 0.2 x + 0.5).
import type { CanonicalActivationName } from '../../nn/activations.js';
import { SELU_ALPHA, SELU_SCALE } from '../../ops/activations.js';
import type { GraphBuilder } from './graph.js';
import { storedAxis, type Value } from './layout.js';

type Emit = (g: GraphBuilder, x: Value, base: string) => string;

/** The ONNX form of every built-in activation: an activation added to nn/activations.ts without one here is a type error. */
const ACTIVATIONS: Record<CanonicalActivationName, Emit> = {
  linear: (_g, x) => x.name,
  relu: (g, x, base) => g.node('Relu', [x.name], `${base}/relu`),
  sigmoid: (g, x, base) => g.node('Sigmoid', [x.name], `${base}/sigmoid`),
  tanh: (g, x, base) => g.node('Tanh', [x.name], `${base}/tanh`),
  // the last axis of dendrite's shape, wherever the stored layout keeps it (opset >= 13: one axis, not a flattened block)
  softmax: (g, x, base) => g.node('Softmax', [x.name], `${base}/softmax`, { axis: storedAxis(x, -1) }),
  elu: (g, x, base) => g.node('Elu', [x.name], `${base}/elu`, { alpha: { float: 1 } }),
  leakyRelu: (g, x, base) => g.node('LeakyRelu', [x.name], `${base}/leaky_relu`, { alpha: { float: 0.2 } }),
  softplus: (g, x, base) => g.node('Softplus', [x.name], `${base}/softplus`),
  // NOTE: the exact form 0.5 x (1 + erf(x / sqrt 2)); the Gelu op only arrives in opset 20
  gelu: (g, x, base) => {
    const scaled = g.node('Mul', [x.name, g.scalar(Math.SQRT1_2)], `${base}/gelu_scaled`);
    const erf = g.node('Erf', [scaled], `${base}/gelu_erf`);
    const onePlus = g.node('Add', [erf, g.scalar(1)], `${base}/gelu_one_plus`);
    const half = g.node('Mul', [x.name, g.scalar(0.5)], `${base}/gelu_half`);
    return g.node('Mul', [half, onePlus], `${base}/gelu`);
  },
  swish: (g, x, base) => g.node('Mul', [x.name, g.node('Sigmoid', [x.name], `${base}/swish_sigmoid`)], `${base}/swish`),
  // opset >= 11: the bounds are inputs
  relu6: (g, x, base) => g.node('Clip', [x.name, g.scalar(0), g.scalar(6)], `${base}/relu6`),
  selu: (g, x, base) => g.node('Selu', [x.name], `${base}/selu`, { alpha: { float: SELU_ALPHA }, gamma: { float: SELU_SCALE } }),
  hardSigmoid: (g, x, base) => g.node('HardSigmoid', [x.name], `${base}/hard_sigmoid`, { alpha: { float: 0.2 }, beta: { float: 0.5 } }),
  softsign: (g, x, base) => g.node('Softsign', [x.name], `${base}/softsign`),
  // NOTE: the Mish op only arrives in opset 18
  mish: (g, x, base) => {
    const softplus = g.node('Softplus', [x.name], `${base}/mish_softplus`);
    return g.node('Mul', [x.name, g.node('Tanh', [softplus], `${base}/mish_tanh`)], `${base}/mish`);
  },
};

/** Whether an activation (by its canonical name, as layers store it) can be exported. */
export function isExportableActivation(name: string): name is CanonicalActivationName {
  return Object.hasOwn(ACTIVATIONS, name);
}

/** Applies the activation `name` to `x` (no node for `'linear'`). */
export function emitActivation(g: GraphBuilder, x: Value, name: string, base: string): Value {
  if (!isExportableActivation(name)) throw new Error(`ONNX export: activation '${name}' has no ONNX form.`);
  return { ...x, name: ACTIVATIONS[name](g, x, base) };
}
