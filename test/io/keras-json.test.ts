import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromKerasConfig, toCamel, toKerasConfig, toSnake } from '../../src/io/keras-json.js';
import { crc32 } from '../../src/io/weights.js';

test('names convert as TF.js converts them', () => {
  for (const [camel, snake] of [
    ['dilationRate', 'dilation_rate'],
    ['batchInputShape', 'batch_input_shape'],
    ['channelsLast', 'channels_last'],
    ['fanAvg', 'fan_avg'],
    ['beta1', 'beta1'],
    ['leakyRelu', 'leaky_relu'],
    ['depthwiseKernel', 'depthwise_kernel'],
  ]) {
    assert.equal(toSnake(camel), snake);
    assert.equal(toCamel(snake), camel);
  }
  assert.equal(toCamel('beta_1'), 'beta1');
});

test('configs convert keys and string values, but not names and class names', () => {
  const ours = {
    name: 'myLayer',
    dataFormat: 'channelsLast',
    kernelInitializer: { className: 'VarianceScaling', config: { mode: 'fanIn', seed: null } },
    size: [2, 2],
    keep: undefined,
  };
  const file = toKerasConfig(ours);
  assert.deepEqual(file, {
    name: 'myLayer',
    data_format: 'channels_last',
    kernel_initializer: { class_name: 'VarianceScaling', config: { mode: 'fan_in', seed: null } },
    size: [2, 2],
    keep: null,
  });
  assert.deepEqual(
    fromKerasConfig({ name: 'my_layer', data_format: 'channels_last', kernel_initializer: { class_name: 'VarianceScaling', config: { mode: 'fan_in' } } }),
    {
      name: 'my_layer',
      dataFormat: 'channelsLast',
      kernelInitializer: { className: 'VarianceScaling', config: { mode: 'fanIn' } },
    },
  );
});

test('crc32 is the IEEE CRC-32 (zlib, PNG)', () => {
  assert.equal(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
  assert.equal(crc32(new Uint8Array(0)), 0);
});
