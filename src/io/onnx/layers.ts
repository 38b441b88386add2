// Which dendrite layer becomes which ONNX nodes, and which layers cannot be exported (and why).
import type { Layer } from '../../nn/layer.js';
import * as L from '../../nn/layers/index.js';
import { exportELU, exportLeakyReLU, exportPReLU, exportReLU, exportSoftmax, exportThresholdedReLU } from './activation-layers.js';
import { isExportableActivation } from './activations.js';
import { exportActivation, exportBatchNormalization, exportDense, exportFlatten, exportLayerNormalization, exportReshape } from './core-layers.js';
import type { GraphBuilder } from './graph.js';
import {
  exportConv2D,
  exportConv2DTranspose,
  exportDepthwiseConv2D,
  exportGlobalPooling2D,
  exportPooling2D,
  exportUpSampling2D,
  exportZeroPadding2D,
} from './image-layers.js';
import type { Value } from './layout.js';
import { exportDot } from './dot-layer.js';
import { embeddingMask, exportEmbedding, exportMasking, maskingMask } from './masking-layers.js';
import { mergeMask, noMask, withMasks, type MaskRule } from './masks.js';
import { exportConcatenate, exportElementwiseMerge } from './merge-layers.js';
import { bidirectionalReason, exportBidirectional, exportRecurrent, recurrentMask, recurrentReason } from './recurrent-layers.js';
import { exportCropping2D, exportPermute, exportRepeatVector } from './reshaping-layers.js';
import { exportSeparableConv2D } from './separable-conv2d.js';
import { exportTimeDistributed } from './time-distributed.js';
import { exportConv1D, exportCropping1D, exportGlobalPooling1D, exportPooling1D, exportUpSampling1D, exportZeroPadding1D } from './sequence-layers.js';

/** Appends the nodes of a layer applied to its inputs (one, or a merge layer's list); returns its output (a list for several). */
type Converter = (g: GraphBuilder, layer: Layer, inputs: readonly Value[]) => Value | Value[];

interface Entry {
  type: abstract new (...args: never[]) => Layer;
  convert: Converter;
  /** The masks of the outputs, for a layer that overrides `computeMask` (masks.ts). */
  mask?: MaskRule;
  /** Why this layer, though of an exportable class, cannot be exported (an option ONNX lacks), or null. */
  reason?: (layer: Layer) => string | null;
}

/** A layer of one input. */
function entry<T extends Layer>(type: abstract new (...args: never[]) => T, convert: (g: GraphBuilder, layer: T, x: Value) => Value): Entry {
  return {
    type,
    convert: (g, layer, inputs) => {
      if (inputs.length !== 1) throw new Error(`ONNX export: layer '${layer.name}' (${layer.className}) takes one input, got ${inputs.length}.`);
      return convert(g, layer as T, inputs[0]);
    },
  };
}

/** A merge layer: a list of inputs, one output (with the merged masks, unless `mask` says otherwise). */
function mergeEntry<T extends Layer>(
  type: abstract new (...args: never[]) => T,
  convert: (g: GraphBuilder, layer: T, xs: readonly Value[]) => Value,
  mask: MaskRule = mergeMask,
): Entry {
  return { type, convert: convert as Converter, mask };
}

/** A recurrent layer: the sequence and any initial states in, the output (and the states) out. */
function recurrentEntry(type: abstract new (...args: never[]) => Layer, convert: Converter, reason: (layer: Layer) => string | null): Entry {
  return { type, convert, reason, mask: recurrentMask };
}

/** The input's mask passes on (a wrapper whose computeMask returns it). */
const sameMask: MaskRule = (_g, _layer, inputs, outputs) => outputs.map((_, i) => (i === 0 ? (inputs[0].mask ?? null) : null));

const passThrough = (_g: GraphBuilder, _layer: Layer, x: Value): Value => x;

/** The converters by Keras class name. */
const CONVERTERS: Record<string, Entry> = {
  InputLayer: entry(L.InputLayer, passThrough),
  // inference mode: dropout keeps everything
  Dropout: entry(L.Dropout, passThrough),
  Dense: entry(L.Dense, exportDense),
  Activation: entry(L.Activation, exportActivation),
  Flatten: entry(L.Flatten, exportFlatten),
  Reshape: entry(L.Reshape, exportReshape),
  BatchNormalization: entry(L.BatchNormalization, exportBatchNormalization),
  LayerNormalization: entry(L.LayerNormalization, exportLayerNormalization),
  Conv2D: entry(L.Conv2D, exportConv2D),
  DepthwiseConv2D: entry(L.DepthwiseConv2D, exportDepthwiseConv2D),
  Conv2DTranspose: entry(L.Conv2DTranspose, exportConv2DTranspose),
  MaxPooling2D: entry(L.MaxPooling2D, exportPooling2D),
  AveragePooling2D: entry(L.AveragePooling2D, exportPooling2D),
  GlobalAveragePooling2D: entry(L.GlobalAveragePooling2D, exportGlobalPooling2D),
  GlobalMaxPooling2D: entry(L.GlobalMaxPooling2D, exportGlobalPooling2D),
  ZeroPadding2D: entry(L.ZeroPadding2D, exportZeroPadding2D),
  UpSampling2D: entry(L.UpSampling2D, exportUpSampling2D),
  SeparableConv2D: entry(L.SeparableConv2D, exportSeparableConv2D),
  Cropping2D: entry(L.Cropping2D, exportCropping2D),
  Permute: entry(L.Permute, exportPermute),
  RepeatVector: entry(L.RepeatVector, exportRepeatVector),
  // inference mode: spatial dropout keeps everything
  SpatialDropout2D: entry(L.SpatialDropout2D, passThrough),
  ReLU: entry(L.ReLU, exportReLU),
  LeakyReLU: entry(L.LeakyReLU, exportLeakyReLU),
  PReLU: entry(L.PReLU, exportPReLU),
  ELU: entry(L.ELU, exportELU),
  Softmax: entry(L.Softmax, exportSoftmax),
  ThresholdedReLU: entry(L.ThresholdedReLU, exportThresholdedReLU),
  Add: mergeEntry(L.Add, exportElementwiseMerge),
  Subtract: mergeEntry(L.Subtract, exportElementwiseMerge),
  Multiply: mergeEntry(L.Multiply, exportElementwiseMerge),
  Average: mergeEntry(L.Average, exportElementwiseMerge),
  Maximum: mergeEntry(L.Maximum, exportElementwiseMerge),
  Minimum: mergeEntry(L.Minimum, exportElementwiseMerge),
  Concatenate: mergeEntry(L.Concatenate, exportConcatenate),
  Dot: mergeEntry(L.Dot, exportDot, noMask),
  Embedding: { ...entry(L.Embedding, exportEmbedding), mask: embeddingMask },
  Masking: { ...entry(L.Masking, exportMasking), mask: maskingMask },
  Conv1D: entry(L.Conv1D, exportConv1D),
  MaxPooling1D: entry(L.MaxPooling1D, exportPooling1D),
  AveragePooling1D: entry(L.AveragePooling1D, exportPooling1D),
  // it reads the mask, and its output has none
  GlobalAveragePooling1D: { ...entry(L.GlobalAveragePooling1D, exportGlobalPooling1D), mask: noMask },
  GlobalMaxPooling1D: entry(L.GlobalMaxPooling1D, exportGlobalPooling1D),
  UpSampling1D: entry(L.UpSampling1D, exportUpSampling1D),
  ZeroPadding1D: entry(L.ZeroPadding1D, exportZeroPadding1D),
  Cropping1D: entry(L.Cropping1D, exportCropping1D),
  LSTM: recurrentEntry(L.LSTM, exportRecurrent, recurrentReason),
  GRU: recurrentEntry(L.GRU, exportRecurrent, recurrentReason),
  SimpleRNN: recurrentEntry(L.SimpleRNN, exportRecurrent, recurrentReason),
  Bidirectional: recurrentEntry(L.Bidirectional, exportBidirectional, bidirectionalReason),
  TimeDistributed: {
    ...entry(L.TimeDistributed, (g, layer, x) => exportTimeDistributed(g, layer, x, exportLayer)),
    mask: sameMask,
    reason: (layer) => {
      const inner = unsupportedReason((layer as InstanceType<typeof L.TimeDistributed>).layer);
      return inner ? `'${layer.name}' (TimeDistributed) around ${inner}` : null;
    },
  },
};

/** The class names of the layers that export to ONNX. */
export const EXPORTABLE_LAYERS: readonly string[] = Object.keys(CONVERTERS).filter((n) => n !== 'InputLayer');

/** Why `layer` cannot be exported (e.g. `'my_layer' (MyLayer)`), or null when it can. */
export function unsupportedReason(layer: Layer): string | null {
  const e = Object.hasOwn(CONVERTERS, layer.className) ? CONVERTERS[layer.className] : undefined;
  if (!e || !(layer instanceof e.type)) return `'${layer.name}' (${layer.className})`;
  const reason = e.reason?.(layer);
  if (reason) return reason;
  const activation = (layer as { activation?: unknown }).activation;
  if (activation && typeof activation === 'object' && 'name' in activation && typeof activation.name === 'string' && !isExportableActivation(activation.name)) {
    return `'${layer.name}' (${layer.className} with the custom activation '${activation.name}')`;
  }
  return null;
}

/**
 * Appends the nodes of `layer` applied to `inputs` (one, or a merge layer's list); returns the layer's outputs,
 * each with its mask (masks.ts). Initializers equal to those of an earlier call of the same layer (a shared
 * layer) are reused.
 */
export function exportLayer(g: GraphBuilder, layer: Layer, inputs: readonly Value[]): Value[] {
  if (unsupportedReason(layer)) throw new Error(`ONNX export: layer ${unsupportedReason(layer)} is not supported.`);
  const entry = CONVERTERS[layer.className];
  return g.forLayer(layer, () => {
    const outputs = entry.convert(g, layer, inputs);
    return withMasks(g, layer, inputs, Array.isArray(outputs) ? outputs : [outputs], entry.mask);
  });
}
