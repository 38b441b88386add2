// The Dot merge layer as ONNX nodes, the way dendrite computes it (Keras' batch_dot): each input transposed so
// that its summed axis is last (the first input) or first after the batch (the second), reshaped to
// [N, M, K] and [N, K, P], one batched MatMul, and the result reshaped to the two inputs' other axes. With
// `normalize`, both inputs are first L2-normalised along their summed axes, as Keras' l2_normalize.
import type { Dot } from '../../nn/layers/dot.js';
import type { SymbolicShape } from '../../nn/layer.js';
import type { GraphBuilder } from './graph.js';
import { toNhwc, type Value } from './layout.js';

/** The size of each axis but the batch; the Reshapes need them known. */
function knownSizes(layer: Dot, shape: SymbolicShape): number[] {
  const sizes = shape.slice(1);
  if (sizes.some((d) => d === null)) {
    throw new Error(`ONNX export: layer '${layer.name}' (Dot) needs the sizes of its inputs' axes besides the batch, got [${shape.map(String).join(', ')}].`);
  }
  return sizes as number[];
}

/** x / sqrt(max(sum(x², axis), 1e-12)), keeping the summed axis (Keras' l2_normalize). */
function l2Normalize(g: GraphBuilder, x: string, axis: number, base: string): string {
  const squares = g.node('Mul', [x, x], `${base}/squares`);
  const sum = g.node('ReduceSum', [squares, g.int64Tensor(`${base}/axes`, [axis])], `${base}/sum_squares`, { keepdims: 1 });
  const norm = g.node('Sqrt', [g.node('Max', [sum, g.scalar(1e-12)], `${base}/sum_squares_floor`)], `${base}/norm`);
  return g.node('Div', [x, norm], `${base}/normalized`);
}

/** `x` with axis `axis` moved to position `to` (1 or last), then reshaped to [N, ...sizes]: no node where nothing changes. */
function asMatrixBatch(g: GraphBuilder, x: string, rank: number, axis: number, to: 'first' | 'last', sizes: readonly number[], base: string): string {
  const others = Array.from({ length: rank }, (_, i) => i).filter((i) => i !== 0 && i !== axis);
  const perm = to === 'last' ? [0, ...others, axis] : [0, axis, ...others];
  const moved = perm.every((p, i) => p === i) ? x : g.node('Transpose', [x], `${base}/transpose`, { perm });
  return rank === 3 ? moved : g.node('Reshape', [moved, g.int64Tensor(`${base}/shape`, [0, ...sizes])], `${base}/reshape`);
}

/** Dot: the per-sample sum over one axis of each input of their products (the cosine similarity with `normalize`). */
export function exportDot(g: GraphBuilder, layer: Dot, inputs: readonly Value[]): Value {
  const base = layer.name;
  const [a, b] = inputs.map((x, i) => toNhwc(g, x, `${base}/input_${i}`));
  const [aSizes, bSizes] = [knownSizes(layer, a.shape), knownSizes(layer, b.shape)];
  const given = typeof layer.axes === 'number' ? [layer.axes, layer.axes] : layer.axes;
  const [ax, bx] = [a, b].map((x, i) => (given[i] < 0 ? given[i] + x.shape.length : given[i]));
  const k = aSizes[ax - 1];
  const aRest = aSizes.filter((_, i) => i !== ax - 1);
  const bRest = bSizes.filter((_, i) => i !== bx - 1);
  const product = (sizes: readonly number[]) => sizes.reduce((p, d) => p * d, 1);
  let [aName, bName] = [a.name, b.name];
  if (layer.normalize) {
    aName = l2Normalize(g, aName, ax, `${base}/input_0`);
    bName = l2Normalize(g, bName, bx, `${base}/input_1`);
  }
  const a3 = asMatrixBatch(g, aName, a.shape.length, ax, 'last', [product(aRest), k], `${base}/input_0`);
  const b3 = asMatrixBatch(g, bName, b.shape.length, bx, 'first', [k, product(bRest)], `${base}/input_1`);
  const y = g.node('MatMul', [a3, b3], `${base}/matmul`);
  const out = [...aRest, ...bRest];
  // [N, M, P] is already the output when each input kept exactly one other axis
  const result =
    out.length === 2 && aRest.length === 1
      ? y
      : g.node('Reshape', [y, g.int64Tensor(`${base}/shape`, [0, ...(out.length === 0 ? [1] : out)])], `${base}/reshape`);
  return { name: result, shape: layer.computeOutputShape([inputs[0].shape, inputs[1].shape]), layout: 'nhwc' };
}
