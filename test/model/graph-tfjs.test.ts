// Graph models against real TensorFlow.js (pure-JS cpu backend): the same graph built in both libraries
// (tf.input, tf.layers.*, tf.model) with the same weights predicts the same to 1e-5, and describes its
// connections (inbound nodes, input and output layers) as TF.js does.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { input, layers, model, sequential, setSeed, type Model, type SymbolicTensor, type Tensor } from '../../src/index.js';
import { assertClose } from '../helpers.js';
import { randomTensor } from '../nn/layers/layer-checks.js';

before(async () => {
  await tf.setBackend('cpu');
});

/** Copies every weight of the dendrite model into the TF.js model's layer of the same name. */
function copyWeights(ours: Model, theirs: tf.LayersModel): void {
  const byName = new Map(ours.weights.map((w) => [w.name, w]));
  for (const w of theirs.weights) {
    // TF.js names weights `<layer>/<weight>` too, with a suffix when a layer is nested (`inner/dense/kernel`)
    const name = w.originalName.split('/').slice(-2).join('/');
    const mine = byName.get(name);
    assert.ok(mine, `no dendrite weight for ${w.originalName}`);
    (w as unknown as { write(t: tf.Tensor): void }).write(tf.tensor(Array.from(mine.values), [...mine.shape]));
  }
}

function toTf(t: Tensor): tf.Tensor {
  return tf.tensor(Array.from(t.values), [...t.shape]);
}

/** The connections of a model.json topology: each layer's inbound nodes, and the model's inputs and outputs. */
function connections(topology: unknown): unknown {
  const config = (topology as { config: { layers: { name: string; inbound_nodes: unknown }[]; input_layers: unknown; output_layers: unknown } }).config;
  return {
    layers: config.layers.map((l) => [l.name, l.inbound_nodes]),
    inputs: config.input_layers,
    outputs: config.output_layers,
  };
}

describe('graph models against TensorFlow.js', () => {
  test('branches, merges, a shared layer and two outputs', () => {
    setSeed(7);
    const build = {
      dendrite: () => {
        const a = input({ shape: [6], name: 'a' });
        const b = input({ shape: [6], name: 'b' });
        const shared = layers.dense({ units: 5, activation: 'tanh', name: 'shared' });
        const sa = shared.apply(a);
        const sb = shared.apply(b);
        const sum = layers.add({ name: 'sum' }).apply([sa, sb]);
        const diff = layers.subtract({ name: 'diff' }).apply([sa, sb]);
        const prod = layers.multiply({ name: 'prod' }).apply([sum, diff]);
        const mean = layers.average({ name: 'mean' }).apply([sa, sb, prod]);
        const hi = layers.maximum({ name: 'hi' }).apply([sa, sb]);
        const lo = layers.minimum({ name: 'lo' }).apply([sa, sb]);
        const cat = layers.concatenate({ name: 'cat' }).apply([mean, hi, lo, a]);
        const out = layers.dense({ units: 3, activation: 'softmax', name: 'out' }).apply(cat);
        const sim = layers.dot({ axes: 1, normalize: true, name: 'sim' }).apply([sa, sb]);
        return model({ inputs: [a, b], outputs: [out, sim], name: 'graph' });
      },
      tfjs: () => {
        const a = tf.input({ shape: [6], name: 'a' });
        const b = tf.input({ shape: [6], name: 'b' });
        const shared = tf.layers.dense({ units: 5, activation: 'tanh', name: 'shared' });
        const sa = shared.apply(a) as tf.SymbolicTensor;
        const sb = shared.apply(b) as tf.SymbolicTensor;
        const sum = tf.layers.add({ name: 'sum' }).apply([sa, sb]) as tf.SymbolicTensor;
        // TF.js has no Subtract layer; sa + (-1 * sb) through layers it has would change the graph, so the
        // difference is checked by the other merges' values and by merge.test.ts
        const neg = tf.layers.dense({ units: 5, useBias: false, name: 'neg', trainable: false, kernelInitializer: 'zeros' });
        const diff = tf.layers.add({ name: 'diff' }).apply([sa, neg.apply(sb) as tf.SymbolicTensor]) as tf.SymbolicTensor;
        const prod = tf.layers.multiply({ name: 'prod' }).apply([sum, diff]) as tf.SymbolicTensor;
        const mean = tf.layers.average({ name: 'mean' }).apply([sa, sb, prod]) as tf.SymbolicTensor;
        const hi = tf.layers.maximum({ name: 'hi' }).apply([sa, sb]) as tf.SymbolicTensor;
        const lo = tf.layers.minimum({ name: 'lo' }).apply([sa, sb]) as tf.SymbolicTensor;
        const cat = tf.layers.concatenate({ name: 'cat' }).apply([mean, hi, lo, a]) as tf.SymbolicTensor;
        const out = tf.layers.dense({ units: 3, activation: 'softmax', name: 'out' }).apply(cat) as tf.SymbolicTensor;
        const sim = tf.layers.dot({ axes: 1, normalize: true, name: 'sim' }).apply([sa, sb]) as tf.SymbolicTensor;
        const m = tf.model({ inputs: [a, b], outputs: [out, sim], name: 'graph' });
        // neg = -identity makes TF.js' `diff` the difference
        m.getLayer('neg').setWeights([tf.mul(tf.eye(5), -1)]);
        return m;
      },
    };
    const ours = build.dendrite();
    const theirs = build.tfjs();
    const byName = new Map(ours.weights.map((w) => [w.name, w]));
    for (const w of theirs.weights) {
      const mine = byName.get(w.originalName);
      if (mine) (w as unknown as { write(t: tf.Tensor): void }).write(toTf(mine));
    }
    const xs = [randomTensor([4, 6], 1), randomTensor([4, 6], 2)];
    const [out, sim] = ours.predict(xs);
    const [tOut, tSim] = theirs.predict(xs.map(toTf)) as tf.Tensor[];
    assertClose(out, tOut.dataSync(), { shape: tOut.shape, rtol: 1e-5, atol: 1e-6 });
    assertClose(sim, tSim.dataSync(), { shape: tSim.shape, rtol: 1e-5, atol: 1e-6 });
  });

  test('a nested model and a nested Sequential', () => {
    setSeed(8);
    const ours = (() => {
      const innerIn = input({ shape: [4], name: 'inner_in' });
      const inner = model({ inputs: innerIn, outputs: layers.dense({ units: 5, activation: 'relu', name: 'inner_dense' }).apply(innerIn), name: 'inner' });
      const head = sequential([layers.dense({ units: 3, inputShape: [5], activation: 'sigmoid', name: 'head_dense' })], { name: 'head' });
      const x = input({ shape: [4], name: 'x' });
      const h = inner.apply(x) as SymbolicTensor;
      const out = head.apply(layers.add({ name: 'res' }).apply([h, inner.apply(x) as SymbolicTensor]));
      return model({ inputs: x, outputs: out, name: 'outer' });
    })();
    const theirs = (() => {
      const innerIn = tf.input({ shape: [4], name: 'inner_in' });
      const innerOut = tf.layers.dense({ units: 5, activation: 'relu', name: 'inner_dense' }).apply(innerIn) as tf.SymbolicTensor;
      const inner = tf.model({ inputs: innerIn, outputs: innerOut, name: 'inner' });
      const head = tf.sequential({ name: 'head', layers: [tf.layers.dense({ units: 3, inputShape: [5], activation: 'sigmoid', name: 'head_dense' })] });
      const x = tf.input({ shape: [4], name: 'x' });
      const h = inner.apply(x) as tf.SymbolicTensor;
      const sum = tf.layers.add({ name: 'res' }).apply([h, inner.apply(x) as tf.SymbolicTensor]) as tf.SymbolicTensor;
      return tf.model({ inputs: x, outputs: head.apply(sum) as tf.SymbolicTensor, name: 'outer' });
    })();
    copyWeights(ours, theirs);
    const x = randomTensor([3, 4], 3);
    const expected = theirs.predict(toTf(x)) as tf.Tensor;
    assertClose(ours.predict(x), expected.dataSync(), { shape: expected.shape, rtol: 1e-5, atol: 1e-6 });
    // the connections are written as TF.js writes them: a nested model's calls are its nodes 1 and 2
    assert.deepEqual(connections(ours.toJSON(null, false)), connections(theirs.toJSON(null, false)));
  });

  test('the connections of a graph with a shared layer and two outputs are written as TF.js writes them', () => {
    const ours = (() => {
      const a = input({ shape: [3], name: 'p' });
      const b = input({ shape: [3], name: 'q' });
      const shared = layers.dense({ units: 2, name: 'enc' });
      const cat = layers.concatenate({ name: 'join' }).apply([shared.apply(a), shared.apply(b)]);
      return model({ inputs: [a, b], outputs: [cat, shared.getOutputAt(1)], name: 'conn' });
    })();
    const theirs = (() => {
      const a = tf.input({ shape: [3], name: 'p' });
      const b = tf.input({ shape: [3], name: 'q' });
      const shared = tf.layers.dense({ units: 2, name: 'enc' });
      const ea = shared.apply(a) as tf.SymbolicTensor;
      const eb = shared.apply(b) as tf.SymbolicTensor;
      const cat = tf.layers.concatenate({ name: 'join' }).apply([ea, eb]) as tf.SymbolicTensor;
      return tf.model({ inputs: [a, b], outputs: [cat, eb], name: 'conn' });
    })();
    assert.deepEqual(connections(ours.toJSON(null, false)), connections(theirs.toJSON(null, false)));
    assert.deepEqual(
      ours.layers.map((l) => l.name),
      theirs.layers.map((l) => l.name),
    );
  });
});
