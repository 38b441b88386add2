import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { activation } from '../../../src/nn/layers/activation.js';
import { mul } from '../../../src/ops/binary.js';
import { tensor } from '../../../src/tensor/create.js';
import { assertClose } from '../../helpers.js';

describe('Activation layer', () => {
  test('applies the named function', () => {
    assertClose(
      activation({ activation: 'relu' }).apply(
        tensor([
          [-1, 2],
          [3, -4],
        ]),
      ),
      [0, 2, 3, 0],
      { shape: [2, 2] },
    );
    const s = activation({ activation: 'softmax' }).apply(
      tensor([
        [0, 0],
        [0, Math.log(3)],
      ]),
    );
    assertClose(s, [0.5, 0.5, 0.25, 0.75], { rtol: 1e-6 });
  });

  test('accepts a function', () => {
    const layer = activation({ activation: (x) => mul(x, 3) });
    assertClose(layer.apply(tensor([[1, 2]])), [3, 6]);
  });

  test('keeps the shape and has no weights', () => {
    const layer = activation({ activation: 'tanh' });
    assert.deepEqual(layer.computeOutputShape([null, 5, 2]), [null, 5, 2]);
    assert.equal(layer.countParams(), 0);
  });

  test('unknown names fail at construction with a suggestion', () => {
    assert.throws(() => activation({ activation: 'sigmod' as 'sigmoid' }), /Unknown activation 'sigmod' — did you mean 'sigmoid'\?/);
  });

  test('config', () => {
    assert.deepEqual(activation({ activation: 'leaky_relu', name: 'act' }).getConfig(), { name: 'act', trainable: true, activation: 'leakyRelu' });
    assert.equal(activation({ activation: 'relu' }).className, 'Activation');
  });
});
