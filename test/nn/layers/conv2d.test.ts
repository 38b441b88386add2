import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { gradients } from '../../../src/autograd/backward.js';
import { grads } from '../../../src/autograd/functional.js';
import { type Conv2D, conv2d } from '../../../src/nn/layers/conv2d.js';
import { l2 } from '../../../src/nn/regularizers.js';
import { add, mul } from '../../../src/ops/binary.js';
import { conv2d as conv2dOp } from '../../../src/ops/conv.js';
import { sum } from '../../../src/ops/reduce.js';
import { relu, tanh } from '../../../src/ops/unary.js';
import { sequential } from '../../../src/model/sequential.js';
import { maxPooling2d } from '../../../src/nn/layers/max-pooling2d.js';
import { tensor } from '../../../src/tensor/create.js';
import type { Tensor } from '../../../src/tensor/tensor.js';
import { assertClose } from '../../helpers.js';
import { assertGradientsFlow, randomTensor } from './layer-checks.js';

/** A Conv2D built for `inputShape` with the given kernel and bias. */
function convWith(
  kernel: Tensor,
  bias: Tensor | null,
  args: Partial<ConstructorParameters<typeof Conv2D>[0]> = {},
  inputShape = [null, 7, 7, kernel.shape[2]],
): Conv2D {
  const layer = conv2d({ filters: kernel.shape[3], kernelSize: [kernel.shape[0], kernel.shape[1]], useBias: bias !== null, ...args });
  layer.ensureBuilt(inputShape);
  layer.setWeights(bias ? [kernel, bias] : [kernel]);
  return layer;
}

describe('Conv2D output shapes', () => {
  const shape = (args: Parameters<typeof conv2d>[0], input: (number | null)[]) => conv2d(args).computeOutputShape(input);

  test("'valid' as Keras conv_output_length", () => {
    assert.deepEqual(shape({ filters: 32, kernelSize: 3 }, [null, 28, 28, 1]), [null, 26, 26, 32]);
    assert.deepEqual(shape({ filters: 4, kernelSize: 3, strides: 2 }, [null, 7, 7, 3]), [null, 3, 3, 4]);
    assert.deepEqual(shape({ filters: 4, kernelSize: [3, 5] }, [null, 9, 9, 1]), [null, 7, 5, 4]);
    // dilation 2 spreads a 3-tap kernel over 5 pixels
    assert.deepEqual(shape({ filters: 2, kernelSize: 3, dilationRate: 2 }, [null, 7, 8, 1]), [null, 3, 4, 2]);
  });

  test("'same' is ceil(in / stride), also for odd sizes with stride 2", () => {
    assert.deepEqual(shape({ filters: 8, kernelSize: 3, padding: 'same' }, [null, 28, 28, 1]), [null, 28, 28, 8]);
    assert.deepEqual(shape({ filters: 8, kernelSize: 3, strides: 2, padding: 'same' }, [null, 7, 7, 3]), [null, 4, 4, 8]);
    assert.deepEqual(shape({ filters: 8, kernelSize: 3, strides: 2, padding: 'same' }, [null, 5, 9, 3]), [null, 3, 5, 8]);
    assert.deepEqual(shape({ filters: 8, kernelSize: 4, strides: [2, 3], padding: 'same' }, [null, 11, 11, 3]), [null, 6, 4, 8]);
  });

  test('unknown height and width stay unknown; the batch axis is kept', () => {
    assert.deepEqual(shape({ filters: 2, kernelSize: 3 }, [null, null, null, 3]), [null, null, null, 2]);
    assert.deepEqual(shape({ filters: 2, kernelSize: 3 }, [5, 6, 6, 3]), [5, 4, 4, 2]);
  });

  test('the computed output has the predicted shape', () => {
    const layer = conv2d({ filters: 3, kernelSize: 3, strides: 2, padding: 'same' });
    const y = layer.apply(randomTensor([2, 7, 5, 2], 1));
    assert.deepEqual([...y.shape], [2, 4, 3, 3]);
    assert.deepEqual(layer.computeOutputShape([null, 7, 5, 2]), [null, 4, 3, 3]);
  });
});

describe('Conv2D forward', () => {
  test('a hand-computed example', () => {
    const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    const layer = convWith(tensor([1, 1, 1, 1], [2, 2, 1, 1]), tensor([0.5]), {}, [null, 3, 3, 1]);
    assertClose(layer.apply(x), [12.5, 16.5, 24.5, 28.5], { shape: [1, 2, 2, 1] });
  });

  test('equals the conv2d op + bias + activation with the layer weights', () => {
    const kernel = randomTensor([3, 3, 3, 4], 2);
    const bias = randomTensor([4], 3);
    const x = randomTensor([2, 7, 7, 3], 4);
    for (const [strides, padding, dilationRate] of [
      [1, 'valid', 1],
      [2, 'same', 1],
      [1, 'same', 2],
    ] as const) {
      const layer = convWith(kernel, bias, { strides, padding, dilationRate, activation: 'relu' });
      const expected = relu(add(conv2dOp(x, kernel, { strides, padding, dilationRate }), bias));
      assertClose(layer.apply(x), expected.values, { shape: expected.shape });
    }
  });

  test('without bias there is only a kernel', () => {
    const kernel = randomTensor([1, 1, 3, 2], 5);
    const layer = convWith(kernel, null);
    assert.equal(layer.weights.length, 1);
    const x = randomTensor([1, 7, 7, 3], 6);
    assertClose(layer.apply(x), conv2dOp(x, kernel).values);
  });
});

describe('Conv2D then MaxPooling2D in a Sequential model', () => {
  test("predict (one fused pass) gives the layers' own outputs bit for bit", () => {
    for (const [poolSize, strides, padding] of [
      [2, undefined, 'valid'],
      [[3, 2], undefined, 'valid'],
      [2, 1, 'valid'],
      [2, undefined, 'same'],
    ] as const) {
      const model = sequential([
        conv2d({ filters: 5, kernelSize: 3, activation: 'relu', inputShape: [13, 12, 2] }),
        maxPooling2d({ poolSize, strides, padding }),
        conv2d({ filters: 3, kernelSize: 2, activation: 'tanh' }),
        maxPooling2d({ poolSize: 2 }),
      ]);
      const x = randomTensor([3, 13, 12, 2], 16);
      let expected = x;
      for (const layer of model.layers) expected = layer.apply(expected) as Tensor;
      const actual = model.predict(x);
      assert.deepEqual(actual.shape, expected.shape);
      assert.deepEqual(Array.from(actual.values), Array.from(expected.values), `poolSize ${JSON.stringify(poolSize)}, strides ${strides}, ${padding}`);
    }
  });
});

describe('Conv2D then MaxPooling2D in a Sequential model, training', () => {
  test("the fused pair gives the gradients of the layers one by one: bit for bit, the biases' summed in another order", () => {
    for (const activation of ['relu', 'sigmoid', 'linear'] as const) {
      const model = sequential([
        conv2d({ filters: 4, kernelSize: 3, activation, inputShape: [12, 10, 2] }),
        maxPooling2d({ poolSize: [3, 2] }),
        conv2d({ filters: 3, kernelSize: 2, activation: 'tanh' }),
        maxPooling2d({ poolSize: 2 }),
      ]);
      const x = randomTensor([2, 12, 10, 2], 17).requireGrad();
      const weights = model.trainableWeights;
      const up = randomTensor([2, 1, 2, 3], 18);
      const fused = gradients(sum(mul(model.apply(x) as Tensor, up)), [x, ...weights]);
      let h: Tensor = x;
      for (const layer of model.layers) h = layer.apply(h) as Tensor;
      const separate = gradients(sum(mul(h, up)), [x, ...weights]);
      for (const [i, g] of fused.entries()) {
        if (g.rank === 1) assertClose(g, separate[i].values, { rtol: 1e-5, atol: 1e-6 });
        else assert.deepEqual(Array.from(g.values), Array.from(separate[i].values), `${activation}: gradient ${i}`);
      }
    }
  });
});

describe('Conv2D gradients', () => {
  test('reach x, kernel and bias', () => {
    const layer = conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'tanh' });
    assertGradientsFlow(layer, randomTensor([2, 7, 7, 3], 7));
  });

  test('equal the gradients of the op composition', () => {
    const kernel = randomTensor([3, 3, 2, 3], 8);
    const bias = randomTensor([3], 9);
    const x = randomTensor([2, 6, 5, 2], 10).requireGrad();
    const up = randomTensor([2, 3, 3, 3], 11);
    const layer = convWith(kernel, bias, { strides: 2, padding: 'same' }, [null, 6, 5, 2]);
    const actual = gradients(sum(mul(layer.apply(x), up)), [x, layer.kernel!, layer.bias!]);
    const expected = grads((xx, k, b) => add(conv2dOp(xx, k, { strides: 2, padding: 'same' }), b))([x, kernel, bias], up);
    actual.forEach((g, i) => {
      assertClose(g, expected[i].values, { shape: expected[i].shape, rtol: 1e-5, atol: 1e-6 });
    });
  });

  test('with a fused activation (relu, tanh), equal the gradients of conv2d, add and the activation', () => {
    const kernel = randomTensor([3, 3, 2, 3], 12);
    const bias = randomTensor([3], 13);
    const x = randomTensor([2, 6, 5, 2], 14).requireGrad();
    const up = randomTensor([2, 4, 3, 3], 15);
    for (const [activation, fn] of [
      ['relu', relu],
      ['tanh', tanh],
    ] as const) {
      const layer = convWith(kernel, bias, { activation }, [null, 6, 5, 2]);
      const actual = gradients(sum(mul(layer.apply(x), up)), [x, layer.kernel!, layer.bias!]);
      const expected = grads((xx, k, b) => fn(add(conv2dOp(xx, k), b)))([x, kernel, bias], up);
      for (const [i, g] of actual.entries()) assertClose(g, expected[i].values, { shape: expected[i].shape, rtol: 1e-5, atol: 1e-6 });
    }
  });

  test('a frozen layer has no trainable weights', () => {
    const layer = conv2d({ filters: 2, kernelSize: 3, trainable: false });
    layer.ensureBuilt([null, 5, 5, 1]);
    assert.equal(layer.trainableWeights.length, 0);
    assert.equal(layer.nonTrainableWeights.length, 2);
  });
});

describe('Conv2D weights', () => {
  test('kernel [kh, kw, in, filters] and bias [filters], named after the layer; 320 params for the MNIST first layer', () => {
    const layer = conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] });
    assert.match(layer.name, /^conv2d(_\d+)?$/);
    assert.deepEqual(layer.batchInputShape, [null, 28, 28, 1]);
    layer.ensureBuilt([null, 28, 28, 1]);
    const [kernel, bias] = layer.weights;
    assert.deepEqual([kernel.shape, bias.shape], [[3, 3, 1, 32], [32]]);
    assert.equal(kernel.name, `${layer.name}/kernel`);
    assert.equal(bias.name, `${layer.name}/bias`);
    assert.equal(layer.countParams(), 320);
    assert.ok(bias.values.every((v) => v === 0));
    // glorotUniform: limit sqrt(6 / (fanIn + fanOut)) with fans 3*3*1 and 3*3*32
    const limit = Math.sqrt(6 / (9 + 288));
    assert.ok(kernel.values.every((v) => Math.abs(v) <= limit));
  });

  test('regularizers add their penalty', () => {
    const layer = conv2d({ filters: 2, kernelSize: 1, kernelInitializer: 'ones', kernelRegularizer: l2({ l2: 0.5 }) });
    layer.ensureBuilt([null, 3, 3, 3]);
    assert.ok(layer.hasRegularization);
    assertClose(layer.regularizationLoss(), [0.5 * 6]);
  });
});

describe('Conv2D errors', () => {
  test('flat images get a hint to reshape them to [N, 28, 28, 1]', () => {
    const layer = conv2d({ filters: 4, kernelSize: 3, name: 'conv_flat' });
    assert.throws(
      () => layer.ensureBuilt([null, 784]),
      /Layer 'conv_flat' \(Conv2D\) expects inputs of rank 4 \[batch, height, width, channels\].*got shape \[null, 784\] of rank 2\..*\[N, 28, 28, 1\]/,
    );
    assert.throws(() => layer.apply(randomTensor([2, 28, 28], 1)), /got shape \[null, 28, 28\] of rank 3\..*channels axis.*\[N, 28, 28, 1\]/);
  });

  test('in a model, the error comes when the layer is added', () => {
    assert.throws(
      () => sequential([conv2d({ filters: 4, kernelSize: 3, inputShape: [784], name: 'conv_in_model' })]),
      /Layer 'conv_in_model' \(Conv2D\).*\[N, 28, 28, 1\]/,
    );
  });

  test('an input smaller than the kernel would give an empty output', () => {
    const layer = conv2d({ filters: 4, kernelSize: 5, name: 'conv_big' });
    assert.throws(
      () => layer.ensureBuilt([null, 3, 3, 1]),
      /Layer 'conv_big' \(Conv2D\): the 5x5 kernel does not fit in the 3x3 input .*output would be empty/,
    );
    assert.deepEqual(conv2d({ filters: 4, kernelSize: 5, padding: 'same' }).computeOutputShape([null, 3, 3, 1]), [null, 3, 3, 4]);
  });

  test('channels must be known, and match the built kernel', () => {
    const layer = conv2d({ filters: 4, kernelSize: 3, name: 'conv_ch' });
    assert.throws(() => layer.ensureBuilt([null, 8, 8, null]), /Layer 'conv_ch' \(Conv2D\) needs the size of the channels axis/);
    layer.ensureBuilt([null, 8, 8, 3]);
    assert.throws(
      () => layer.computeOutputShape([null, 8, 8, 1]),
      /expects inputs of shape \[null, null, null, 3\] \(it was built for 3 channels\), got \[null, 8, 8, 1\]/,
    );
  });

  test('invalid arguments name the layer', () => {
    assert.throws(() => conv2d({ filters: 0, kernelSize: 3, name: 'c0' }), /Layer 'c0' \(Conv2D\): filters must be a positive integer, got 0/);
    assert.throws(() => conv2d({ filters: 2, kernelSize: [3, 0], name: 'c1' }), /Layer 'c1' \(Conv2D\): kernelSize must be a positive integer or a pair/);
    assert.throws(
      () => conv2d({ filters: 2, kernelSize: 3, padding: 'full' as 'same', name: 'c2' }),
      /Layer 'c2' \(Conv2D\): padding must be 'valid' or 'same', got "full"/,
    );
    assert.throws(() => conv2d({ filters: 2, kernelSize: 3, activation: 'rellu' as 'relu' }), /did you mean 'relu'\?/);
  });
});

describe('Conv2D config', () => {
  test('Keras argument names, pairs for sizes', () => {
    const layer = conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', inputShape: [28, 28, 1], name: 'c_cfg' });
    assert.equal(layer.className, 'Conv2D');
    assert.deepEqual(layer.getConfig(), {
      name: 'c_cfg',
      trainable: true,
      batchInputShape: [null, 28, 28, 1],
      filters: 8,
      kernelSize: [3, 3],
      strides: [2, 2],
      padding: 'same',
      dataFormat: 'channelsLast',
      dilationRate: [1, 1],
      activation: 'relu',
      useBias: true,
      kernelInitializer: { className: 'GlorotUniform', config: { scale: 1, mode: 'fanAvg', distribution: 'uniform' } },
      biasInitializer: { className: 'Zeros', config: {} },
      kernelRegularizer: null,
      biasRegularizer: null,
    });
  });
});
