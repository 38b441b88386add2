// Where Keras 3 keeps each layer's variables in a `.keras` archive's model.weights.h5. Keras does not address a
// layer by its name but by its place: a model's layers are the group `layers`, each one a member named after its
// class in snake_case (`Conv2D` -> `conv2d`, `BatchNormalization` -> `batch_normalization`), with `_1`, `_2`... for
// the second and later layers of one class, in the order of the model's `layers` (a Sequential's without its
// InputLayer, a functional model's with them). A layer's variables are the datasets `vars/0`, `vars/1`... of its
// group, trainable ones first, each in creation order; a nested model's layers are under its own `layers`. The
// optimizer's are `optimizer/vars/N`. (Keras' saving_lib: `_save_container_state`, `Layer.save_own_variables`.)
// Browser-safe.
import { MODEL_CLASS_NAMES } from '../build-model.js';
import { isObject, shortJson, type Json } from '../untrusted-json.js';

/** Keras' `naming.to_snake_case`, which names a layer's group after its class. */
export function kerasSnakeCase(className: string): string {
  const word = className.replace(/\W+/g, '');
  return word
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** One layer of a model's config and the HDF5 group that holds its variables. */
export interface LayerPlace {
  /** The layer's name in the config. */
  name: string;
  className: string;
  /** e.g. `layers/dense_1` or `layers/functional/layers/conv2d`; its variables are `${path}/vars/N`. */
  path: string;
  /** True for a nested model (its own variables group is empty; its layers follow as places of their own). */
  isModel: boolean;
  /**
   * The groups that hold the layer's variables, in the order of its weights, each with `vars/N` datasets: `path`
   * itself for most layers; a recurrent layer keeps them in its cell (`lstm/cell`), a wrapper in the layer it wraps
   * (`time_distributed/layer`, `bidirectional/forward_layer/cell` then `.../backward_layer/cell`, equal shares).
   */
  varGroups: string[];
}

/** Where a layer's variables live below its own group (Keras 3 tracks a recurrent layer's cell and a wrapper's layers as sub-objects). */
function variableGroups(entry: Json): string[] {
  const config = isObject(entry.config) ? entry.config : {};
  const inner = isObject(config.layer) ? config.layer : null;
  const under = (prefix: string, groups: string[]) => groups.map((g) => (g === '' ? prefix : `${prefix}/${g}`));
  switch (entry.class_name) {
    case 'LSTM':
    case 'GRU':
    case 'SimpleRNN':
      return ['cell'];
    case 'Bidirectional': {
      const groups = inner ? variableGroups(inner) : [''];
      return [...under('forward_layer', groups), ...under('backward_layer', groups)];
    }
    case 'TimeDistributed':
      return under('layer', inner ? variableGroups(inner) : ['']);
    default:
      return [''];
  }
}

function entryName(entry: Json): string {
  const config = isObject(entry.config) ? entry.config : {};
  return typeof config.name === 'string' ? config.name : typeof entry.name === 'string' ? entry.name : '';
}

/**
 * The places of a model's layers, depth first in Keras' order; `model` is a `{class_name, config}` entry
 * (config.json's top level, or a nested model's entry). `where` names the file in errors.
 */
export function layerPlaces(model: Json, where: string, prefix = ''): LayerPlace[] {
  const config = model.config;
  if (!isObject(config) || !Array.isArray(config.layers)) throw new Error(`${where}: the model config at '${prefix || '/'}' has no list of layers.`);
  const sequential = model.class_name === 'Sequential';
  const used = new Map<string, number>();
  const places: LayerPlace[] = [];
  for (const [i, entry] of config.layers.entries()) {
    if (!isObject(entry) || typeof entry.class_name !== 'string')
      throw new Error(`${where}: layer ${i} is not a {class_name, config} object: ${shortJson(entry)}.`);
    if (sequential && entry.class_name === 'InputLayer') continue;
    const base = kerasSnakeCase(entry.class_name === 'Model' ? 'Functional' : entry.class_name);
    const count = used.get(base);
    used.set(base, count === undefined ? 0 : count + 1);
    const path = `${prefix}layers/${count === undefined ? base : `${base}_${count + 1}`}`;
    const isModel = MODEL_CLASS_NAMES.has(entry.class_name);
    const varGroups = variableGroups(entry).map((g) => (g === '' ? path : `${path}/${g}`));
    places.push({ name: entryName(entry), className: entry.class_name, path, isModel, varGroups });
    if (isModel) for (const inner of layerPlaces(entry, where, `${path}/`)) places.push(inner);
  }
  return places;
}
