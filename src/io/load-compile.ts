// Compiling a loaded model from its saved settings (dendrite's exact ones, else TF.js' or Keras' training
// config) and restoring the optimizer's state from optimizer.bin. A model of several outputs compiles with each
// output's loss, loss weight and metrics (compile-outputs.ts reads them).
import { getLoss } from '../nn/losses.js';
import type { MetricIdentifier } from '../nn/metrics.js';
import type { CheckedSection } from './checkpoint-fields.js';
import { foreignMetrics } from './compile-metrics.js';
import { foreignOutputSettings, lossOf, ownOutputSettings } from './compile-outputs.js';
import type { ModelJson } from './format.js';
import { fromKerasConfig } from './keras-json.js';
import { checkFile } from './load-weights.js';
import { optimizerFromEntry } from './optimizer-config.js';
import type { LoadableModel } from './saveable-model.js';
import { isObject, shortJson, type Json } from './untrusted-json.js';
import { readWeight } from './weights.js';

/** A training config's losses as an object keyed by output name (a Keras 3 loss object has a class_name instead). */
function isLossesByName(loss: unknown): boolean {
  return isObject(loss) && !('class_name' in loss) && !('className' in loss);
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
      if (own.outputs !== undefined) {
        model.compile({ optimizer: optimizerFromEntry(own.optimizer), ...ownOutputSettings(own.outputs, model.outputNames) });
        return true;
      }
      model.compile({
        optimizer: optimizerFromEntry(own.optimizer),
        loss: getLoss(own.loss as never, { fromLogits: own.fromLogits }),
        metrics: own.metrics as MetricIdentifier[],
      });
      return true;
    }
    const config = fromKerasConfig(foreign) as Json;
    if (!isObject(config.optimizerConfig)) throw new Error('its optimizer_config is missing');
    const raw = foreign as Json;
    // several outputs, loss weights, or losses keyed by output name: each output's settings (keys read as written)
    if (model.outputNames.length > 1 || (raw.loss_weights !== undefined && raw.loss_weights !== null) || isLossesByName(raw.loss)) {
      model.compile({ optimizer: optimizerFromEntry(config.optimizerConfig), ...foreignOutputSettings(raw, model.outputNames) });
      return true;
    }
    const { name, fromLogits } = lossOf(config.loss);
    const loss = getLoss(name as never, { fromLogits });
    const [metrics] = foreignMetrics(raw, model.outputNames, [loss]);
    model.compile({ optimizer: optimizerFromEntry(config.optimizerConfig), loss, metrics });
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
