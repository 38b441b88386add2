// Optimizers in model files: the forms of the optimizers added for TF.js (Momentum, Adamax, Adadelta, and the
// 'tfjs' formulas of RMSprop, Adagrad and Adadelta) are read back as they were written, and TF.js deserializes
// the optimizer_config dendrite writes for it into the same optimizer.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { optimizerEntry, optimizerFromEntry, tfjsOptimizerConfig } from '../../src/io/optimizer-config.js';
import { Adadelta, Adagrad, Adamax, Momentum, type Optimizer, RMSprop, SGD } from '../../src/nn/optimizers/index.js';

const optimizers: Optimizer[] = [
  new Momentum({ learningRate: 0.05, momentum: 0.8, nesterov: true }),
  new Adamax({ learningRate: 0.002, beta1: 0.8, beta2: 0.99, epsilon: 1e-6, decay: 0.01 }),
  new Adadelta({ learningRate: 1, rho: 0.9, epsilon: 1e-6 }),
  new Adadelta({ learningRate: 0.5, formula: 'tfjs' }),
  new RMSprop({ learningRate: 0.01, rho: 0.8, momentum: 0.5, centered: true, formula: 'tfjs' }),
  new Adagrad({ learningRate: 0.1, initialAccumulatorValue: 0.2, formula: 'tfjs' }),
];

describe('optimizer configs', () => {
  it("dendrite's own form reads back the same class, hyper-parameters and formula", () => {
    for (const opt of optimizers) {
      const back = optimizerFromEntry(JSON.parse(JSON.stringify(optimizerEntry(opt))));
      assert.equal(back.className, opt.className);
      assert.deepEqual(back.getConfig(), opt.getConfig(), opt.className);
    }
  });

  it('TF.js deserializes the optimizer_config written for it into its optimizer of the same settings', () => {
    const classes = tf.serialization.SerializationMap.getMap().classNameMap;
    for (const opt of optimizers) {
      const written = tfjsOptimizerConfig(opt);
      assert.ok(written, opt.className);
      const [cls, fromConfig] = classes[written.class_name];
      const theirs = fromConfig(cls, JSON.parse(JSON.stringify(written.config))) as tf.Optimizer;
      assert.equal(theirs.getClassName(), written.class_name);
      assert.deepEqual(theirs.getConfig(), written.config);
    }
    assert.deepEqual(tfjsOptimizerConfig(optimizers[0]), { class_name: 'Momentum', config: { learningRate: 0.05, momentum: 0.8, useNesterov: true } });
  });

  it("TF.js' Momentum and RMSProp read with TF.js' formulas; Keras files' names with Keras' (snake_case keys)", () => {
    const momentum = optimizerFromEntry({ class_name: 'Momentum', config: { learningRate: 0.1, momentum: 0.9, useNesterov: false } });
    assert.ok(momentum instanceof Momentum && !(momentum instanceof SGD));
    const rmsTfjs = optimizerFromEntry({ class_name: 'RMSProp', config: { learningRate: 0.1, decay: 0.8, momentum: 0, epsilon: 1e-7, centered: false } });
    assert.ok(rmsTfjs instanceof RMSprop && rmsTfjs.formula === 'tfjs' && rmsTfjs.rho === 0.8);
    const rmsKeras = optimizerFromEntry({ class_name: 'RMSprop', config: { learning_rate: 0.1, rho: 0.8 } });
    assert.ok(rmsKeras instanceof RMSprop && rmsKeras.formula === 'keras');
    const adamax = optimizerFromEntry({ class_name: 'Adamax', config: { learning_rate: 0.002, beta_1: 0.8, beta_2: 0.95, epsilon: 1e-7 } });
    assert.deepEqual(adamax.getConfig(), { learningRate: 0.002, beta1: 0.8, beta2: 0.95, epsilon: 1e-7, decay: 0 });
    const adadelta = optimizerFromEntry({ class_name: 'Adadelta', config: { lr: 1, rho: 0.95, decay: 0, epsilon: 1e-7 } });
    assert.deepEqual(adadelta.getConfig(), { learningRate: 1, rho: 0.95, epsilon: 1e-7 });
  });

  it('refuses an optimizer dendrite lacks, and a formula it does not know', () => {
    assert.throws(() => optimizerFromEntry({ class_name: 'Ftrl', config: {} }), /optimizer 'Ftrl' is not supported \(dendrite has .*Adamax.*Adadelta/);
    assert.throws(() => optimizerFromEntry({ className: 'Adagrad', config: { formula: 'torch' } }), /'formula' must be 'keras' or 'tfjs', got "torch"/);
  });
});
