// Loading models from the TensorFlow.js layers format. io reads and checks the files and fills in the models it
// is handed; this file hands it a new `Sequential` or `Model`, because only the model floor may make one (io does
// not import the model: the model imports io to save). A file of a Sequential model loads as a `Sequential`, a
// file of a functional one as a `Model`, and models nested in either load as models too. `modelFromArtifacts` is
// browser-safe (give it the parsed model.json and the weight bytes, e.g. from fetch); `loadModel` reads a folder
// in Node.js.
import { kerasFormatOf, readKerasPath } from '../io/keras-file.js';
import { readCheckpoint, readCheckpointFolder, type ArtifactsOptions, type LoadedCheckpoint, type LoadOptions } from '../io/load.js';
import type { ModelMakers } from '../io/saveable-model.js';
import type { Tensor } from '../tensor/tensor.js';
import { Model } from './model.js';
import { Sequential } from './sequential.js';

export type { ArtifactsOptions, LoadOptions } from '../io/load.js';

/**
 * A model with the training progress saved beside it (by `callbacks.modelCheckpoint` or `save` with
 * `trainingState`). `model` is a `Sequential` when the file holds one (`model instanceof Sequential`).
 */
export type Checkpoint<O extends Tensor | Tensor[] = Tensor> = LoadedCheckpoint<Model<O>>;

const MAKERS: ModelMakers<Model> = {
  sequential: (args) => new Sequential(args),
  graph: (args) => new Model(args),
};

/**
 * The model and training progress in a model.json object and its data (browser-safe). See `modelFromArtifacts`.
 */
export function checkpointFromArtifacts<O extends Tensor | Tensor[] = Tensor>(
  modelJson: object,
  weightData: ArrayBuffer | Uint8Array,
  options: ArtifactsOptions = {},
): Checkpoint<O> {
  return readCheckpoint(modelJson, weightData, MAKERS, options) as Checkpoint<O>;
}

/**
 * A model from the parsed `model.json` of a TensorFlow.js layers model and its weight bytes (all weight files
 * concatenated in manifest order): a `Sequential` for a Sequential file, a `Model` for a functional one.
 * Browser-safe: no file access.
 *
 *     const json = await (await fetch('model/model.json')).json();
 *     const weights = await (await fetch('model/weights.bin')).arrayBuffer();
 *     const model = modelFromArtifacts(json, weights);
 */
export function modelFromArtifacts<O extends Tensor | Tensor[] = Tensor>(
  modelJson: object,
  weightData: ArrayBuffer | Uint8Array,
  options: ArtifactsOptions = {},
): Model<O> {
  return checkpointFromArtifacts<O>(modelJson, weightData, options).model;
}

/**
 * Reads a saved model and its training progress from a folder (or the path of its model.json).
 * Node.js only.
 *
 *     const { model, epoch, rngState } = await loadCheckpoint('./checkpoints');
 *     if (rngState) setRngState(rngState);
 *     await model.fit(x, y, { epochs: 10, initialEpoch: epoch });
 */
export async function loadCheckpoint<O extends Tensor | Tensor[] = Tensor>(path: string, options: LoadOptions = {}): Promise<Checkpoint<O>> {
  if (kerasFormatOf(path)) return (await readKerasPath(path, MAKERS, options)) as Checkpoint<O>;
  return (await readCheckpointFolder(path, MAKERS, options)) as Checkpoint<O>;
}

/**
 * Loads a model saved by `model.save`, by TensorFlow.js (`model.save('file://...')`) or converted from Keras
 * by the tensorflowjs converter, from a folder (or the path of its model.json); or a Keras file: a Keras 3
 * `.keras` archive, or a legacy Keras `.h5` model. A `Sequential` for a Sequential file, a `Model` for a
 * functional one (as TF.js' `tf.loadLayersModel`). The model comes back compiled when the
 * file has a training config; with the optimizer's state when saved with `includeOptimizer`. Node.js only; in
 * the browser use `modelFromArtifacts`.
 *
 * The type parameter says what `predict` returns: one tensor by default, as most models have one output; a
 * model of several outputs (or one saved to return a list) is loaded as `loadModel<Tensor[]>(path)`.
 *
 *     const model = await loadModel('./my-model');
 *     model.predict(x);
 */
export async function loadModel<O extends Tensor | Tensor[] = Tensor>(path: string, options: LoadOptions = {}): Promise<Model<O>> {
  return (await loadCheckpoint<O>(path, options)).model;
}

/**
 * A model from the bytes of a Keras file, browser-safe: a Keras 3 `.keras` archive (a zip) or a legacy Keras
 * `.h5` model (HDF5), told apart by their first bytes. Compiled as the file says unless `{ compile: false }`.
 *
 *     const bytes = new Uint8Array(await (await fetch('model.keras')).arrayBuffer());
 *     const model = await modelFromKerasBytes(bytes);
 */
export async function modelFromKerasBytes<O extends Tensor | Tensor[] = Tensor>(
  bytes: Uint8Array,
  options: LoadOptions & { fileName?: string } = {},
): Promise<Model<O>> {
  const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b;
  const isHdf5 = bytes[0] === 0x89 && bytes[1] === 0x48 && bytes[2] === 0x44 && bytes[3] === 0x46;
  const name = options.fileName ?? (isZip ? 'model.keras' : 'model.h5');
  if (isZip) {
    const { readKerasFile } = await import('../io/keras3/read-keras.js');
    return (await readKerasFile(bytes, name, MAKERS, options)).model as Model<O>;
  }
  if (isHdf5) {
    const { readKerasH5 } = await import('../io/keras-h5.js');
    return (await readKerasH5(bytes, name, MAKERS, options)) as Model<O>;
  }
  throw new Error(`${name} is neither a .keras archive (a zip) nor a Keras .h5 file (HDF5): its first bytes are neither.`);
}
