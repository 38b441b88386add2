// What `model.compile` turns its arguments into: the optimizer, loss and metrics that fit and evaluate use.
import { getLoss, isBuiltInLossIdentifier, type Loss, type LossIdentifier } from '../nn/losses.js';
import { getMetric, type MetricIdentifier } from '../nn/metrics.js';
import { getOptimizer, type OptimizerIdentifier } from '../nn/optimizers/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { CompiledState, TrainableModel } from './trainable-model.js';

export interface CompileArgs {
  /** `'sgd'`, `'adam'`, ... or an optimizer object such as `optimizers.adam({ learningRate: 0.01 })`. */
  optimizer: OptimizerIdentifier;
  /** `'meanSquaredError'`, `'binaryCrossentropy'`, ... or a loss function `(yTrue, yPred) => scalar`. */
  loss: LossIdentifier | Loss | ((yTrue: Tensor, yPred: Tensor) => Tensor);
  /** e.g. `['accuracy']`; `'accuracy'` picks binary / categorical / sparse from the loss, as Keras does. */
  metrics?: readonly MetricIdentifier[];
}

/** Resolves `compile`'s names into the optimizer, loss and metrics `model` trains with; unknown names throw. */
export function resolveCompileArgs(model: TrainableModel, args: CompileArgs): CompiledState {
  if (!args || args.optimizer === undefined || args.loss === undefined) {
    throw new Error(`compile() needs an optimizer and a loss, e.g. model.compile({ optimizer: 'adam', loss: 'meanSquaredError' }).`);
  }
  const loss = getLoss(args.loss);
  const units = model.outputShape?.at(-1) ?? undefined;
  // logs are keyed by name: two metrics of one name (e.g. two anonymous functions, both 'metric') would be
  // summed together by evaluate, so later ones become name_1, name_2, ...
  const taken = new Set(['loss']);
  const metrics = (args.metrics ?? []).map((m) => {
    const metric = getMetric(m, loss, units ?? undefined);
    let name = metric.name;
    for (let i = 1; taken.has(name); i++) name = `${metric.name}_${i}`;
    taken.add(name);
    return { ...metric, name };
  });
  const builtInLossAndMetrics = isBuiltInLossIdentifier(args.loss) && (args.metrics ?? []).every((m) => typeof m === 'string');
  return { optimizer: getOptimizer(args.optimizer), loss, metrics, builtInLossAndMetrics };
}

/** The model's compile settings, or an error telling to call compile before `what` (fit, evaluate). */
export function requireCompiled(model: TrainableModel, what: string): CompiledState {
  if (!model.compiled) throw new Error(`Call model.compile({ optimizer, loss }) before ${what}().`);
  return model.compiled;
}
