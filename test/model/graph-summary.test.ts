// summary() of graph models as tf.keras 2 prints them: a "Connected to" column unless the graph is a chain,
// input layers listed with their shape in a list, long cells wrapped after `',`, nested models as one row.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { input, layers, model, sequential, type Model } from '../../src/index.js';

function lines(m: Model): string[] {
  const out: string[] = [];
  const text = m.summary((line) => out.push(line));
  assert.equal(text, out.join('\n'));
  return out;
}

describe('summary() of a graph model', () => {
  test('a branching graph: the Connected to column, Keras layout', () => {
    const a = input({ shape: [4], name: 'left_in' });
    const b = input({ shape: [4], name: 'right_in' });
    const shared = layers.dense({ units: 3, name: 'shared' });
    const joined = layers.concatenate({ name: 'joined' }).apply([shared.apply(a), shared.apply(b)]);
    const out = layers.dense({ units: 1, name: 'out' }).apply(joined);
    const m = model({ inputs: [a, b], outputs: out, name: 'branchy' });
    const text = lines(m);
    assert.deepEqual(text.slice(0, 4), [
      'Model: "branchy"',
      '_'.repeat(98),
      ' Layer (type)                Output Shape                 Param #   Connected to',
      '='.repeat(98),
    ]);
    assert.deepEqual(text.slice(4, 18), [
      ' left_in (InputLayer)        [(None, 4)]                  0         []',
      '',
      ' right_in (InputLayer)       [(None, 4)]                  0         []',
      '',
      " shared (Dense)              (None, 3)                    15        ['left_in[0][0]',",
      "                                                                     'right_in[0][0]']",
      '',
      " joined (Concatenate)        (None, 6)                    0         ['shared[0][0]',",
      "                                                                     'shared[1][0]']",
      '',
      " out (Dense)                 (None, 1)                    7         ['joined[0][0]']",
      '='.repeat(98),
      'Total params: 22',
      'Trainable params: 22',
    ]);
    assert.deepEqual(text.slice(18), ['Non-trainable params: 0', '_'.repeat(98)]);
  });

  test('a chain prints like a Sequential model, with its input layer', () => {
    const x = input({ shape: [8], name: 'chain_in' });
    const m = model({ inputs: x, outputs: layers.dense({ units: 2, name: 'chain_out' }).apply(x), name: 'chain' });
    const text = lines(m);
    assert.equal(text[2], ' Layer (type)                Output Shape              Param #');
    assert.equal(text[4], ' chain_in (InputLayer)       [(None, 8)]               0');
    assert.equal(text[6], ' chain_out (Dense)           (None, 2)                 18');
    assert.ok(!text.join('\n').includes('Connected to'));
  });

  test('a nested model is one row; its parameters count in the totals, frozen ones as non-trainable', () => {
    const inner = sequential([layers.dense({ units: 4, inputShape: [3] }), layers.batchNormalization()], { name: 'block' });
    const x = input({ shape: [3], name: 'nest_in' });
    const m = model({ inputs: x, outputs: layers.dense({ units: 1, name: 'top' }).apply(inner.apply(x)), name: 'nesting' });
    inner.trainable = false;
    const text = lines(m);
    assert.ok(text.some((l) => /^ block \(Sequential\)\s+\(None, 4\)\s+32$/.test(l)));
    assert.ok(text.includes('Total params: 37'));
    assert.ok(text.includes('Trainable params: 5'));
    assert.ok(text.includes('Non-trainable params: 32'));
  });

  test('long layer names widen the first column', () => {
    const x = input({ shape: [2], name: 'an_input_with_a_rather_long_name' });
    const y = layers.add({ name: 'a_merge_layer_with_a_long_name_too' }).apply([x, x]);
    const text = lines(model({ inputs: x, outputs: y }));
    const at = text.findIndex((l) => l.startsWith(' a_merge_layer_with_a_long_name_too (Add)'));
    assert.match(text[at], /\(Add\)\s{2,}\(None, 2\)\s+0\s+\['an_input_with_a_rather_long_$/);
    // as Keras, a cell longer than its column goes on in the next lines
    assert.match(text[at + 1], /^\s+name\[0\]\[0\]',$/);
  });
});
