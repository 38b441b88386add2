import { unknownNameMessage } from '../suggest.js';
import { Adadelta, type AdadeltaArgs } from './adadelta.js';
import { Adagrad, type AdagradArgs } from './adagrad.js';
import { Adam, type AdamArgs } from './adam.js';
import { Adamax, type AdamaxArgs } from './adamax.js';
import { AdamW, type AdamWArgs } from './adamw.js';
import { Momentum, type MomentumArgs } from './momentum.js';
import { type GradientPairs, type NamedGradients, Optimizer } from './optimizer.js';
import { optimizerArgs } from './optimizer-args.js';
import { RMSprop, type RMSpropArgs } from './rmsprop.js';
import { SGD, type SGDArgs } from './sgd.js';

export { Optimizer, SGD, Momentum, Adam, AdamW, Adamax, RMSprop, Adagrad, Adadelta };
export type { SGDArgs, MomentumArgs, AdamArgs, AdamWArgs, AdamaxArgs, RMSpropArgs, AdagradArgs, AdadeltaArgs, GradientPairs, NamedGradients };
export type { OptimizerFormula } from '../../backend/backend.js';

/** Optimizer names for `compile({ optimizer })`, as in Keras / TF.js (any letter case is accepted). */
export type OptimizerName = 'sgd' | 'adam' | 'adamw' | 'adamax' | 'rmsprop' | 'adagrad' | 'adadelta';

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
 * TF.js' momentum optimizer (learningRate 0.01, momentum 0.9, nesterov false): `acc = momentum acc + g;
 * p -= lr acc`, so a new learning rate also scales the momentum gathered so far (Keras' SGD keeps `-lr g` sums).
 *
 *     momentum({ learningRate: 0.1, momentum: 0.9 });
 */
export function momentum(args?: MomentumArgs | number): Momentum {
  return new Momentum(optimizerArgs('momentum', args, ['learningRate', 'momentum', 'nesterov']));
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
 * Adamax (learningRate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7, decay 0).
 *
 *     adamax({ learningRate: 0.002 });
 */
export function adamax(args?: AdamaxArgs | number): Adamax {
  return new Adamax(optimizerArgs('adamax', args, ['learningRate', 'beta1', 'beta2', 'epsilon', 'decay']));
}

/**
 * RMSprop (learningRate 0.001, rho 0.9, momentum 0, epsilon 1e-7, centered false, formula 'keras').
 *
 *     rmsprop({ learningRate: 0.01 });
 */
export function rmsprop(args?: RMSpropArgs | number): RMSprop {
  return new RMSprop(optimizerArgs('rmsprop', args, ['learningRate', 'rho', 'momentum', 'epsilon', 'centered', 'formula']));
}

/**
 * Adagrad (learningRate 0.001, initialAccumulatorValue 0.1, epsilon 1e-7, formula 'keras').
 *
 *     adagrad({ learningRate: 0.1 });
 */
export function adagrad(args?: AdagradArgs | number): Adagrad {
  return new Adagrad(optimizerArgs('adagrad', args, ['learningRate', 'initialAccumulatorValue', 'epsilon', 'formula']));
}

/**
 * Adadelta (learningRate 0.001, rho 0.95, epsilon 1e-7, formula 'keras').
 *
 *     adadelta({ learningRate: 1 });
 */
export function adadelta(args?: AdadeltaArgs | number): Adadelta {
  return new Adadelta(optimizerArgs('adadelta', args, ['learningRate', 'rho', 'epsilon', 'formula']));
}

const FACTORIES: Record<OptimizerName, () => Optimizer> = {
  sgd: () => sgd(),
  adam: () => adam(),
  adamw: () => adamw(),
  adamax: () => adamax(),
  rmsprop: () => rmsprop(),
  adagrad: () => adagrad(),
  adadelta: () => adadelta(),
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
