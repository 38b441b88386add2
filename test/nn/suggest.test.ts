import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { closestName, didYouMean, editDistance, unknownNameMessage } from '../../src/nn/suggest.js';

const losses = ['meanSquaredError', 'meanAbsoluteError', 'binaryCrossentropy', 'categoricalCrossentropy', 'sparseCategoricalCrossentropy'];

describe('suggestions for mistyped names', () => {
  test('editDistance counts edits, with swaps of neighbours as one', () => {
    assert.equal(editDistance('relu', 'relu'), 0);
    assert.equal(editDistance('relux', 'relu'), 1);
    assert.equal(editDistance('rleu', 'relu'), 1);
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('', 'abc'), 3);
  });

  test('closestName ignores case and underscores and accepts prefixes', () => {
    assert.equal(closestName('relux', ['relu', 'elu', 'tanh']), 'relu');
    assert.equal(closestName('binary_crossentropy', losses), 'binaryCrossentropy');
    assert.equal(closestName('categoricalCrossEntropy', losses), 'categoricalCrossentropy');
    assert.equal(closestName('sparse', losses), 'sparseCategoricalCrossentropy');
    assert.equal(closestName('foo', ['relu', 'tanh']), null);
    assert.equal(closestName('', ['relu']), null);
  });

  test('didYouMean gives a hint or nothing', () => {
    assert.equal(didYouMean('adamm', ['sgd', 'adam', 'rmsprop']), "did you mean 'adam'?");
    assert.equal(didYouMean('lbfgs', ['sgd', 'adam', 'rmsprop']), '');
  });

  test('unknownNameMessage names the kind and lists the options', () => {
    assert.equal(
      unknownNameMessage('optimizer', 'adamm', ['sgd', 'adam']),
      "Unknown optimizer 'adamm' — did you mean 'adam'? Valid optimizers: 'sgd', 'adam'.",
    );
    assert.equal(unknownNameMessage('optimizer', 'lbfgs', ['sgd', 'adam']), "Unknown optimizer 'lbfgs'. Valid optimizers: 'sgd', 'adam'.");
  });
});
