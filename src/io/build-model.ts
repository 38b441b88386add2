// The model a model.json describes: its topology (a Sequential or a functional config, in the TF.js / Keras layers
// format) read and checked, then the layers built with their weights taken from the file rather than
// initialised. A layer entry may itself be a model (a Sequential or a functional model nested in another), built
// the same way. Browser-safe.
import { Layer, withWeightSource, type WeightSource } from '../nn/layer.js';
import { getRngState, setRngState } from '../tensor/rng.js';
import { buildGraph, graphConfig, type GraphConfig } from './graph-topology.js';
import { fromKerasConfig } from './keras-json.js';
import { layerFromConfig, LayerConfigError } from './layer-registry.js';
import { WeightFileError } from './load-weights.js';
import type { LoadableModel, ModelMakers } from './saveable-model.js';
import { isObject, ownValue, shortJson, type Json } from './untrusted-json.js';

/** A model.json's Sequential config: its name, its layer entries (not yet read) and the input shape Keras may record. */
export interface SequentialConfig {
  name?: string;
  layers: unknown[];
  buildInputShape?: unknown;
  /** Keras 3 writes a frozen model's `trainable: false`. */
  trainable?: boolean;
}

/**
 * A topology: a Sequential model's or a graph (functional) model's config, not yet built. `keras3` marks a file
 * written from Keras 3 (its `keras_version`), whose names may mean other functions than TF.js' and Keras 2's.
 */
export type Topology = ({ kind: 'sequential'; config: SequentialConfig } | { kind: 'graph'; config: GraphConfig }) & { keras3?: boolean };

/** The class names of a nested or top-level model: Keras 2 and TF.js write a functional model as 'Model' (older) or 'Functional'. */
export const MODEL_CLASS_NAMES: ReadonlySet<string> = new Set(['Sequential', 'Model', 'Functional']);

/** The topology of a parsed model.json, checked to be a TF.js layers model holding a Sequential or a functional one. */
export function readTopology(json: Json, file: string): Topology {
  const format = ownValue(json, 'format');
  if (format !== undefined && format !== 'layers-model') {
    throw new Error(`${file}: format ${shortJson(format)} is not a layers model (a TF.js graph model cannot be loaded as layers).`);
  }
  const topology = ownValue(json, 'modelTopology');
  if (!isObject(topology)) throw new Error(`${file}: modelTopology is missing or not an object.`);
  // the older `{model_config: ...}` wrapper
  const t = isObject(topology.model_config) ? topology.model_config : topology;
  const keras3 = typeof topology.keras_version === 'string' && /^3\./.test(topology.keras_version);
  return { ...modelConfig(t.class_name, t.config, file, 'modelTopology.config'), keras3 };
}

/** The activation under `key` of a layer config (a name or Keras 3's serialised function), if it names one. */
function activationName(config: unknown, key: string): string | null {
  const a = isObject(config) ? config[key] : undefined;
  if (typeof a === 'string') return a;
  return isObject(a) && a.class_name === 'function' && typeof a.config === 'string' ? a.config : null;
}

/**
 * Where a layer config names Keras 3's hard_sigmoid: `activation`, a recurrent layer's `recurrent_activation`, or
 * either in a layer a wrapper nests (`layer 'forward_lstm': recurrent_activation`); null when nowhere.
 */
function hardSigmoidKey(config: unknown): string | null {
  for (const key of ['activation', 'recurrent_activation']) if (activationName(config, key) === 'hard_sigmoid') return key;
  for (const key of ['layer', 'backward_layer']) {
    const nested = isObject(config) && isObject(config[key]) ? config[key] : null;
    const found = nested ? hardSigmoidKey(nested.config) : null;
    if (found) return `${key} '${isObject(nested!.config) ? String(nested!.config.name) : '?'}': ${found}`;
  }
  return null;
}

/**
 * The config of a model of class `className`: a Sequential's `{name, layers}` (or, in old Keras, the bare list of
 * layers), or a functional model's `{name, layers, input_layers, output_layers}`. `field` names the config in errors.
 */
function modelConfig(className: unknown, config: unknown, where: string, field: string): Topology {
  if (className === 'Model' || className === 'Functional') return { kind: 'graph', config: graphConfig(config, where) };
  if (className !== 'Sequential') {
    throw new Error(`${where}: the topology holds a ${shortJson(className)}; dendrite loads Sequential models and functional (Model, Functional) ones.`);
  }
  if (Array.isArray(config)) return { kind: 'sequential', config: { layers: config } };
  if (!isObject(config) || !Array.isArray(config.layers)) throw new Error(`${where}: ${field}.layers is missing; is this a TensorFlow.js layers model?`);
  return {
    kind: 'sequential',
    config: {
      name: typeof config.name === 'string' ? config.name : undefined,
      layers: config.layers,
      buildInputShape: config.build_input_shape,
      ...(typeof config.trainable === 'boolean' ? { trainable: config.trainable } : {}),
    },
  };
}

/** The layer of one `{class_name, config}` entry: a built-in or registered layer, or a model nested in this one (built here). */
function layerOf<M extends LoadableModel>(
  entry: unknown,
  index: number,
  at: string,
  makers: ModelMakers<M>,
  keras3: boolean,
): { layer: Layer; nested: 'graph' | 'sequential' | null } {
  if (!isObject(entry) || typeof entry.class_name !== 'string') throw new Error(`${at}: layer ${index} is not a {class_name, config} object.`);
  if (MODEL_CLASS_NAMES.has(entry.class_name)) {
    const name = isObject(entry.config) && typeof entry.config.name === 'string' ? entry.config.name : typeof entry.name === 'string' ? entry.name : undefined;
    const where = `${at}: layer ${index} '${name ?? '?'}' (${entry.class_name})`;
    const topology = modelConfig(entry.class_name, entry.config, where, 'config');
    // a functional config nested in a layer list may leave its name to the entry
    topology.config.name ??= name;
    const model = buildTopology({ ...topology, keras3 }, where, makers, false);
    if (!(model instanceof Layer)) throw new Error(`Internal error: the model made for ${where} is not a Layer.`);
    return { layer: model, nested: topology.kind };
  }
  const config = (fromKerasConfig(entry.config ?? {}) ?? {}) as Json;
  try {
    // NOTE: Keras 3 reuses the name for relu6(x + 3) / 6; dendrite's hardSigmoid is TF.js' and Keras 2's
    const hardSigmoid = keras3 ? hardSigmoidKey(entry.config) : null;
    if (hardSigmoid)
      throw new LayerConfigError(
        `${hardSigmoid} 'hard_sigmoid' of a Keras 3 file is relu6(x + 3) / 6, which dendrite does not have (its hardSigmoid is TF.js' and Keras 2's clip(0.2 x + 0.5, 0, 1))`,
      );
    return { layer: layerFromConfig(entry.class_name, config), nested: null };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const who = `layer ${index} '${typeof config.name === 'string' ? config.name : '?'}' (${entry.class_name})`;
    // our layers' own argument errors already name the layer
    throw new Error(error instanceof LayerConfigError ? `${at}: ${who}: ${message}.` : `${at}: ${who}: ${message}`);
  }
}

/** A Sequential model: the file's layers added in order, then built for the recorded input shape if the layers do not give one. */
function buildSequential<M extends LoadableModel>(config: SequentialConfig, at: string, makers: ModelMakers<M>, top: boolean, keras3: boolean): M {
  const { name, layers, buildInputShape } = config;
  const model = makers.sequential(name ? { name } : {});
  const stack = layers.map((entry, i) => layerOf(entry, i, at, makers, keras3).layer);
  try {
    for (const layer of stack) model.add(layer);
    if (!model.built && Array.isArray(buildInputShape)) model.build(buildInputShape.map((d) => (d === null ? null : Number(d))));
  } catch (error) {
    // the model's own shape errors name the layer; the file is added here
    if (error instanceof WeightFileError) throw error;
    throw new Error(`${at}: ${error instanceof Error ? error.message : String(error)}`);
  }
  // a nested Sequential may learn its input shape when the model around it calls it
  if (top && !model.built)
    throw new Error(
      `${at}: the model's input shape is unknown: its first entry is no InputLayer, and its first layer (or the first layer of the model nested first) has no batch_input_shape.`,
    );
  if (config.trainable === false) model.trainable = false;
  return model;
}

/** The model of a topology; `at` names the file (and the nested model, for one) in errors. */
function buildTopology<M extends LoadableModel>(topology: Topology, at: string, makers: ModelMakers<M>, top: boolean): M {
  const keras3 = topology.keras3 ?? false;
  if (topology.kind === 'sequential') return buildSequential(topology.config, at, makers, top, keras3);
  return buildGraph(topology.config, at, makers, (entry, index) => layerOf(entry, index, at, makers, keras3));
}

/**
 * The model of a topology, made by `makers`, and built with every weight taken from `source` (the file's values),
 * so that no initializer runs and no weight is allocated before its shape is checked against the manifest.
 */
export function buildModel<M extends LoadableModel>(topology: Topology, source: WeightSource, file: string, makers: ModelMakers<M>): M {
  // a load must not move the global random stream (a layer may draw from it when built)
  const rng = getRngState();
  try {
    return withWeightSource(source, () => buildTopology(topology, file, makers, true));
  } finally {
    setRngState(rng);
  }
}
