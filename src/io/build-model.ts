// The model a model.json describes: its topology (a Sequential config in the TF.js / Keras layers format) read
// and checked, then the layers built with their weights taken from the file rather than initialised.
// Browser-safe.
import { withWeightSource, type Layer, type WeightSource } from '../nn/layer.js';
import { getRngState, setRngState } from '../tensor/rng.js';
import { fromKerasConfig } from './keras-json.js';
import { layerFromConfig, LayerConfigError } from './layer-registry.js';
import { WeightFileError } from './load-weights.js';
import type { LoadableModel, NewModel } from './saveable-model.js';
import { isObject, ownValue, shortJson, type Json } from './untrusted-json.js';

/** A model.json's Sequential config: its name, its layer entries (not yet read) and the input shape Keras may record. */
export interface Topology {
  name?: string;
  layers: unknown[];
  buildInputShape?: unknown;
}

/** The topology of a parsed model.json, checked to be a TF.js layers model holding a Sequential one. */
export function readTopology(json: Json, file: string): Topology {
  const format = ownValue(json, 'format');
  if (format !== undefined && format !== 'layers-model') {
    throw new Error(`${file}: format ${shortJson(format)} is not a layers model (a TF.js graph model cannot be loaded as layers).`);
  }
  return sequentialConfig(ownValue(json, 'modelTopology'), file);
}

/** The Sequential config inside a topology: TF.js / Keras 2 `{class_name, config: {name, layers}}`, the older `{model_config: ...}` wrapper, or `config` as a bare list of layers (old Keras). */
function sequentialConfig(topology: unknown, file: string): Topology {
  if (!isObject(topology)) throw new Error(`${file}: modelTopology is missing or not an object.`);
  const t = isObject(topology.model_config) ? topology.model_config : topology;
  const className = t.class_name;
  if (className !== 'Sequential') {
    const what = className === 'Model' || className === 'Functional' ? 'a functional (graph) model' : `a ${shortJson(className)}`;
    throw new Error(`${file}: the topology holds ${what}; dendrite loads Sequential models only.`);
  }
  const config = t.config;
  if (Array.isArray(config)) return { layers: config };
  if (!isObject(config) || !Array.isArray(config.layers))
    throw new Error(`${file}: modelTopology.config.layers is missing; is this a TensorFlow.js layers model?`);
  return { name: typeof config.name === 'string' ? config.name : undefined, layers: config.layers, buildInputShape: config.build_input_shape };
}

function layersFromEntries(entries: unknown[], file: string): Layer[] {
  return entries.map((entry, i) => {
    if (!isObject(entry) || typeof entry.class_name !== 'string') throw new Error(`${file}: layer ${i} is not a {class_name, config} object.`);
    const config = (fromKerasConfig(entry.config ?? {}) ?? {}) as Json;
    try {
      return layerFromConfig(entry.class_name, config);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const who = `layer ${i} '${typeof config.name === 'string' ? config.name : '?'}' (${entry.class_name})`;
      // our layers' own argument errors already name the layer
      throw new Error(error instanceof LayerConfigError ? `${file}: ${who}: ${message}.` : `${file}: ${who}: ${message}`);
    }
  });
}

/**
 * The model of a topology, made by `newModel` and built with every weight taken from `source` (the file's
 * values), so that no initializer runs and no weight is allocated before its shape is checked against the manifest.
 */
export function buildModel<M extends LoadableModel>(topology: Topology, source: WeightSource, file: string, newModel: NewModel<M>): M {
  const { name, layers, buildInputShape } = topology;
  const model = newModel(name ? { name } : {});
  const stack = layersFromEntries(layers, file);
  // a load must not move the global random stream (a layer may draw from it when built)
  const rng = getRngState();
  try {
    withWeightSource(source, () => {
      try {
        for (const layer of stack) model.add(layer);
        if (!model.built && Array.isArray(buildInputShape)) model.build(buildInputShape.map((d) => (d === null ? null : Number(d))));
      } catch (error) {
        // the model's own shape errors name the layer; the file is added here
        if (error instanceof WeightFileError) throw error;
        throw new Error(`${file}: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
  } finally {
    setRngState(rng);
  }
  if (!model.built) throw new Error(`${file}: the model's input shape is unknown (no batch_input_shape on its first layer).`);
  return model;
}
