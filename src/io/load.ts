// Loading models in the TensorFlow.js layers format: files written by dendrite, by TF.js'
// `model.save()` and by the tensorflowjs converter from Keras. `modelFromArtifacts` is browser-safe (give it
// the parsed model.json and the weight bytes, e.g. from fetch); `loadModel` reads a folder in Node.js.
import type { Logs } from '../model/callbacks.js';
import type { EpochProgress } from '../model/training.js';
import { Sequential } from '../model/sequential.js';
import type { Layer } from '../nn/layer.js';
import { getRngState, setRngState } from '../tensor/rng.js';
import type { ModelJson } from './format.js';
import { fromKerasConfig } from './keras-json.js';
import { layerFromConfig, LayerConfigError } from './layer-registry.js';
import { compileModel, restoreOptimizer } from './load-compile.js';
import { assignWeights } from './load-weights.js';
import { asBytes } from './weights.js';

export interface LoadOptions {
  /** Compile the model with the saved optimizer (and its state, if saved), loss and metrics (default true). */
  compile?: boolean;
}

export interface ArtifactsOptions extends LoadOptions {
  /** The bytes of `optimizer.bin`, to restore the optimizer's state (files saved with `includeOptimizer`). */
  optimizerData?: ArrayBuffer | Uint8Array;
  /** File names for error messages (default `model.json`, `weights.bin`, `optimizer.bin`). */
  fileNames?: { json?: string; weights?: string; optimizer?: string };
}

/** A model with the training progress saved beside it (by `callbacks.modelCheckpoint` or `save` with `trainingState`). */
export interface Checkpoint {
  model: Sequential;
  /** Completed epochs (0 when the file records none): pass it to `fit` as `initialEpoch`. */
  epoch: number;
  /** The random generator's state after that epoch: `setRngState(rngState)` before resuming. */
  rngState: (number | null)[] | null;
  /** The logs of the last completed epoch. */
  logs: Logs | null;
  /** When training stopped inside epoch `epoch` (Ctrl-C): pass it to `fit` as `initialEpochProgress`. */
  progress: EpochProgress | null;
  /** What the saver passed as `metadata`. */
  metadata: Record<string, unknown> | null;
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A checkpoint's record of an unfinished epoch, checked field by field (a damaged one must not resume wrongly). */
function checkProgress(p: unknown, file: string): EpochProgress {
  const numbers = (o: unknown) => isObject(o) && Object.values(o).every((v) => typeof v === 'number');
  if (
    !isObject(p) || !Number.isInteger(p.batch) || (p.batch as number) < 0 || !Number.isInteger(p.seen) || (p.seen as number) < 0 ||
    !Array.isArray(p.epochRngState) || !p.epochRngState.every((v) => v === null || typeof v === 'number') || !numbers(p.sums)
  ) {
    throw new Error(`${file}: dendrite.training.progress is damaged (expected { batch, epochRngState, sums, seen }).`);
  }
  return p as unknown as EpochProgress;
}

/** The Sequential config inside a topology: TF.js / Keras 2 `{class_name, config: {name, layers}}`, the older `{model_config: ...}` wrapper, or `config` as a bare list of layers (old Keras). */
function sequentialConfig(topology: unknown, file: string): { name?: string; layers: unknown[]; buildInputShape?: unknown } {
  if (!isObject(topology)) throw new Error(`${file}: modelTopology is missing or not an object.`);
  const t = isObject(topology.model_config) ? topology.model_config : topology;
  const className = t.class_name;
  if (className !== 'Sequential') {
    const what = className === 'Model' || className === 'Functional' ? 'a functional (graph) model' : `a '${String(className)}'`;
    throw new Error(`${file}: the topology holds ${what}; dendrite loads Sequential models only.`);
  }
  const config = t.config;
  if (Array.isArray(config)) return { layers: config };
  if (!isObject(config) || !Array.isArray(config.layers)) throw new Error(`${file}: modelTopology.config.layers is missing; is this a TensorFlow.js layers model?`);
  return { name: typeof config.name === 'string' ? config.name : undefined, layers: config.layers, buildInputShape: config.build_input_shape };
}

function buildLayers(entries: unknown[], file: string): Layer[] {
  return entries.map((entry, i) => {
    if (!isObject(entry) || typeof entry.class_name !== 'string') throw new Error(`${file}: layer ${i} is not a {class_name, config} object.`);
    const config = (fromKerasConfig(entry.config ?? {}) ?? {}) as Json;
    try {
      return layerFromConfig(entry.class_name, config);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const who = `layer ${i} '${String(config.name ?? '?')}' (${entry.class_name})`;
      // our layers' own argument errors already name the layer
      throw new Error(error instanceof LayerConfigError ? `${file}: ${who}: ${message}.` : `${file}: ${who}: ${message}`);
    }
  });
}

/**
 * The model and training progress in a model.json object and its data (browser-safe). See `modelFromArtifacts`.
 */
export function checkpointFromArtifacts(modelJson: object, weightData: ArrayBuffer | Uint8Array, options: ArtifactsOptions = {}): Checkpoint {
  const jsonName = options.fileNames?.json ?? 'model.json';
  const weightsName = options.fileNames?.weights ?? 'weights.bin';
  if (!isObject(modelJson)) throw new Error(`${jsonName}: expected a JSON object, got ${Array.isArray(modelJson) ? 'a list' : typeof modelJson}.`);
  const json = modelJson as unknown as ModelJson;
  if (json.format !== undefined && json.format !== 'layers-model') {
    throw new Error(`${jsonName}: format '${String(json.format)}' is not a layers model (a TF.js graph model cannot be loaded as layers).`);
  }
  const { name, layers, buildInputShape } = sequentialConfig(json.modelTopology, jsonName);
  const model = new Sequential(name ? { name } : {});
  // building runs the initializers; a load must not move the global random stream
  const rng = getRngState();
  try {
    for (const layer of buildLayers(layers, jsonName)) {
      try {
        model.add(layer);
      } catch (error) {
        throw new Error(`${jsonName}: ${(error as Error).message}`);
      }
    }
    if (!model.built && Array.isArray(buildInputShape)) model.build(buildInputShape.map((d) => (d === null ? null : Number(d))));
  } finally {
    setRngState(rng);
  }
  if (!model.built) throw new Error(`${jsonName}: the model's input shape is unknown (no batch_input_shape on its first layer).`);

  assignWeights(model, json, asBytes(weightData), jsonName, weightsName);
  if (options.compile ?? true) {
    const compiled = compileModel(model, json, jsonName);
    if (compiled && json.dendrite?.optimizerState && options.optimizerData) {
      restoreOptimizer(model, json, asBytes(options.optimizerData), jsonName, options.fileNames?.optimizer ?? json.dendrite.optimizerState.path);
    }
  }
  const training = json.dendrite?.training;
  return {
    model,
    epoch: training?.epoch ?? 0,
    rngState: training?.rngState ?? null,
    logs: training?.logs ?? null,
    progress: training?.progress ? checkProgress(training.progress, jsonName) : null,
    metadata: json.dendrite?.metadata ?? null,
  };
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

/** `JSON.parse` with the position of a syntax error as line and column. */
function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const match = /position (\d+)/.exec(message);
    let where = '';
    if (match) {
      const pos = Number(match[1]);
      const before = text.slice(0, pos).split('\n');
      where = ` (line ${before.length}, column ${before[before.length - 1].length + 1})`;
    } else if (/end of JSON/i.test(message)) {
      where = ' (it ends early: truncated?)';
    }
    throw new Error(`${file} is not valid JSON: ${message}${where}.`);
  }
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
  const fs = await import('node:fs/promises');
  const { join, dirname, basename } = await import('node:path');
  const info = await fs.stat(path).catch(() => null);
  if (!info) throw new Error(`${path} does not exist.`);
  const dir = info.isDirectory() ? path : dirname(path);
  const jsonPath = info.isDirectory() ? join(path, 'model.json') : path;
  const text = await fs.readFile(jsonPath, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new Error(`${jsonPath} not found: ${dir} holds no saved model (model.save writes model.json + weights.bin).`);
    throw new Error(`cannot read ${jsonPath}: ${error.message}`);
  });
  const json = parseJson(text, jsonPath);
  if (!isObject(json)) throw new Error(`${jsonPath}: expected a JSON object.`);
  const read = async (file: string, what: string): Promise<Uint8Array> => {
    const full = join(dir, file);
    return fs.readFile(full).then(
      (b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength),
      (error: NodeJS.ErrnoException) => {
        throw new Error(error.code === 'ENOENT' ? `${full} is missing (${basename(jsonPath)}'s ${what} lists it).` : `cannot read ${full}: ${error.message}`);
      },
    );
  };
  const groups = Array.isArray(json.weightsManifest) ? json.weightsManifest : [];
  const paths: string[] = groups.flatMap((g) => (isObject(g) && Array.isArray(g.paths) ? g.paths.map(String) : []));
  const parts = [];
  for (const p of paths) parts.push(await read(p, 'weightsManifest'));
  const weights = parts.length === 1 ? parts[0] : new Uint8Array(parts.reduce((n, b) => n + b.length, 0));
  if (parts.length !== 1) {
    let offset = 0;
    for (const b of parts) {
      weights.set(b, offset);
      offset += b.length;
    }
  }
  const section = (json as unknown as ModelJson).dendrite;
  const optimizerPath = section?.optimizerState?.path;
  const optimizerData = optimizerPath && (options.compile ?? true) ? await read(optimizerPath, 'dendrite.optimizerState') : undefined;
  const weightsName = paths.length === 0 ? 'the weight data' : paths.map((p) => join(dir, p)).join(' + ');
  return checkpointFromArtifacts(json, weights, {
    ...options,
    optimizerData,
    fileNames: { json: jsonPath, weights: weightsName, optimizer: optimizerPath ? join(dir, optimizerPath) : undefined },
  });
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
