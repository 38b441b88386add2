// Between dendrite's model files and TF.js' ModelArtifacts, which TF.js' IOHandlers save and load: the same
// data (dendrite's files are TF.js' layers format) under TF.js' names. Internal to dendrite/tfjs.
import type { ModelJson, WeightSpec } from '../io/format.js';
import { joinWeightData } from './io-encoding.js';
import type { ModelArtifacts, ModelArtifactsInfo, WeightsManifestEntry } from './io-types.js';

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
  const weights = new Uint8Array(joinWeightData(artifacts.weightData));
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

/** The artifacts' summary that TF.js' handlers return. */
export function artifactsInfo(artifacts: ModelArtifacts): ModelArtifactsInfo {
  const data = artifacts.weightData;
  return {
    dateSaved: new Date(),
    modelTopologyType: 'JSON',
    modelTopologyBytes: JSON.stringify(artifacts.modelTopology ?? null).length,
    weightSpecsBytes: JSON.stringify(artifacts.weightSpecs ?? []).length,
    weightDataBytes: data === undefined ? 0 : Array.isArray(data) ? data.reduce((n, d) => n + d.byteLength, 0) : data.byteLength,
  };
}
