// A model's layers as ONNX nodes: a Sequential's one after another, a graph model's layer calls in the order
// the model runs them, each symbolic tensor's ONNX value looked up by the tensor (so a value that several layers
// read is computed once). A model used as a layer is inlined the same way, its names under its own
// (`encoder/dense/matmul`); a layer called twice (shared) keeps one set of weights.
import type { Layer } from '../../nn/layer.js';
import type { SymbolicTensor } from '../../nn/symbolic-tensor.js';
import { isGraphModel, isSequentialModel, type ExportableGraphModel, type ExportableModel } from './exportable-model.js';
import type { GraphBuilder } from './graph.js';
import { exportLayer } from './layers.js';
import type { Value } from './layout.js';

/** Appends the nodes of one call of `layer` on `inputs`: a nested model's layers, or the layer's own nodes. Returns its outputs. */
function exportCall(g: GraphBuilder, layer: Layer, inputs: readonly Value[]): Value[] {
  if (isGraphModel(layer) || isSequentialModel(layer)) return g.within(layer.name, () => exportModelLayers(g, layer, inputs));
  return exportLayer(g, layer, inputs);
}

/** The layer calls of a graph model, in its run order: every input of a call has been computed before it. */
function exportLayerCalls(g: GraphBuilder, model: ExportableGraphModel, inputs: readonly Value[]): Value[] {
  const values = new Map<SymbolicTensor, Value>(model.inputs.map((t, i) => [t, inputs[i]]));
  const computed = (t: SymbolicTensor): Value => {
    const value = values.get(t);
    if (!value) throw new Error(`ONNX export: model '${model.name}' reads '${t.name}' before a layer call computes it.`);
    return value;
  };
  for (const call of model.layerCalls) {
    const outputs = exportCall(g, call.layer, call.inputs.map(computed));
    call.outputs.forEach((t, i) => {
      values.set(t, outputs[i]);
    });
  }
  return model.outputs.map(computed);
}

/**
 * Appends the nodes of `model` applied to `inputs` (one value per model input); returns one value per model
 * output. A Sequential is its chain of layers, as it runs (and as it was exported before graph models existed).
 */
export function exportModelLayers(g: GraphBuilder, model: ExportableModel, inputs: readonly Value[]): Value[] {
  if (inputs.length !== (model.inputShapes?.length ?? 1)) {
    throw new Error(`ONNX export: model '${model.name}' has ${model.inputShapes?.length ?? 1} input(s), got ${inputs.length}.`);
  }
  if (isGraphModel(model)) return exportLayerCalls(g, model, inputs);
  if (!isSequentialModel(model)) throw new Error(`ONNX export: model '${model.name}' (${model.className}) is neither a Sequential nor a graph model.`);
  let x = inputs[0];
  for (const layer of model.layers) [x] = exportCall(g, layer, [x]);
  return [x];
}
