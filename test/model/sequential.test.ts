import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { layers, Sequential, sequential, setSeed, tensor, Tensor } from '../../src/index.js';
import { assertClose } from '../helpers.js';

/** Deterministic values in [-1, 1) without touching the global generator. */
function ramp(n: number, shape: number[]): Tensor {
  return tensor(
    Array.from({ length: n }, (_, i) => ((i * 37) % 23) / 11.5 - 1),
    shape,
  );
}

describe('Sequential: building', () => {
  test('a model whose first layer has an inputShape is built as soon as the layers are added', () => {
    const model = sequential([layers.dense({ units: 8, inputShape: [4] }), layers.dense({ units: 3 })]);
    assert.equal(model.built, true);
    assert.deepEqual(model.inputShape, [null, 4]);
    assert.deepEqual(model.outputShape, [null, 3]);
    assert.ok(model.layers.every((l) => l.built));
    assert.deepEqual(
      model.getWeights().map((w) => [...w.shape]),
      [[4, 8], [8], [8, 3], [3]],
    );
  });

  test('layers.input as the first layer fixes the input shape; add() builds each new layer', () => {
    const model = sequential([layers.input({ shape: [6] })]);
    assert.deepEqual(model.outputShape, [null, 6]);
    model.add(layers.dense({ units: 2 }));
    assert.deepEqual(model.outputShape, [null, 2]);
    assert.equal(model.countParams(), 14);
  });

  test('without an input shape the model waits for data (or build()) to build', () => {
    const model = sequential([layers.dense({ units: 2 }), layers.dense({ units: 1 })]);
    assert.equal(model.built, false);
    assert.equal(model.layers[0].built, false);
    const y = model.predict(ramp(10, [5, 2]));
    assert.deepEqual([...y.shape], [5, 1]);
    assert.equal(model.built, true);
    assert.deepEqual(model.inputShape, [null, 2]);

    const other = sequential([layers.dense({ units: 4 })]);
    other.build([null, 7]);
    assert.deepEqual(other.outputShape, [null, 4]);
    assert.deepEqual([...other.getWeights()[0].shape], [7, 4]);
  });

  test('a layer that cannot take the incoming shape fails at add(), naming the layer and both shapes', () => {
    const prebuilt = layers.dense({ units: 2, name: 'prebuilt_head' });
    prebuilt.ensureBuilt([null, 3]);
    const model = sequential([layers.dense({ units: 5, inputShape: [4], name: 'hidden' })]);
    assert.throws(
      () => model.add(prebuilt),
      (e: Error) => {
        assert.match(e.message, /'prebuilt_head'/);
        assert.match(e.message, /Dense/);
        assert.match(e.message, /\[null, 3\]/, 'expected shape');
        assert.match(e.message, /\[null, 5\]/, 'actual shape');
        return true;
      },
    );
    // the rejected layer is not left in the stack, and the model still works
    assert.deepEqual(
      model.layers.map((l) => l.name),
      ['hidden'],
    );
    assert.deepEqual(model.outputShape, [null, 5]);
    model.add(layers.dense({ units: 1, name: 'head' }));
    assert.deepEqual(model.outputShape, [null, 1]);
    assert.deepEqual([...model.predict(ramp(8, [2, 4])).shape], [2, 1]);
  });

  test('a first layer whose own inputShape it cannot take fails when the model is created', () => {
    assert.throws(
      () => sequential([layers.dense({ units: 2, inputShape: [], name: 'no_features' })]),
      /'no_features' \(Dense\) expects inputs of rank >= 2.*got shape \[null\]/,
    );
  });

  test('a shape error found by build() names the layer and the shapes', () => {
    const prebuilt = layers.dense({ units: 2, name: 'fixed_in' });
    prebuilt.ensureBuilt([null, 3]);
    const model = sequential([layers.flatten(), prebuilt]);
    assert.throws(() => model.build([null, 2, 2]), /Layer 1 'fixed_in' \(Dense\).*\[null, 3\].*\[null, 4\]/);
    assert.equal(model.built, false);
    model.build([null, 3, 1]);
    assert.deepEqual(model.outputShape, [null, 2]);
  });

  test('rejects duplicate layer names, non-layers and an input layer after the first', () => {
    const model = sequential([layers.dense({ units: 2, inputShape: [2], name: 'same' })]);
    assert.throws(() => model.add(layers.dense({ units: 2, name: 'same' })), /already has a layer named 'same'/);
    assert.throws(() => model.add({} as never), /expects a layer/);
    assert.throws(() => model.add(layers.input({ shape: [2] })), /input layer can only be the first layer/);
    assert.equal(model.layers.length, 1);
  });

  test('an empty model cannot run', () => {
    assert.throws(() => new Sequential().predict(tensor([[1]])), /has no layers/);
  });
});

describe('Sequential: predict', () => {
  test('a wrong input shape gives an error with the expected and the actual shape', () => {
    const model = sequential([layers.dense({ units: 3, inputShape: [4] })]);
    assert.throws(() => model.predict(ramp(10, [2, 5])), /expects input of shape \[null, 4\].*got \[2, 5\]/);
    assert.throws(() => model.predict(ramp(4, [4])), /expects input of shape \[null, 4\].*got \[4\]/);
    assert.throws(() => model.predict(ramp(8, [2, 2, 2])), /expects input of shape \[null, 4\].*got \[2, 2, 2\]/);
    assert.throws(() => model.predict(tensor(3)), /predict\(\): x needs a batch axis/);
  });

  test('predicting in batches gives the same result as one batch, and records no gradients', () => {
    setSeed(3);
    const model = sequential([layers.dense({ units: 6, activation: 'tanh', inputShape: [5] }), layers.dense({ units: 2 })]);
    const x = ramp(23 * 5, [23, 5]);
    const whole = model.predict(x, { batchSize: 100 });
    assert.equal(whole.requiresGrad, false);
    for (const batchSize of [1, 4, 7, 23]) {
      const parts = model.predict(x, { batchSize });
      assertClose(parts, whole.values, { shape: [23, 2], rtol: 1e-6, atol: 1e-7 });
    }
  });

  test('rejects a batchSize that is not a positive integer', () => {
    const model = sequential([layers.dense({ units: 1, inputShape: [1] })]);
    assert.throws(() => model.predict(tensor([[1]]), { batchSize: 0 }), /batchSize must be a positive integer, got 0/);
    assert.throws(() => model.predict(tensor([[1]]), { batchSize: 2.5 }), /batchSize must be a positive integer, got 2.5/);
  });

  test('runs in inference mode: dropout is the identity', () => {
    setSeed(4);
    const model = sequential([layers.dense({ units: 4, inputShape: [3] }), layers.dropout({ rate: 0.5 })]);
    const x = ramp(12, [4, 3]);
    const a = model.predict(x);
    const b = model.predict(x);
    assert.deepEqual([...a.values], [...b.values]);
    const dense = model.getLayer(0).apply(x, { training: false });
    assert.deepEqual([...a.values], [...dense.values]);
  });
});

describe('Sequential: weights and layers', () => {
  test('getWeights / setWeights round-trip, and getWeights returns copies', () => {
    setSeed(5);
    const model = sequential([layers.dense({ units: 3, inputShape: [2] }), layers.dense({ units: 1 })]);
    const x = ramp(8, [4, 2]);
    const before = model.predict(x);
    const saved = model.getWeights();
    saved[0].values.fill(100); // a copy: the model is unaffected
    assert.deepEqual([...model.predict(x).values], [...before.values]);

    const original = model.getWeights();
    model.setWeights(original.map((w) => new Tensor(new Float32Array(w.size), w.shape)));
    assert.deepEqual([...model.predict(x).values], [0, 0, 0, 0]);
    model.setWeights(original);
    assert.deepEqual([...model.predict(x).values], [...before.values]);
    assert.deepEqual(
      model.getWeights().map((w) => [...w.values]),
      original.map((w) => [...w.values]),
    );
  });

  test('setWeights rejects a wrong count or shape', () => {
    const model = sequential([layers.dense({ units: 3, inputShape: [2] })]);
    const ws = model.getWeights();
    assert.throws(() => model.setWeights(ws.slice(0, 1)), /has 2 weights, got 1/);
    assert.throws(() => model.setWeights([ws[0], tensor([1, 2])]), /shape \[2\].*shape \[3\]/);
  });

  test('getLayer by name and by index; an unknown one lists the layers', () => {
    const model = sequential([layers.dense({ units: 3, inputShape: [2], name: 'first' }), layers.dense({ units: 1, name: 'second' })]);
    assert.equal(model.getLayer('second'), model.layers[1]);
    assert.equal(model.getLayer(0).name, 'first');
    assert.equal(model.getLayer(1).name, 'second');
    assert.throws(() => model.getLayer('third'), /no layer "third" \(layers: first, second\)/);
    assert.throws(() => model.getLayer(2), /no layer 2/);
  });

  test('weights, trainableWeights and countParams follow the layers', () => {
    const frozen = layers.dense({ units: 2, trainable: false });
    const model = sequential([layers.dense({ units: 3, inputShape: [2] }), frozen]);
    assert.equal(model.weights.length, 4);
    assert.equal(model.trainableWeights.length, 2);
    assert.equal(model.nonTrainableWeights.length, 2);
    assert.equal(model.countParams(), 2 * 3 + 3 + 3 * 2 + 2);
  });
});

test('predict and apply name a non-tensor input', () => {
  const model = sequential([layers.dense({ units: 1, inputShape: [2] })]);
  assert.throws(() => model.predict(undefined as never), /predict\(\): x must be a Tensor, got undefined/);
  assert.throws(() => model.predict([[1, 2]] as never), /predict\(\): x must be a Tensor, got an array \(wrap it with tensor\(\.\.\.\)\)/);
  assert.throws(() => model.apply(null as never), /apply\(\): x must be a Tensor, got null/);
});
