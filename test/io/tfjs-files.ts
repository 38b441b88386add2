// Moving model files between dendrite and real TensorFlow.js in tests: what TF.js' `model.save()` writes,
// captured in memory, as the model.json its file:// handler would write, and a TF.js IOHandler that reads a
// folder dendrite wrote, as `tf.loadLayersModel('file://...')` would.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { randomNormal, randomUniform, type Tensor, type Variable } from '../../src/index.js';

/** What TF.js' `model.save()` produces, captured in memory. */
export async function tfjsArtifacts(model: tf.LayersModel, includeOptimizer = false): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
    { includeOptimizer },
  );
  return saved!;
}

/** The bytes of TF.js artifacts' weight data. */
export function weightBytes(artifacts: tf.io.ModelArtifacts): Uint8Array {
  const data = artifacts.weightData!;
  return new Uint8Array(Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data);
}

/** The model.json TF.js' file:// handler writes for `artifacts` (the weights in the files `paths`). */
export function tfjsModelJson(artifacts: tf.io.ModelArtifacts, paths: string[] = ['weights.bin']): Record<string, unknown> {
  return {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    weightsManifest: [{ paths, weights: artifacts.weightSpecs }],
    ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
  };
}

/**
 * TF.js' Sequential topology as dendrite writes the same model: its input shape moved from the first layer into an
 * InputLayer entry named `<first layer>_input` (what TF.js writes for the model built with `tf.layers.inputLayer`
 * first), and Keras 3's `module: 'keras'`, so that Keras 3's `model_from_json` reads it too.
 */
export function asDendriteWrites(topology: unknown): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(topology));
  const layers: { class_name: string; config: Record<string, unknown> }[] = copy.config.layers;
  const { batch_input_shape, dtype, ...first } = layers[0].config;
  layers[0].config = first;
  layers.unshift({ class_name: 'InputLayer', config: { batch_input_shape, dtype, sparse: false, name: `${first.name}_input` } });
  return { module: 'keras', ...copy };
}

/** A TF.js IOHandler reading a folder written by dendrite (every weight group and file, in manifest order). */
export function fileHandler(folder: string): tf.io.IOHandler {
  return {
    load: async () => {
      const json = JSON.parse(await readFile(join(folder, 'model.json'), 'utf8'));
      const parts = [];
      for (const group of json.weightsManifest) for (const p of group.paths) parts.push(await readFile(join(folder, p)));
      const bytes = Buffer.concat(parts);
      return {
        modelTopology: json.modelTopology,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        trainingConfig: json.trainingConfig,
        weightSpecs: json.weightsManifest.flatMap((g: { weights: tf.io.WeightsManifestEntry[] }) => g.weights),
        weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
      };
    },
  };
}

/** TF.js' predictions for dendrite tensors, one array per output. */
export function tfPredictAll(model: tf.LayersModel, xs: readonly Tensor[]): Float32Array[] {
  const out = model.predict(xs.length === 1 ? tf.tensor(xs[0].values, [...xs[0].shape]) : xs.map((x) => tf.tensor(x.values, [...x.shape])));
  return (Array.isArray(out) ? out : [out]).map((t) => t.dataSync() as Float32Array);
}

/** TF.js' prediction of a model of one input and one output. */
export function tfPredict(model: tf.LayersModel, x: Tensor): Float32Array {
  return tfPredictAll(model, [x])[0];
}

/** Non-trivial values everywhere: biases, batch normalisation statistics and scales are not left at 0 / 1. */
export function randomizeDendrite(model: { readonly weights: readonly Variable[] }): void {
  for (const w of model.weights) {
    if (w.name.endsWith('/moving_variance')) w.assign(randomUniform(w.shape, 0.5, 2));
    else if (w.name.endsWith('/gamma')) w.assign(randomUniform(w.shape, 0.5, 1.5));
    else w.assign(randomNormal(w.shape, 0, 0.4));
  }
}

/** The same for a TF.js model, each weight from its own seed. */
export function randomizeTfjs(model: tf.LayersModel, seed: number): void {
  model.weights.forEach((w, i) => {
    const name = w.originalName;
    const shape = w.shape as number[];
    const value = name.endsWith('/moving_variance')
      ? tf.randomUniform(shape, 0.5, 2, 'float32', seed + i)
      : name.endsWith('/gamma')
        ? tf.randomUniform(shape, 0.5, 1.5, 'float32', seed + i)
        : tf.randomNormal(shape, 0, 0.4, 'float32', seed + i);
    w.write(value);
  });
}
