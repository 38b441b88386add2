// A graph model as Keras and TF.js describe it (`Functional.get_config`, TF.js' `Container.getConfig`): each
// layer with the calls that feed it (`inbound_nodes`: per call, one `[layer name, node index, tensor index,
// call arguments]` per input), and the model's `input_layers` and `output_layers` as `[layer name, node
// index, tensor index]`. Node indices count only the calls that belong to the model, from 1 for a nested
// model (its node 0 is its own graph), as Keras numbers them in a file.
import { layerEntry } from '../io/layer-config.js';
import { sequentialTopology } from '../io/save.js';
import type { Layer } from '../nn/layer.js';
import type { Node, SymbolicTensor } from '../nn/symbolic-tensor.js';
import type { GraphNetwork } from './graph-network.js';
import { isOwnModel } from './model-classes.js';

/** What a model's description reads of it. */
export interface DescribedModel {
  readonly name: string;
  readonly className: string;
  readonly inputs: readonly SymbolicTensor[];
  readonly outputs: readonly SymbolicTensor[];
}

/** A layer's call as a model file refers to it: `[layer name, node index, tensor index]`. */
export type TensorRef = [string, number, number];

/** Each call of a layer in the model -> its index in the file (Keras' `node_conversion_map`). */
function nodeIndices(graph: GraphNetwork): Map<Node, number> {
  const indices = new Map<Node, number>();
  for (const layer of graph.layers) {
    let kept = isOwnModel(layer) ? 1 : 0;
    for (const node of layer.inboundNodes) if (graph.nodes.has(node)) indices.set(node, kept++);
  }
  return indices;
}

/** The reference to a symbolic tensor from a layer call of the model. */
function tensorRef(t: SymbolicTensor, indices: Map<Node, number>): TensorRef {
  return [t.sourceLayer.name, indices.get(t.node) ?? 0, t.tensorIndex];
}

/**
 * The model's config with each layer's entry made by `entry`: the camelCase form of `getConfig` (`entry` gives
 * `{ className, config }`, keys `inboundNodes`, `inputLayers`, `outputLayers`) or the snake_case form of a file.
 */
function describe(
  model: DescribedModel,
  graph: GraphNetwork,
  entry: (layer: Layer) => Record<string, unknown>,
  keys: { inboundNodes: string; inputLayers: string; outputLayers: string },
): Record<string, unknown> {
  const indices = nodeIndices(graph);
  const layers = graph.layers.map((layer) => {
    const calls = layer.inboundNodes.filter((n) => graph.nodes.has(n) && !n.isInput);
    const inbound = calls.map((n) => n.inputTensors.map((t) => [...tensorRef(t, indices), { ...n.callArgs }]));
    return { name: layer.name, ...entry(layer), [keys.inboundNodes]: inbound };
  });
  return {
    name: model.name,
    layers,
    [keys.inputLayers]: model.inputs.map((t) => tensorRef(t, indices)),
    [keys.outputLayers]: model.outputs.map((t) => tensorRef(t, indices)),
  };
}

/** The model's config in camelCase, as TF.js' `getConfig` (each layer's config as its `getConfig` gives it). */
export function modelConfig(model: DescribedModel, graph: GraphNetwork): Record<string, unknown> {
  return describe(model, graph, (layer) => ({ className: layer.className, config: layer.getConfig() }), {
    inboundNodes: 'inboundNodes',
    inputLayers: 'inputLayers',
    outputLayers: 'outputLayers',
  });
}

/** A layer's `{ class_name, config }` entry in a file; a nested model's is its own topology. */
function fileEntry(layer: Layer): Record<string, unknown> {
  if (isOwnModel(layer)) {
    const nested = (layer as unknown as { toJSON(unused: unknown, returnString: false): Record<string, unknown> }).toJSON(null, false);
    return { class_name: nested.class_name, config: nested.config };
  }
  // a layer keeps the input shape it was declared with (an input layer always has one)
  return layerEntry(layer, layer.batchInputShape);
}

/**
 * The model's topology as model.json holds it (`{ class_name, config, keras_version, backend }`, snake_case, as
 * TF.js' `model.toJSON()`): a Sequential model's as io writes it, a graph model's with its calls.
 */
export function modelTopology(model: DescribedModel & { readonly layers: readonly Layer[] }, graph: GraphNetwork | null): Record<string, unknown> {
  if (model.className === 'Sequential' || !graph) return sequentialTopology(model as unknown as Parameters<typeof sequentialTopology>[0]);
  const config = describe(model, graph, fileEntry, { inboundNodes: 'inbound_nodes', inputLayers: 'input_layers', outputLayers: 'output_layers' });
  return { class_name: model.className, config, keras_version: 'tfjs-layers 4.22.0', backend: 'tensor_flow.js' };
}
