// Writing a Keras 3 `.keras` archive that Keras 3's `keras.saving.load_model` reads: config.json (the topology in
// Keras 3's form, see keras3-config.ts, with compile_config where Keras can compile exactly as dendrite does),
// metadata.json, and model.weights.h5 (each layer's variables where Keras keeps them, see weights-layout.ts; the
// optimizer's iteration count and slots under optimizer/vars). Browser-safe: it gives the bytes.
import type { Layer } from '../../nn/layer.js';
import type { Optimizer } from '../../nn/optimizers/optimizer.js';
import type { Variable } from '../../tensor/tensor.js';
import { writeHdf5 } from '../hdf5.js';
import { savedCompileSettings } from '../save-compile.js';
import type { SaveableModel } from '../saveable-model.js';
import { isObject, type Json } from '../untrusted-json.js';
import { writeKerasArchive } from './archive.js';
import { keras3ModelConfig } from './keras3-config.js';
import { kerasSlotOrder } from './optimizer-vars.js';
import { layerPlaces } from './weights-layout.js';

/** The Keras version whose format this writes (the one the tests load it with). */
export const KERAS_FORMAT_VERSION = '3.15.1';

type Config = Record<string, unknown>;

/**
 * Keras 3's config of each optimizer that Keras 3 runs with the same formula, or null: dendrite's RMSprop and
 * Adagrad by default follow Keras 2 (epsilon outside the root), Keras 3 computes `sqrt(v + eps)` (dendrite's
 * `formula: 'tfjs'`); Adamax, Adadelta and Momentum are left out. A model with such an optimizer is written
 * without compile_config, and Keras loads it uncompiled.
 */
function keras3Optimizer(optimizer: Optimizer): { class_name: string; config: Config } | null {
  const c = optimizer.getConfig();
  const learning_rate = optimizer.learningRate;
  switch (optimizer.className) {
    case 'SGD':
      return { class_name: 'SGD', config: { learning_rate, momentum: c.momentum ?? 0, nesterov: c.nesterov ?? false } };
    case 'Adam':
      return { class_name: 'Adam', config: { learning_rate, beta_1: c.beta1, beta_2: c.beta2, epsilon: c.epsilon, amsgrad: false } };
    case 'AdamW':
      return {
        class_name: 'AdamW',
        config: { learning_rate, weight_decay: c.weightDecay, beta_1: c.beta1, beta_2: c.beta2, epsilon: c.epsilon, amsgrad: false },
      };
    case 'RMSprop':
      if (c.formula !== 'tfjs' || c.centered) return null;
      return { class_name: 'RMSprop', config: { learning_rate, rho: c.rho, momentum: c.momentum, epsilon: c.epsilon, centered: false } };
    case 'Adagrad':
      if (c.formula !== 'tfjs') return null;
      return { class_name: 'Adagrad', config: { learning_rate, initial_accumulator_value: c.initialAccumulatorValue, epsilon: c.epsilon } };
    default:
      return null;
  }
}

/** config.json's compile_config, or null when Keras cannot compile the model as dendrite has it. */
function compileConfig(model: SaveableModel): Json | null {
  const compiled = model.compiled;
  if (!compiled) return null;
  const optimizer = keras3Optimizer(compiled.optimizer);
  // the TF.js form holds what Keras reads too: loss names, metric names, several outputs as lists
  const settings = savedCompileSettings(compiled).tfjs;
  if (!optimizer || !settings) return null;
  return {
    optimizer: { module: 'keras.optimizers', ...optimizer, registered_name: null },
    loss: settings.loss,
    loss_weights: settings.loss_weights ?? null,
    metrics: settings.metrics ?? null,
    weighted_metrics: null,
    run_eagerly: false,
    steps_per_execution: 1,
    jit_compile: false,
  };
}

/** The layers of `model` and of the models nested in it, by name, in order (a name may occur in two nested models). */
function layersByName(model: { layers: readonly Layer[] }, out = new Map<string, Layer[]>()): Map<string, Layer[]> {
  for (const layer of model.layers) {
    out.set(layer.name, [...(out.get(layer.name) ?? []), layer]);
    const nested = layer as unknown as { layers?: readonly Layer[] };
    if (Array.isArray(nested.layers)) layersByName(nested as { layers: readonly Layer[] }, out);
  }
  return out;
}

/** What model.weights.h5 will hold, taken from the model at once (copies), so that training may go on while it is written. */
type Entry = { group: string; name: string } | { dataset: string; values: Float32Array | Int32Array; shape: readonly number[] };

function optimizerEntries(model: SaveableModel): Entry[] {
  const optimizer = model.compiled!.optimizer;
  const state = optimizer.getState();
  const entries: Entry[] = [
    { group: 'optimizer/vars', name: optimizer.className.toLowerCase() },
    { dataset: 'optimizer/vars/0', values: Int32Array.of(state.iterations), shape: [] },
    { dataset: 'optimizer/vars/1', values: Float32Array.of(optimizer.learningRate), shape: [] },
  ];
  const saved = new Map(state.slots.map((s) => [`${s.variable}\u0000${s.slot}`, s.values]));
  const trainable: Variable[] = model.weights.filter((v) => v.requiresGrad);
  // a slot not made yet (no step taken) is written as Keras starts it: Adagrad's accumulator at its initial value, others at 0
  const initial = optimizer.className === 'Adagrad' ? Number(optimizer.getConfig().initialAccumulatorValue) : 0;
  kerasSlotOrder(optimizer, trainable).forEach(({ variable, slot }, i) => {
    const values = saved.get(`${variable.name}\u0000${slot}`) ?? new Float32Array(variable.size).fill(initial);
    entries.push({ dataset: `optimizer/vars/${i + 2}`, values, shape: variable.shape });
  });
  return entries;
}

/** The bytes of a `.keras` archive of `model` (built), which Keras 3 loads with the same predictions. */
export async function kerasFileBytes(model: SaveableModel): Promise<Uint8Array> {
  if (!model.built) throw new Error(`Model '${model.name}' is not built yet (its input shape is unknown), so it cannot be saved.`);
  const topology = model.toJSON(null, false);
  if (!isObject(topology)) throw new Error(`Internal error: model '${model.name}' gave its topology as a string.`);
  const layers = layersByName(model);
  const shapeOf = (name: string, node: number, tensor: number) => {
    const shape = layers.get(name)?.[0]?.inboundNodes[node]?.outputTensors[tensor]?.shape;
    if (!shape) throw new Error(`Internal error: model '${model.name}' has no output ${tensor} of call ${node} of layer '${name}'.`);
    return shape;
  };
  const config = keras3ModelConfig(topology, shapeOf);
  if (model.className === 'Sequential' && model.inputShape) config.build_config = { input_shape: [...model.inputShape] };
  const compile = compileConfig(model);
  if (compile) config.compile_config = compile;

  const entries: Entry[] = [{ group: 'vars', name: model.name }];
  for (const place of layerPlaces(config, `model '${model.name}'`)) {
    const layer = layers.get(place.name)?.shift();
    if (!layer) throw new Error(`Internal error: model '${model.name}' has no layer '${place.name}' for ${place.path}.`);
    entries.push({ group: `${place.path}/vars`, name: place.name });
    if (place.isModel) continue;
    // a wrapper's groups (Bidirectional's two layers) hold equal shares of its weights, in order
    const weights = layer.weights;
    const share = weights.length / place.varGroups.length;
    place.varGroups.forEach((group, g) => {
      if (group !== place.path) entries.push({ group: `${group}/vars`, name: place.name });
      weights.slice(g * share, (g + 1) * share).forEach((v, i) => {
        entries.push({ dataset: `${group}/vars/${i}`, values: v.values.slice(), shape: [...v.shape] });
      });
    });
  }
  if (compile) for (const e of optimizerEntries(model)) entries.push(e);
  const weights = await writeHdf5((w) => {
    for (const e of entries) {
      if ('group' in e) w.group(e.group, { name: e.name });
      else w.dataset(e.dataset, e.values, e.shape);
    }
  });
  const metadata = { keras_version: KERAS_FORMAT_VERSION, date_saved: new Date().toISOString().slice(0, 19).replace('T', '@') };
  return writeKerasArchive({ config: JSON.stringify(config), metadata: JSON.stringify(metadata), weights });
}
