// The 1-D sequence layers as ONNX nodes. dendrite's sequences are [N, steps, channels]; ONNX's Conv and pooling
// take [N, channels, steps] and work in one dimension as in two, so Conv1D and the poolings transpose in, run the
// 1-D operator and transpose back (ONNX Runtime folds a Transpose pair between two such layers). The rest are
// reshapes and reductions on dendrite's own layout.
import type { Conv1D } from '../../nn/layers/conv1d.js';
import type { Cropping1D } from '../../nn/layers/cropping1d.js';
import type { GlobalPooling1D } from '../../nn/layers/global-pooling1d.js';
import type { Pooling1D } from '../../nn/layers/pooling1d.js';
import { stepPadding } from '../../nn/layers/sequence-args.js';
import type { UpSampling1D } from '../../nn/layers/up-sampling1d.js';
import type { ZeroPadding1D } from '../../nn/layers/zero-padding1d.js';
import { emitActivation } from './activations.js';
import { permute, type Attributes, type GraphBuilder } from './graph.js';
import type { Value } from './layout.js';
import { readMask } from './masks.js';

const BOOL = 9;

/** [N, T, C] <-> [N, C, T]. */
const swapLast = (g: GraphBuilder, name: string, base: string): string => g.node('Transpose', [name], base, { perm: [0, 2, 1] });

/**
 * The padding attributes of a window over the steps of `x` ([N, T, C]): explicit `pads` [before, after] by
 * TensorFlow's 'same' rule or the causal one when the length is known, else `auto_pad: 'SAME_UPPER'` (the same
 * rule at run time); causal padding does not depend on the length.
 */
function stepPads(x: Value, window: number, stride: number, dilation: number, padding: 'valid' | 'same' | 'causal'): Attributes {
  if (padding === 'valid') return { pads: [0, 0] };
  if (padding === 'causal') return { pads: [(window - 1) * dilation, 0] };
  const steps = x.shape[1];
  if (steps === null) return { auto_pad: 'SAME_UPPER' };
  const { before, after } = stepPadding(steps, window, stride, dilation, padding);
  return { pads: [before, after] };
}

/** Conv1D: kernel [k, in, filters] -> [filters, in, k], a 1-D Conv with bias, then the activation. */
export function exportConv1D(g: GraphBuilder, layer: Conv1D, x: Value): Value {
  const base = layer.name;
  const k = layer.kernel!;
  const kernel = permute(k.values, k.shape, [2, 1, 0]);
  const inputs = [swapLast(g, x.name, `${base}/to_nct`), g.floatTensor(`${base}/kernel`, kernel.values, kernel.shape)];
  if (layer.bias) inputs.push(g.floatTensor(`${base}/bias`, layer.bias.values, layer.bias.shape));
  const y = g.node('Conv', inputs, `${base}/conv`, {
    kernel_shape: [...layer.kernelSize],
    strides: [...layer.strides],
    dilations: [...layer.dilationRate],
    group: 1,
    ...stepPads(x, layer.kernelSize[0], layer.strides[0], layer.dilationRate[0], layer.padding),
  });
  const out: Value = { name: swapLast(g, y, `${base}/to_ntc`), shape: layer.computeOutputShape(x.shape), layout: 'nhwc' };
  return emitActivation(g, out, layer.activation.name, base);
}

/** MaxPooling1D / AveragePooling1D; 'same' average pooling divides by the real (unpadded) steps, as dendrite. */
export function exportPooling1D(g: GraphBuilder, layer: Pooling1D, x: Value): Value {
  const base = layer.name;
  const max = layer.className === 'MaxPooling1D';
  const y = g.node(max ? 'MaxPool' : 'AveragePool', [swapLast(g, x.name, `${base}/to_nct`)], `${base}/${max ? 'max_pool' : 'average_pool'}`, {
    kernel_shape: [...layer.poolSize],
    strides: [...layer.strides],
    ...stepPads(x, layer.poolSize[0], layer.strides[0], 1, layer.padding),
    count_include_pad: max ? undefined : 0,
  });
  return { name: swapLast(g, y, `${base}/to_ntc`), shape: layer.computeOutputShape(x.shape), layout: 'nhwc' };
}

/**
 * GlobalAveragePooling1D / GlobalMaxPooling1D: a reduction over the steps (axis 1). With a mask, the average is
 * the sum over the real steps divided by their number, masked steps zeroed with Where, as dendrite and Keras.
 */
export function exportGlobalPooling1D(g: GraphBuilder, layer: GlobalPooling1D, x: Value): Value {
  const base = layer.name;
  const keepdims = layer.keepDims ? 1 : 0;
  const shape = layer.computeOutputShape(x.shape);
  if (layer.className === 'GlobalMaxPooling1D') {
    return { name: g.node('ReduceMax', [x.name], `${base}/max`, { axes: [1], keepdims }), shape, layout: 'nhwc' };
  }
  const mask = readMask(layer, x);
  if (!mask) return { name: g.node('ReduceMean', [x.name], `${base}/mean`, { axes: [1], keepdims }), shape, layout: 'nhwc' };
  // NOTE: opset 17's ReduceSum takes its axes as an input (ReduceMean and ReduceMax as an attribute)
  const axes = g.int64Tensor(`${base}/steps_axis`, [1]);
  const steps = g.node('Unsqueeze', [mask.name as string, g.int64Tensor(`${base}/channels_axis`, [2])], `${base}/mask_steps`);
  const kept = g.node('Where', [g.node('Cast', [steps], `${base}/is_step`, { to: BOOL }), x.name, g.scalar(0)], `${base}/kept`);
  const total = g.node('ReduceSum', [kept, axes], `${base}/sum`, { keepdims });
  const count = g.node('ReduceSum', [steps, axes], `${base}/count`, { keepdims });
  return { name: g.node('Div', [total, count], `${base}/mean`), shape, layout: 'nhwc' };
}

/** UpSampling1D: [N, T, C] -> [N, T, 1, C], expanded to [N, T, size, C], then [N, T*size, C]. */
export function exportUpSampling1D(g: GraphBuilder, layer: UpSampling1D, x: Value): Value {
  const base = layer.name;
  const channels = x.shape[2] as number;
  const unsqueezed = g.node('Unsqueeze', [x.name, g.int64Tensor(`${base}/axis`, [2])], `${base}/unsqueeze`);
  const repeated = g.node('Expand', [unsqueezed, g.int64Tensor(`${base}/repeats`, [1, 1, layer.size, 1])], `${base}/repeat`);
  // 0 keeps the batch size; -1 is T * size, known or not
  const y = g.node('Reshape', [repeated, g.int64Tensor(`${base}/shape`, [0, -1, channels])], `${base}/reshape`);
  return { name: y, shape: layer.computeOutputShape(x.shape), layout: 'nhwc' };
}

/** ZeroPadding1D as a constant Pad of the steps axis. */
export function exportZeroPadding1D(g: GraphBuilder, layer: ZeroPadding1D, x: Value): Value {
  const [left, right] = layer.padding;
  const y = g.node('Pad', [x.name, g.int64Tensor(`${layer.name}/pads`, [0, left, 0, 0, right, 0])], `${layer.name}/pad`, { mode: 'constant' });
  return { name: y, shape: layer.computeOutputShape(x.shape), layout: 'nhwc' };
}

/** Cropping1D as a Slice of the steps axis; the end counts from the end, so unknown lengths work too. */
export function exportCropping1D(g: GraphBuilder, layer: Cropping1D, x: Value): Value {
  const base = layer.name;
  const [left, right] = layer.cropping;
  const inputs = [
    x.name,
    g.int64Tensor(`${base}/starts`, [left]),
    g.int64Tensor(`${base}/ends`, [right === 0 ? Number.MAX_SAFE_INTEGER : -right]),
    g.int64Tensor(`${base}/axes`, [1]),
  ];
  return { name: g.node('Slice', inputs, `${base}/crop`), shape: layer.computeOutputShape(x.shape), layout: 'nhwc' };
}
