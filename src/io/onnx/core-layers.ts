// The layers that are not image-specific as ONNX nodes: Dense, Activation, Flatten, Reshape and the two
// normalisations. Those that depend on the order of the axes (Dense, Flatten, Reshape, LayerNormalization)
// first bring their input back to dendrite's NHWC layout, so their weights and element order match.
import type { Activation } from '../../nn/layers/activation.js';
import type { BatchNormalization } from '../../nn/layers/batch-normalization.js';
import type { Dense } from '../../nn/layers/dense.js';
import type { Flatten } from '../../nn/layers/flatten.js';
import type { LayerNormalization } from '../../nn/layers/layer-normalization.js';
import type { Reshape } from '../../nn/layers/reshape.js';
import { emitActivation } from './activations.js';
import type { GraphBuilder } from './graph.js';
import { storedAxis, toNhwc, type Value } from './layout.js';

/** Dense as MatMul (which broadcasts over leading axes, so [N, T, in] works too) + Add + activation. */
export function exportDense(g: GraphBuilder, layer: Dense, x: Value): Value {
  const base = layer.name;
  const input = toNhwc(g, x, base);
  const kernel = layer.kernel!;
  let y = g.node('MatMul', [input.name, g.floatTensor(`${base}/kernel`, kernel.values, kernel.shape)], `${base}/matmul`);
  if (layer.bias) y = g.node('Add', [y, g.floatTensor(`${base}/bias`, layer.bias.values, layer.bias.shape)], `${base}/bias_add`);
  return emitActivation(g, { name: y, shape: layer.computeOutputShape(x.shape), layout: 'nhwc' }, layer.activation.name, base);
}

/** Activation: elementwise (or softmax over dendrite's last axis), in whichever layout `x` is stored. */
export function exportActivation(g: GraphBuilder, layer: Activation, x: Value): Value {
  return emitActivation(g, x, layer.activation.name, layer.name);
}

/** Flatten in NHWC order (the order the next Dense kernel was trained on). */
export function exportFlatten(g: GraphBuilder, layer: Flatten, x: Value): Value {
  const input = toNhwc(g, x, layer.name);
  return { name: g.node('Flatten', [input.name], `${layer.name}/flatten`, { axis: 1 }), shape: layer.computeOutputShape(x.shape), layout: 'nhwc' };
}

/** Reshape to [batch, ...targetShape]: 0 copies the batch size, -1 stays for ONNX to infer. */
export function exportReshape(g: GraphBuilder, layer: Reshape, x: Value): Value {
  const input = toNhwc(g, x, layer.name);
  const shape = g.int64Tensor(`${layer.name}/shape`, [0, ...layer.targetShape]);
  return { name: g.node('Reshape', [input.name, shape], `${layer.name}/reshape`), shape: layer.computeOutputShape(x.shape), layout: 'nhwc' };
}

/** [C] parameters placed on stored axis `axis` of a rank-`rank` tensor: dims [1, ..., C, ..., 1]. */
function placedDims(rank: number, axis: number, size: number): number[] {
  return Array.from({ length: rank }, (_, i) => (i === axis ? size : 1));
}

/**
 * BatchNormalization with the moving statistics (inference). On the ONNX channel axis (axis 1, e.g. after
 * a convolution in NCHW or on [N, features]) it is a BatchNormalization node; on any other axis the
 * statistics are folded into one scale and one shift: y = x * gamma / sqrt(var + eps) + (beta - mean * that).
 */
export function exportBatchNormalization(g: GraphBuilder, layer: BatchNormalization, x: Value): Value {
  const base = layer.name;
  const rank = x.shape.length;
  const axis = storedAxis(x, layer.axis < 0 ? layer.axis + rank : layer.axis);
  const mean = layer.movingMean!.values;
  const variance = layer.movingVariance!.values;
  const c = mean.length;
  const gamma = layer.gamma?.values ?? new Float32Array(c).fill(1);
  const beta = layer.beta?.values ?? new Float32Array(c);
  if (axis === 1) {
    const inputs = [x.name, g.floatTensor(`${base}/gamma`, gamma, [c]), g.floatTensor(`${base}/beta`, beta, [c])];
    inputs.push(g.floatTensor(`${base}/moving_mean`, mean, [c]), g.floatTensor(`${base}/moving_variance`, variance, [c]));
    return { ...x, name: g.node('BatchNormalization', inputs, `${base}/batch_norm`, { epsilon: { float: layer.epsilon } }) };
  }
  const scale = new Float32Array(c);
  const shift = new Float32Array(c);
  for (let i = 0; i < c; i++) {
    scale[i] = gamma[i] / Math.sqrt(variance[i] + layer.epsilon);
    shift[i] = beta[i] - mean[i] * scale[i];
  }
  const dims = placedDims(rank, axis, c);
  const scaled = g.node('Mul', [x.name, g.floatTensor(`${base}/scale`, scale, dims)], `${base}/scaled`);
  return { ...x, name: g.node('Add', [scaled, g.floatTensor(`${base}/shift`, shift, dims)], `${base}/shifted`) };
}

/**
 * LayerNormalization over trailing axes is the opset-17 LayerNormalization node; over other axes (e.g. [1, 2]
 * of an image batch) it is composed: (x - mean) / sqrt(var + eps) * gamma + beta, with the biased variance.
 */
export function exportLayerNormalization(g: GraphBuilder, layer: LayerNormalization, x: Value): Value {
  const base = layer.name;
  const input = toNhwc(g, x, base);
  const rank = x.shape.length;
  const axes = (typeof layer.axis === 'number' ? [layer.axis] : [...layer.axis]).map((a) => (a < 0 ? a + rank : a)).sort((p, q) => p - q);
  const paramShape = axes.map((a) => x.shape[a] as number);
  const size = paramShape.reduce((a, b) => a * b, 1);
  const out = (name: string): Value => ({ name, shape: x.shape, layout: 'nhwc' });
  if (axes.every((a, i) => a === rank - axes.length + i)) {
    const scale = g.floatTensor(`${base}/gamma`, layer.gamma?.values ?? new Float32Array(size).fill(1), paramShape);
    const inputs = [input.name, scale, ...(layer.beta ? [g.floatTensor(`${base}/beta`, layer.beta.values, paramShape)] : [])];
    return out(g.node('LayerNormalization', inputs, `${base}/layer_norm`, { axis: axes[0], epsilon: { float: layer.epsilon } }));
  }
  const placed = x.shape.map((d, i) => (axes.includes(i) ? (d as number) : 1));
  const mean = g.node('ReduceMean', [input.name], `${base}/mean`, { axes, keepdims: 1 });
  const centred = g.node('Sub', [input.name, mean], `${base}/centred`);
  const variance = g.node('ReduceMean', [g.node('Mul', [centred, centred], `${base}/squared`)], `${base}/variance`, { axes, keepdims: 1 });
  const std = g.node('Sqrt', [g.node('Add', [variance, g.scalar(layer.epsilon)], `${base}/variance_eps`)], `${base}/std`);
  let y = g.node('Div', [centred, std], `${base}/normalized`);
  if (layer.gamma) y = g.node('Mul', [y, g.floatTensor(`${base}/gamma`, layer.gamma.values, placed)], `${base}/scaled`);
  if (layer.beta) y = g.node('Add', [y, g.floatTensor(`${base}/beta`, layer.beta.values, placed)], `${base}/shifted`);
  return out(y);
}
