// Optimizers in model files: dendrite's exact `{className, config}`, the TF.js `optimizer_config` that
// `tf.loadLayersModel` compiles with, and the reverse for files written by TF.js or Keras.
import { Adagrad, Adam, AdamW, RMSprop, SGD, type Optimizer } from '../nn/optimizers/index.js';
import { fromKerasConfig } from './keras-json.js';

type Config = Record<string, unknown>;

/** dendrite's own form: the class name and `getConfig()`. */
export function optimizerEntry(optimizer: Optimizer): { className: string; config: Config } {
  return { className: optimizer.className, config: optimizer.getConfig() };
}

/**
 * The `optimizer_config` TF.js writes for the same optimizer (its class names and config keys), or null
 * where TF.js has no equivalent (AdamW): then no TF.js training config is written and TF.js loads the
 * model uncompiled.
 */
export function tfjsOptimizerConfig(optimizer: Optimizer): { class_name: string; config: Config } | null {
  const c = optimizer.getConfig();
  const learningRate = optimizer.learningRate;
  switch (optimizer.className) {
    case 'SGD':
      return c.momentum ? { class_name: 'Momentum', config: { learningRate, momentum: c.momentum, useNesterov: c.nesterov } } : { class_name: 'SGD', config: { learningRate } };
    case 'Adam':
      return { class_name: 'Adam', config: { learningRate, beta1: c.beta1, beta2: c.beta2, epsilon: c.epsilon } };
    case 'RMSprop':
      return { class_name: 'RMSProp', config: { learningRate, decay: c.rho, momentum: c.momentum, epsilon: c.epsilon, centered: c.centered } };
    case 'Adagrad':
      return { class_name: 'Adagrad', config: { learningRate, initialAccumulatorValue: c.initialAccumulatorValue } };
    default:
      return null;
  }
}

function num(c: Config, ...keys: string[]): number | undefined {
  for (const k of keys) if (typeof c[k] === 'number') return c[k] as number;
  for (const k of keys) {
    if (c[k] !== undefined && c[k] !== null) throw new Error(`optimizer setting '${k}' must be a number, got ${JSON.stringify(c[k])} (learning-rate schedules are not supported)`);
  }
  return undefined;
}

/**
 * A fresh optimizer from `{className, config}` as dendrite, TF.js (`Momentum`, `RMSProp`, camelCase keys)
 * or Keras (`RMSprop`, `learning_rate`, `beta_1`) write it.
 */
export function optimizerFromEntry(entry: { className?: unknown; class_name?: unknown; config?: unknown }): Optimizer {
  const className = String(entry.className ?? entry.class_name ?? '');
  const c = (fromKerasConfig(entry.config ?? {}) ?? {}) as Config;
  const learningRate = num(c, 'learningRate', 'lr');
  switch (className.toLowerCase()) {
    case 'sgd':
      return new SGD({ learningRate, momentum: num(c, 'momentum'), nesterov: Boolean(c.nesterov ?? c.useNesterov ?? false) });
    case 'momentum':
      return new SGD({ learningRate, momentum: num(c, 'momentum'), nesterov: Boolean(c.useNesterov ?? c.nesterov ?? false) });
    case 'adam':
      if (c.amsgrad === true) throw new Error('the AMSGrad variant of Adam is not supported');
      return new Adam({ learningRate, beta1: num(c, 'beta1'), beta2: num(c, 'beta2'), epsilon: num(c, 'epsilon') });
    case 'adamw':
      return new AdamW({ learningRate, beta1: num(c, 'beta1'), beta2: num(c, 'beta2'), epsilon: num(c, 'epsilon'), weightDecay: num(c, 'weightDecay') });
    case 'rmsprop':
      // TF.js' RMSProp calls rho 'decay'; Keras' RMSprop has 'rho' (its 'decay' is a learning-rate decay)
      return new RMSprop({ learningRate, rho: className === 'RMSProp' ? num(c, 'decay', 'rho') : num(c, 'rho'), momentum: num(c, 'momentum'), epsilon: num(c, 'epsilon'), centered: Boolean(c.centered ?? false) });
    case 'adagrad':
      return new Adagrad({ learningRate, initialAccumulatorValue: num(c, 'initialAccumulatorValue'), epsilon: num(c, 'epsilon') });
    default:
      throw new Error(`optimizer '${className}' is not supported (dendrite has SGD, Momentum, Adam, AdamW, RMSprop, Adagrad)`);
  }
}
