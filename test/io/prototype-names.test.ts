// Names read from a model file are looked up only among dendrite's own entries: a layer class, activation,
// initializer, loss, optimizer or metric named like a key of Object.prototype ('constructor', '__proto__',
// 'toString', ...) is an unknown name with a clear message, never Object's own function called as a factory.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { modelFromArtifacts } from '../../src/model/load-model.js';

const NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'];

function file(change: { layerClass?: string; activation?: string; initializer?: string; loss?: string; optimizer?: string; metric?: string }): object {
  const layer = {
    class_name: change.layerClass ?? 'Dense',
    config: {
      name: 'd',
      units: 2,
      batch_input_shape: [null, 3],
      activation: change.activation ?? 'linear',
      ...(change.initializer ? { kernel_initializer: { class_name: change.initializer, config: {} } } : {}),
    },
  };
  return {
    format: 'layers-model',
    modelTopology: { class_name: 'Sequential', config: { name: 's', layers: [layer] } },
    weightsManifest: [
      {
        paths: ['weights.bin'],
        weights: [
          { name: 'd/kernel', shape: [3, 2], dtype: 'float32' },
          { name: 'd/bias', shape: [2], dtype: 'float32' },
        ],
      },
    ],
    trainingConfig: {
      loss: change.loss ?? 'mean_squared_error',
      metrics: [change.metric ?? 'accuracy'],
      optimizer_config: { class_name: change.optimizer ?? 'Adam', config: {} },
    },
  };
}
const weights = new Uint8Array(8 * 4);

test('the plain file loads', () => {
  assert.deepEqual(modelFromArtifacts(file({}), weights).outputShape, [null, 2]);
});

for (const name of NAMES) {
  test(`a layer class, activation or initializer named '${name}' is an unknown name`, () => {
    assert.throws(() => modelFromArtifacts(file({ layerClass: name }), weights), /unknown layer class/);
    assert.throws(() => modelFromArtifacts(file({ activation: name }), weights), /activation '.*' is not supported/);
    assert.throws(() => modelFromArtifacts(file({ initializer: name }), weights), /initializer '.*' is not supported/);
  });

  test(`a loss, optimizer or metric named '${name}' is refused, never called`, () => {
    for (const change of [{ loss: name }, { optimizer: name }, { metric: name }]) {
      assert.throws(
        () => modelFromArtifacts(file(change), weights),
        (error: Error) => !/is not a function|Cannot (read|convert)|undefined or null/.test(error.message) && error.message.length > 0,
      );
    }
    // a metric dendrite does not have is refused by name (it used to be left out)
    assert.throws(() => modelFromArtifacts(file({ metric: name }), weights), new RegExp(`metrics\\[0\\] '${name}' is not supported`));
  });
}
