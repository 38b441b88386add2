// What `model.compile` turns its arguments into: the optimizer, and for each output its loss, its weight in the
// total loss and its metrics, with the log keys Keras gives them (`loss`, `accuracy` for one output;
// `dense_2_loss`, `dense_2_accuracy` for a model of several).
import { getLoss, isBuiltInLossIdentifier, type Loss, type LossIdentifier } from '../nn/losses.js';
import { getMetric, type MetricIdentifier } from '../nn/metrics.js';
import { getOptimizer, type OptimizerIdentifier } from '../nn/optimizers/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { CompiledMetric, CompiledOutput, CompiledState, TrainableModel } from './trainable-model.js';

/** A loss: a name such as `'meanSquaredError'`, a loss from `losses`, or a function `(yTrue, yPred) => scalar`. */
export type LossSpec = LossIdentifier | Loss | ((yTrue: Tensor, yPred: Tensor) => Tensor);

export interface CompileArgs {
  /** `'sgd'`, `'adam'`, ... or an optimizer object such as `optimizers.adam({ learningRate: 0.01 })`. */
  optimizer: OptimizerIdentifier;
  /**
   * `'meanSquaredError'`, `'binaryCrossentropy'`, ... or a loss function `(yTrue, yPred) => scalar`. For a model
   * of several outputs: one loss for all, a list (one per output) or an object keyed by output name.
   */
  loss: LossSpec | readonly LossSpec[] | Readonly<Record<string, LossSpec>>;
  /** The weight of each output's loss in the total that training minimises (default 1 each): a list or an object by output name. */
  lossWeights?: readonly number[] | Readonly<Record<string, number>>;
  /**
   * e.g. `['accuracy']`; `'accuracy'` picks binary / categorical / sparse from the loss, as Keras does. For a
   * model of several outputs a plain list applies to every output; a list of lists or an object keyed by
   * output name gives each its own.
   */
  metrics?: readonly MetricIdentifier[] | readonly (readonly MetricIdentifier[])[] | Readonly<Record<string, MetricIdentifier | readonly MetricIdentifier[]>>;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * One entry per output from a setting given once (for all), as a list, or as an object by output name; `isOne`
 * tells a single value from a list or object (a loss is a function, an object is a record).
 */
function perOutput<T>(value: unknown, names: readonly string[], what: string, isOne: (v: unknown) => boolean, fallback?: T): T[] {
  if (value === undefined && fallback !== undefined) return names.map(() => fallback);
  if (isOne(value)) return names.map(() => value as T);
  if (Array.isArray(value)) {
    if (value.length !== names.length) {
      throw new Error(
        `compile(): ${what} is a list of ${value.length}, but the model has ${names.length} output(s) (${names.join(', ')}); give one per output.`,
      );
    }
    return value as T[];
  }
  if (isRecord(value)) {
    for (const key of Object.keys(value)) {
      if (!names.includes(key)) throw new Error(`compile(): ${what} has a key '${key}' that is no output of the model (outputs: ${names.join(', ')}).`);
    }
    return names.map((name) => {
      if (Object.hasOwn(value, name)) return value[name] as T;
      if (fallback !== undefined) return fallback;
      throw new Error(`compile(): ${what} has no entry for the output '${name}' (outputs: ${names.join(', ')}); give every output one.`);
    });
  }
  throw new Error(`compile(): ${what} must be given once, as a list (one per output) or as an object keyed by output name, got ${String(value)}.`);
}

/** The metrics of each output: a flat list applies to all (Keras), a list of lists or an object gives each its own. */
function metricsPerOutput(metrics: CompileArgs['metrics'], names: readonly string[]): MetricIdentifier[][] {
  if (metrics === undefined) return names.map(() => []);
  const flat = Array.isArray(metrics) && metrics.every((m) => !Array.isArray(m));
  if (flat) return names.map(() => [...(metrics as MetricIdentifier[])]);
  const lists = perOutput<MetricIdentifier | readonly MetricIdentifier[]>(metrics, names, 'metrics', () => false, []);
  return lists.map((m) => (Array.isArray(m) ? [...m] : [m as MetricIdentifier]));
}

/** Resolves `compile`'s names into the optimizer, losses and metrics `model` trains with; unknown names throw. */
export function resolveCompileArgs(model: TrainableModel, args: CompileArgs): CompiledState {
  if (!args || args.optimizer === undefined || args.loss === undefined) {
    throw new Error(`compile() needs an optimizer and a loss, e.g. model.compile({ optimizer: 'adam', loss: 'meanSquaredError' }).`);
  }
  const names = model.outputNames;
  const several = names.length > 1;
  const lossSpecs = perOutput<LossSpec>(args.loss, names, 'loss', (v) => typeof v === 'string' || typeof v === 'function');
  const weights = perOutput<number>(args.lossWeights, names, 'lossWeights', (v) => typeof v === 'number', 1);
  for (const [i, w] of weights.entries()) {
    if (typeof w !== 'number' || !Number.isFinite(w))
      throw new Error(`compile(): lossWeights for output '${names[i]}' must be a finite number, got ${String(w)}.`);
  }
  const metricIds = metricsPerOutput(args.metrics, names);
  // logs are keyed by name: two metrics of one name (e.g. two anonymous functions, both 'metric') would be
  // summed together by evaluate, so later ones become name_1, name_2, ...
  const taken = new Set(['loss', ...(several ? names.map((n) => `${n}_loss`) : [])]);
  const outputs: CompiledOutput[] = names.map((outputName, o) => {
    const loss = getLoss(lossSpecs[o]);
    const units = model.outputShapes?.[o]?.at(-1) ?? undefined;
    const metrics: CompiledMetric[] = metricIds[o].map((m) => {
      const metric = getMetric(m, loss, units ?? undefined);
      const base = several ? `${outputName}_${metric.name}` : metric.name;
      let name = base;
      for (let i = 1; taken.has(name); i++) name = `${base}_${i}`;
      taken.add(name);
      return { name, fn: metric.fn };
    });
    return { outputName, loss, weight: weights[o], metrics };
  });
  const builtInLossAndMetrics = lossSpecs.every((l) => isBuiltInLossIdentifier(l)) && metricIds.every((ms) => ms.every((m) => typeof m === 'string'));
  return { optimizer: getOptimizer(args.optimizer), loss: outputs[0].loss, metrics: outputs.flatMap((o) => o.metrics), outputs, builtInLossAndMetrics };
}

/** The model's compile settings, or an error telling to call compile before `what` (fit, evaluate). */
export function requireCompiled(model: TrainableModel, what: string): CompiledState {
  if (!model.compiled) throw new Error(`Call model.compile({ optimizer, loss }) before ${what}().`);
  return model.compiled;
}
