// Loading Sequential models from the TensorFlow.js layers format. io reads and checks the files and fills in
// the model it is handed; this file hands it a new Sequential, because only the model floor may make one (io
// does not import the model: the model imports io to save). `modelFromArtifacts` is browser-safe (give it the
// parsed model.json and the weight bytes, e.g. from fetch); `loadModel` reads a folder in Node.js.
import { readCheckpoint, readCheckpointFolder, type ArtifactsOptions, type LoadedCheckpoint, type LoadOptions } from '../io/load.js';
import { Sequential } from './sequential.js';

export type { ArtifactsOptions, LoadOptions } from '../io/load.js';

/** A model with the training progress saved beside it (by `callbacks.modelCheckpoint` or `save` with `trainingState`). */
export type Checkpoint = LoadedCheckpoint<Sequential>;

function newSequential(args: { name?: string }): Sequential {
  return new Sequential(args);
}

/**
 * The model and training progress in a model.json object and its data (browser-safe). See `modelFromArtifacts`.
 */
export function checkpointFromArtifacts(modelJson: object, weightData: ArrayBuffer | Uint8Array, options: ArtifactsOptions = {}): Checkpoint {
  return readCheckpoint(modelJson, weightData, newSequential, options);
}

/**
 * A Sequential model from the parsed `model.json` of a TensorFlow.js layers model and its weight bytes
 * (all weight files concatenated in manifest order). Browser-safe: no file access.
 *
 *     const json = await (await fetch('model/model.json')).json();
 *     const weights = await (await fetch('model/weights.bin')).arrayBuffer();
 *     const model = modelFromArtifacts(json, weights);
 */
export function modelFromArtifacts(modelJson: object, weightData: ArrayBuffer | Uint8Array, options: ArtifactsOptions = {}): Sequential {
  return checkpointFromArtifacts(modelJson, weightData, options).model;
}

/**
 * Reads a saved model and its training progress from a folder (or the path of its model.json).
 * Node.js only.
 *
 *     const { model, epoch, rngState } = await loadCheckpoint('./checkpoints');
 *     if (rngState) setRngState(rngState);
 *     await model.fit(x, y, { epochs: 10, initialEpoch: epoch });
 */
export async function loadCheckpoint(path: string, options: LoadOptions = {}): Promise<Checkpoint> {
  return readCheckpointFolder(path, newSequential, options);
}

/**
 * Loads a model saved by `model.save`, by TensorFlow.js (`model.save('file://...')`) or converted from Keras
 * by the tensorflowjs converter, from a folder (or the path of its model.json). The model comes back
 * compiled when the file has a training config; with the optimizer's state when saved with
 * `includeOptimizer`. Node.js only; in the browser use `modelFromArtifacts`.
 *
 *     const model = await loadModel('./my-model');
 *     model.predict(x);
 */
export async function loadModel(path: string, options: LoadOptions = {}): Promise<Sequential> {
  return (await loadCheckpoint(path, options)).model;
}
