// localstorage://name: models in a page's localStorage, in TF.js' layout, so that a model TF.js saved loads here
// and the other way round. Five string items per model under `tensorflowjs_models/<name>/`: `info` (the
// ModelArtifactsInfo as JSON), `model_topology` and `weight_specs` (JSON), `weight_data` (all the weights as
// one base64 string) and `model_metadata` (format, generatedBy, convertedBy, trainingConfig, ... as JSON).
import { artifactsInfo } from './artifacts.js';
import { fromBase64, joinWeightData, toBase64 } from './io-encoding.js';
import type { IOHandler, ModelArtifacts, ModelArtifactsInfo, SaveResult } from './io-types.js';

export const LOCAL_STORAGE_SCHEME = 'localstorage://';
const PREFIX = 'tensorflowjs_models';
const PARTS = { info: 'info', topology: 'model_topology', weightSpecs: 'weight_specs', weightData: 'weight_data', metadata: 'model_metadata' } as const;
type Keys = Record<keyof typeof PARTS, string>;
/** The metadata fields, copied when present. */
const METADATA = [
  'format',
  'generatedBy',
  'convertedBy',
  'signature',
  'userDefinedMetadata',
  'modelInitializer',
  'initializerSignature',
  'trainingConfig',
] as const;

function keysOf(path: string): Keys {
  const keys = {} as Keys;
  for (const [part, suffix] of Object.entries(PARTS) as [keyof Keys, string][]) keys[part] = `${PREFIX}/${path}/${suffix}`;
  return keys;
}

/** The page's localStorage, or TF.js' error where there is none (Node.js, Web Workers). */
function storage(): Storage {
  let found: Storage | undefined;
  try {
    found = (globalThis as { localStorage?: Storage }).localStorage;
  } catch {
    // a page whose storage is blocked throws on reading the property
  }
  if (found == null) throw new Error('The current environment does not support local storage.');
  return found;
}

function stripScheme(path: string): string {
  return path.startsWith(LOCAL_STORAGE_SCHEME) ? path.slice(LOCAL_STORAGE_SCHEME.length) : path;
}

function parsed<T>(text: string | null): T | null {
  return text == null ? null : (JSON.parse(text) as T);
}

class BrowserLocalStorage implements IOHandler {
  private readonly ls: Storage;
  private readonly keys: Keys;

  constructor(private readonly modelPath: string) {
    this.ls = storage();
    if (modelPath == null || !modelPath) throw new Error('For local storage, modelPath must not be null, undefined or empty.');
    this.keys = keysOf(modelPath);
  }

  async save(artifacts: ModelArtifacts): Promise<SaveResult> {
    if (artifacts.modelTopology instanceof ArrayBuffer) {
      throw new Error('BrowserLocalStorage.save() does not support saving model topology in binary formats yet.');
    }
    const info = artifactsInfo(artifacts);
    const metadata: Record<string, unknown> = {};
    // format, generatedBy and convertedBy as given (null too), the others when set, as TF.js writes them
    for (const key of METADATA) {
      const given = key === 'format' || key === 'generatedBy' || key === 'convertedBy';
      if (given ? artifacts[key] !== undefined : artifacts[key] != null) metadata[key] = artifacts[key];
    }
    try {
      this.ls.setItem(this.keys.info, JSON.stringify(info));
      this.ls.setItem(this.keys.topology, JSON.stringify(artifacts.modelTopology));
      this.ls.setItem(this.keys.weightSpecs, JSON.stringify(artifacts.weightSpecs));
      this.ls.setItem(this.keys.weightData, toBase64(joinWeightData(artifacts.weightData)));
      this.ls.setItem(this.keys.metadata, JSON.stringify(metadata));
    } catch {
      for (const key of Object.values(this.keys)) this.ls.removeItem(key);
      throw new Error(
        `Failed to save model '${this.modelPath}' to local storage: size quota being exceeded is a possible cause of this failure: ` +
          `modelTopologyBytes=${info.modelTopologyBytes}, weightSpecsBytes=${info.weightSpecsBytes}, weightDataBytes=${info.weightDataBytes}.`,
      );
    }
    return { modelArtifactsInfo: info };
  }

  async load(): Promise<ModelArtifacts> {
    const info = parsed<ModelArtifactsInfo>(this.ls.getItem(this.keys.info));
    if (info == null) throw new Error(`In local storage, there is no model with name '${this.modelPath}'`);
    if (info.modelTopologyType !== 'JSON') throw new Error('BrowserLocalStorage does not support loading non-JSON model topology yet.');
    const topology = parsed<object>(this.ls.getItem(this.keys.topology));
    if (topology == null) throw new Error(`In local storage, the topology of model '${this.modelPath}' is missing.`);
    const weightSpecs = parsed<ModelArtifacts['weightSpecs']>(this.ls.getItem(this.keys.weightSpecs));
    if (weightSpecs == null) throw new Error(`In local storage, the weight specs of model '${this.modelPath}' are missing.`);
    const out: ModelArtifacts = { modelTopology: topology, weightSpecs };
    const metadata = parsed<Record<string, unknown>>(this.ls.getItem(this.keys.metadata));
    if (metadata != null) {
      for (const key of METADATA) if (metadata[key] != null) (out as Record<string, unknown>)[key] = metadata[key];
    }
    const weightData = this.ls.getItem(this.keys.weightData);
    if (weightData == null) throw new Error(`In local storage, the binary weight values of model '${this.modelPath}' are missing.`);
    out.weightData = fromBase64(weightData);
    return out;
  }
}

/** tf.io.browserLocalStorage(modelPath): a handler that saves to and loads from localStorage, as TF.js'. */
export function browserLocalStorage(modelPath: string): IOHandler {
  return new BrowserLocalStorage(modelPath);
}

/** Whether this environment has a localStorage (pages do; Node.js and Web Workers do not). */
export function hasLocalStorage(): boolean {
  try {
    return storage() != null;
  } catch {
    return false;
  }
}

/** The models in localStorage, by name (the path after localstorage://), with their info. */
export async function listLocalStorageModels(): Promise<Record<string, ModelArtifactsInfo>> {
  const ls = storage();
  const out: Record<string, ModelArtifactsInfo> = {};
  const suffix = `/${PARTS.info}`;
  for (let i = 0; i < ls.length; i++) {
    const key = ls.key(i);
    if (key?.startsWith(`${PREFIX}/`) && key.endsWith(suffix)) {
      const parts = key.split('/');
      if (parts.length >= 3) out[parts.slice(1, -1).join('/')] = JSON.parse(ls.getItem(key) as string) as ModelArtifactsInfo;
    }
  }
  return out;
}

/** Removes a model from localStorage and returns its info. */
export async function removeLocalStorageModel(path: string): Promise<ModelArtifactsInfo> {
  const ls = storage();
  const name = stripScheme(path);
  const keys = keysOf(name);
  const info = parsed<ModelArtifactsInfo>(ls.getItem(keys.info));
  if (info == null) throw new Error(`Cannot find model at path '${name}'`);
  for (const key of Object.values(keys)) ls.removeItem(key);
  return info;
}
