// The types of `tf.io` (TF.js' names): model artifacts, what saving returns, and the handler interface. A leaf
// module, so that io.ts, the handlers it gathers and artifacts.ts can all use them without a cycle.

/** One weight as a model.json's manifest lists it. */
export interface WeightsManifestEntry {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool' | string;
  group?: string;
  quantization?: unknown;
}

/** What TF.js' `model.save()` hands a handler and `load()` gives back (tf.io.ModelArtifacts). */
export interface ModelArtifacts {
  modelTopology?: object | ArrayBuffer;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  trainingConfig?: object;
  weightSpecs?: WeightsManifestEntry[];
  weightData?: ArrayBuffer | ArrayBuffer[];
  userDefinedMetadata?: Record<string, unknown>;
  /** TF.js graph models' fields: kept when artifacts are stored and copied, unused by layers models. */
  signature?: object;
  modelInitializer?: object;
  initializerSignature?: object;
}

export interface ModelArtifactsInfo {
  dateSaved: Date;
  modelTopologyType: 'JSON' | 'GraphDef';
  modelTopologyBytes?: number;
  weightSpecsBytes?: number;
  weightDataBytes?: number;
}

export interface SaveResult {
  modelArtifactsInfo: ModelArtifactsInfo;
  responses?: unknown[];
}

/** tf.io.IOHandler: saves, loads, or both. (Method syntax, so that TF.js' own handlers type-check as these.) */
export interface IOHandler {
  save?(artifacts: ModelArtifacts): Promise<SaveResult>;
  load?(): Promise<ModelArtifacts>;
}
