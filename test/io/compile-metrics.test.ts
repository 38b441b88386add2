// The metrics of a TF.js / Keras training config: names, Keras 2's metric objects (MeanMetricWrapper with the
// function it wraps, metric classes; Keras 3's with `module`), the layouts Keras writes ([[...]] for a model of one
// output, objects keyed by output name), weighted_metrics, and a clear error for a metric dendrite lacks.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { foreignMetrics } from '../../src/io/compile-metrics.js';
import { getLoss } from '../../src/nn/losses.js';
import { layers, modelFromArtifacts, sequential, setSeed } from '../../src/index.js';

const wrapper = (name: string, fn: unknown, extra: Record<string, unknown> = {}) => ({
  class_name: 'MeanMetricWrapper',
  config: { name, dtype: 'float32', fn, ...extra },
});
const cce = getLoss('categoricalCrossentropy');
const one = (raw: Record<string, unknown>, loss = cce) => foreignMetrics(raw, ['dense_1'], [loss])[0];

describe('metrics of a training config', () => {
  it("Keras 2's MeanMetricWrapper loads as the metric it wraps, under its name where dendrite's of that name is the same", () => {
    // Keras 2.x writes compile(metrics=['accuracy']) so, with the function the loss picked
    assert.deepEqual(one({ metrics: [[wrapper('accuracy', 'categorical_accuracy')]] }), ['accuracy']);
    assert.deepEqual(one({ metrics: [[wrapper('accuracy', 'sparse_categorical_accuracy')]] }, getLoss('sparseCategoricalCrossentropy')), ['accuracy']);
    assert.deepEqual(one({ metrics: [[wrapper('accuracy', 'binary_accuracy')]] }, getLoss('binaryCrossentropy')), ['accuracy']);
    // the same name over a loss that does not decide it: the function, whose values Keras logged
    assert.deepEqual(one({ metrics: [[wrapper('accuracy', 'binary_accuracy')]] }, getLoss('meanSquaredError')), ['binaryAccuracy']);
    assert.deepEqual(one({ metrics: [[wrapper('accuracy', 'binary_accuracy')]] }, getLoss('binaryCrossentropy', { fromLogits: true })), ['binaryAccuracy']);
    assert.deepEqual(one({ metrics: [[wrapper('mae', 'mean_absolute_error'), wrapper('mse', 'mean_squared_error')]] }), ['mae', 'mse']);
    assert.deepEqual(one({ metrics: [[wrapper('my_acc', 'categorical_accuracy')]] }), ['categoricalAccuracy']);
    assert.deepEqual(one({ metrics: [[wrapper('categorical_accuracy', 'categorical_accuracy')]] }), ['categorical_accuracy']);
    // Keras 3 adds module and registered_name, and may serialise the function as an object
    const keras3 = {
      module: 'keras.metrics',
      class_name: 'MeanMetricWrapper',
      registered_name: null,
      config: { name: 'accuracy', dtype: 'float32', fn: 'categorical_accuracy' },
    };
    assert.deepEqual(one({ metrics: [keras3] }), ['accuracy']);
    const fnObject = { module: 'keras.metrics', class_name: 'function', config: 'mean_squared_error', registered_name: 'mean_squared_error' };
    assert.deepEqual(one({ metrics: [wrapper('mse', fnObject)] }), ['mse']);
  });

  it('metric classes, names and the layouts of one list, a list per output and an object by output name', () => {
    assert.deepEqual(one({ metrics: [{ class_name: 'CategoricalAccuracy', config: { name: 'categorical_accuracy', dtype: 'float32' } }] }), [
      'categorical_accuracy',
    ]);
    assert.deepEqual(one({ metrics: [{ class_name: 'BinaryAccuracy', config: { name: 'bin', dtype: 'float32', threshold: 0.5 } }] }), ['binaryAccuracy']);
    assert.deepEqual(one({ metrics: ['accuracy', 'binary_accuracy', 'mse'] }), ['accuracy', 'binaryAccuracy', 'mse']);
    assert.deepEqual(one({ metrics: { dense_1: 'mae' } }), ['mae']);
    assert.deepEqual(one({ metrics: null }), []);
    const two = foreignMetrics({ metrics: [['accuracy'], [wrapper('mae', 'mean_absolute_error')]] }, ['a', 'b'], [cce, getLoss('meanSquaredError')]);
    assert.deepEqual(two, [['accuracy'], ['mae']]);
    assert.deepEqual(foreignMetrics({ metrics: ['mse'] }, ['a', 'b'], [cce, cce]), [['mse'], ['mse']]);
  });

  it('weighted_metrics load after the metrics (without sample weights a weighted metric is the metric)', () => {
    assert.deepEqual(one({ metrics: [[wrapper('accuracy', 'categorical_accuracy')]], weighted_metrics: [[wrapper('mse', 'mean_squared_error')]] }), [
      'accuracy',
      'mse',
    ]);
    assert.deepEqual(one({ metrics: null, weighted_metrics: ['accuracy'] }), ['accuracy']);
  });

  it('a metric dendrite lacks is refused, named with where it is', () => {
    assert.throws(() => one({ metrics: ['precision'] }), /its metrics\[0\] 'precision' is not supported \(dendrite has the metrics accuracy, acc/);
    assert.throws(
      () => one({ metrics: [[wrapper('top5', 'top_k_categorical_accuracy', { k: 5 })]] }),
      /its metrics\[0\]\[0\] "top5" \(MeanMetricWrapper of 'top_k_categorical_accuracy'\) is not supported/,
    );
    assert.throws(
      () => one({ metrics: [[{ class_name: 'AUC', config: { name: 'auc', num_thresholds: 200 } }]] }),
      /its metrics\[0\]\[0\] "auc" \(AUC\) is not supported/,
    );
    // Keras' Accuracy class counts equal values, which is none of dendrite's accuracies
    assert.throws(() => one({ metrics: [{ class_name: 'Accuracy', config: { name: 'accuracy' } }] }), /"accuracy" \(Accuracy\) is not supported/);
    assert.throws(
      () => one({ metrics: [{ class_name: 'BinaryAccuracy', config: { name: 'b', threshold: 0.7 } }] }),
      /\(BinaryAccuracy with threshold 0.7\) is not supported/,
    );
    assert.throws(() => one({ weighted_metrics: ['auc'] }), /its weighted_metrics\[0\] 'auc' is not supported/);
    assert.throws(() => one({ metrics: { dense_9: 'mae' } }), /its metrics has an entry for 'dense_9', which is no output of the model/);
  });

  it('loadModel compiles with them; an unknown one fails to compile, and compile: false loads the model without', () => {
    setSeed(1);
    const model = sequential({ layers: [layers.dense({ units: 3, inputShape: [2], activation: 'softmax' })] });
    const { modelJson, weightData } = (() => {
      const json = {
        format: 'layers-model',
        modelTopology: model.toJSON(null, false),
        weightsManifest: [{ paths: ['weights.bin'], weights: model.weights.map((w) => ({ name: w.name, shape: [...w.shape], dtype: 'float32' })) }],
      } as Record<string, unknown>;
      const bytes = new Uint8Array(model.weights.reduce((n, w) => n + 4 * w.values.length, 0));
      let at = 0;
      for (const w of model.weights) {
        bytes.set(new Uint8Array(w.values.buffer, w.values.byteOffset, w.values.byteLength), at);
        at += w.values.byteLength;
      }
      return { modelJson: json, weightData: bytes };
    })();
    const topology = modelJson.modelTopology as Record<string, unknown>;
    const optimizer_config = { class_name: 'Custom>Adam', config: { learning_rate: 0.001, use_ema: false, is_legacy_optimizer: false } };
    topology.training_config = {
      loss: 'categorical_crossentropy',
      metrics: [[wrapper('accuracy', 'categorical_accuracy')]],
      weighted_metrics: null,
      optimizer_config,
    };
    const loaded = modelFromArtifacts(modelJson, weightData);
    assert.deepEqual(
      loaded.compiled?.metrics.map((m) => m.name),
      ['accuracy'],
    );
    topology.training_config = { loss: 'categorical_crossentropy', metrics: [[wrapper('top5', 'top_k_categorical_accuracy')]], optimizer_config };
    assert.throws(
      () => modelFromArtifacts(modelJson, weightData),
      /model\.json: cannot compile the saved model: its metrics\[0\]\[0\] "top5" \(MeanMetricWrapper of 'top_k_categorical_accuracy'\) is not supported .*Load it with \{ compile: false \} to skip compiling\./,
    );
    assert.equal(modelFromArtifacts(modelJson, weightData, { compile: false }).compiled, null);
  });
});
