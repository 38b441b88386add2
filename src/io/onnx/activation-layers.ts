// The activation layers (ReLU, LeakyReLU, PReLU, ELU, Softmax, ThresholdedReLU) as ONNX nodes, in whichever
// layout their input is stored: all are elementwise but Softmax (over dendrite's axes, mapped to the stored
// ones) and PReLU (whose slopes follow the layout).
import type { ELU } from '../../nn/layers/elu.js';
import type { LeakyReLU } from '../../nn/layers/leaky-re-lu.js';
import type { PReLU } from '../../nn/layers/p-re-lu.js';
import type { ReLU } from '../../nn/layers/re-lu.js';
import type { Softmax } from '../../nn/layers/softmax.js';
import type { ThresholdedReLU } from '../../nn/layers/thresholded-re-lu.js';
import { permute, type GraphBuilder } from './graph.js';
import { storedAxis, type Value } from './layout.js';

/**
 * ReLU: a Relu node, a Clip for a cap alone (ReLU6), else Keras' steps composed: x where x > threshold (else
 * 0), clipped to [0, maxValue], minus negativeSlope * relu(threshold - x).
 */
export function exportReLU(g: GraphBuilder, layer: ReLU, x: Value): Value {
  const base = layer.name;
  const { maxValue, negativeSlope, threshold } = layer;
  if (negativeSlope === 0 && threshold === 0) {
    if (maxValue === null) return { ...x, name: g.node('Relu', [x.name], `${base}/relu`) };
    return { ...x, name: g.node('Clip', [x.name, g.scalar(0), g.scalar(maxValue)], `${base}/clip`) };
  }
  let y =
    threshold === 0
      ? g.node('Relu', [x.name], `${base}/relu`)
      : g.node('Where', [g.node('Greater', [x.name, g.scalar(threshold)], `${base}/above`), x.name, g.scalar(0)], `${base}/thresholded`);
  if (maxValue !== null) y = g.node('Clip', [y, g.scalar(0), g.scalar(maxValue)], `${base}/clip`);
  if (negativeSlope !== 0) {
    const below = g.node('Relu', [g.node('Sub', [g.scalar(threshold), x.name], `${base}/threshold_minus_x`)], `${base}/below`);
    y = g.node('Sub', [y, g.node('Mul', [below, g.scalar(negativeSlope)], `${base}/negative_part`)], `${base}/relu`);
  }
  return { ...x, name: y };
}

export function exportLeakyReLU(g: GraphBuilder, layer: LeakyReLU, x: Value): Value {
  return { ...x, name: g.node('LeakyRelu', [x.name], `${layer.name}/leaky_relu`, { alpha: { float: layer.alpha } }) };
}

export function exportELU(g: GraphBuilder, layer: ELU, x: Value): Value {
  return { ...x, name: g.node('Elu', [x.name], `${layer.name}/elu`, { alpha: { float: layer.alpha } }) };
}

export function exportThresholdedReLU(g: GraphBuilder, layer: ThresholdedReLU, x: Value): Value {
  return { ...x, name: g.node('ThresholdedRelu', [x.name], `${layer.name}/thresholded_relu`, { alpha: { float: layer.theta } }) };
}

/** PReLU as a PRelu node; the slopes, [H, W, C] for images, are stored [C, H, W] when the input is NCHW. */
export function exportPReLU(g: GraphBuilder, layer: PReLU, x: Value): Value {
  const alpha = layer.alpha!;
  const slope = x.layout === 'nchw' ? permute(alpha.values, alpha.shape, [2, 0, 1]) : { values: alpha.values, shape: [...alpha.shape] };
  const slopeName = g.floatTensor(`${layer.name}/alpha`, slope.values, slope.shape);
  return { ...x, name: g.node('PRelu', [x.name, slopeName], `${layer.name}/prelu`) };
}

/** Softmax over one axis as a Softmax node (opset >= 13: that axis alone); over several, exp(x - max) / sum composed. */
export function exportSoftmax(g: GraphBuilder, layer: Softmax, x: Value): Value {
  const base = layer.name;
  const axes = [...new Set((typeof layer.axis === 'number' ? [layer.axis] : layer.axis).map((a) => storedAxis(x, a)))].sort((p, q) => p - q);
  if (axes.length === 1) return { ...x, name: g.node('Softmax', [x.name], `${base}/softmax`, { axis: axes[0] }) };
  // NOTE: opset 17's ReduceMax takes its axes as an attribute, ReduceSum (since 13) as an input
  const max = g.node('ReduceMax', [x.name], `${base}/max`, { axes, keepdims: 1 });
  const e = g.node('Exp', [g.node('Sub', [x.name, max], `${base}/shifted`)], `${base}/exp`);
  const total = g.node('ReduceSum', [e, g.int64Tensor(`${base}/axes`, axes)], `${base}/sum`, { keepdims: 1 });
  return { ...x, name: g.node('Div', [e, total], `${base}/softmax`) };
}
