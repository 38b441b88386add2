// Legacy Keras `.h5` model files, as `model.save('model.h5')` writes them in Keras 3 and Keras 2 (tf.keras): the
// model's config (`model_config`) and compile settings (`training_config`) as JSON attributes of the root group,
// each layer's weights in `model_weights/<layer name>/` with the attribute `weight_names` listing their paths
// inside that group (`cnn/dense/kernel` in Keras 3, `dense/kernel:0` in Keras 2; a nested model's weights all in
// its own group), and the optimizer's variables in `optimizer_weights`. Browser-safe: the bytes are read in memory
// through h5wasm (hdf5.ts).
//
// The model is built from model_config as a model.json's topology is (build-model.ts). Its weights are matched as
// Keras' `load_weights(by_name=True)` matches them: each of the model's layers takes the weights of the group named
// after it, there by weight name (`dense/kernel` against `.../dense/kernel`), else in Keras' order within the
// group (Keras 3 names DepthwiseConv2D's kernel `kernel`, dendrite `depthwise_kernel`). Every weight in the file
// must go to a layer. The build itself takes zeros, each after its shape was found among the file's datasets, so
// that nothing is allocated for a shape the file does not hold; the values are read after the shapes matched.
import type { Layer } from '../nn/layer.js';
import type { Variable } from '../tensor/tensor.js';
import { formatShape } from '../tensor/shape.js';
import { buildModel, readTopology } from './build-model.js';
import type { ModelJson } from './format.js';
import { type Hdf5DatasetInfo, type Hdf5Reader, openHdf5 } from './hdf5.js';
import { compileAsSaved } from './load-compile.js';
import { WeightFileError } from './load-weights.js';
import type { LoadableModel, ModelMakers } from './saveable-model.js';
import { checkDepth, isObject, listNames, shortJson, type Json } from './untrusted-json.js';

export interface KerasH5Options {
  /** Compile the model with the file's training_config (optimizer, loss, metrics) when it has one (default true). */
  compile?: boolean;
}

/** A model read from a `.h5` file, with what became of its optimizer state. */
export interface LoadedKerasH5<M extends LoadableModel> {
  model: M;
  /** Whether the optimizer's saved variables (step count, learning rate, moments) were restored: see `readKerasH5`. */
  optimizerRestored: boolean;
  /** The file's `keras_version` attribute ('3.15.1', '2.15.0'), or null. */
  kerasVersion: string | null;
}

/** One weight a layer group of the file lists. */
interface FileWeight {
  layer: string;
  /** As `weight_names` lists it (`cnn/dense/kernel`, `dense/kernel:0`). */
  name: string;
  /** The name without Keras 2's `:0`. */
  key: string;
  path: string;
  info: Hdf5DatasetInfo;
}

const ELEMENT_BYTES: Partial<Record<Hdf5DatasetInfo['dtype'], number>> = {
  float16: 2,
  float32: 4,
  float64: 8,
  int8: 1,
  int16: 2,
  int32: 4,
  int64: 8,
  uint8: 1,
  uint16: 2,
  uint32: 4,
  uint64: 8,
  bool: 1,
};

/**
 * The model in a legacy Keras `.h5` file (`model.save('model.h5')` in Keras 3 or Keras 2), made by `makers`, with
 * its weights from the file, compiled from its training_config unless `{ compile: false }`. The optimizer's state
 * is restored from a Keras 3 file's optimizer_weights when every one of them maps onto the compiled optimizer's
 * (step count, learning rate, slots such as Adam's momentum / velocity); otherwise, and for Keras 2 files, the
 * optimizer starts fresh (`readKerasH5Checkpoint` says which). See `loadModel` for the public entry.
 *
 *     const model = await readKerasH5(new Uint8Array(await (await fetch('model.h5')).arrayBuffer()), 'model.h5', makers);
 */
export async function readKerasH5<M extends LoadableModel>(
  bytes: Uint8Array,
  fileName: string,
  makers: ModelMakers<M>,
  options: KerasH5Options = {},
): Promise<M> {
  return (await readKerasH5Checkpoint(bytes, fileName, makers, options)).model;
}

/** `readKerasH5`, also saying whether the optimizer state was restored and which Keras wrote the file. */
export async function readKerasH5Checkpoint<M extends LoadableModel>(
  bytes: Uint8Array,
  fileName: string,
  makers: ModelMakers<M>,
  options: KerasH5Options = {},
): Promise<LoadedKerasH5<M>> {
  const file = await openHdf5(bytes, fileName);
  try {
    return readOpenFile(file, bytes.length, fileName, makers, options);
  } finally {
    file.close();
  }
}

function readOpenFile<M extends LoadableModel>(
  file: Hdf5Reader,
  fileBytes: number,
  fileName: string,
  makers: ModelMakers<M>,
  options: KerasH5Options,
): LoadedKerasH5<M> {
  const version = file.attribute('', 'keras_version');
  const kerasVersion = typeof version === 'string' ? version : null;
  const modelConfig = jsonAttribute(file, 'model_config', fileName);
  if (modelConfig === undefined) throw new Error(`${fileName} has no model_config attribute: ${whatItIs(file)}`);
  // as the converter's older model.json wraps it, with the version beside it (Keras 3 names mean Keras 3's functions)
  const topology = readTopology({ modelTopology: { model_config: modelConfig, keras_version: kerasVersion } }, `${fileName} (model_config)`);

  const weights = fileWeights(file, fileBytes, fileName);
  const model = buildModel(topology, shapePool(weights, fileName), fileName, makers);
  const assigned = assignWeights(model.layers, weights, file, fileName);

  let optimizerRestored = false;
  if (options.compile ?? true) {
    const trainingConfig = jsonAttribute(file, 'training_config', fileName);
    const json = { modelTopology: {}, ...(trainingConfig === undefined ? {} : { trainingConfig }) } as ModelJson;
    if (compileAsSaved(model, json, fileName)) optimizerRestored = restoreKeras3Optimizer(model, file, assigned, kerasVersion);
  }
  return { model, optimizerRestored, kerasVersion };
}

/** A JSON attribute of the root group, parsed; undefined when absent. */
function jsonAttribute(file: Hdf5Reader, name: string, fileName: string): Json | undefined {
  const raw = file.attribute('', name);
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'string') throw new Error(`${fileName}: the attribute ${name} must be a JSON string, got ${shortJson(raw)}.`);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    throw new Error(`${fileName}: the attribute ${name} is not JSON (${(error as Error).message}): ${shortJson(raw)}.`);
  }
  if (!isObject(value)) throw new Error(`${fileName}: the attribute ${name} must hold a JSON object, got ${shortJson(value)}.`);
  checkDepth(value, `${fileName} (${name})`);
  return value;
}

/** What a `.h5` file without model_config is, as far as its groups tell. */
function whatItIs(file: Hdf5Reader): string {
  const root = file.groupKeys('') ?? [];
  if (file.attribute('', 'layer_names') !== undefined)
    return 'it holds weights only (Keras `save_weights`), not a model. Build the model, then load these weights into it.';
  if (root.includes('layers') || root.includes('vars'))
    return 'it looks like a Keras 3 weights file (`model.weights.h5`, as inside a `.keras` archive), not a model. Load the `.keras` file instead.';
  return 'it is not a Keras model file (Keras writes one with `model.save("model.h5")`).';
}

/** A list attribute of names (h5py writes an empty list as an empty float array). */
function nameList(file: Hdf5Reader, path: string, name: string, fileName: string): string[] | undefined {
  const value = file.attribute(path, name);
  if (value === undefined) return undefined;
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.some((n) => typeof n !== 'string')) {
    throw new Error(`${fileName}: /${path} has a ${name} attribute that is not a list of names: ${shortJson(value)}.`);
  }
  return list as string[];
}

/** Every weight that model_weights' layer groups list, with its dataset's shape and type, checked readable. */
function fileWeights(file: Hdf5Reader, fileBytes: number, fileName: string): FileWeight[] {
  const root = 'model_weights';
  if (file.groupKeys(root) === null) throw new Error(`${fileName} has no model_weights group: ${whatItIs(file)}`);
  const layerNames = nameList(file, root, 'layer_names', fileName) ?? (file.groupKeys(root) ?? []).filter((k) => k !== 'top_level_model_weights');
  const weights: FileWeight[] = [];
  const groups = [...layerNames];
  // Keras 3 keeps weights of the model object itself (none in a model of layers) in a group of their own
  if (file.groupKeys(`${root}/top_level_model_weights`) !== null) groups.push('top_level_model_weights');
  for (const layer of groups) {
    const group = `${root}/${layer}`;
    if (file.groupKeys(group) === null) throw new Error(`${fileName}: model_weights lists layer '${layer}' but has no group /${group}.`);
    for (const name of nameList(file, group, 'weight_names', fileName) ?? []) {
      const path = `${group}/${name}`;
      const info = file.dataset(path);
      if (!info) throw new Error(`${fileName}: /${group} lists weight '${name}' but /${path} is not a dataset.`);
      const elementBytes = ELEMENT_BYTES[info.dtype];
      if (elementBytes === undefined) throw new Error(`${fileName}: /${path} holds ${info.dtype} values, not numbers.`);
      // Keras stores weights uncompressed: a dataset larger than the file is a damaged or hostile header
      if (info.size * elementBytes > fileBytes) {
        throw new Error(
          `${fileName}: /${path} declares shape ${formatShape(info.shape)} (${info.size * elementBytes} bytes), more than the whole file holds (${fileBytes} bytes).`,
        );
      }
      weights.push({ layer, name, key: name.replace(/:\d+$/, ''), path, info });
    }
  }
  if (weights.some((w) => w.layer === 'top_level_model_weights')) {
    throw new Error(`${fileName}: /${root}/top_level_model_weights holds weights of the model object itself, which dendrite's models do not have.`);
  }
  return weights;
}

const shapeKey = (shape: readonly number[]): string => shape.join(',');

/** Whether a file weight's name stands for the model weight `name` (`dense/kernel` for `cnn/dense/kernel`, `dense/kernel:0`). */
const namesMatch = (w: FileWeight, name: string): boolean => w.key === name || w.key.endsWith(`/${name}`);

/**
 * The weight source for the build: zeros for each weight whose shape the file holds (each dataset counted once),
 * an error naming the weight for one it does not. The values come after the build (`assignWeights`).
 */
function shapePool(weights: FileWeight[], fileName: string): (name: string, shape: readonly number[]) => Float32Array {
  const free = new Map<string, number>();
  for (const w of weights) free.set(shapeKey(w.info.shape), (free.get(shapeKey(w.info.shape)) ?? 0) + 1);
  return (name, shape) => {
    const key = shapeKey(shape);
    const left = free.get(key) ?? 0;
    if (left === 0) {
      const named = weights.find((w) => namesMatch(w, name));
      if (named) {
        throw new WeightFileError(
          `${fileName}: weight /${named.path} has shape ${formatShape(named.info.shape)} but the model's '${name}' has shape ${formatShape(shape)}.`,
        );
      }
      throw new WeightFileError(
        `${fileName}: the file has no weight of shape ${formatShape(shape)} for the model's weight '${name}'; it holds ${weights.length} weights: ${listNames(weights.map((w) => `${w.key} ${formatShape(w.info.shape)}`))}.`,
      );
    }
    free.set(key, left - 1);
    return new Float32Array(shape.reduce((a, b) => a * b, 1));
  };
}

/**
 * Gives each layer of the built model the values of its group's weights, matched by name, then the rest in order;
 * every weight of the file must find its layer. Returns the file weight each model variable took.
 */
function assignWeights(layers: readonly Layer[], weights: FileWeight[], file: Hdf5Reader, fileName: string): Map<Variable, FileWeight> {
  const byLayer = new Map<string, FileWeight[]>();
  for (const w of weights) byLayer.set(w.layer, [...(byLayer.get(w.layer) ?? []), w]);
  const assigned = new Map<Variable, FileWeight>();
  for (const layer of layers) {
    const variables = layer.weights;
    if (variables.length === 0) continue;
    const group = byLayer.get(layer.name) ?? [];
    byLayer.delete(layer.name);
    if (group.length !== variables.length) {
      throw new Error(
        `${fileName}: layer '${layer.name}' has ${variables.length} weights (${listNames(variables.map((v) => v.name))}) but /model_weights/${layer.name} lists ${group.length}${group.length ? ` (${listNames(group.map((w) => w.name))})` : ''}.`,
      );
    }
    const free = new Set(group);
    const pairs = new Map<Variable, FileWeight>();
    for (const v of variables) {
      const w = group.find((g) => free.has(g) && namesMatch(g, v.name));
      if (w) {
        pairs.set(v, w);
        free.delete(w);
      }
    }
    // the rest in Keras' order (a weight that Keras names otherwise, such as DepthwiseConv2D's 'kernel')
    const rest = [...free];
    for (const v of variables.filter((x) => !pairs.has(x))) pairs.set(v, rest.shift()!);
    for (const [v, w] of pairs) {
      if (shapeKey(w.info.shape) !== shapeKey(v.shape)) {
        throw new Error(`${fileName}: weight /${w.path} has shape ${formatShape(w.info.shape)} but the model's '${v.name}' has shape ${formatShape(v.shape)}.`);
      }
      v.assign(file.readFloat32(w.path));
      assigned.set(v, w);
    }
  }
  const [unused] = byLayer.values();
  if (unused) {
    throw new Error(
      `${fileName}: /model_weights/${unused[0].layer} holds ${unused.length} weights (${listNames(unused.map((w) => w.name))}) for layer '${unused[0].layer}', which the model does not have (its layers with weights: ${listNames(layers.filter((l) => l.weights.length > 0).map((l) => l.name))}).`,
    );
  }
  return assigned;
}

/**
 * Restores a Keras 3 file's optimizer variables into the compiled model's optimizer: `<optimizer>/iteration`,
 * `<optimizer>/learning_rate`, and `<optimizer>/<weight path with _ for />_<slot>` for each trainable weight. All
 * or nothing: false (a fresh optimizer) when any variable does not map or the file is not from Keras 3.
 */
function restoreKeras3Optimizer(model: LoadableModel, file: Hdf5Reader, assigned: Map<Variable, FileWeight>, kerasVersion: string | null): boolean {
  const root = 'optimizer_weights';
  if (!kerasVersion?.startsWith('3.') || file.groupKeys(root) === null) return false;
  const optimizer = model.compiled!.optimizer;
  const names = file.attribute(root, 'weight_names');
  if (!Array.isArray(names) || names.some((n) => typeof n !== 'string')) return false;
  const variables = [...assigned.keys()];
  // the optimizer keys its state by variable name: names must be unique for it to land on the right ones
  if (new Set(variables.map((v) => v.name)).size !== variables.length) return false;
  const prefixes = variables.map((v) => ({ v, prefix: `${assigned.get(v)!.key.replaceAll('/', '_')}_` }));
  let iterations: number | null = null;
  let learningRate: number | null = null;
  const slots: { variable: string; slot: string; values: Float32Array }[] = [];
  for (const name of names as string[]) {
    const path = `${root}/${name}`;
    const info = file.dataset(path);
    const slash = name.indexOf('/');
    if (!info || slash < 0 || !ELEMENT_BYTES[info.dtype]) return false;
    const local = name.slice(slash + 1);
    if (local === 'iteration' || local === 'learning_rate') {
      if (info.size !== 1) return false;
      const value = file.readFloat32(path)[0];
      if (local === 'iteration') iterations = value;
      else learningRate = value;
      continue;
    }
    // the longest weight path that starts the name (`dense_1_kernel_` before `dense_`), the rest is the slot
    const match = prefixes.filter((p) => local.startsWith(p.prefix)).sort((a, b) => b.prefix.length - a.prefix.length)[0];
    if (!match || shapeKey(info.shape) !== shapeKey(match.v.shape)) return false;
    slots.push({ variable: match.v.name, slot: local.slice(match.prefix.length), values: file.readFloat32(path) });
  }
  if (iterations === null || !Number.isSafeInteger(iterations) || iterations < 0) return false;
  try {
    optimizer.setState({ iterations, slots }, variables);
  } catch {
    // a slot this optimizer does not keep (amsgrad's velocity_hat, an EMA copy): back to a fresh optimizer
    optimizer.setState({ iterations: 0, slots: [] }, []);
    return false;
  }
  if (learningRate !== null && learningRate > 0 && Number.isFinite(learningRate)) optimizer.learningRate = learningRate;
  return true;
}
