import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Adadelta,
  adadelta,
  Adagrad,
  adagrad,
  Adam,
  adam,
  Adamax,
  adamax,
  AdamW,
  adamw,
  Momentum,
  momentum,
  getOptimizer,
  type Optimizer,
  RMSprop,
  rmsprop,
  SGD,
  sgd,
  type OptimizerName,
} from '../../../src/nn/optimizers/index.js';

describe('optimizer factories and getOptimizer', () => {
  it('factories take Keras argument names (camelCase)', () => {
    assert.deepEqual(sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true }).getConfig(), { learningRate: 0.1, momentum: 0.9, nesterov: true });
    assert.equal(adam({ learningRate: 0.01, beta1: 0.8 }).beta1, 0.8);
    assert.equal(adamw({ weightDecay: 0.1 }).weightDecay, 0.1);
    assert.equal(rmsprop({ rho: 0.95, centered: true }).centered, true);
    assert.equal(adagrad({ initialAccumulatorValue: 0.2 }).initialAccumulatorValue, 0.2);
    assert.equal(adamax({ decay: 0.01 }).decay, 0.01);
    assert.equal(adadelta({ rho: 0.9, formula: 'tfjs' }).formula, 'tfjs');
    assert.deepEqual(momentum({ learningRate: 0.1, nesterov: true }).getConfig(), { learningRate: 0.1, momentum: 0.9, nesterov: true });
    assert.ok(momentum(0.5) instanceof Momentum);
    assert.throws(() => adadelta({ formula: 'torch' as never }), /Adadelta: formula must be 'keras' or 'tfjs', got "torch"/);
    assert.throws(() => momentum({ useNesterov: true } as never), /momentum\(\) takes .* no option 'useNesterov'/);
  });

  it('names give fresh optimizers with Keras defaults, in any letter case', () => {
    const cases: [string, new (...args: never[]) => Optimizer, number][] = [
      ['sgd', SGD, 0.01],
      ['SGD', SGD, 0.01],
      ['adam', Adam, 0.001],
      ['Adam', Adam, 0.001],
      ['adamw', AdamW, 0.001],
      ['AdamW', AdamW, 0.001],
      ['rmsprop', RMSprop, 0.001],
      ['RMSprop', RMSprop, 0.001],
      ['adagrad', Adagrad, 0.001],
      ['adamax', Adamax, 0.001],
      ['Adamax', Adamax, 0.001],
      ['adadelta', Adadelta, 0.001],
      ['Adadelta', Adadelta, 0.001],
    ];
    for (const [name, cls, lr] of cases) {
      const opt = getOptimizer(name as OptimizerName);
      assert.ok(opt instanceof cls, name);
      assert.equal(opt.learningRate, lr);
      assert.equal(opt.iterations, 0);
    }
    assert.notEqual(getOptimizer('adam'), getOptimizer('adam'), 'a new instance each time');
  });

  it('passes an optimizer object through', () => {
    const opt = adam({ learningRate: 0.05 });
    assert.equal(getOptimizer(opt), opt);
  });

  it('unknown names suggest the closest and list the valid ones', () => {
    assert.throws(
      () => getOptimizer('adma' as OptimizerName),
      /Unknown optimizer 'adma'.*did you mean 'adam'\?.*'sgd', 'adam', 'adamw', 'adamax', 'rmsprop', 'adagrad', 'adadelta'/s,
    );
    assert.throws(() => getOptimizer('rmsprob' as OptimizerName), /did you mean 'rmsprop'/);
    assert.throws(() => getOptimizer('lbfgs' as OptimizerName), /Unknown optimizer 'lbfgs'/);
  });
});
