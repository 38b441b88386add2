// Layers called on symbolic tensors: the output shape is inferred, the call is recorded as a node, and
// `layer.input` / `layer.output` give the symbolic tensors of a layer's only call.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { input, Layer, layers, Node, SymbolicTensor, tensor, type CallArgs, type SymbolicShape, type Tensor } from '../../src/index.js';
import { isShapeList } from '../../src/nn/symbolic-tensor.js';

describe('input()', () => {
  test('gives the symbolic output of a new InputLayer: batch axis null, or the fixed batch size', () => {
    const x = input({ shape: [28, 28, 1], name: 'image' });
    assert.ok(x instanceof SymbolicTensor);
    assert.deepEqual(x.shape, [null, 28, 28, 1]);
    assert.equal(x.rank, 4);
    assert.equal(x.name, 'image');
    assert.equal(x.sourceLayer.className, 'InputLayer');
    assert.equal(x.nodeIndex, 0);
    assert.equal(x.tensorIndex, 0);
    assert.ok(x.node.isInput);
    assert.deepEqual(input({ shape: [3], batchSize: 8 }).shape, [8, 3]);
    assert.throws(() => input({ shape: [0, 3] }), /shape must be the shape of one sample/);
  });

  test('an input layer made for a Sequential model has its symbolic output too', () => {
    const layer = layers.input({ shape: [4], name: 'features' });
    assert.deepEqual((layer.output as SymbolicTensor).shape, [null, 4]);
  });
});

describe('Layer.apply on symbolic tensors', () => {
  test('builds the layer, infers the output shape and records one node per call', () => {
    const x = input({ shape: [5] });
    const dense = layers.dense({ units: 3, name: 'sym_dense' });
    const y = dense.apply(x);
    assert.ok(y instanceof SymbolicTensor);
    assert.deepEqual(y.shape, [null, 3]);
    assert.equal(dense.built, true);
    assert.deepEqual(
      dense.getWeights().map((w) => [...w.shape]),
      [[5, 3], [3]],
    );
    assert.equal(y.sourceLayer, dense);
    assert.equal(dense.inboundNodes.length, 1);
    const node = dense.inboundNodes[0];
    assert.ok(node instanceof Node);
    assert.deepEqual(node.inputTensors, [x]);
    assert.deepEqual(node.outputTensors, [y]);
    assert.deepEqual(node.inboundLayers, [x.sourceLayer]);
    assert.deepEqual(node.inputShapes, [[null, 5]]);
    assert.deepEqual(node.outputShapes, [[null, 3]]);
    assert.ok(x.sourceLayer.outboundNodes.includes(node));
    assert.equal(dense.input, x);
    assert.equal(dense.output, y);
  });

  test('a shared layer has one node per call, one set of weights, and no single input or output', () => {
    const a = input({ shape: [4] });
    const b = input({ shape: [4] });
    const shared = layers.dense({ units: 2, name: 'twice' });
    const ya = shared.apply(a);
    const yb = shared.apply(b);
    assert.equal(shared.inboundNodes.length, 2);
    assert.equal(shared.weights.length, 2);
    assert.equal(yb.nodeIndex, 1);
    assert.equal(yb.name, 'twice[1][0]');
    assert.equal(shared.getOutputAt(0), ya);
    assert.equal(shared.getOutputAt(1), yb);
    assert.equal(shared.getInputAt(1), b);
    assert.throws(
      () => shared.output,
      /Layer 'twice' has multiple inbound nodes \(it was called 2 times\), so its output is ambiguous; use getOutputAt\(nodeIndex\)/,
    );
    assert.throws(() => shared.input, /use getInputAt\(nodeIndex\)/);
    assert.throws(() => shared.getOutputAt(2), /has no node 2/);
  });

  test('a layer never called has no input or output', () => {
    assert.throws(() => layers.dense({ units: 1, name: 'alone' }).output, /Layer 'alone' is not connected/);
  });

  test('a built layer refuses symbolic inputs of another shape, naming both', () => {
    const dense = layers.dense({ units: 2, name: 'fixed' });
    dense.apply(input({ shape: [3] }));
    assert.throws(() => dense.apply(input({ shape: [4] })), /Layer 'fixed' \(Dense\) was built for inputs of shape \[null, 3\], got \[null, 4\]/);
  });

  test('shape errors name the layer, as when a model is built', () => {
    assert.throws(() => layers.conv2d({ filters: 2, kernelSize: 3, name: 'c2' }).apply(input({ shape: [8] })), /'c2' \(Conv2D\)/);
  });

  test('symbolic and real tensors cannot be mixed, and a list cannot be empty', () => {
    const add = layers.add({ name: 'mix' });
    assert.throws(() => add.apply([input({ shape: [2] }), tensor([[1, 2]])] as never), /symbolic tensors .* and real tensors together/);
    assert.throws(() => add.apply([] as never), /empty list of inputs/);
    assert.throws(() => add.apply(3 as never), /takes a Tensor, a SymbolicTensor/);
  });

  test('call arguments given at a call are kept on its node', () => {
    const drop = layers.dropout({ rate: 0.5 });
    drop.apply(input({ shape: [2] }), { training: true });
    assert.deepEqual(drop.inboundNodes[0].callArgs, { training: true });
  });

  test('real tensors still compute at once (one tensor, or a list for a layer of several inputs)', () => {
    const y = layers.dense({ units: 2, kernelInitializer: 'ones' }).apply(tensor([[1, 2, 3]]));
    assert.deepEqual(y.toArray(), [[6, 6]]);
    const sum = layers.add().apply([tensor([[1, 2]]), tensor([[10, 20]])]);
    assert.deepEqual(sum.toArray(), [[11, 22]]);
  });
});

/** A custom layer of two inputs and two outputs, TF.js style: the sum and the difference. */
class SumAndDifference extends Layer {
  static readonly className = 'SumAndDifference';
  readonly outputKind = 'list';

  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape[] {
    assert.ok(isShapeList(inputShape));
    return [inputShape[0], inputShape[0]];
  }

  call(inputs: Tensor | Tensor[], args: CallArgs): Tensor[] {
    void args;
    const [a, b] = inputs as Tensor[];
    return [a.add(b), a.sub(b)];
  }
}

describe('custom layers of several inputs and outputs', () => {
  test('receive their inputs as a list and give a list of outputs, symbolic or real', () => {
    const layer = new SumAndDifference();
    assert.equal(layer.name, 'sum_and_difference');
    assert.equal(layer.getClassName(), 'SumAndDifference');
    const [s, d] = layer.apply([input({ shape: [2] }), input({ shape: [2] })]);
    assert.deepEqual([s.tensorIndex, d.tensorIndex], [0, 1]);
    assert.deepEqual(d.shape, [null, 2]);
    assert.deepEqual(layer.builtInputShapes, [
      [null, 2],
      [null, 2],
    ]);
    const [sum, diff] = layer.apply([tensor([[5, 1]]), tensor([[2, 2]])]);
    assert.deepEqual(sum.toArray(), [[7, 3]]);
    assert.deepEqual(diff.toArray(), [[3, -1]]);
    assert.throws(
      () => layer.apply([tensor([[5, 1, 0]]), tensor([[2, 2, 0]])]),
      /expects inputs of shapes \[null, 2\] and \[null, 2\], got \[1, 3\] and \[1, 3\]/,
    );
  });
});
