// `tf.io` of TensorFlow.js: model artifacts and the handlers that save and load them. A handler is any object
// with `save(artifacts)` and / or `load()`, as in TF.js, so TF.js' own handlers, and handlers written for TF.js,
// work here. dendrite's model files are TF.js' layers format, so the artifacts are the same data: `modelTopology`,
// `weightSpecs` and `weightData` in TF.js' names.

export type { IOHandler, ModelArtifacts, ModelArtifactsInfo, SaveResult, WeightsManifestEntry } from './io-types.js';
import type { IOHandler, ModelArtifacts, SaveResult, WeightsManifestEntry } from './io-types.js';
// model.save(url) and loadLayersModel(url) choose the handler of a URL by its scheme (io-router.ts):
// localstorage://, indexeddb://, downloads:// and http(s)://. TF.js 4.x keeps the browser storage handlers'
// factories out of tf.io, and so does dendrite/tfjs; it has TF.js' model management over those stores.
export { browserHTTPRequest, http } from './io-http.js';
export { copyModel, listModels, moveModel, removeModel } from './io-router.js';

/**
 * tf.io.fromMemory: a handler that loads the given artifacts (or TF.js' older form: the topology, weight specs
 * and weight data as three arguments).
 */
export function fromMemory(
  modelArtifacts: ModelArtifacts | object,
  weightSpecs?: WeightsManifestEntry[],
  weightData?: ArrayBuffer,
  trainingConfig?: object,
): IOHandler {
  const artifacts: ModelArtifacts =
    weightSpecs === undefined && 'modelTopology' in modelArtifacts
      ? (modelArtifacts as ModelArtifacts)
      : { modelTopology: modelArtifacts, weightSpecs, weightData, ...(trainingConfig ? { trainingConfig } : {}) };
  return { load: async () => artifacts };
}

/** tf.io.withSaveHandler: a handler whose save calls `saveHandler` with the artifacts. */
export function withSaveHandler(saveHandler: (artifacts: ModelArtifacts) => Promise<SaveResult>): IOHandler {
  return { save: saveHandler };
}
