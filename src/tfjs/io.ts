// `tf.io` of TensorFlow.js: model artifacts and the handlers that save and load them. A handler is any object
// with `save(artifacts)` and / or `load()`, as in TF.js, so TF.js' own handlers, and handlers written for TF.js,
// work here. dendrite's model files are TF.js' layers format, so the artifacts are the same data: `modelTopology`,
// `weightSpecs` and `weightData` in TF.js' names.

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

/**
 * tf.io.http / browserHTTPRequest: loads a model.json and its weight files from a URL with fetch (Node.js 18+
 * and browsers); the weight paths are resolved against the model.json's URL, as TF.js does. Saving over HTTP
 * (a POST of the artifacts) is not supported.
 */
export function http(path: string, loadOptions: { requestInit?: RequestInit; fetchFunc?: typeof fetch } = {}): IOHandler {
  const get = loadOptions.fetchFunc ?? fetch;
  return {
    load: async () => {
      const response = await get(path, loadOptions.requestInit);
      if (!response.ok) throw new Error(`loadLayersModel: ${path}: HTTP ${response.status} ${response.statusText}`);
      const json = (await response.json()) as { weightsManifest?: { paths: string[]; weights: WeightsManifestEntry[] }[] } & ModelArtifacts;
      const groups = json.weightsManifest ?? [];
      const buffers: ArrayBuffer[] = [];
      for (const group of groups) {
        for (const p of group.paths) {
          const url = new URL(p, new URL(path, typeof location === 'undefined' ? undefined : location.href)).href;
          const r = await get(url, loadOptions.requestInit);
          if (!r.ok) throw new Error(`loadLayersModel: ${url}: HTTP ${r.status} ${r.statusText}`);
          buffers.push(await r.arrayBuffer());
        }
      }
      return {
        modelTopology: json.modelTopology,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        trainingConfig: json.trainingConfig,
        weightSpecs: groups.flatMap((g) => g.weights),
        weightData: buffers,
      };
    },
  };
}

export const browserHTTPRequest = http;
