// tf.io.http (browserHTTPRequest): a model over HTTP(S) with fetch, in browsers and Node.js. `load` reads a
// model.json and the weight files its manifest names, resolved against the model.json's URL as TF.js does;
// `save` POSTs a multipart form with `model.json` and `model.weights.bin`, the form TF.js' handler sends.
import { artifactsInfo } from './artifacts.js';
import { joinWeightData, modelJsonFor } from './io-encoding.js';
import type { IOHandler, ModelArtifacts, SaveResult, WeightsManifestEntry } from './io-types.js';

/** What `tf.io.http` takes besides the URL (the parts of TF.js' `LoadOptions` dendrite uses). */
export interface HttpOptions {
  /** Passed to every fetch (headers, credentials, ...); saving sends `method: 'POST'` unless this names another. */
  requestInit?: RequestInit;
  fetchFunc?: typeof fetch;
}

async function post(path: string, artifacts: ModelArtifacts, options: HttpOptions): Promise<SaveResult> {
  if (artifacts.modelTopology instanceof ArrayBuffer) {
    throw new Error('BrowserHTTPRequest.save() does not support saving model topology in binary formats yet.');
  }
  const body = new FormData();
  const json = modelJsonFor(artifacts, ['./model.weights.bin']);
  body.append('model.json', new Blob([JSON.stringify(json)], { type: 'application/json' }), 'model.json');
  if (artifacts.weightData != null) {
    body.append('model.weights.bin', new Blob([joinWeightData(artifacts.weightData)], { type: 'application/octet-stream' }), 'model.weights.bin');
  }
  const response = await (options.fetchFunc ?? fetch)(path, { method: 'POST', ...options.requestInit, body });
  if (!response.ok) throw new Error(`BrowserHTTPRequest.save() failed due to HTTP response status ${response.status}.`);
  return { modelArtifactsInfo: artifactsInfo(artifacts), responses: [response] };
}

async function get(path: string, options: HttpOptions): Promise<ModelArtifacts> {
  const fetchFn = options.fetchFunc ?? fetch;
  const response = await fetchFn(path, options.requestInit);
  if (!response.ok) throw new Error(`loadLayersModel: ${path}: HTTP ${response.status} ${response.statusText}`);
  const json = (await response.json()) as { weightsManifest?: { paths: string[]; weights: WeightsManifestEntry[] }[] } & ModelArtifacts;
  const groups = json.weightsManifest ?? [];
  const buffers: ArrayBuffer[] = [];
  const base = new URL(path, typeof location === 'undefined' ? undefined : location.href);
  for (const group of groups) {
    for (const p of group.paths) {
      const url = new URL(p, base).href;
      const r = await fetchFn(url, options.requestInit);
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
}

/** tf.io.http(path, { requestInit, fetchFunc }): a handler that saves to and loads from `path` over HTTP(S). */
export function http(path: string, loadOptions: HttpOptions = {}): IOHandler {
  if (path == null || path.length === 0) throw new Error('URL path for http must not be null, undefined or empty.');
  if (loadOptions.requestInit?.body != null) throw new Error('requestInit is expected to have no pre-existing body, but has one.');
  return {
    save: (artifacts: ModelArtifacts) => post(path, artifacts, loadOptions),
    load: () => get(path, loadOptions),
  };
}

export const browserHTTPRequest = http;
