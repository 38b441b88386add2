import { unknownNameMessage } from '../suggest.js';
import { Adagrad, type AdagradArgs } from './adagrad.js';
import { Adam, type AdamArgs } from './adam.js';
import { AdamW, type AdamWArgs } from './adamw.js';
import { Optimizer } from './optimizer.js';
import { optimizerArgs } from './optimizer-args.js';
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
 *     sgd(0.1);   // a number is the learning rate
 */
export function sgd(args?: SGDArgs | number): SGD {
  return new SGD(optimizerArgs('sgd', args, ['learningRate', 'momentum', 'nesterov']));
}

/**
 * Adam (learningRate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7).
 *
 *     adam({ learningRate: 0.01 });
 */
export function adam(args?: AdamArgs | number): Adam {
  return new Adam(optimizerArgs('adam', args, ['learningRate', 'beta1', 'beta2', 'epsilon']));
}

/**
 * Adam with decoupled weight decay (weightDecay 0.004, otherwise Adam's defaults).
 *
 *     adamw({ learningRate: 0.001, weightDecay: 0.01 });
 */
export function adamw(args?: AdamWArgs | number): AdamW {
  return new AdamW(optimizerArgs('adamw', args, ['learningRate', 'beta1', 'beta2', 'epsilon', 'weightDecay']));
}

/**
 * RMSprop (learningRate 0.001, rho 0.9, momentum 0, epsilon 1e-7, centered false).
 *
 *     rmsprop({ learningRate: 0.01 });
 */
export function rmsprop(args?: RMSpropArgs | number): RMSprop {
  return new RMSprop(optimizerArgs('rmsprop', args, ['learningRate', 'rho', 'momentum', 'epsilon', 'centered']));
}

/**
 * Adagrad (learningRate 0.001, initialAccumulatorValue 0.1, epsilon 1e-7).
 *
 *     adagrad({ learningRate: 0.1 });
 */
export function adagrad(args?: AdagradArgs | number): Adagrad {
  return new Adagrad(optimizerArgs('adagrad', args, ['learningRate', 'initialAccumulatorValue', 'epsilon']));
}

const FACTORIES: Record<OptimizerName, () => Optimizer> = {
  sgd: () => sgd(),
  adam: () => adam(),
  adamw: () => adamw(),
  rmsprop: () => rmsprop(),
  adagrad: () => adagrad(),
};

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
