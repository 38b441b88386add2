// A graph (functional) model from its topology: each layer made from its entry, then each recorded call made
// again with `layer.apply` on the symbolic tensors it refers to, then the model made from its inputs and outputs
// (Keras' `functional_from_config`, TF.js' `Container.fromConfig`). A call may refer to a later call of another
// layer (a layer shared at different depths, as in A(B(A(B(x))))): like Keras, each layer's calls are made in
// their order, and one that must wait is taken up again when what it waits for exists; here through a list of
// waiters rather than repeated passes, so that a file of many layers in any order loads in linear time. A call
// that can never be made (a cycle) is refused, naming the layers. Browser-safe.
import type { Layer } from '../nn/layer.js';
import { InputLayer } from '../nn/layers/input.js';
import type { Node, SymbolicTensor } from '../nn/symbolic-tensor.js';
import { readCalls, readModelTensors, type CallRecord, type NodeStyle, type TensorRef } from './keras-nodes.js';
import { WeightFileError } from './load-weights.js';
import type { LoadableModel, ModelMakers } from './saveable-model.js';
import { isObject, listNames, shortJson } from './untrusted-json.js';

/** A graph model's config: its name, its layer entries (not yet read), and its inputs and outputs (not yet read). */
export interface GraphConfig {
  name?: string;
  layers: unknown[];
  inputLayers: unknown;
  outputLayers: unknown;
  /** Keras 3 writes a frozen model's `trainable: false`. */
  trainable?: boolean;
}

/** A layer of the topology with the calls the file records for it. */
interface Entry {
  readonly layer: Layer;
  readonly index: number;
  readonly calls: readonly CallRecord[];
  /** The nested model's kind, for how the file numbers its calls. */
  readonly nested: 'graph' | 'sequential' | null;
  /** The calls made so far, in order: the file's node indices point into these. */
  readonly made: Node[];
}

/** Makes the layer of entry `index` (a nested model too), and says whether it is a nested model and of which kind. */
export type LayerMaker = (entry: unknown, index: number) => { layer: Layer; nested: 'graph' | 'sequential' | null };

/** "layer 3 'dense' (Dense)" */
function describe(e: Entry): string {
  return `layer ${e.index} '${e.layer.name}' (${e.layer.className})`;
}

/**
 * How many calls of a layer a file counts before its first real one: a nested model's own graph is node 0 where
 * the file's style counts it. `nested` is the layer's kind of nested model (null for a plain layer); `place` says
 * whether the reference is in a call's arguments or in the model's input/output layers.
 */
export function uncountedCalls(nested: 'graph' | 'sequential' | null, style: NodeStyle, place: 'call' | 'model'): number {
  if (nested === null) return 0;
  if (style === 'list') return 1;
  // Keras 3 numbers a nested model's calls from 0 in the arguments of calls, and from 1 for a functional model
  // in output_layers (Keras 3 `Functional.get_config`; its `functional_from_config` subtracts it again)
  return place === 'model' && nested === 'graph' ? 1 : 0;
}

function firstCall(e: Entry, style: NodeStyle, place: 'call' | 'model'): number {
  return uncountedCalls(e.nested, style, place);
}

/** The entry of a reference's layer, or an error naming the layer that refers to it. */
function entryOf(byName: ReadonlyMap<string, Entry>, ref: TensorRef, where: string): Entry {
  const e = byName.get(ref.layer);
  if (!e) throw new Error(`${where} refers to the layer '${ref.layer}', which is not a layer of the model (layers: ${listNames([...byName.keys()])}).`);
  return e;
}

/**
 * Which of `e`'s calls the reference means (an index into `e.made`), checked against the calls the file
 * records, so that a reference to a call that will never be made fails here, by name.
 */
function callIndex(e: Entry, ref: TensorRef, style: NodeStyle, place: 'call' | 'model', where: string): number {
  if (e.layer instanceof InputLayer) {
    if (ref.node !== 0) throw new Error(`${where} refers to node ${ref.node} of the input '${e.layer.name}', which has node 0 only.`);
    return -1;
  }
  const index = ref.node - firstCall(e, style, place);
  if (index < 0) {
    throw new Error(
      `${where} refers to node ${ref.node} of ${describe(e)}: the model's own graph, not one of its calls (which the file numbers from ${ref.node + 1}).`,
    );
  }
  if (index >= e.calls.length) {
    throw new Error(
      `${where} refers to node ${ref.node} of ${describe(e)}, but the file records ${e.calls.length} call(s) of it${e.calls.length > 0 ? ` (nodes ${firstCall(e, style, place)} to ${firstCall(e, style, place) + e.calls.length - 1})` : ''}.`,
    );
  }
  return index;
}

/** The symbolic tensor a reference names, once its call is made (null until then). */
function tensorOf(e: Entry, ref: TensorRef, index: number, where: string): SymbolicTensor | null {
  const node = index < 0 ? e.layer.inboundNodes[0] : e.made[index];
  if (!node) return null;
  const t = node.outputTensors[ref.tensor];
  if (!t) throw new Error(`${where} refers to output ${ref.tensor} of ${describe(e)}, which has ${node.outputTensors.length} output(s).`);
  return t;
}

/** The style of the whole topology's calls (Keras 3 or list), which must be one. */
function styleOf(styles: readonly (NodeStyle | null)[], at: string): NodeStyle {
  const used = new Set(styles.filter((s) => s !== null));
  if (used.size > 1) throw new Error(`${at}: the layers' inbound_nodes mix Keras 2 lists and Keras 3 {args, kwargs} objects.`);
  return used.values().next().value ?? 'list';
}

/**
 * Builds the graph model of `config` (made by `makers.graph`), each layer made by `makeLayer`. `at` names the
 * file, and the nested model when this is one, in errors. Weights are taken from the weight source in force.
 */
export function buildGraph<M extends LoadableModel>(config: GraphConfig, at: string, makers: ModelMakers<M>, makeLayer: LayerMaker): M {
  const entries: Entry[] = [];
  const byName = new Map<string, Entry>();
  const styles: (NodeStyle | null)[] = [];
  for (const [index, raw] of config.layers.entries()) {
    const { layer, nested } = makeLayer(raw, index);
    const where = `${at}: layer ${index} '${layer.name}' (${layer.className})`;
    // calls refer to a layer by its entry's name (Keras and TF.js key the layers so), which is its config's name
    const name = isObject(raw) && typeof raw.name === 'string' ? raw.name : layer.name;
    if (byName.has(name)) throw new Error(`${where}: the name '${name}' is used by two layers of the model; layer names must be unique.`);
    const { calls, style } = readCalls(isObject(raw) ? raw.inbound_nodes : undefined, where);
    if (layer instanceof InputLayer && calls.length > 0)
      throw new Error(`${where}: an input layer is not called on anything, but the file records ${calls.length} call(s).`);
    styles.push(style);
    const e: Entry = { layer, index, calls, nested, made: [] };
    entries.push(e);
    byName.set(name, e);
  }
  const style = styleOf(styles, at);

  // every reference is checked before any call is made: a missing layer or call is named, not waited for
  const plans = entries.map((e) =>
    e.calls.map((call, c) => {
      const where = `${at}: ${describe(e)}, call ${c}`;
      return call.inputs.map((ref) => {
        const source = entryOf(byName, ref, where);
        return { source, ref, index: callIndex(source, ref, style, 'call', where), where };
      });
    }),
  );

  // each layer's calls in their order; a layer whose next call waits for another layer's call waits in that layer's list
  const waiters = new Map<Entry, Set<Entry>>();
  const queue: Entry[] = entries.filter((e) => e.calls.length > 0);
  const queued = new Set(queue);
  for (let head = 0; head < queue.length; head++) {
    const e = queue[head];
    queued.delete(e);
    while (e.made.length < e.calls.length) {
      const inputs = plans[e.index][e.made.length];
      const blocked = inputs.find((p) => tensorOf(p.source, p.ref, p.index, p.where) === null);
      if (blocked) {
        const list = waiters.get(blocked.source) ?? new Set<Entry>();
        waiters.set(blocked.source, list.add(e));
        break;
      }
      const tensors = inputs.map((p) => tensorOf(p.source, p.ref, p.index, p.where)!);
      e.made.push(call(e, tensors, e.calls[e.made.length].callArgs, at));
      for (const w of waiters.get(e) ?? []) {
        if (!queued.has(w)) {
          queued.add(w);
          queue.push(w);
        }
      }
      waiters.delete(e);
    }
  }
  const stuck = entries.filter((e) => e.made.length < e.calls.length);
  if (stuck.length > 0) {
    const waits = stuck.slice(0, 4).map((e) => {
      const blocked = plans[e.index][e.made.length].find((p) => tensorOf(p.source, p.ref, p.index, p.where) === null)!;
      return `${describe(e)} call ${e.made.length} waits for node ${blocked.ref.node} of '${blocked.source.layer.name}'`;
    });
    throw new Error(`${at}: the layer calls form a cycle, so the model cannot be built: ${waits.join('; ')}${stuck.length > 4 ? '; ...' : ''}.`);
  }

  const modelTensors = (value: unknown, key: string) =>
    readModelTensors(value, `${at}: ${key}`).map((ref, i) => {
      const where = `${at}: ${key}[${i}]`;
      const source = entryOf(byName, ref, where);
      return tensorOf(source, ref, callIndex(source, ref, style, 'model', where), where)!;
    });
  const inputs = modelTensors(config.inputLayers, 'input_layers');
  const outputs = modelTensors(config.outputLayers, 'output_layers');
  let model: M;
  try {
    // one output makes a model that returns one tensor, as TF.js' predict does for a file of one output
    model = makers.graph({ inputs, outputs: outputs.length === 1 ? outputs[0] : outputs, ...(config.name !== undefined ? { name: config.name } : {}) });
  } catch (error) {
    throw new Error(`${at}: ${(error as Error).message}`);
  }
  if (config.trainable === false) model.trainable = false;
  return model;
}

/** Makes one call of `e`'s layer on `inputs` and returns its node; a shape error names the file. */
function call(e: Entry, inputs: SymbolicTensor[], callArgs: CallRecord['callArgs'], at: string): Node {
  try {
    e.layer.apply(inputs.length === 1 ? inputs[0] : inputs, { ...callArgs });
  } catch (error) {
    if (error instanceof WeightFileError) throw error;
    throw new Error(`${at}: ${describe(e)}: ${(error as Error).message}`);
  }
  return e.layer.inboundNodes[e.layer.inboundNodes.length - 1];
}

/** A functional config (`{ name, layers, input_layers, output_layers }`), checked to have those fields. */
export function graphConfig(config: unknown, where: string): GraphConfig {
  if (!isObject(config)) throw new Error(`${where}: the config of a functional model must be an object, got ${shortJson(config)}.`);
  if (!Array.isArray(config.layers)) throw new Error(`${where}: config.layers is missing; is this a TensorFlow.js layers model?`);
  for (const key of ['input_layers', 'output_layers']) {
    if (config[key] === undefined || config[key] === null)
      throw new Error(`${where}: config.${key} is missing: a functional model names its inputs and outputs there.`);
  }
  return {
    ...(typeof config.name === 'string' ? { name: config.name } : {}),
    layers: config.layers,
    inputLayers: config.input_layers,
    outputLayers: config.output_layers,
    ...(typeof config.trainable === 'boolean' ? { trainable: config.trainable } : {}),
  };
}
