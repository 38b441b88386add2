// `tf.io` of TensorFlow.js: model artifacts and the handlers that save and load them. A handler is any object
// with `save(artifacts)` and / or `load()`, as in TF.js, so TF.js' own handlers, and handlers written for TF.js,
// work here. dendrite's model files are TF.js' layers format, so the artifacts are the same data: `modelTopology`,
// `weightSpecs` and `weightData` in TF.js' names.
import type { ModelJson, WeightSpec } from '../io/format.js';

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

/** The artifacts of a dendrite model.json and its weight bytes, as TF.js' handlers receive them. */
export function toTfjsArtifacts(json: ModelJson, weightData: Uint8Array): ModelArtifacts {
  const specs: WeightSpec[] = (json.weightsManifest ?? []).flatMap((g) => g.weights);
  return {
    modelTopology: json.modelTopology,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy ?? null,
    ...(json.trainingConfig ? { trainingConfig: json.trainingConfig } : {}),
    weightSpecs: specs as WeightsManifestEntry[],
    weightData: weightData.buffer.slice(weightData.byteOffset, weightData.byteOffset + weightData.byteLength) as ArrayBuffer,
  };
}

/** The model.json object and the weight bytes of TF.js artifacts (weight data in one buffer or several). */
export function fromTfjsArtifacts(artifacts: ModelArtifacts): { json: Record<string, unknown>; weights: Uint8Array } {
  if (artifacts === null || typeof artifacts !== 'object')
    throw new Error(`loadLayersModel: the handler's load() gave ${String(artifacts)}, not model artifacts.`);
  if (artifacts.modelTopology === undefined || artifacts.modelTopology instanceof ArrayBuffer) {
    throw new Error('loadLayersModel: the artifacts hold no layers-model topology (a TF.js graph model cannot be loaded as layers).');
  }
  const parts = artifacts.weightData === undefined ? [] : Array.isArray(artifacts.weightData) ? artifacts.weightData : [artifacts.weightData];
  const weights = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    weights.set(new Uint8Array(p), at);
    at += p.byteLength;
  }
  const json = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format ?? 'layers-model',
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy ?? null,
    weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
    ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
  };
  return { json, weights };
}

function info(artifacts: ModelArtifacts): ModelArtifactsInfo {
  const data = artifacts.weightData;
  return {
    dateSaved: new Date(),
    modelTopologyType: 'JSON',
    modelTopologyBytes: JSON.stringify(artifacts.modelTopology ?? null).length,
    weightSpecsBytes: JSON.stringify(artifacts.weightSpecs ?? []).length,
    weightDataBytes: data === undefined ? 0 : Array.isArray(data) ? data.reduce((n, d) => n + d.byteLength, 0) : data.byteLength,
  };
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

/** The artifacts' summary that TF.js' handlers return. */
export function artifactsInfo(artifacts: ModelArtifacts): ModelArtifactsInfo {
  return info(artifacts);
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
