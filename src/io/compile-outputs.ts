// The compile settings of each output of a loaded model, from dendrite's exact `dendrite.compile.outputs` or from
// a TF.js / Keras training config: `loss` once for all outputs, as a list (one per output) or as an object keyed
// by output name; `loss_weights` as a list or an object (Keras; TF.js writes none); `metrics` and `weighted_metrics`
// as compile-metrics.ts reads them. Output names are read as written: they are layer
// names, which camelCasing would change (`dense_2`). Browser-safe.
import { getLoss, type Loss } from '../nn/losses.js';
import type { MetricIdentifier } from '../nn/metrics.js';
import { foreignMetrics } from './compile-metrics.js';
import { fromKerasConfig } from './keras-json.js';
import type { LoadCompileArgs } from './saveable-model.js';
import { isObject, shortJson, type Json } from './untrusted-json.js';

/** What compile takes for each output, beside the optimizer. */
type OutputSettings = Required<Omit<LoadCompileArgs, 'optimizer'>>;

/** Loss name and fromLogits from a TF.js / Keras training config's `loss` (a string, or a Keras 3 loss object), camelCased. */
export function lossOf(loss: unknown): { name: string; fromLogits: boolean } {
  const value = Array.isArray(loss) && loss.length === 1 ? loss[0] : loss;
  if (typeof value === 'string') return { name: value, fromLogits: false };
  if (isObject(value) && typeof value.className === 'string' && value.className !== '') {
    const config = isObject(value.config) ? value.config : {};
    return { name: value.className[0].toLowerCase() + value.className.slice(1), fromLogits: Boolean(config.fromLogits) };
  }
  throw new Error(`the loss ${shortJson(loss)} is not one loss name (models with several outputs are not supported)`);
}

/** A loss of a training config as written (a snake_case name, or a Keras 3 loss object). */
function foreignLoss(value: unknown, what: string): Loss {
  if (typeof value !== 'string' && !(isObject(value) && typeof value.class_name === 'string')) {
    throw new Error(`${what} must be a loss name or a Keras loss object, got ${shortJson(value)}`);
  }
  const { name, fromLogits } = lossOf(fromKerasConfig(value));
  return getLoss(name as never, { fromLogits });
}

/** One entry per output from a value given once, as a list (one per output) or as an object keyed by output name. */
function perOutput<T>(
  value: unknown,
  names: readonly string[],
  what: string,
  isOne: (v: unknown) => boolean,
  read: (v: unknown, what: string) => T,
  fallback?: T,
): T[] {
  if (isOne(value)) return names.map(() => read(value, what));
  if (Array.isArray(value)) {
    if (value.length !== names.length)
      throw new Error(`${what} is a list of ${value.length}, but the model has ${names.length} output(s) (${names.join(', ')})`);
    return value.map((v, i) => read(v, `${what}[${i}]`));
  }
  if (isObject(value)) {
    for (const key of Object.keys(value)) {
      if (!names.includes(key)) throw new Error(`${what} has an entry for '${key}', which is no output of the model (outputs: ${names.join(', ')})`);
    }
    return names.map((name) => {
      if (Object.hasOwn(value, name)) return read(value[name], `${what}.${name}`);
      if (fallback !== undefined) return fallback;
      throw new Error(`${what} has no entry for the output '${name}'`);
    });
  }
  throw new Error(`${what} must be given once, as a list or as an object keyed by output name, got ${shortJson(value)}`);
}

/** A loss weight: a finite number. */
function weightOf(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`${what} must be a finite number, got ${shortJson(value)}`);
  return value;
}

/** Each output's settings from a TF.js / Keras training config (`raw`: its keys as written, snake_case). */
export function foreignOutputSettings(raw: Json, names: readonly string[]): OutputSettings {
  const loss = perOutput(raw.loss, names, 'its loss', (v) => typeof v === 'string' || (isObject(v) && 'class_name' in v), foreignLoss);
  const weights = raw.loss_weights ?? null;
  const lossWeights = weights === null ? names.map(() => 1) : perOutput(weights, names, 'its loss_weights', () => false, weightOf, 1);
  return { loss, lossWeights, metrics: foreignMetrics(raw, names, loss) };
}

/** Each output's settings from dendrite's own `dendrite.compile.outputs`, checked against the model's outputs. */
export function ownOutputSettings(outputs: unknown, names: readonly string[]): OutputSettings {
  const what = 'dendrite.compile.outputs';
  if (!Array.isArray(outputs)) throw new Error(`${what} must be a list, got ${shortJson(outputs)}`);
  if (outputs.length !== names.length) throw new Error(`${what} lists ${outputs.length} output(s), but the model has ${names.length} (${names.join(', ')})`);
  const settings = outputs.map((o, i) => {
    const at = `${what}[${i}]`;
    if (!isObject(o)) throw new Error(`${at} must be an object, got ${shortJson(o)}`);
    if (o.name !== names[i]) throw new Error(`${at} is for the output ${shortJson(o.name)}, but the model's output ${i} is '${names[i]}'`);
    if (typeof o.loss !== 'string') throw new Error(`${at}.loss must be a loss name, got ${shortJson(o.loss)}`);
    if (!Array.isArray(o.metrics) || !o.metrics.every((m) => typeof m === 'string'))
      throw new Error(`${at}.metrics must be a list of names, got ${shortJson(o.metrics)}`);
    return {
      loss: getLoss(o.loss as never, { fromLogits: o.fromLogits === true }),
      weight: weightOf(o.weight, `${at}.weight`),
      metrics: o.metrics as MetricIdentifier[],
    };
  });
  return { loss: settings.map((s) => s.loss), lossWeights: settings.map((s) => s.weight), metrics: settings.map((s) => s.metrics) };
}
