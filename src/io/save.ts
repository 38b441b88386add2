import type { Layer } from '../nn/layer.js';
import type { Sequential } from '../model/sequential.js';
import { writeFilesAtomically } from './atomic.js';
import { toKerasConfig } from './keras-json.js';

export const FORMAT_VERSION = 'dendrite 0.1.0';

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32';
}

/** The Keras config of one layer as TensorFlow.js writes it. */
function layerEntry(layer: Layer, batchInputShape: readonly (number | null)[] | null): Record<string, unknown> {
  const config = toKerasConfig(layer.getConfig());
  delete config.batch_input_shape;
  return {
    class_name: layer.className,
    config: { ...config, ...(batchInputShape ? { batch_input_shape: batchInputShape } : {}), dtype: 'float32' },
  };
}

/**
 * The `model.json` object of the TensorFlow.js layers format (`format: "layers-model"`) and the weights,
 * concatenated little-endian float32 in manifest order (trainable before non-trainable within each layer).
 */
export function serializeModel(model: Sequential, extra: Record<string, unknown> = {}): { json: Record<string, unknown>; weights: Uint8Array } {
  if (!model.built || !model.inputShape) throw new Error(`Model '${model.name}' is not built yet (its input shape is unknown), so it cannot be saved. Call fit or predict once, or give the first layer an inputShape.`);
  // the input layer is implicit in a Sequential file: its shape goes onto the first real layer
  const layers = model.layers.filter((l) => l.className !== 'InputLayer');
  const entries = layers.map((l, i) => layerEntry(l, i === 0 ? model.inputShape : null));
  const specs: WeightSpec[] = [];
  const chunks: Float32Array[] = [];
  for (const layer of layers) {
    for (const w of layer.weights) {
      specs.push({ name: w.name, shape: [...w.shape], dtype: 'float32' });
      chunks.push(w.values);
    }
  }
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const weights = new Float32Array(total);
  let offset = 0;
  for (const c of chunks) {
    weights.set(c, offset);
    offset += c.length;
  }
  const bytes = new Uint8Array(weights.buffer);
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('Saving models on a big-endian machine is not supported.');
  const json = {
    format: 'layers-model',
    generatedBy: FORMAT_VERSION,
    convertedBy: null,
    modelTopology: {
      class_name: 'Sequential',
      config: { name: model.name, layers: entries },
      keras_version: 'tfjs-layers 4.22.0',
      backend: 'tensor_flow.js',
    },
    weightsManifest: [{ paths: ['weights.bin'], weights: specs }],
    ...extra,
  };
  return { json, weights: bytes };
}

/**
 * Saves `model` into the folder `dir` as `model.json` + `weights.bin` (TensorFlow.js layers format),
 * each file written atomically.
 */
export async function saveModel(model: Sequential, dir: string, extra: Record<string, unknown> = {}): Promise<void> {
  const { json, weights } = serializeModel(model, extra);
  await writeFilesAtomically(dir, [
    ['weights.bin', weights],
    ['model.json', JSON.stringify(json, null, 1)],
  ]);
}
