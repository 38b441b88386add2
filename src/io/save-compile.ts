// The compile settings a saved model keeps: dendrite's exact ones (its `dendrite.compile` section) and, where
// TF.js can express them, TF.js' `trainingConfig`, so that `tf.loadLayersModel` compiles the model too. A model
// of several outputs keeps each output's loss, loss weight and metrics.
import { isLossName, LOSSES, type LossName } from '../nn/losses.js';
import { isMetricName } from '../nn/metrics.js';
import type { CompileConfig, OutputCompileConfig, TrainingConfig } from './format.js';
import { toSnake } from './keras-json.js';
import { optimizerEntry, tfjsOptimizerConfig } from './optimizer-config.js';
import type { SaveableCompiledOutput, SaveableCompileState } from './saveable-model.js';

/** The settings in dendrite's form and, where TF.js can express them, in TF.js' form; none for a loss that cannot be written down. */
export interface SavedCompileSettings {
  dendrite?: CompileConfig;
  tfjs?: TrainingConfig;
}

/**
 * A metric's name as compile takes it, from its log key: a model of several outputs prefixes the output's name
 * (`dense_2_accuracy`), and a second metric of one name gets a counter (`accuracy_1`).
 */
function metricName(logKey: string, prefix: string): string {
  return (logKey.startsWith(prefix) ? logKey.slice(prefix.length) : logKey).replace(/_\d+$/, '');
}

/** The compile settings of a compiled model (none when it is not compiled). */
export function savedCompileSettings(compiled: SaveableCompileState | null): SavedCompileSettings {
  if (!compiled) return {};
  const outputs = compiled.outputs;
  if (outputs.length > 1 || outputs.some((o) => o.weight !== 1)) return severalOutputs(compiled);
  const loss = String(compiled.loss.lossName);
  // a custom loss function cannot be written down; the model then loads uncompiled
  if (!isLossName(loss)) return {};
  // metric names can be written down (functions cannot)
  const metrics = compiled.metrics.map((m) => m.name.replace(/_\d+$/, '')).filter((name) => isMetricName(name));
  const dendrite: CompileConfig = { loss, fromLogits: compiled.loss.fromLogits, metrics, optimizer: optimizerEntry(compiled.optimizer) };
  const optimizerConfig = tfjsOptimizerConfig(compiled.optimizer);
  // TF.js compiles only the losses it has (no huber)
  const tfjsReady = optimizerConfig && LOSSES[loss].tfjs && !compiled.loss.fromLogits;
  return { dendrite, tfjs: tfjsReady ? { loss: toSnake(loss), metrics, optimizer_config: optimizerConfig } : undefined };
}

/** Each output's settings (a model of several outputs, or one whose loss has a weight other than 1). */
function severalOutputs(compiled: SaveableCompileState): SavedCompileSettings {
  const outputs = compiled.outputs;
  if (!outputs.every((o) => isLossName(String(o.loss.lossName)))) return {};
  const prefixed = outputs.length > 1;
  const perOutput: OutputCompileConfig[] = outputs.map((o) => ({
    name: o.outputName,
    loss: String(o.loss.lossName),
    fromLogits: o.loss.fromLogits,
    weight: o.weight,
    metrics: o.metrics.map((m) => metricName(m.name, prefixed ? `${o.outputName}_` : '')).filter((name) => isMetricName(name)),
  }));
  const [first] = perOutput;
  const dendrite: CompileConfig = {
    loss: first.loss,
    fromLogits: first.fromLogits,
    metrics: first.metrics,
    optimizer: optimizerEntry(compiled.optimizer),
    outputs: perOutput,
  };
  return { dendrite, tfjs: tfjsTrainingConfig(compiled, perOutput) };
}

/**
 * TF.js' training config for a model of several outputs: the losses as a list, the metrics as one list when all
 * outputs have the same, else as an object of one metric per output (TF.js reads no lists there; other metric
 * settings are left out, and TF.js compiles without them). None when TF.js cannot compile the settings: a loss
 * it lacks, logits, or loss weights (TF.js refuses a file with `loss_weights`; the model then loads uncompiled
 * there, and compiled exactly in dendrite).
 */
function tfjsTrainingConfig(compiled: SaveableCompileState, outputs: readonly OutputCompileConfig[]): TrainingConfig | undefined {
  const optimizerConfig = tfjsOptimizerConfig(compiled.optimizer);
  const expressible = (o: OutputCompileConfig, saved: SaveableCompiledOutput) => LOSSES[o.loss as LossName].tfjs && !o.fromLogits && saved.weight === 1;
  if (!optimizerConfig || !outputs.every((o, i) => expressible(o, compiled.outputs[i]))) return undefined;
  const loss = outputs.map((o) => toSnake(o.loss));
  const same = outputs.every((o) => o.metrics.join() === outputs[0].metrics.join());
  if (same) return { loss, metrics: outputs[0].metrics, optimizer_config: optimizerConfig };
  if (outputs.every((o) => o.metrics.length <= 1)) {
    const metrics = Object.fromEntries(outputs.filter((o) => o.metrics.length === 1).map((o) => [o.name, o.metrics[0]]));
    return { loss, metrics, optimizer_config: optimizerConfig };
  }
  return { loss, optimizer_config: optimizerConfig };
}
