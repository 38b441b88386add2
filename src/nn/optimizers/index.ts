import { unknownNameMessage } from '../suggest.js';
import { Adagrad, type AdagradArgs } from './adagrad.js';
import { Adam, type AdamArgs } from './adam.js';
import { AdamW, type AdamWArgs } from './adamw.js';
import { Optimizer } from './optimizer.js';
import { RMSprop, type RMSpropArgs } from './rmsprop.js';
import { SGD, type SGDArgs } from './sgd.js';

export { Optimizer, SGD, Adam, AdamW, RMSprop, Adagrad };
export type { SGDArgs, AdamArgs, AdamWArgs, RMSpropArgs, AdagradArgs };

/** Optimizer names for `compile({ optimizer })`, as in Keras / TF.js (any letter case is accepted). */
export type OptimizerName = 'sgd' | 'adam' | 'adamw' | 'rmsprop' | 'adagrad';

/** A name (default hyper-parameters) or a configured optimizer. */
export type OptimizerIdentifier = OptimizerName | Optimizer;

/**
 * Stochastic gradient descent (learningRate 0.01, momentum 0, nesterov false).
 *
 *     sgd({ learningRate: 0.1, momentum: 0.9 });
 */
export function sgd(args?: SGDArgs): SGD {
  return new SGD(args);
}

/**
 * Adam (learningRate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7).
 *
 *     adam({ learningRate: 0.01 });
 */
export function adam(args?: AdamArgs): Adam {
  return new Adam(args);
}

/**
 * Adam with decoupled weight decay (weightDecay 0.004, otherwise Adam's defaults).
 *
 *     adamw({ learningRate: 0.001, weightDecay: 0.01 });
 */
export function adamw(args?: AdamWArgs): AdamW {
  return new AdamW(args);
}

/**
 * RMSprop (learningRate 0.001, rho 0.9, momentum 0, epsilon 1e-7, centered false).
 *
 *     rmsprop({ learningRate: 0.01 });
 */
export function rmsprop(args?: RMSpropArgs): RMSprop {
  return new RMSprop(args);
}

/**
 * Adagrad (learningRate 0.001, initialAccumulatorValue 0.1, epsilon 1e-7).
 *
 *     adagrad({ learningRate: 0.1 });
 */
export function adagrad(args?: AdagradArgs): Adagrad {
  return new Adagrad(args);
}

const FACTORIES: Record<OptimizerName, () => Optimizer> = { sgd, adam, adamw, rmsprop, adagrad };

/**
 * A fresh optimizer with default hyper-parameters for a name, or the given optimizer itself.
 *
 *     getOptimizer('adam').learningRate;  // 0.001
 */
export function getOptimizer(id: OptimizerIdentifier): Optimizer {
  if (id instanceof Optimizer) return id;
  // Keras spells them 'SGD', 'RMSprop', 'Adam': accept any case.
  const key = typeof id === 'string' ? id.toLowerCase() : '';
  if (Object.hasOwn(FACTORIES, key)) return FACTORIES[key as OptimizerName]();
  throw new Error(unknownNameMessage('optimizer', String(id), Object.keys(FACTORIES)));
}
