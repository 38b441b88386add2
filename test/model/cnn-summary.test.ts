// Keras-exact summaries of convolutional models: the classic Keras MNIST CNN and batch normalisation.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { layers, sequential, type Sequential } from '../../src/index.js';

/** The summary's layer rows, each split into [name (type), output shape, params]. */
function rows(model: Sequential): { rows: string[][]; lines: string[] } {
  const lines: string[] = [];
  model.summary((line) => lines.push(line));
  const names = new Set(model.layers.map((l) => l.name));
  const layerRows = lines.filter((l) => names.has(l.trim().split(' ')[0])).map((l) => l.trim().split(/\s{2,}/));
  return { rows: layerRows, lines };
}

describe('CNN summaries', () => {
  test('the Keras MNIST CNN: output shapes, parameter counts and totals as Keras prints them', () => {
    const model = sequential([
      layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
      layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      layers.maxPooling2d({ poolSize: 2 }),
      layers.dropout({ rate: 0.25 }),
      layers.flatten(),
      layers.dense({ units: 128, activation: 'relu' }),
      layers.dropout({ rate: 0.5 }),
      layers.dense({ units: 10, activation: 'softmax' }),
    ]);
    const { rows: table, lines } = rows(model);
    assert.deepEqual(
      table.map(([name, shape, params]) => [name.replace(/^\S+ /, ''), shape, params]),
      [
        ['(Conv2D)', '(None, 26, 26, 32)', '320'],
        ['(Conv2D)', '(None, 24, 24, 64)', '18,496'],
        ['(MaxPooling2D)', '(None, 12, 12, 64)', '0'],
        ['(Dropout)', '(None, 12, 12, 64)', '0'],
        ['(Flatten)', '(None, 9216)', '0'],
        ['(Dense)', '(None, 128)', '1,179,776'],
        ['(Dropout)', '(None, 128)', '0'],
        ['(Dense)', '(None, 10)', '1,290'],
      ],
    );
    // default names as Keras makes them (a counter per snake_case class name)
    const names = table.map(([name]) => name.split(' ')[0].replace(/_\d+$/, ''));
    assert.deepEqual(names, ['conv2d', 'conv2d', 'max_pooling2d', 'dropout', 'flatten', 'dense', 'dropout', 'dense']);
    assert.ok(lines.includes('Total params: 1,199,882'));
    assert.ok(lines.includes('Trainable params: 1,199,882'));
    assert.ok(lines.includes('Non-trainable params: 0'));
    assert.equal(model.countParams(), 1_199_882);
  });

  test('BatchNormalization: 4*C parameters, 2*C of them non-trainable', () => {
    const model = sequential([
      layers.conv2d({ filters: 32, kernelSize: 3, inputShape: [28, 28, 1], name: 'c1' }),
      layers.batchNormalization({ name: 'bn1' }),
      layers.activation({ activation: 'relu', name: 'a1' }),
      layers.globalAveragePooling2d({ name: 'gap' }),
      layers.dense({ units: 64, name: 'd1' }),
      layers.batchNormalization({ name: 'bn2' }),
      layers.dense({ units: 10, activation: 'softmax', name: 'out' }),
    ]);
    const { rows: table, lines } = rows(model);
    assert.deepEqual(table, [
      ['c1 (Conv2D)', '(None, 26, 26, 32)', '320'],
      ['bn1 (BatchNormalization)', '(None, 26, 26, 32)', '128'],
      ['a1 (Activation)', '(None, 26, 26, 32)', '0'],
      ['gap (GlobalAveragePooling2D)', '(None, 32)', '0'],
      ['d1 (Dense)', '(None, 64)', '2,112'],
      ['bn2 (BatchNormalization)', '(None, 64)', '256'],
      ['out (Dense)', '(None, 10)', '650'],
    ]);
    assert.ok(lines.includes('Total params: 3,466'));
    assert.ok(lines.includes(`Trainable params: ${(3466 - 64 - 128).toLocaleString('en-US')}`));
    assert.ok(lines.includes('Non-trainable params: 192'));
  });

  test('other image layers: shapes through padding, strides, transposed convolution and up-sampling', () => {
    const model = sequential([
      layers.zeroPadding2d({ padding: 2, inputShape: [28, 28, 1], name: 'pad' }),
      layers.conv2d({ filters: 8, kernelSize: 5, strides: 2, padding: 'same', name: 'down' }),
      layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same', name: 'dw' }),
      layers.averagePooling2d({ name: 'avg' }),
      layers.conv2dTranspose({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', name: 'up' }),
      layers.upSampling2d({ name: 'ups' }),
      layers.layerNormalization({ name: 'ln' }),
      layers.reshape({ targetShape: [-1, 4], name: 'rs' }),
    ]);
    assert.deepEqual(rows(model).rows, [
      ['pad (ZeroPadding2D)', '(None, 32, 32, 1)', '0'],
      ['down (Conv2D)', '(None, 16, 16, 8)', '208'],
      ['dw (DepthwiseConv2D)', '(None, 16, 16, 16)', '160'],
      ['avg (AveragePooling2D)', '(None, 8, 8, 16)', '0'],
      ['up (Conv2DTranspose)', '(None, 16, 16, 4)', '580'],
      ['ups (UpSampling2D)', '(None, 32, 32, 4)', '0'],
      ['ln (LayerNormalization)', '(None, 32, 32, 4)', '8'],
      ['rs (Reshape)', '(None, 1024, 4)', '0'],
    ]);
  });
});
