// The graph of a model: from its input and output symbolic tensors, the layer calls (nodes) between them, their
// depths, the layers in Keras' order, and the plan that runs each node once. This is Keras'
// `_map_graph_network` (TF.js' Container constructor), with the same ordering, so that a model's `layers` and
// weights come in the order Keras and TF.js give them, and the same errors for a graph that cannot be run.
import { InputLayer } from '../nn/layers/input.js';
import { layerOf, type Layer } from '../nn/layer.js';
import type { CallArgs, Node, SymbolicShape, SymbolicTensor } from '../nn/symbolic-tensor.js';

/** One node to run: its layer, where its inputs are read and its outputs written (slots), and its call arguments. */
export interface Step {
  readonly layer: Layer;
  readonly node: Node;
  readonly inputSlots: readonly number[];
  readonly outputSlots: readonly number[];
  readonly callArgs: CallArgs;
}

/** A model's graph, mapped once when the model is made. */
export interface GraphNetwork {
  /** Every layer, each once, deepest first (inputs first), in Keras' order within a depth. */
  readonly layers: Layer[];
  /** The input layers, one per model input. */
  readonly inputLayers: InputLayer[];
  /** The nodes of the model by depth (0: the nodes that make the outputs). */
  readonly nodesByDepth: ReadonlyMap<number, readonly Node[]>;
  /** The nodes that belong to the model (a shared layer may have nodes elsewhere too). */
  readonly nodes: ReadonlySet<Node>;
  /** The nodes to run, in order, each once. */
  readonly steps: readonly Step[];
  /** Slots hold the tensors while the model runs: the inputs' slots, the outputs' slots and how many there are. */
  readonly inputSlots: readonly number[];
  readonly outputSlots: readonly number[];
  readonly slotCount: number;
}

/** "'dense' (Dense)" */
function describe(layer: { name: string; className: string }): string {
  return `'${layer.name}' (${layer.className})`;
}

/** The nodes the outputs depend on, each after the nodes it depends on, and each layer's first-visit index (Keras' `_build_map`). */
function buildMap(outputs: readonly SymbolicTensor[]): { nodesInDecreasingDepth: Node[]; layerIndices: Map<Layer, number> } {
  const finished = new Set<Node>();
  const inProgress = new Set<Node>();
  const nodesInDecreasingDepth: Node[] = [];
  const layerIndices = new Map<Layer, number>();
  // an explicit stack (node, next input to visit) rather than recursion, so that deep graphs cannot overflow
  for (const output of outputs) {
    const stack: { node: Node; next: number }[] = [];
    const visit = (t: SymbolicTensor) => {
      const node = t.node;
      if (finished.has(node)) return;
      if (inProgress.has(node)) throw new Error(`The tensor '${t.name}' at layer ${describe(t.sourceLayer)} is part of a cycle.`);
      const layer = layerOf(node.outboundLayer);
      if (!layerIndices.has(layer)) layerIndices.set(layer, layerIndices.size);
      inProgress.add(node);
      stack.push({ node, next: 0 });
    };
    visit(output);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top.next < top.node.inputTensors.length) {
        visit(top.node.inputTensors[top.next++]);
        continue;
      }
      stack.pop();
      finished.add(top.node);
      inProgress.delete(top.node);
      nodesInDecreasingDepth.push(top.node);
    }
  }
  return { nodesInDecreasingDepth, layerIndices };
}

/** Maps the graph between `inputs` and `outputs` (`what` names the model in errors). */
export function mapGraphNetwork(inputs: readonly SymbolicTensor[], outputs: readonly SymbolicTensor[], what: string): GraphNetwork {
  const inputLayers = inputs.map((t, i) => {
    const layer = t.sourceLayer;
    if (!(layer instanceof InputLayer) || t.nodeIndex !== 0 || t.tensorIndex !== 0) {
      throw new Error(
        `${what}: inputs[${i}] is the output of layer ${describe(layer)}, not a model input; a model's inputs must be tensors made by input({ shape }).`,
      );
    }
    return layer;
  });
  const { nodesInDecreasingDepth, layerIndices } = buildMap(outputs);

  // depths: 0 for the nodes that make the outputs, growing towards the inputs; a layer takes its deepest node's
  const nodeDepths = new Map<Node, number>();
  const layerDepths = new Map<Layer, number>();
  for (const node of [...nodesInDecreasingDepth].reverse()) {
    const layer = layerOf(node.outboundLayer);
    const depth = Math.max(nodeDepths.get(node) ?? 0, layerDepths.get(layer) ?? 0);
    // NOTE: a Map keeps a key where it was first set, as Keras' dict does: nodes_by_depth keeps that order
    nodeDepths.set(node, depth);
    layerDepths.set(layer, depth);
    for (const parent of node.parentNodes) nodeDepths.set(parent, Math.max(depth + 1, nodeDepths.get(parent) ?? 0));
  }
  // an input that no output depends on still belongs to the model (Keras keeps it, at depth 0)
  for (const layer of inputLayers) {
    if (layerDepths.has(layer)) continue;
    layerDepths.set(layer, 0);
    layerIndices.set(layer, -1);
    nodeDepths.set(layer.inboundNodes[0], 0);
  }

  const nodesByDepth = new Map<number, Node[]>();
  for (const [node, depth] of nodeDepths) nodesByDepth.set(depth, [...(nodesByDepth.get(depth) ?? []), node]);
  const layersByDepth = new Map<number, Layer[]>();
  for (const [layer, depth] of layerDepths) layersByDepth.set(depth, [...(layersByDepth.get(depth) ?? []), layer]);
  const layers = [...layersByDepth.keys()]
    .sort((a, b) => b - a)
    .flatMap((depth) => layersByDepth.get(depth)!.sort((a, b) => layerIndices.get(a)! - layerIndices.get(b)!));

  // every node's inputs must be computable from the model's inputs, deepest first
  const slots = new Map<SymbolicTensor, number>(inputs.map((t, i) => [t, i]));
  const steps: Step[] = [];
  const done: string[] = [];
  for (const depth of [...nodesByDepth.keys()].sort((a, b) => b - a)) {
    for (const node of nodesByDepth.get(depth)!) {
      if (node.isInput) continue;
      const layer = layerOf(node.outboundLayer);
      const missing = node.inputTensors.find((t) => !slots.has(t));
      if (missing) {
        const source =
          missing.sourceLayer instanceof InputLayer ? `the input '${missing.sourceLayer.name}', which is not among the model's inputs` : `'${missing.name}'`;
        throw new Error(
          `${what}: the graph is disconnected: layer ${describe(layer)} needs ${source} (shape ${JSON.stringify(missing.shape)}); pass every input the outputs depend on in inputs.${done.length > 0 ? ` Layers reached without trouble: ${done.join(', ')}.` : ''}`,
        );
      }
      const inputSlots = node.inputTensors.map((t) => slots.get(t)!);
      const outputSlots = node.outputTensors.map((t) => {
        slots.set(t, slots.size);
        return slots.size - 1;
      });
      steps.push({ layer, node, inputSlots, outputSlots, callArgs: node.callArgs });
      done.push(layer.name);
    }
  }

  const names = layers.map((l) => l.name);
  for (const name of names) {
    const n = names.filter((x) => x === name).length;
    if (n !== 1) throw new Error(`${what}: the name '${name}' is used by ${n} layers; layer names must be unique in a model (layers: ${names.join(', ')}).`);
  }
  return {
    layers,
    inputLayers,
    nodesByDepth,
    nodes: new Set(nodeDepths.keys()),
    steps,
    inputSlots: inputs.map((_, i) => i),
    outputSlots: outputs.map((t) => {
      const slot = slots.get(t);
      if (slot === undefined) throw new Error(`${what}: output '${t.name}' cannot be computed from the inputs.`);
      return slot;
    }),
    slotCount: slots.size,
  };
}

/** The shapes of symbolic tensors. */
export function shapesOf(tensors: readonly SymbolicTensor[]): SymbolicShape[] {
  return tensors.map((t) => t.shape);
}
