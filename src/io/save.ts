// Saving a model (Sequential or graph) in the TensorFlow.js layers format: `model.json` (topology, weights
// manifest, training config) + `weights.bin` (little-endian float32 in manifest order), exactly what TF.js'
// `model.save('file://...')` writes, so `tf.loadLayersModel` reads it. Optimizer state, when asked for,
// goes into `optimizer.bin`, described in model.json's `dendrite` section (TF.js ignores both).
import { FORMAT_VERSION, type DendriteSection, type EpochProgress, type ModelJson, type OptimizerStateSpec, type WeightSpec } from './format.js';
import { layerEntry } from './layer-config.js';
import { savedCompileSettings } from './save-compile.js';
import type { SaveableModel } from './saveable-model.js';
import { concatFloat32, crc32 } from './weights.js';
import type { Layer } from '../nn/layer.js';
import type { Variable } from '../tensor/tensor.js';

export { FORMAT_VERSION } from './format.js';

export interface SaveOptions {
  /**
   * Also store the optimizer's state (its iteration count and moments) in `optimizer.bin`, so that
   * training continues exactly after `loadModel` (default false, as TF.js).
   */
  includeOptimizer?: boolean;
  /** Training progress for resuming: completed epochs, the RNG state (`getRngState()`), the last logs. */
  trainingState?: { epoch: number; rngState?: (number | null)[]; logs?: Record<string, number>; progress?: EpochProgress };
  /** Any JSON to keep with the model (e.g. the settings of the job that trained it). */
  metadata?: Record<string, unknown>;
  /**
   * Companion files that belong to this model, saved in the same atomic step and recorded in model.json
   * with their CRC-32 (name -> contents), e.g. `[['preprocessing.json', text]]`. Read them back with
   * `readCompanionFile(dir, name)`, which checks that they match the model.
   */
  extraFiles?: readonly (readonly [string, Uint8Array | string])[];
}

/** A saved model in memory: the `model.json` object and the contents of its data files. */
export interface ModelArtifacts {
  modelJson: ModelJson;
  /** `weights.bin`. */
  weightData: Uint8Array;
  /** `optimizer.bin`, with `includeOptimizer`. */
  optimizerData?: Uint8Array;
  /** The companion files of `SaveOptions.extraFiles` (name -> bytes), recorded in `modelJson`. */
  extraFiles?: Map<string, Uint8Array>;
}

/** Names the model's own files take, which a companion file may not. */
const RESERVED = new Set(['model.json', 'weights.bin', 'optimizer.bin']);

/** The companion files as bytes, with their names checked: plain file names, distinct, not the model's own. */
function companionFiles(files: SaveOptions['extraFiles']): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const entry of files ?? []) {
    const [name, contents] = Array.isArray(entry) ? entry : [];
    if (typeof name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) || /\.tmp-\d+-[0-9a-z]+$/.test(name)) {
      throw new Error(`extraFiles: ${JSON.stringify(name)} is not a plain file name (letters, digits, '.', '_', '-'; no folder, no leading dot).`);
    }
    if (RESERVED.has(name))
      throw new Error(`extraFiles: '${name}' is one of the model's own files (${[...RESERVED].join(', ')}); give the companion file another name.`);
    if (out.has(name)) throw new Error(`extraFiles: '${name}' is given twice.`);
    if (typeof contents !== 'string' && !(contents instanceof Uint8Array))
      throw new Error(`extraFiles: the contents of '${name}' must be a string or a Uint8Array.`);
    out.set(name, typeof contents === 'string' ? new TextEncoder().encode(contents) : contents);
  }
  return out;
}

/** The optimizer's slots as bytes, with their description. */
function optimizerState(model: SaveableModel): { spec: Omit<OptimizerStateSpec, 'path'>; data: Uint8Array } | null {
  const optimizer = model.compiled?.optimizer;
  if (!optimizer) return null;
  const state = optimizer.getState();
  const shapes = new Map(model.weights.map((w) => [w.name, [...w.shape]]));
  const weights = state.slots.map(({ variable, slot, values }) => ({ variable, slot, shape: shapes.get(variable) ?? [values.length] }));
  return { spec: { iterations: state.iterations, weights }, data: concatFloat32(state.slots.map((s) => s.values)) };
}

/**
 * The topology of a Sequential model as model.json holds it (and `model.toJSON()` gives it):
 * `{ module: 'keras', class_name: 'Sequential', config: { name, layers }, keras_version, backend }`, snake_case, as
 * TF.js writes it and readable by Keras 3's `model_from_json` too: its first entry is an InputLayer with the input
 * shape (as TF.js writes a model built with an input layer, and Keras 3 every Sequential, instead of
 * `batch_input_shape` on the first layer), and `module` names where Keras 3 finds the class (TF.js ignores it).
 */
export function sequentialTopology(model: SaveableModel): Record<string, unknown> {
  if (!model.built || !model.inputShape)
    throw new Error(
      `Model '${model.name}' is not built yet (its input shape is unknown), so it cannot be saved. Call fit or predict once, or give the first layer an inputShape.`,
    );
  const input = model.layers[0]?.className === 'InputLayer' ? model.layers[0] : null;
  const layers = model.layers.filter((l) => l.className !== 'InputLayer');
  if (layers.length === 0) throw new Error(`Model '${model.name}' has no layers to save.`);
  // named as Keras 2 and dendrite name the input of a Sequential without an input layer (`dense_input`)
  const names = new Set(layers.map((l) => l.name));
  let name = input?.name ?? `${layers[0].name}_input`;
  for (let i = 1; !input && names.has(name); i++) name = `${layers[0].name}_input_${i}`;
  const inputEntry = { class_name: 'InputLayer', config: { batch_input_shape: [...model.inputShape], dtype: 'float32', sparse: false, name } };
  return {
    module: 'keras',
    class_name: 'Sequential',
    config: { name: model.name, layers: [inputEntry, ...layers.map((l) => layerEntry(l, null))] },
    keras_version: 'tfjs-layers 4.22.0',
    backend: 'tensor_flow.js',
  };
}

/** A Sequential model's topology and weights, layer by layer (an input layer has none). */
function sequentialParts(model: SaveableModel): { topology: Record<string, unknown>; variables: Variable[] } {
  const topology = sequentialTopology(model);
  const layers = model.layers.filter((l) => l.className !== 'InputLayer');
  return { topology, variables: layers.flatMap((l) => l.weights) };
}

/**
 * A graph model's topology (Keras' functional config, as TF.js writes it: each layer with the calls that feed it,
 * nested models with their own layers) and its weights, layer by layer in the model's order, a shared layer's
 * once. A nested model's weights keep their layers' names (`inner_dense/kernel`), as TF.js names them.
 */
function graphParts(model: SaveableModel): { topology: Record<string, unknown>; variables: Variable[] } {
  const topology = model.toJSON(null, false);
  if (typeof topology !== 'object') throw new Error(`Internal error: model '${model.name}' gave its topology as a string.`);
  return { topology, variables: [...model.weights] };
}

/** The first layer of `layers` (nested models' included) for which `test` holds. */
function findLayer(layers: readonly Layer[], test: (layer: Layer) => boolean): Layer | null {
  for (const layer of layers) {
    if (test(layer)) return layer;
    const nested = (layer as { layers?: unknown }).layers;
    const found = Array.isArray(nested) ? findLayer(nested, test) : null;
    if (found) return found;
  }
  return null;
}

let bilinearWarned = false;

/**
 * Warns once per process when a TF.js-format file will hold a bilinear UpSampling2D: dendrite computes it as Keras
 * does (half-pixel centres), TF.js' resizeBilinear without them, so TF.js predicts otherwise from the same file.
 */
function warnBilinearUpSampling(model: SaveableModel): void {
  if (bilinearWarned) return;
  const layer = findLayer(model.layers, (l) => l.className === 'UpSampling2D' && (l as { interpolation?: unknown }).interpolation === 'bilinear');
  if (!layer) return;
  bilinearWarned = true;
  console.warn(
    `dendrite: model '${model.name}' is saved in the TF.js format with layer '${layer.name}' (UpSampling2D, interpolation 'bilinear'), which dendrite and Keras compute with half-pixel centres and TensorFlow.js without: TF.js will predict differently from this file (dendrite and Keras read it the same).`,
  );
}

/**
 * The TensorFlow.js layers-format artifacts of `model` (browser-safe: nothing is written). Weights are
 * little-endian float32 in manifest order: layer by layer, trainable before non-trainable (BatchNormalization:
 * gamma, beta, moving_mean, moving_variance). TF.js matches them to its variables by name
 * (`<layer name>/<weight>`, e.g. `dense/kernel`).
 *
 *     const { modelJson, weightData } = modelToArtifacts(model);
 */
export function modelToArtifacts(model: SaveableModel, options: SaveOptions = {}): ModelArtifacts {
  warnBilinearUpSampling(model);
  const { topology, variables } = model.className === 'Sequential' ? sequentialParts(model) : graphParts(model);
  const specs: WeightSpec[] = variables.map((w) => ({ name: w.name, shape: [...w.shape], dtype: 'float32' }));
  const weightData = concatFloat32(variables.map((w) => w.values));
  const seen = new Set<string>();
  for (const s of specs) {
    if (seen.has(s.name))
      throw new Error(`Model '${model.name}' has two weights named '${s.name}'; layer names must be unique to save it (also across the models nested in it).`);
    seen.add(s.name);
  }

  const { dendrite: compile, tfjs: trainingConfig } = savedCompileSettings(model.compiled);
  const section: DendriteSection = { version: 1, files: { 'weights.bin': { bytes: weightData.length, crc32: crc32(weightData) } } };
  if (compile) section.compile = compile;
  let optimizerData: Uint8Array | undefined;
  if (options.includeOptimizer) {
    const state = optimizerState(model);
    if (!state)
      throw new Error(`Model '${model.name}' is not compiled, so it has no optimizer state to save; call compile() first or save without includeOptimizer.`);
    optimizerData = state.data;
    section.optimizerState = { path: 'optimizer.bin', ...state.spec };
    section.files!['optimizer.bin'] = { bytes: optimizerData.length, crc32: crc32(optimizerData) };
  }
  if (options.trainingState) {
    const { epoch, rngState, logs, progress } = options.trainingState;
    if (!Number.isInteger(epoch) || epoch < 0) throw new Error(`trainingState.epoch must be a non-negative integer (completed epochs), got ${epoch}.`);
    section.training = {
      epoch,
      ...(rngState ? { rngState: [...rngState] } : {}),
      ...(logs ? { logs: { ...logs } } : {}),
      ...(progress ? { progress: structuredClone(progress) } : {}),
    };
  }
  if (options.metadata) section.metadata = options.metadata;
  // recorded even when empty: a file left in the folder by an older model is then known not to be this one's
  const extraFiles = companionFiles(options.extraFiles);
  section.extraFiles = {};
  for (const [name, bytes] of extraFiles) {
    section.extraFiles[name] = name;
    section.files![name] = { bytes: bytes.length, crc32: crc32(bytes) };
  }

  const modelJson: ModelJson = {
    format: 'layers-model',
    generatedBy: FORMAT_VERSION,
    convertedBy: null,
    modelTopology: topology,
    weightsManifest: [{ paths: ['weights.bin'], weights: specs }],
    ...(trainingConfig ? { trainingConfig } : {}),
    dendrite: section,
  };
  return { modelJson, weightData, ...(optimizerData ? { optimizerData } : {}), ...(extraFiles.size > 0 ? { extraFiles } : {}) };
}

/**
 * Saves `model` into the folder `dir` as `model.json` + `weights.bin` (+ `optimizer.bin` with
 * `includeOptimizer`, + the companion `extraFiles`), all in one atomic step: after a crash or a kill at any
 * moment the folder holds the whole previous model or the whole new one, never a mix. Saves into one
 * folder wait for one another (a lock file, also across processes). Node.js only.
 */
export async function saveModel(model: SaveableModel, dir: string, options: SaveOptions = {}): Promise<void> {
  // the model as it is at the call, before anything is awaited: training may go on while the files are written
  const { modelJson, weightData, optimizerData, extraFiles } = modelToArtifacts(model, options);
  const { folderPath } = await import('./folder-url.js');
  const folder = await folderPath(dir, `save of model '${model.name}'`);
  const { commitModelFolder } = await import('./model-transaction.js');
  await commitModelFolder(
    folder,
    modelJson,
    new Map<string, Uint8Array>([['weights.bin', weightData], ...(optimizerData ? [['optimizer.bin', optimizerData] as const] : []), ...(extraFiles ?? [])]),
  );
}
