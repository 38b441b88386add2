// TimeDistributed: the wrapped layer on every step, as dendrite runs it: [N, T, ...] reshaped to one batch of N*T
// steps [N*T, ...], the wrapped layer's own nodes, and the result reshaped back to [N, T, ...]. The sizes come
// from the tensors' shapes at run time, so unknown batch and sequence lengths work.
import type { Layer } from '../../nn/layer.js';
import type { TimeDistributed } from '../../nn/layers/time-distributed.js';
import type { GraphBuilder } from './graph.js';
import { toNhwc, type Value } from './layout.js';
import { describe } from './masks.js';

/** Exports a layer call (layers.ts' exportLayer, handed over so that this file does not import the registry). */
export type ExportCall = (g: GraphBuilder, layer: Layer, inputs: readonly Value[]) => Value[];

export function exportTimeDistributed(g: GraphBuilder, layer: TimeDistributed, x: Value, exportCall: ExportCall): Value {
  const base = layer.name;
  const input = toNhwc(g, x, base);
  const stepDims = g.node('Shape', [input.name], `${base}/step_dims`, { start: 2 });
  const merged = g.node('Concat', [g.int64Tensor(`${base}/all_steps`, [-1]), stepDims], `${base}/steps_shape`, { axis: 0 });
  const steps: Value = { name: g.node('Reshape', [input.name, merged], `${base}/steps`), shape: [null, ...x.shape.slice(2)], layout: 'nhwc' };
  // a mask of each step's own time axis (rank 3 and more) goes to the layer in dendrite; the export cannot follow it there
  const stepsMasked: Value =
    x.mask && x.mask.shape.length >= 3 ? { ...steps, mask: { name: null, shape: [null, ...x.mask.shape.slice(2)], from: describe(layer) } } : steps;
  const [y] = exportCall(g, layer.layer, [stepsMasked]);
  const out = toNhwc(g, y, `${base}/${layer.layer.name}`);
  const lead = g.node('Shape', [input.name], `${base}/batch_and_steps`, { start: 0, end: 2 });
  const outDims = g.node('Shape', [out.name], `${base}/output_dims`, { start: 1 });
  const shape = g.node('Concat', [lead, outDims], `${base}/output_shape`, { axis: 0 });
  return { name: g.node('Reshape', [out.name, shape], `${base}/reshape`), shape: layer.computeOutputShape(x.shape), layout: 'nhwc' };
}
