// What TF.js' browser handlers store and send, shared by them: the weight data as one buffer, a model.json object
// for artifacts, and base64 (localStorage holds strings). Internal to dendrite/tfjs; works in browsers and Node.js.
import type { ModelArtifacts } from './io-types.js';

/** The weight data as one buffer, as TF.js' handlers store and send it (its `CompositeArrayBuffer.join`). */
export function joinWeightData(data: ArrayBuffer | ArrayBuffer[] | undefined): ArrayBuffer {
  if (data == null) return new ArrayBuffer(0);
  if (!Array.isArray(data)) return data;
  if (data.length === 1) return data[0];
  const joined = new Uint8Array(data.reduce((n, d) => n + d.byteLength, 0));
  let at = 0;
  for (const d of data) {
    joined.set(new Uint8Array(d), at);
    at += d.byteLength;
  }
  return joined.buffer;
}

/** The model.json object of artifacts whose weights are in the files `weightPaths` (the fields TF.js writes). */
export function modelJsonFor(artifacts: ModelArtifacts, weightPaths: string[]): Record<string, unknown> {
  const json: Record<string, unknown> = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    weightsManifest: [{ paths: weightPaths, weights: artifacts.weightSpecs }],
  };
  for (const key of ['signature', 'userDefinedMetadata', 'modelInitializer', 'initializerSignature', 'trainingConfig'] as const) {
    if (artifacts[key] != null) json[key] = artifacts[key];
  }
  return json;
}

/** Bytes as base64 (in chunks: one call per 32 KB, never one argument per byte). */
export function toBase64(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  const CHUNK = 0x8000;
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK) as unknown as number[]);
  }
  return btoa(binary);
}

/** The bytes of a base64 string. */
export function fromBase64(text: string): ArrayBuffer {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
}
