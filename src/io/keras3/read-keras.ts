// Reading a Keras 3 `.keras` archive: the model of config.json, built with each layer's variables taken from
// model.weights.h5 where Keras keeps them (weights-layout.ts), shapes checked before values are read; compiled
// from config.json's compile_config unless `{ compile: false }`, with the optimizer's state (its iteration count
// and slots) restored from the file when it has one. Browser-safe (give it the file's bytes).
import type { WeightSource } from '../../nn/layer.js';
import { formatShape } from '../../tensor/shape.js';
import { buildModel, readTopology } from '../build-model.js';
import type { ModelJson, TrainingConfig } from '../format.js';
import { openHdf5, type Hdf5Reader } from '../hdf5.js';
import { compileAsSaved } from '../load-compile.js';
import { WeightFileError } from '../load-weights.js';
import { parseJson } from '../read-model-folder.js';
import type { LoadableModel, ModelMakers } from '../saveable-model.js';
import { checkDepth, isObject, listNames, type Json } from '../untrusted-json.js';
import { CONFIG, readKerasArchive, WEIGHTS } from './archive.js';
import { kerasSlotOrder } from './optimizer-vars.js';
import { layerPlaces, type LayerPlace } from './weights-layout.js';

export interface KerasLoadOptions {
  /** Compile the model as config.json's compile_config says, with the optimizer's saved state (default true). */
  compile?: boolean;
}

export interface LoadedKerasModel<M> {
  model: M;
  /** Whether the optimizer's state (iteration count and slots) came from the file. */
  optimizerRestored: boolean;
}

/** The numbered datasets `vars/0`, `vars/1`... of a group, counted (Keras numbers them without gaps). */
function varCount(file: Hdf5Reader, group: string): number {
  const keys = file.groupKeys(`${group}/vars`) ?? [];
  return keys.filter((k) => /^\d+$/.test(k)).length;
}

/** The paths of a layer's variables, `<group>/vars/0`, `/vars/1`... of each of its groups in turn (Keras numbers them without gaps). */
function varPaths(file: Hdf5Reader, place: LayerPlace): string[] {
  if (place.isModel) return [];
  return place.varGroups.flatMap((group) => Array.from({ length: varCount(file, group) }, (_, i) => `${group}/vars/${i}`));
}

/**
 * A weight source that gives the k-th weight a layer creates the values of its k-th variable in the file: dendrite's
 * layers create their weights in Keras' order (trainable first, each in creation order).
 */
function archiveWeights(file: Hdf5Reader, places: readonly LayerPlace[], where: string) {
  const byName = new Map<string, LayerPlace[]>();
  for (const p of places) if (!p.isModel) byName.set(p.name, [...(byName.get(p.name) ?? []), p]);
  const taken = new Map<LayerPlace, number>();
  // where the file holds each layer's variables, read once
  const stored = new Map(places.map((p) => [p, varPaths(file, p)]));
  const source: WeightSource = (name, shape) => {
    // `dense/kernel`; a wrapper's inner layers name theirs below it: `bidirectional/forward_lstm/kernel`
    const owner = name.slice(0, name.lastIndexOf('/'));
    const layerName = byName.has(owner) ? owner : name.slice(0, name.indexOf('/'));
    const candidates = byName.get(layerName) ?? [];
    // a layer name used twice (in two nested models) takes the groups in order
    const place = candidates.find((p) => (taken.get(p) ?? 0) < stored.get(p)!.length) ?? candidates[0];
    if (!place) throw new WeightFileError(`${where}: config.json has no layer '${layerName}' for the weight '${name}'.`);
    const index = taken.get(place) ?? 0;
    const path = stored.get(place)![index] ?? `${place.varGroups[0]}/vars/${index}`;
    const info = file.dataset(path);
    if (!info) {
      throw new WeightFileError(
        `${where}: ${WEIGHTS} has no /${path} for weight ${index} of layer '${place.name}' (${place.className}), '${name}' ${formatShape(shape)}.`,
      );
    }
    if (info.shape.length !== shape.length || info.shape.some((d, i) => d !== shape[i])) {
      throw new WeightFileError(
        `${where}: ${WEIGHTS} /${path} has shape ${formatShape(info.shape)}, but layer '${place.name}' needs ${formatShape(shape)} for '${name}'.`,
      );
    }
    taken.set(place, index + 1);
    return file.readFloat32(path);
  };
  const checkAllUsed = () => {
    for (const p of places) {
      if (p.isModel) continue;
      const held = stored.get(p)!.length;
      const used = taken.get(p) ?? 0;
      if (held !== used) {
        throw new Error(`${where}: ${WEIGHTS} holds ${held} variable(s) for layer '${p.name}' (${p.className}) at /${p.path}, but the layer has ${used}.`);
      }
    }
  };
  return { source, checkAllUsed };
}

/** config.json's compile_config in the form of a TF.js / Keras 2 training_config, which the compiler reads. */
function trainingConfigOf(compileConfig: Json): TrainingConfig {
  return {
    optimizer_config: compileConfig.optimizer,
    loss: compileConfig.loss,
    metrics: compileConfig.metrics ?? undefined,
    weighted_metrics: compileConfig.weighted_metrics ?? undefined,
    loss_weights: compileConfig.loss_weights ?? undefined,
  } as unknown as TrainingConfig;
}

/** Restores the optimizer's iteration count and slots from `optimizer/vars`; false when the file has none (never trained). */
function restoreOptimizerVars(model: LoadableModel, file: Hdf5Reader, where: string): boolean {
  const optimizer = model.compiled?.optimizer;
  const stored = varCount(file, 'optimizer');
  if (!optimizer || stored <= 2) return false;
  const trainable = model.weights.filter((v) => v.requiresGrad);
  const order = kerasSlotOrder(optimizer, trainable);
  if (stored !== 2 + order.length) {
    throw new Error(
      `${where}: ${WEIGHTS} holds ${stored} optimizer variables, but ${optimizer.className} over the model's ${trainable.length} trainable weights keeps 2 + ${order.length} (the iteration, the learning rate, ${listNames([...optimizer.slotKinds])} per weight). Load it with { compile: false } to skip compiling.`,
    );
  }
  const slots = order.map(({ variable, slot }, i) => {
    const path = `optimizer/vars/${i + 2}`;
    const info = file.dataset(path);
    if (!info || info.size !== variable.size || info.shape.some((d, k) => d !== variable.shape[k])) {
      throw new Error(
        `${where}: ${WEIGHTS} /${path} should be the ${slot} of '${variable.name}' ${formatShape(variable.shape)}, got ${info ? formatShape(info.shape) : 'nothing'}.`,
      );
    }
    return { variable: variable.name, slot, values: file.readFloat32(path) };
  });
  const iterations = file.readFloat32('optimizer/vars/0')[0];
  if (!Number.isInteger(iterations) || iterations < 0) throw new Error(`${where}: ${WEIGHTS} /optimizer/vars/0 (the iteration count) is ${iterations}.`);
  optimizer.setState({ iterations, slots }, model.weights);
  return true;
}

/** The model in the bytes of a `.keras` file, made by `makers`; `fileName` names it in errors. */
export async function readKerasFile<M extends LoadableModel>(
  bytes: Uint8Array,
  fileName: string,
  makers: ModelMakers<M>,
  options: KerasLoadOptions = {},
): Promise<LoadedKerasModel<M>> {
  const archive = readKerasArchive(bytes, fileName);
  const where = `${fileName} (${CONFIG})`;
  const config = parseJson(new TextDecoder().decode(archive.config), where);
  if (!isObject(config)) throw new Error(`${where}: expected a JSON object.`);
  checkDepth(config, where);
  const topology = readTopology({ modelTopology: config }, where);
  const places = layerPlaces(config, where);
  const file = await openHdf5(archive.weights, `${fileName} (${WEIGHTS})`);
  try {
    const weights = archiveWeights(file, places, fileName);
    const model = buildModel(topology, weights.source, where, makers);
    weights.checkAllUsed();
    let optimizerRestored = false;
    // Keras writes an uncompiled model's compile_config as {} (or null)
    if ((options.compile ?? true) && isObject(config.compile_config) && config.compile_config.optimizer !== undefined) {
      const json = { modelTopology: {}, trainingConfig: trainingConfigOf(config.compile_config) } as ModelJson;
      if (compileAsSaved(model, json, where)) optimizerRestored = restoreOptimizerVars(model, file, fileName);
    }
    return { model, optimizerRestored };
  } finally {
    file.close();
  }
}
