// Compiling a loaded model from its saved settings (dendrite's exact ones, else TF.js' or Keras' training
// config) and restoring the optimizer's state from optimizer.bin.
import { getLoss } from '../nn/losses.js';
import { isMetricName, type MetricIdentifier } from '../nn/metrics.js';
import type { CheckedSection } from './checkpoint-fields.js';
import type { ModelJson } from './format.js';
import { fromKerasConfig } from './keras-json.js';
import { checkFile } from './load-weights.js';
import { optimizerFromEntry } from './optimizer-config.js';
import type { LoadableModel } from './saveable-model.js';
import { isObject, shortJson, type Json } from './untrusted-json.js';
import { readWeight } from './weights.js';

/** Loss name and fromLogits from a TF.js / Keras training config's `loss` (a string, or a Keras 3 loss object). */
function lossOf(loss: unknown): { name: string; fromLogits: boolean } {
  const value = Array.isArray(loss) && loss.length === 1 ? loss[0] : loss;
  if (typeof value === 'string') return { name: value, fromLogits: false };
  if (isObject(value) && typeof value.className === 'string' && value.className !== '') {
    const config = isObject(value.config) ? value.config : {};
    return { name: value.className[0].toLowerCase() + value.className.slice(1), fromLogits: Boolean(config.fromLogits) };
  }
  throw new Error(`the loss ${shortJson(loss)} is not one loss name (models with several outputs are not supported)`);
}

/** Compiles `model` as saved; false when the file has no compile settings. */
export function compileAsSaved(model: LoadableModel, json: ModelJson, jsonName: string): boolean {
  const own = json.dendrite?.compile;
  const foreign = json.trainingConfig ?? (isObject(json.modelTopology) ? json.modelTopology.training_config : undefined);
  if (!own && !isObject(foreign)) return false;
  try {
    if (own) {
      // a hand-edited or damaged file: say which part is wrong rather than fail inside compile()
      if (!isObject(own)) throw new Error(`dendrite.compile must be an object, got ${shortJson(own)}`);
      if (!isObject(own.optimizer)) throw new Error(`dendrite.compile.optimizer must be an object, got ${shortJson(own.optimizer)}`);
      if (own.metrics !== undefined && !Array.isArray(own.metrics)) throw new Error(`dendrite.compile.metrics must be a list, got ${shortJson(own.metrics)}`);
      model.compile({
        optimizer: optimizerFromEntry(own.optimizer),
        loss: getLoss(own.loss as never, { fromLogits: own.fromLogits }),
        metrics: own.metrics as MetricIdentifier[],
      });
      return true;
    }
    const config = fromKerasConfig(foreign) as Json;
    if (!isObject(config.optimizerConfig)) throw new Error('its optimizer_config is missing');
    const { name, fromLogits } = lossOf(config.loss);
    // metrics dendrite does not have are left out (the names arrive camelCased: 'binary_accuracy' as 'binaryAccuracy')
    const metrics = (Array.isArray(config.metrics) ? config.metrics : []).filter(isMetricName);
    model.compile({ optimizer: optimizerFromEntry(config.optimizerConfig), loss: getLoss(name as never, { fromLogits }), metrics });
    return true;
  } catch (error) {
    throw new Error(
      `${jsonName}: cannot compile the saved model: ${(error as Error).message.replace(/\.$/, '')}. Load it with { compile: false } to skip compiling.`,
    );
  }
}

/** Loads the optimizer slots and iteration count of the optimizer file (`data`) into the compiled model's optimizer. */
export function restoreOptimizer(model: LoadableModel, section: CheckedSection, data: Uint8Array, jsonName: string, optimizerName: string): void {
  const spec = section.optimizerState!;
  checkFile(section.files, spec.path, data, optimizerName, jsonName);
  checkOptimizerBytes(spec, data.length, jsonName, optimizerName);
  let offset = 0;
  const slots = spec.weights.map((w) => {
    const values = readWeight(data, offset, { name: `${w.variable}/${w.slot}`, shape: w.shape, dtype: 'float32' }, optimizerName);
    offset += 4 * values.length;
    return { variable: w.variable, slot: w.slot, values };
  });
  try {
    model.compiled!.optimizer.setState({ iterations: spec.iterations, slots }, model.weights);
  } catch (error) {
    throw new Error(`${optimizerName}: ${(error as Error).message}`);
  }
}

/** The optimizer file (or its size, before it is read) must hold exactly the slots dendrite.optimizerState lists. */
export function checkOptimizerBytes(spec: NonNullable<CheckedSection['optimizerState']>, actualBytes: number, jsonName: string, optimizerName: string): void {
  if (actualBytes === spec.bytes) return;
  throw new Error(
    `${optimizerName} ${actualBytes < spec.bytes ? 'is truncated' : 'is too long'}: the ${spec.weights.length} optimizer slots in ${jsonName}'s dendrite.optimizerState need ${spec.bytes} bytes, got ${actualBytes}.`,
  );
}
