// TF.js' optimizer classes (`tf.SGDOptimizer`, `tf.AdamOptimizer`, ...), which `tf.train.*` makes: dendrite's
// optimizers with TF.js' positional constructors and defaults, TF.js' formulas where they differ from Keras'
// (RMSProp and Adagrad put epsilon inside the root, Adadelta divides by the previous average, Momentum scales
// the accumulated gradients by the learning rate: the `formula: 'tfjs'` option and the Momentum class), and
// the members TF.js adds: getClassName(), setLearningRate(), computeGradients(). Each is an instance of the
// dendrite class (so model.compile takes it) and of `tf.Optimizer`, which is dendrite's Optimizer.
import { Adadelta, Adagrad, Adam, Adamax, Momentum, Optimizer, RMSprop, SGD } from '../nn/optimizers/index.js';
import type { Tensor, Variable } from '../tensor/tensor.js';
import { variableGrads } from './gradients.js';

export { Optimizer };

/** TF.js' default epsilon where an optimizer is given none: its float32 backends' `backend.epsilon()`, 1e-7. */
export const EPSILON = 1e-7;

/** The members TF.js' optimizers have beyond dendrite's. */
export interface TfjsOptimizerMembers {
  getClassName(): string;
  setLearningRate(learningRate: number): void;
  computeGradients(f: () => Tensor, varList?: readonly Variable[] | null): { value: Tensor; grads: Record<string, Tensor | null> };
}

// biome-ignore lint/suspicious/noExplicitAny: TypeScript requires a mixin's base constructor to take any[]
type Mixable = abstract new (...args: any[]) => Optimizer;

/** `Base` with the members TF.js' optimizers have beyond dendrite's, `tfjsName` being TF.js' class name. */
// biome-ignore lint/suspicious/noExplicitAny: as above
function withTfjsMembers<B extends Mixable>(Base: B, tfjsName: string): B & (abstract new (...args: any[]) => TfjsOptimizerMembers) {
  abstract class TfjsOptimizer extends Base {
    /** TF.js' class name ('SGD', 'Momentum', 'Adam', 'Adamax', 'Adadelta', 'RMSProp', 'Adagrad'). */
    getClassName(): string {
      return tfjsName;
    }

    /** Sets the learning rate of the next steps (TF.js' SGD and Momentum have it; here every optimizer does). */
    setLearningRate(learningRate: number): void {
      if (!(learningRate > 0) || !Number.isFinite(learningRate)) throw new Error(`learningRate must be a positive number, got ${learningRate}.`);
      this.learningRate = learningRate;
    }

    /** TF.js' `computeGradients(f, varList?)`: `tf.variableGrads(f, varList)`. */
    computeGradients(f: () => Tensor, varList?: readonly Variable[] | null): { value: Tensor; grads: Record<string, Tensor | null> } {
      return variableGrads(f, varList);
    }
  }
  return TfjsOptimizer;
}

/** A required number argument, named in the error as TF.js' constructor names it. */
function given(value: number | null | undefined, name: string, cls: string): number {
  if (typeof value !== 'number') throw new Error(`${name} for ${cls} must be defined (a number), got ${value === null ? 'null' : typeof value}.`);
  return value;
}

/** `tf.train.sgd(learningRate)`: `p -= lr g`. */
export class SGDOptimizer extends withTfjsMembers(SGD, 'SGD') {
  constructor(learningRate: number) {
    super({ learningRate: given(learningRate, 'learningRate', 'SGDOptimizer') });
  }
}

/** `tf.train.momentum(learningRate, momentum, useNesterov = false)`: `acc = m acc + g; p -= lr acc`. */
export class MomentumOptimizer extends withTfjsMembers(Momentum, 'Momentum') {
  constructor(learningRate: number, momentum: number, useNesterov = false) {
    super({
      learningRate: given(learningRate, 'learningRate', 'MomentumOptimizer'),
      momentum: given(momentum, 'momentum', 'MomentumOptimizer'),
      nesterov: Boolean(useNesterov),
    });
  }
}

/** `tf.train.adam(learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7)`. */
export class AdamOptimizer extends withTfjsMembers(Adam, 'Adam') {
  constructor(learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon: number | null = null) {
    super({ learningRate, beta1, beta2, epsilon: epsilon ?? EPSILON });
  }
}

/** `tf.train.adamax(learningRate = 0.002, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7, decay = 0)`. */
export class AdamaxOptimizer extends withTfjsMembers(Adamax, 'Adamax') {
  constructor(learningRate = 0.002, beta1 = 0.9, beta2 = 0.999, epsilon: number | null = null, decay = 0) {
    super({ learningRate, beta1, beta2, epsilon: epsilon ?? EPSILON, decay });
  }
}

/** `tf.train.adadelta(learningRate = 0.001, rho = 0.95, epsilon = 1e-7)`, with TF.js' formula. */
export class AdadeltaOptimizer extends withTfjsMembers(Adadelta, 'Adadelta') {
  constructor(learningRate = 0.001, rho = 0.95, epsilon: number | null = null) {
    super({ learningRate, rho, epsilon: epsilon ?? EPSILON, formula: 'tfjs' });
  }
}

/** `tf.train.rmsprop(learningRate, decay = 0.9, momentum = 0, epsilon = 1e-7, centered = false)`, with TF.js' formula. */
export class RMSPropOptimizer extends withTfjsMembers(RMSprop, 'RMSProp') {
  constructor(learningRate: number, decay = 0.9, momentum = 0, epsilon: number | null = null, centered = false) {
    super({
      learningRate: given(learningRate, 'learningRate', 'RMSPropOptimizer'),
      rho: decay,
      momentum,
      epsilon: epsilon ?? EPSILON,
      centered,
      formula: 'tfjs',
    });
  }
}

/** `tf.train.adagrad(learningRate, initialAccumulatorValue = 0.1)`, with TF.js' formula (epsilon 1e-7 inside the root). */
export class AdagradOptimizer extends withTfjsMembers(Adagrad, 'Adagrad') {
  constructor(learningRate: number, initialAccumulatorValue = 0.1) {
    super({ learningRate: given(learningRate, 'learningRate', 'AdagradOptimizer'), initialAccumulatorValue, epsilon: EPSILON, formula: 'tfjs' });
  }
}
