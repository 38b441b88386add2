// Reading models in the TensorFlow.js layers format: files written by dendrite, by TF.js' `model.save()` and by
// the tensorflowjs converter from Keras (Sequential and functional models, models nested in them). `readCheckpoint`
// is browser-safe (give it the parsed model.json and the weight bytes, e.g. from fetch); `readCheckpointFolder`
// reads a folder in Node.js. Both fill in models that the caller makes (`makers`), because io does not import the
// model floor: the public `loadModel` and its kin are in model/load-model.ts and hand these `Sequential` and `Model`.
import { buildModel, readTopology } from './build-model.js';
import { readDendriteSection, type CheckedSection } from './checkpoint-fields.js';
import type { EpochProgress, ModelJson } from './format.js';
import { compileAsSaved, restoreOptimizer } from './load-compile.js';
import { checkFile, manifestWeights } from './load-weights.js';
import { checkWeightBytes, readManifest, type Manifest } from './manifest.js';
import type { LoadableModel, ModelMakers } from './saveable-model.js';
import { checkDepth, isObject } from './untrusted-json.js';
import { asBytes } from './weights.js';

export interface LoadOptions {
  /** Compile the model with the saved optimizer (and its state, if saved), loss and metrics (default true). */
  compile?: boolean;
}

export interface ArtifactsOptions extends LoadOptions {
  /** The bytes of `optimizer.bin`, to restore the optimizer's state (files saved with `includeOptimizer`). */
  optimizerData?: ArrayBuffer | Uint8Array;
  /** File names for error messages (default `model.json`, `weights.bin`, `optimizer.bin`). */
  fileNames?: { json?: string; weights?: string; optimizer?: string };
}

/** A model with the training progress saved beside it (by `callbacks.modelCheckpoint` or `save` with `trainingState`). */
export interface LoadedCheckpoint<M extends LoadableModel> {
  model: M;
  /** Completed epochs (0 when the file records none): pass it to `fit` as `initialEpoch`. */
  epoch: number;
  /** The random generator's state after that epoch: `setRngState(rngState)` before resuming. */
  rngState: (number | null)[] | null;
  /** The logs of the last completed epoch. */
  logs: Record<string, number> | null;
  /** When training stopped inside epoch `epoch` (Ctrl-C): pass it to `fit` as `initialEpochProgress`. */
  progress: EpochProgress | null;
  /** What the saver passed as `metadata`. */
  metadata: Record<string, unknown> | null;
  /**
   * Whether the optimizer's saved state (its step count and moments) was restored. False when the file has
   * none or the model was loaded without compiling: training then continues with a fresh optimizer.
   */
  optimizerRestored: boolean;
}

/** The key under which dendrite.files records the weight data: the weight file's own name when it is recorded so, else `weights.bin`. */
function weightsFileKey(manifest: Manifest, section: CheckedSection): string {
  const paths = manifest.paths;
  return paths.length === 1 && section.files.has(paths[0].path) ? paths[0].path : 'weights.bin';
}

/**
 * The model (made by `makers`, filled in from the file) and the training progress in a model.json object
 * and its data (browser-safe). See `modelFromArtifacts` in model/load-model.ts.
 */
export function readCheckpoint<M extends LoadableModel>(
  modelJson: object,
  weightData: ArrayBuffer | Uint8Array,
  makers: ModelMakers<M>,
  options: ArtifactsOptions = {},
): LoadedCheckpoint<M> {
  const jsonName = options.fileNames?.json ?? 'model.json';
  const weightsName = options.fileNames?.weights ?? 'weights.bin';
  if (!isObject(modelJson))
    throw new Error(`${jsonName}: expected a JSON object, got ${Array.isArray(modelJson) ? 'a list' : modelJson === null ? 'null' : typeof modelJson}.`);
  checkDepth(modelJson, jsonName);
  const json = modelJson as unknown as ModelJson;
  // everything the file declares is checked, and the data's size compared with it, before the model is built
  const topology = readTopology(modelJson, jsonName);
  const section = readDendriteSection(modelJson, jsonName);
  const manifest = readManifest(modelJson, jsonName);
  const data = asBytes(weightData);
  checkWeightBytes(manifest, data.length, jsonName, weightsName);
  checkFile(section.files, weightsFileKey(manifest, section), data, weightsName, jsonName);

  const weights = manifestWeights(manifest, data, jsonName, weightsName);
  const model = buildModel(topology, weights.source, jsonName, makers);
  weights.checkAllUsed(model);

  let optimizerRestored = false;
  if (options.compile ?? true) {
    const compiled = compileAsSaved(model, json, jsonName);
    if (compiled && section.optimizerState && options.optimizerData) {
      restoreOptimizer(model, section, asBytes(options.optimizerData), jsonName, options.fileNames?.optimizer ?? section.optimizerState.path);
      optimizerRestored = true;
    }
  }
  return { model, ...section.training, metadata: section.metadata, optimizerRestored };
}

/**
 * Reads a saved model (made by `makers`) and its training progress from a folder (or the path of its
 * model.json). Node.js only. See `loadCheckpoint` in model/load-model.ts.
 */
export async function readCheckpointFolder<M extends LoadableModel>(
  path: string,
  makers: ModelMakers<M>,
  options: LoadOptions = {},
): Promise<LoadedCheckpoint<M>> {
  const { folderPath } = await import('./folder-url.js');
  path = await folderPath(path, 'loadModel');
  const { readModelFolder, modelJsonStamp } = await import('./read-model-folder.js');
  for (let attempt = 1; ; attempt++) {
    const before = await modelJsonStamp(path);
    try {
      const folder = await readModelFolder(path, { optimizer: options.compile ?? true });
      return readCheckpoint(folder.json, folder.weights, makers, {
        ...options,
        optimizerData: folder.optimizerData,
        fileNames: { json: folder.jsonPath, weights: folder.weightsName, optimizer: folder.optimizerName },
      });
    } catch (error) {
      // a save in another process switched the folder while it was read (model.json replaced, data files
      // renamed or removed): read the new state; a folder that is damaged, not changing, fails as it is
      if (attempt < 5 && before !== null && (await modelJsonStamp(path)) !== before) continue;
      throw error;
    }
  }
}
