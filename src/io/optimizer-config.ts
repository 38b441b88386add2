// Optimizers in model files: dendrite's exact `{className, config}`, the TF.js `optimizer_config` that
// `tf.loadLayersModel` compiles with, and the reverse for files written by TF.js or Keras.
import {
  Adadelta,
  Adagrad,
  Adam,
  Adamax,
  AdamW,
  Momentum,
  type Optimizer,
  type OptimizerFormula,
  type OptimizerName,
  RMSprop,
  SGD,
} from '../nn/optimizers/index.js';
import { fromKerasConfig } from './keras-json.js';
import { shortJson } from './untrusted-json.js';

type Config = Record<string, unknown>;

/** dendrite's own form: the class name and `getConfig()`. */
export function optimizerEntry(optimizer: Optimizer): { className: string; config: Config } {
  return { className: optimizer.className, config: optimizer.getConfig() };
}

/** What TF.js writes for an optimizer: its class name and config keys. */
type TfjsOptimizerConfig = { class_name: string; config: Config };

/**
 * The TF.js form of each optimizer, by dendrite's class name, or null where TF.js has no equivalent (AdamW):
 * then no TF.js training config is written and TF.js loads the model uncompiled.
 */
const TFJS_FORMS = {
  SGD: (c, learningRate) =>
    c.momentum
      ? { class_name: 'Momentum', config: { learningRate, momentum: c.momentum, useNesterov: c.nesterov } }
      : { class_name: 'SGD', config: { learningRate } },
  Adam: (c, learningRate) => ({ class_name: 'Adam', config: { learningRate, beta1: c.beta1, beta2: c.beta2, epsilon: c.epsilon } }),
  AdamW: null,
  RMSprop: (c, learningRate) => ({
    class_name: 'RMSProp',
    config: { learningRate, decay: c.rho, momentum: c.momentum, epsilon: c.epsilon, centered: c.centered },
  }),
  Adagrad: (c, learningRate) => ({ class_name: 'Adagrad', config: { learningRate, initialAccumulatorValue: c.initialAccumulatorValue } }),
  Momentum: (c, learningRate) => ({ class_name: 'Momentum', config: { learningRate, momentum: c.momentum, useNesterov: c.nesterov } }),
  Adamax: (c, learningRate) => ({ class_name: 'Adamax', config: { learningRate, beta1: c.beta1, beta2: c.beta2, epsilon: c.epsilon, decay: c.decay } }),
  Adadelta: (c, learningRate) => ({ class_name: 'Adadelta', config: { learningRate, rho: c.rho, epsilon: c.epsilon } }),
} satisfies Record<string, ((c: Config, learningRate: number) => TfjsOptimizerConfig) | null>;

/** The `optimizer_config` TF.js writes for the same optimizer, or null where TF.js has no equivalent. */
export function tfjsOptimizerConfig(optimizer: Optimizer): TfjsOptimizerConfig | null {
  const c = optimizer.getConfig();
  const learningRate = optimizer.learningRate;
  const form = Object.hasOwn(TFJS_FORMS, optimizer.className) ? TFJS_FORMS[optimizer.className as keyof typeof TFJS_FORMS] : null;
  return form ? form(c, learningRate) : null;
}

/** dendrite's `formula` setting ('keras' or 'tfjs'), or `otherwise` where the config has none. */
function formula(c: Config, otherwise: OptimizerFormula = 'keras'): OptimizerFormula {
  if (c.formula === undefined || c.formula === null) return otherwise;
  if (c.formula === 'keras' || c.formula === 'tfjs') return c.formula;
  throw new Error(`optimizer setting 'formula' must be 'keras' or 'tfjs', got ${JSON.stringify(c.formula)}`);
}

function num(c: Config, ...keys: string[]): number | undefined {
  for (const k of keys) if (typeof c[k] === 'number') return c[k] as number;
  for (const k of keys) {
    if (c[k] !== undefined && c[k] !== null)
      throw new Error(`optimizer setting '${k}' must be a number, got ${JSON.stringify(c[k])} (learning-rate schedules are not supported)`);
  }
  return undefined;
}

/** Keras 2's learning-rate decay over iterations (`lr / (1 + decay * t)`), which only TF.js' Adamax (and so dendrite's) has. */
function noLegacyDecay(c: Config): void {
  const decay = num(c, 'decay');
  if (decay !== undefined && decay !== 0)
    throw new Error(`optimizer setting 'decay' ${decay} (Keras 2's learning-rate decay over iterations) is not supported; only Adamax has it`);
}

/**
 * True for the optimizers of Keras 2.11 and later and of Keras 3 (their configs carry `is_legacy_optimizer: false` or
 * the settings that came with them, such as `use_ema`): their RMSprop and Adagrad add epsilon inside the root.
 */
function isNewKeras(c: Config): boolean {
  return c.isLegacyOptimizer === false || (c.isLegacyOptimizer !== true && 'useEma' in c);
}

/**
 * A fresh optimizer from each class name dendrite, TF.js or Keras write (compared in any letter case), given its
 * camelCase config and learning rate. TF.js' `Momentum` and `RMSProp` (so spelt only by TF.js) get TF.js'
 * formulas; Adagrad and Adadelta, which Keras and TF.js name alike, get Keras' unless the config says otherwise.
 * NOTE: Keras 2.11+ and Keras 3 compute RMSprop and Adagrad with `sqrt(a + eps)`, which is the formula dendrite
 * calls 'tfjs' (TF.js computes them so too); a centred RMSprop of theirs adds epsilon where neither formula does,
 * and loads with Keras 2's.
 */
const READERS = {
  SGD: (c, learningRate) => {
    noLegacyDecay(c);
    return new SGD({ learningRate, momentum: num(c, 'momentum'), nesterov: Boolean(c.nesterov ?? c.useNesterov ?? false) });
  },
  Momentum: (c, learningRate) => new Momentum({ learningRate, momentum: num(c, 'momentum'), nesterov: Boolean(c.useNesterov ?? c.nesterov ?? false) }),
  Adam: (c, learningRate) => {
    if (c.amsgrad === true) throw new Error('the AMSGrad variant of Adam is not supported');
    noLegacyDecay(c);
    const args = { learningRate, beta1: num(c, 'beta1'), beta2: num(c, 'beta2'), epsilon: num(c, 'epsilon') };
    // NOTE: Keras 2.11+ and Keras 3 decay the weights of any optimizer given weight_decay before its step, as AdamW
    // does (AdamW is Adam with a default weight_decay there): Adam with weight decay is dendrite's AdamW
    const weightDecay = num(c, 'weightDecay');
    return weightDecay ? new AdamW({ ...args, weightDecay }) : new Adam(args);
  },
  AdamW: (c, learningRate) => {
    if (c.amsgrad === true) throw new Error('the AMSGrad variant of AdamW is not supported');
    return new AdamW({ learningRate, beta1: num(c, 'beta1'), beta2: num(c, 'beta2'), epsilon: num(c, 'epsilon'), weightDecay: num(c, 'weightDecay') });
  },
  // TF.js' RMSProp calls rho 'decay'; Keras' RMSprop has 'rho' (its 'decay' is a learning-rate decay)
  RMSprop: (c, learningRate, className) => {
    const tfjs = className === 'RMSProp';
    if (!tfjs) noLegacyDecay(c);
    const centered = Boolean(c.centered ?? false);
    return new RMSprop({
      learningRate,
      rho: tfjs ? num(c, 'decay', 'rho') : num(c, 'rho'),
      momentum: num(c, 'momentum'),
      epsilon: num(c, 'epsilon'),
      centered,
      formula: formula(c, tfjs || (isNewKeras(c) && !centered) ? 'tfjs' : 'keras'),
    });
  },
  Adagrad: (c, learningRate) => {
    noLegacyDecay(c);
    return new Adagrad({
      learningRate,
      initialAccumulatorValue: num(c, 'initialAccumulatorValue'),
      epsilon: num(c, 'epsilon'),
      formula: formula(c, isNewKeras(c) ? 'tfjs' : 'keras'),
    });
  },
  Adamax: (c, learningRate) => new Adamax({ learningRate, beta1: num(c, 'beta1'), beta2: num(c, 'beta2'), epsilon: num(c, 'epsilon'), decay: num(c, 'decay') }),
  Adadelta: (c, learningRate) => {
    noLegacyDecay(c);
    return new Adadelta({ learningRate, rho: num(c, 'rho'), epsilon: num(c, 'epsilon'), formula: formula(c) });
  },
} satisfies Record<string, (c: Config, learningRate: number | undefined, className: string) => Optimizer>;

// Every optimizer `compile` can name has a TF.js form (or null) and a reader: a new one missing here fails to compile.
type Unwritten = Exclude<OptimizerName, Lowercase<keyof typeof TFJS_FORMS>>;
type Unread = Exclude<OptimizerName, Lowercase<keyof typeof READERS>>;
const everyOptimizerHasItsForms: [Unwritten, Unread] extends [never, never] ? true : never = true;
void everyOptimizerHasItsForms;

/**
 * The settings every Keras 2.11+ / Keras 3 optimizer has: those that change training and that dendrite lacks are
 * refused when set (gradient clipping, a moving average of the weights, gradient accumulation, weight decay other
 * than Adam's); `name`, `jit_compile`, `is_legacy_optimizer`, the EMA's settings while it is off, and
 * `loss_scale_factor` (a scale that is divided out again) change nothing here.
 */
function checkKerasSettings(c: Config, className: string): void {
  for (const [key, what] of [
    ['clipnorm', 'clipnorm'],
    ['globalClipnorm', 'global_clipnorm'],
    ['clipvalue', 'clipvalue'],
  ] as const) {
    if (c[key] !== undefined && c[key] !== null)
      throw new Error(`optimizer setting '${what}' ${shortJson(c[key])} (gradient clipping) is not supported by dendrite`);
  }
  if (c.useEma === true) throw new Error("optimizer setting 'use_ema' true (a moving average of the weights) is not supported by dendrite");
  const steps = c.gradientAccumulationSteps;
  if (steps !== undefined && steps !== null && steps !== 1)
    throw new Error(`optimizer setting 'gradient_accumulation_steps' ${shortJson(steps)} is not supported by dendrite`);
  const weightDecay = c.weightDecay;
  if (weightDecay !== undefined && weightDecay !== null && weightDecay !== 0 && className !== 'Adam' && className !== 'AdamW')
    throw new Error(`optimizer setting 'weight_decay' ${shortJson(weightDecay)} is supported with Adam and AdamW only, not with ${className}`);
}

/** Keras 2.12 to 2.15 name their built-in optimizers so in files (`Custom>Adam`); Keras 3 names them plainly. */
const KERAS_2_PREFIX = 'Custom>';

/**
 * A fresh optimizer from `{className, config}` as dendrite, TF.js (`Momentum`, `RMSProp`, camelCase keys)
 * or Keras (`RMSprop`, `learning_rate`, `beta_1`; Keras 2.12-2.15's `Custom>Adam`) write it.
 */
export function optimizerFromEntry(entry: {
  className?: unknown;
  class_name?: unknown;
  config?: unknown;
  module?: unknown;
  registered_name?: unknown;
}): Optimizer {
  const written = String(entry.className ?? entry.class_name ?? '');
  const className = written.startsWith(KERAS_2_PREFIX) ? written.slice(KERAS_2_PREFIX.length) : written;
  const c = (fromKerasConfig(entry.config ?? {}) ?? {}) as Config;
  const learningRate = num(c, 'learningRate', 'lr');
  const known = (Object.keys(READERS) as (keyof typeof READERS)[]).find((name) => name.toLowerCase() === className.toLowerCase());
  if (!known) throw new Error(`optimizer '${written}' is not supported (dendrite has ${Object.keys(READERS).join(', ')})`);
  checkKerasSettings(c, known);
  return READERS[known](c, learningRate, className);
}
