// The layers that make masks, as ONNX nodes with their masks (masks.ts): Embedding, a Gather of its table's rows
// by the ids (which arrive as float32, as dendrite takes them), whose mask with maskZero is id != 0; and Masking,
// which zeroes the steps whose features all equal maskValue and masks them.
import type { Embedding } from '../../nn/layers/embedding.js';
import type { Masking } from '../../nn/layers/masking.js';
import type { GraphBuilder } from './graph.js';
import { toNhwc, type Value } from './layout.js';
import { describe, type MaskRule } from './masks.js';

const FLOAT = 1;
const INT64 = 7;

/** Embedding: [N, ...] ids -> [N, ..., outputDim]. */
export function exportEmbedding(g: GraphBuilder, layer: Embedding, x: Value): Value {
  const base = layer.name;
  const table = layer.embeddings!;
  const ids = g.node('Cast', [x.name], `${base}/ids`, { to: INT64 });
  const y = g.node('Gather', [g.floatTensor(`${base}/embeddings`, table.values, table.shape), ids], `${base}/gather`, { axis: 0 });
  return { name: y, shape: layer.computeOutputShape(x.shape), layout: 'nhwc' };
}

/** With maskZero, the mask (id != 0) as float 1 / 0, the ids' shape; else none (Embedding.computeMask). */
export const embeddingMask: MaskRule = (g, layer, inputs) => {
  if (!(layer as Embedding).maskZero) return [null];
  const x = inputs[0];
  const zero = g.node('Equal', [x.name, g.scalar(0)], `${layer.name}/is_padding`);
  const mask = g.node('Cast', [g.node('Not', [zero], `${layer.name}/is_token`)], `${layer.name}/mask`, { to: FLOAT });
  return [{ name: mask, shape: x.shape, from: describe(layer) }];
};

/** 1 where some feature of the step differs from maskValue, else 0: [N, T, 1] (kept) or [N, T]. */
function keptSteps(g: GraphBuilder, layer: Masking, x: Value, keepdims: 0 | 1): string {
  const input = toNhwc(g, x, layer.name);
  const same = g.node('Equal', [input.name, g.scalar(layer.maskValue)], `${layer.name}/is_mask_value`);
  const differs = g.node('Cast', [g.node('Not', [same], `${layer.name}/differs`)], `${layer.name}/differs_f`, { to: FLOAT });
  return g.node('ReduceMax', [differs], `${layer.name}/${keepdims ? 'kept' : 'mask'}`, { axes: [-1], keepdims });
}

/** Masking: the input with its masked steps zeroed. */
export function exportMasking(g: GraphBuilder, layer: Masking, x: Value): Value {
  const input = toNhwc(g, x, layer.name);
  return { name: g.node('Mul', [input.name, keptSteps(g, layer, x, 1)], `${layer.name}/masked`), shape: x.shape, layout: 'nhwc' };
}

/** Masking's mask: the steps with some feature other than maskValue (Masking.computeMask), the input's mask replaced. */
export const maskingMask: MaskRule = (g, layer, inputs) => {
  const x = inputs[0];
  return [{ name: keptSteps(g, layer as Masking, x, 0), shape: x.shape.slice(0, -1), from: describe(layer) }];
};
