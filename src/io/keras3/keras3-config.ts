// A model's topology as Keras 3 writes it in a `.keras` archive's config.json, made from the TF.js-style topology
// that dendrite writes in model.json. The two differ in four ways that matter to Keras 3's loader:
//
// - every object carries `module` and `registered_name` beside `class_name` (layers, initializers, regularizers,
//   constraints, nested models: Keras 3 finds built-ins by module and class);
// - an `InputLayer` says `batch_shape` where TF.js says `batch_input_shape` (dendrite's Sequential topology
//   starts with one, as Keras 3 needs);
// - a functional model is class `Functional`, and its layer calls are `{args, kwargs}` with `keras_history`;
// - Keras 3 numbers a nested model's calls from 0 in a call's arguments (TF.js and Keras 2 from 1, node 0 being
//   the nested model's own graph), and from 1 for a functional model in `output_layers` (read alike by
//   io/graph-topology.ts, which loads Keras 3's own files).
//
// Browser-safe.
import { MODEL_CLASS_NAMES } from '../build-model.js';
import { uncountedCalls } from '../graph-topology.js';
import { isObject, type Json } from '../untrusted-json.js';

/** The modules of the Keras 3 objects that appear in a layer's config, by the key that holds them. */
function moduleOfKey(key: string): string | null {
  if (key.endsWith('_initializer')) return 'keras.initializers';
  if (key.endsWith('_regularizer')) return 'keras.regularizers';
  if (key.endsWith('_constraint')) return 'keras.constraints';
  return null;
}

/** `{class_name, config}` objects inside a layer's config (initializers, regularizers...) with their module. */
function withModules(config: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(config)) {
    const module = moduleOfKey(key);
    out[key] = module && isObject(value) && typeof value.class_name === 'string' ? { module, ...value, registered_name: null } : value;
  }
  return out;
}

/**
 * The layers whose Keras 3 config differs from the TF.js / Keras 2 one (found by comparing each class's keys with
 * Keras 3.15's `get_config()`): they give the Keras 3 class name and config.
 */
const KERAS3_FORMS: ReadonlyMap<string, (config: Json) => [string, Json]> = new Map([
  [
    'InputLayer',
    (c: Json): [string, Json] => {
      const { batch_input_shape, ...rest } = c;
      return ['InputLayer', { ...rest, batch_shape: batch_input_shape }];
    },
  ],
  // Keras 3 calls LeakyReLU's slope negative_slope
  [
    'LeakyReLU',
    (c: Json): [string, Json] => {
      const { alpha, ...rest } = c;
      return ['LeakyReLU', { ...rest, negative_slope: alpha }];
    },
  ],
  // Keras 3's SpatialDropout2D takes no `trainable` argument
  [
    'SpatialDropout2D',
    (c: Json): [string, Json] => {
      const { trainable, ...rest } = c;
      void trainable;
      return ['SpatialDropout2D', rest];
    },
  ],
  // Keras 3 has no ThresholdedReLU; its ReLU with a threshold is x where x >= theta and 0 below (ThresholdedReLU
  // gives 0 at x = theta itself: the two differ there only)
  [
    'ThresholdedReLU',
    (c: Json): [string, Json] => ['ReLU', { name: c.name, trainable: c.trainable, dtype: c.dtype, max_value: null, negative_slope: 0, threshold: c.theta }],
  ],
]);

/** The keys under which a wrapper (Bidirectional, TimeDistributed) nests a layer's `{class_name, config}`. */
const NESTED_LAYER_KEYS = ['layer', 'backward_layer'];

/** A plain layer's entry (not a model), in Keras 3's form; a wrapper's nested layers too (Keras 3 finds them by module). */
function layerEntry(entry: Json): Json {
  const form = KERAS3_FORMS.get(String(entry.class_name));
  const [className, config] = form ? form(entry.config as Json) : [entry.class_name, entry.config as Json];
  const nested = NESTED_LAYER_KEYS.filter((key) => isObject(config[key]) && typeof (config[key] as Json).class_name === 'string');
  const own = nested.length === 0 ? config : { ...config, ...Object.fromEntries(nested.map((key) => [key, layerEntry(config[key] as Json)])) };
  return { module: 'keras.layers', class_name: className, config: withModules(own), registered_name: null };
}

/** What to subtract from a list-style node index of a reference to `layer` (a nested model's node 0 is its own graph). */
type NodeShift = (layer: string, place: 'call' | 'model') => number;

/**
 * The shape (batch axis first, null where free) of output `tensor` of call `node` of the layer named `layer`, with
 * calls numbered as TF.js numbers them (a nested model's first call is 1): Keras 3 wants it in each tensor reference.
 */
export type TensorShapeOf = (layer: string, node: number, tensor: number) => readonly (number | null)[];

function historyTensor(ref: unknown[], shift: NodeShift, shapeOf: TensorShapeOf): Json {
  const [layer, node, tensor] = ref as [string, number, number];
  return {
    class_name: '__keras_tensor__',
    config: { shape: [...shapeOf(layer, node, tensor)], dtype: 'float32', keras_history: [layer, node - shift(layer, 'call'), tensor] },
  };
}

/** A list-style call `[[layer, node, tensor, kwargs], ...]` as Keras 3's `{args, kwargs}`. */
function keras3Call(call: unknown, shift: NodeShift, shapeOf: TensorShapeOf): Json {
  const inputs = (call as unknown[][]).map((ref) => historyTensor(ref, shift, shapeOf));
  const kwargs = (call as unknown[][]).at(-1)?.[3];
  return { args: [inputs.length === 1 ? inputs[0] : inputs], kwargs: isObject(kwargs) ? kwargs : {} };
}

/** A model's entry in Keras 3's form: `config` is the TF.js-style topology's (`{class_name, config}`). */
function modelEntry(entry: Json, shapeOf: TensorShapeOf): Json {
  const config = entry.config as Json;
  if (entry.class_name === 'Sequential') return sequentialEntry(config, shapeOf);
  return functionalEntry(config, shapeOf);
}

function sequentialEntry(config: Json, shapeOf: TensorShapeOf): Json {
  // dendrite's Sequential topology starts with its InputLayer already (io/save.ts), as Keras 3 needs
  const layers = (config.layers as Json[]).map((l) => convertEntry(l, shapeOf));
  return { module: 'keras', class_name: 'Sequential', config: { name: config.name, trainable: config.trainable ?? true, layers }, registered_name: null };
}

function functionalEntry(config: Json, shapeOf: TensorShapeOf): Json {
  const entries = config.layers as Json[];
  const nested = new Map<string, 'graph' | 'sequential'>();
  for (const e of entries) {
    if (e.class_name === 'Sequential') nested.set(String(e.name), 'sequential');
    else if (MODEL_CLASS_NAMES.has(String(e.class_name))) nested.set(String(e.name), 'graph');
  }
  // the same call, numbered as TF.js does and as Keras 3 does
  const shift: NodeShift = (layer, place) => {
    const kind = nested.get(layer) ?? null;
    return uncountedCalls(kind, 'list', place) - uncountedCalls(kind, 'keras3', place);
  };
  const layers = entries.map((e) => {
    const converted = convertEntry(e, shapeOf);
    const calls = Array.isArray(e.inbound_nodes) ? e.inbound_nodes : [];
    return { ...converted, name: e.name, inbound_nodes: calls.map((c) => keras3Call(c, shift, shapeOf)) };
  });
  const refs = (list: unknown) =>
    (list as [string, number, number][]).map(([layer, node, tensor]) => [layer, node - shift(layer, 'model'), tensor] as [string, number, number]);
  return {
    module: 'keras.src.models.functional',
    class_name: 'Functional',
    config: {
      name: config.name,
      trainable: config.trainable ?? true,
      layers,
      input_layers: refs(config.input_layers),
      output_layers: refs(config.output_layers),
    },
    registered_name: 'Functional',
  };
}

function convertEntry(entry: Json, shapeOf: TensorShapeOf): Json {
  return MODEL_CLASS_NAMES.has(String(entry.class_name)) ? modelEntry(entry, shapeOf) : layerEntry(entry);
}

/**
 * Keras 3's config of a model from dendrite's TF.js-style `modelTopology` (`{class_name, config}` of a Sequential
 * or functional model, as `modelToArtifacts` writes it); `shapeOf` gives the shapes of the tensors its calls pass.
 */
export function keras3ModelConfig(topology: Json, shapeOf: TensorShapeOf): Json {
  return convertEntry(topology, shapeOf);
}
