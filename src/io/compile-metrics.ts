// The metrics of a TF.js / Keras training config, each read as the dendrite metric that computes it: names
// ('accuracy', 'mse', 'binary_accuracy'), the metric objects Keras 2.x writes (`MeanMetricWrapper` with the
// function it wraps, `CategoricalAccuracy`...; Keras 3 adds `module`), one list for every output, a list per
// output (Keras 2 writes `[[...]]` for a model of one output) or an object keyed by output name, and
// `weighted_metrics` after them. A metric dendrite does not have is an error naming it, never left out.
// Browser-safe.
import type { Loss } from '../nn/losses.js';
import { isMetricName, type MetricIdentifier, type MetricName } from '../nn/metrics.js';
import { toCamel } from './keras-json.js';
import { isObject, shortJson } from './untrusted-json.js';

/** The functions behind dendrite's metric names ('byLoss': accuracy, which follows the loss as in Keras). */
type MetricFunction = 'binaryAccuracy' | 'categoricalAccuracy' | 'sparseCategoricalAccuracy' | 'meanSquaredError' | 'meanAbsoluteError';

const FUNCTION_OF = {
  accuracy: 'byLoss',
  acc: 'byLoss',
  binaryAccuracy: 'binaryAccuracy',
  binary_accuracy: 'binaryAccuracy',
  categoricalAccuracy: 'categoricalAccuracy',
  categorical_accuracy: 'categoricalAccuracy',
  sparseCategoricalAccuracy: 'sparseCategoricalAccuracy',
  sparse_categorical_accuracy: 'sparseCategoricalAccuracy',
  mse: 'meanSquaredError',
  meanSquaredError: 'meanSquaredError',
  mean_squared_error: 'meanSquaredError',
  mae: 'meanAbsoluteError',
  meanAbsoluteError: 'meanAbsoluteError',
  mean_absolute_error: 'meanAbsoluteError',
} satisfies Record<MetricName, MetricFunction | 'byLoss'>;

/** Keras' metric classes that are one of dendrite's metric functions (with their default settings). */
const METRIC_CLASSES: Readonly<Record<string, MetricFunction>> = {
  BinaryAccuracy: 'binaryAccuracy',
  CategoricalAccuracy: 'categoricalAccuracy',
  SparseCategoricalAccuracy: 'sparseCategoricalAccuracy',
  MeanSquaredError: 'meanSquaredError',
  MeanAbsoluteError: 'meanAbsoluteError',
};

/** The function dendrite's 'accuracy' computes with `loss`, where the loss alone decides it (Keras 2 wrote that function beside the name). */
function accuracyFor(loss: Loss | undefined): MetricFunction | null {
  switch (loss?.lossName) {
    // NOTE: on logits dendrite's accuracy thresholds at 0 and Keras 2's binary_accuracy at 0.5, so they differ there
    case 'binaryCrossentropy':
      return loss.fromLogits ? null : 'binaryAccuracy';
    case 'categoricalCrossentropy':
      return 'categoricalAccuracy';
    case 'sparseCategoricalCrossentropy':
      return 'sparseCategoricalAccuracy';
    default:
      return null;
  }
}

const unsupported = (what: string) => new Error(`${what} is not supported (dendrite has the metrics ${Object.keys(FUNCTION_OF).join(', ')})`);

/** A metric name of a file (snake_case or camelCase), as compile takes it. */
function namedMetric(name: string, what: string): MetricName {
  const camel = toCamel(name);
  if (isMetricName(camel)) return camel;
  if (isMetricName(name)) return name;
  throw unsupported(`${what} '${name}'`);
}

/** The name a metric object keeps when it computes `fn`: its own where dendrite's metric of that name is the same, else the function's. */
function nameFor(fn: MetricFunction, name: unknown, loss: Loss | undefined): MetricName {
  if (typeof name === 'string' && isMetricName(name)) {
    const same = FUNCTION_OF[name];
    if (same === fn || (same === 'byLoss' && accuracyFor(loss) === fn)) return name;
  }
  return fn;
}

/** The function a `MeanMetricWrapper` wraps: a name, or Keras 3's `{class_name: 'function', config: 'categorical_accuracy'}`. */
function wrappedFunction(fn: unknown): string | null {
  if (typeof fn === 'string') return fn;
  if (isObject(fn) && fn.class_name === 'function' && typeof fn.config === 'string') return fn.config;
  return null;
}

/** One metric of a file: a name or a Keras metric object. */
function oneMetric(value: unknown, loss: Loss | undefined, what: string): MetricIdentifier {
  if (typeof value === 'string') return namedMetric(value, what);
  if (!isObject(value) || typeof value.class_name !== 'string')
    throw new Error(`${what} must be a metric name or a Keras metric object, got ${shortJson(value)}`);
  const config = isObject(value.config) ? value.config : {};
  const label = `${what} ${shortJson(config.name ?? value.class_name)} (${value.class_name}`;
  let fn: MetricFunction | null = null;
  if (value.class_name === 'MeanMetricWrapper') {
    const wrapped = wrappedFunction(config.fn);
    if (wrapped === null) throw unsupported(`${label} of ${shortJson(config.fn)})`);
    const name = toCamel(wrapped);
    const of = isMetricName(name) ? FUNCTION_OF[name] : null;
    if (!of || of === 'byLoss') throw unsupported(`${label} of '${wrapped}')`);
    fn = of;
  } else {
    fn = Object.hasOwn(METRIC_CLASSES, value.class_name) ? METRIC_CLASSES[value.class_name] : null;
    if (!fn) throw unsupported(`${label})`);
  }
  // binary accuracy's threshold is a setting of the wrapper or the class; dendrite's is 0.5
  if (fn === 'binaryAccuracy' && config.threshold !== undefined && config.threshold !== null && config.threshold !== 0.5)
    throw unsupported(`${label} with threshold ${shortJson(config.threshold)})`);
  return nameFor(fn, config.name, loss);
}

/** A metric or a list of them (one output's). */
function outputMetrics(value: unknown, loss: Loss | undefined, what: string): MetricIdentifier[] {
  if (value === null || value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((m, i) => oneMetric(m, loss, Array.isArray(value) ? `${what}[${i}]` : what));
}

const isMetricObject = (v: unknown) => isObject(v) && 'class_name' in v;

/**
 * Each output's metrics from one `metrics` (or `weighted_metrics`) setting as written (snake_case): a flat list of
 * metrics for every output, a list of one list per output, or an object keyed by output name.
 */
function perOutputMetrics(value: unknown, names: readonly string[], losses: readonly (Loss | undefined)[], what: string): MetricIdentifier[][] {
  if (value === null || value === undefined) return names.map(() => []);
  if (typeof value === 'string' || isMetricObject(value)) return names.map((_, i) => outputMetrics(value, losses[i], what));
  if (Array.isArray(value)) {
    if (value.every((m) => !Array.isArray(m))) return names.map((_, i) => outputMetrics(value, losses[i], what));
    if (value.length !== names.length)
      throw new Error(`${what} is a list of ${value.length}, but the model has ${names.length} output(s) (${names.join(', ')})`);
    return value.map((m, i) => outputMetrics(m, losses[i], `${what}[${i}]`));
  }
  if (isObject(value)) {
    for (const key of Object.keys(value)) {
      if (!names.includes(key)) throw new Error(`${what} has an entry for '${key}', which is no output of the model (outputs: ${names.join(', ')})`);
    }
    return names.map((name, i) => (Object.hasOwn(value, name) ? outputMetrics(value[name], losses[i], `${what}.${name}`) : []));
  }
  throw new Error(`${what} must be a list of metrics or an object keyed by output name, got ${shortJson(value)}`);
}

/**
 * Each output's metrics of a training config (`raw`: its keys and values as written), `metrics` then
 * `weighted_metrics`. dendrite trains without sample weights, and without them a weighted metric is the metric.
 */
export function foreignMetrics(raw: Record<string, unknown>, names: readonly string[], losses: readonly (Loss | undefined)[]): MetricIdentifier[][] {
  const metrics = perOutputMetrics(raw.metrics, names, losses, 'its metrics');
  const weighted = perOutputMetrics(raw.weighted_metrics, names, losses, 'its weighted_metrics');
  return metrics.map((m, i) => [...m, ...weighted[i]]);
}
