// Optimizers in model files: the forms of the optimizers added for TF.js (Momentum, Adamax, Adadelta, and the
// 'tfjs' formulas of RMSprop, Adagrad and Adadelta) are read back as they were written, and TF.js deserializes
// the optimizer_config dendrite writes for it into the same optimizer.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { tensor, Variable } from '../../src/index.js';
import { optimizerEntry, optimizerFromEntry, tfjsOptimizerConfig } from '../../src/io/optimizer-config.js';
import { Adadelta, Adagrad, Adam, Adamax, AdamW, Momentum, type Optimizer, RMSprop, SGD } from '../../src/nn/optimizers/index.js';

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

  // the optimizer_config of Keras 2.12-2.15 files, as the tensorflowjs converter copies it (a real file's fields)
  const keras215 = (className: string, own: Record<string, unknown>, common: Record<string, unknown> = {}) => ({
    class_name: className,
    config: {
      name: className.replace('Custom>', ''),
      weight_decay: null,
      clipnorm: null,
      global_clipnorm: null,
      clipvalue: null,
      use_ema: false,
      ema_momentum: 0.99,
      ema_overwrite_frequency: null,
      jit_compile: false,
      is_legacy_optimizer: false,
      learning_rate: 0.0010000000474974513,
      ...own,
      ...common,
    },
  });

  it("reads Keras 2.12-2.15's Custom>Adam, Custom>RMSprop... with their settings", () => {
    const adam = optimizerFromEntry(keras215('Custom>Adam', { beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7, amsgrad: false }));
    assert.ok(adam instanceof Adam && !(adam instanceof AdamW));
    assert.deepEqual(adam.getConfig(), { learningRate: 0.0010000000474974513, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
    const adamax = optimizerFromEntry(keras215('Custom>Adamax', { beta_1: 0.8, beta_2: 0.99, epsilon: 1e-7 }));
    assert.ok(adamax instanceof Adamax);
    const sgd = optimizerFromEntry(keras215('Custom>SGD', { momentum: 0.9, nesterov: true }));
    assert.ok(sgd instanceof SGD && !(sgd instanceof Momentum));
    assert.deepEqual(sgd.getConfig(), { learningRate: 0.0010000000474974513, momentum: 0.9, nesterov: true });
    // their RMSprop and Adagrad add epsilon inside the root: dendrite's 'tfjs' formula computes exactly that
    const rms = optimizerFromEntry(keras215('Custom>RMSprop', { rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false }));
    assert.ok(rms instanceof RMSprop && rms.formula === 'tfjs' && rms.rho === 0.9);
    const adagrad = optimizerFromEntry(keras215('Custom>Adagrad', { initial_accumulator_value: 0.1, epsilon: 1e-7 }));
    assert.ok(adagrad instanceof Adagrad && adagrad.formula === 'tfjs');
    const adadelta = optimizerFromEntry(keras215('Custom>Adadelta', { rho: 0.95, epsilon: 1e-7 }));
    assert.ok(adadelta instanceof Adadelta && adadelta.formula === 'keras');
    // Keras 3 names them plainly, with module and registered_name beside
    const keras3 = optimizerFromEntry({
      module: 'keras.optimizers',
      class_name: 'RMSprop',
      registered_name: null,
      config: { ...keras215('RMSprop', {}).config, is_legacy_optimizer: undefined, rho: 0.8 },
    });
    assert.ok(keras3 instanceof RMSprop && keras3.formula === 'tfjs' && keras3.rho === 0.8);
    // the legacy optimizers (tf.keras.optimizers.legacy) keep Keras 2's formula
    const legacy = optimizerFromEntry({
      class_name: 'RMSprop',
      config: { name: 'RMSprop', learning_rate: 0.001, decay: 0, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false, is_legacy_optimizer: true },
    });
    assert.ok(legacy instanceof RMSprop && legacy.formula === 'keras');
  });

  it("a Keras 3 RMSprop and Adagrad read from a file take Keras 3's steps", () => {
    // Keras 3.15.1 (TensorFlow backend): keras.optimizers.RMSprop(learning_rate=0.1, rho=0.9, momentum=0.5,
    // epsilon=0.01) and Adagrad(learning_rate=0.1, epsilon=0.01) on the variable [0.5, -1, 2], two apply_gradients
    const keras3 = {
      RMSprop: [0.3096292018890381, -0.9789490103721619, 1.9965001344680786],
      Adagrad: [0.45684677362442017, -1.0202022790908813, 1.9993970394134521],
    };
    const files = {
      RMSprop: { learning_rate: 0.1, rho: 0.9, momentum: 0.5, epsilon: 0.01, centered: false, use_ema: false },
      Adagrad: { learning_rate: 0.1, initial_accumulator_value: 0.1, epsilon: 0.01, use_ema: false },
    };
    for (const name of ['RMSprop', 'Adagrad'] as const) {
      const opt = optimizerFromEntry({ module: 'keras.optimizers', class_name: name, config: files[name] });
      const v = new Variable(new Float32Array([0.5, -1, 2]), [3], `keras3_${name}`);
      for (const g of [
        [0.1, -0.2, 0.003],
        [0.05, 0.4, -0.001],
      ])
        opt.applyGradients([[tensor(g), v]]);
      for (let i = 0; i < 3; i++) assert.ok(Math.abs(v.values[i] - keras3[name][i]) < 1e-7, `${name}[${i}]: ${v.values[i]} vs ${keras3[name][i]}`);
    }
  });

  it('Keras Adam with weight_decay is AdamW (the weights decayed before each step, as Keras does)', () => {
    const adam = optimizerFromEntry(keras215('Custom>Adam', { beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7, amsgrad: false }, { weight_decay: 0.01 }));
    assert.ok(adam instanceof AdamW);
    assert.deepEqual(adam.getConfig(), { learningRate: 0.0010000000474974513, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0.01 });
    const adamw = optimizerFromEntry(keras215('Custom>AdamW', { beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7, amsgrad: false }, { weight_decay: 0.004 }));
    assert.ok(adamw instanceof AdamW && adamw.weightDecay === 0.004);
    // a weight decay of 0 changes nothing
    assert.ok(optimizerFromEntry(keras215('Custom>SGD', { momentum: 0 }, { weight_decay: 0 })) instanceof SGD);
  });

  it('refuses, by name, the Keras settings that change training and that dendrite lacks', () => {
    const adam = (common: Record<string, unknown>) => () => optimizerFromEntry(keras215('Custom>Adam', { beta_1: 0.9 }, common));
    assert.throws(adam({ clipnorm: 1 }), /optimizer setting 'clipnorm' 1 \(gradient clipping\) is not supported/);
    assert.throws(adam({ global_clipnorm: 5 }), /'global_clipnorm' 5/);
    assert.throws(adam({ clipvalue: 0.5 }), /'clipvalue' 0.5/);
    assert.throws(adam({ use_ema: true }), /'use_ema' true \(a moving average of the weights\)/);
    assert.throws(adam({ gradient_accumulation_steps: 4 }), /'gradient_accumulation_steps' 4/);
    assert.throws(adam({ amsgrad: true }), /AMSGrad/);
    assert.throws(adam({ learning_rate: { class_name: 'ExponentialDecay', config: {} } }), /learning-rate schedules are not supported/);
    assert.throws(
      () => optimizerFromEntry(keras215('Custom>SGD', { momentum: 0.9 }, { weight_decay: 0.01 })),
      /'weight_decay' 0.01 is supported with Adam and AdamW only, not with SGD/,
    );
    // Keras 2's learning-rate decay changes every step; only Adamax (as TF.js') has it
    assert.throws(
      () => optimizerFromEntry({ class_name: 'Adam', config: { learning_rate: 0.001, decay: 0.01 } }),
      /'decay' 0.01 \(Keras 2's learning-rate decay/,
    );
    assert.ok(optimizerFromEntry({ class_name: 'Adam', config: { learning_rate: 0.001, decay: 0 } }) instanceof Adam);
    assert.throws(() => optimizerFromEntry({ class_name: 'Custom>Nadam', config: {} }), /optimizer 'Custom>Nadam' is not supported \(dendrite has/);
    // only Keras' own prefix is read so: another package's optimizer is not taken for dendrite's
    assert.throws(() => optimizerFromEntry({ class_name: 'MyPackage>Adam', config: {} }), /optimizer 'MyPackage>Adam' is not supported/);
  });
});
