import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { layers, sequential, type Sequential } from '../../src/index.js';

/** The summary's lines, captured through printFn. */
function capture(model: Sequential): { lines: string[]; text: string } {
  const lines: string[] = [];
  const text = model.summary((line) => lines.push(line));
  return { lines, text };
}

/** The table row for a layer name: [name (type), output shape, params]. */
function row(lines: string[], layerName: string): string[] {
  const line = lines.find((l) => l.startsWith(` ${layerName} (`));
  assert.ok(line, `no row for ${layerName}`);
  return line.trim().split(/\s{2,}/);
}

describe('summary', () => {
  test('a 784-128-10 Dense model: shapes, parameter counts and totals', () => {
    const model = sequential(
      [layers.dense({ units: 128, activation: 'relu', inputShape: [784], name: 'hidden' }), layers.dense({ units: 10, activation: 'softmax', name: 'out' })],
      { name: 'mlp' },
    );
    const { lines, text } = capture(model);
    assert.equal(text, lines.join('\n'));
    assert.equal(lines[0], 'Model: "mlp"');
    assert.match(lines[2], /^ Layer \(type\)\s+Output Shape\s+Param #$/);
    assert.deepEqual(row(lines, 'hidden'), ['hidden (Dense)', '(None, 128)', '100,480']);
    assert.deepEqual(row(lines, 'out'), ['out (Dense)', '(None, 10)', '1,290']);
    assert.ok(lines.includes('Total params: 101,770'));
    assert.ok(lines.includes('Trainable params: 101,770'));
    assert.ok(lines.includes('Non-trainable params: 0'));
    // rules: '_' above the header and at the end, '=' below the header and after the last layer
    assert.match(lines[1], /^_+$/);
    assert.match(lines[3], /^=+$/);
    assert.match(lines.at(-1)!, /^_+$/);
    assert.equal(lines.filter((l) => /^=+$/.test(l)).length, 2);
    assert.equal(model.countParams(), 101_770);
  });

  test('with Flatten and Dropout, from an image input', () => {
    const model = sequential([
      layers.flatten({ inputShape: [28, 28, 1], name: 'flat' }),
      layers.dense({ units: 128, activation: 'relu', name: 'd1' }),
      layers.dropout({ rate: 0.2, name: 'drop' }),
      layers.dense({ units: 10, name: 'd2' }),
    ]);
    const { lines } = capture(model);
    assert.deepEqual(row(lines, 'flat'), ['flat (Flatten)', '(None, 784)', '0']);
    assert.deepEqual(row(lines, 'd1'), ['d1 (Dense)', '(None, 128)', '100,480']);
    assert.deepEqual(row(lines, 'drop'), ['drop (Dropout)', '(None, 128)', '0']);
    assert.deepEqual(row(lines, 'd2'), ['d2 (Dense)', '(None, 10)', '1,290']);
    assert.ok(lines.includes('Total params: 101,770'));
    // the layer rows come in model order
    const order = ['flat', 'd1', 'drop', 'd2'].map((n) => lines.findIndex((l) => l.startsWith(` ${n} (`)));
    assert.deepEqual(
      [...order].sort((a, b) => a - b),
      order,
    );
  });

  test('an InputLayer is not listed (as in Keras), but its shape drives the others', () => {
    const model = sequential([layers.input({ shape: [4], name: 'features' }), layers.dense({ units: 3, name: 'dense_a' })]);
    const { text, lines } = capture(model);
    assert.doesNotMatch(text, /InputLayer/);
    assert.doesNotMatch(text, /features/);
    assert.deepEqual(row(lines, 'dense_a'), ['dense_a (Dense)', '(None, 3)', '15']);
    assert.ok(lines.includes('Total params: 15'));
  });

  test('Dense on a rank-3 input keeps the middle axis', () => {
    const model = sequential([layers.dense({ units: 2, inputShape: [5, 3], name: 'time_dense' })]);
    assert.deepEqual(row(capture(model).lines, 'time_dense'), ['time_dense (Dense)', '(None, 5, 2)', '8']);
  });

  test('frozen layers count as non-trainable', () => {
    const model = sequential([layers.dense({ units: 4, inputShape: [2], trainable: false }), layers.dense({ units: 1 })]);
    const { lines } = capture(model);
    assert.ok(lines.includes('Total params: 17'));
    assert.ok(lines.includes('Trainable params: 5'));
    assert.ok(lines.includes('Non-trainable params: 12'));
  });

  test('an unbuilt model explains how to give it a shape', () => {
    const model = sequential([layers.dense({ units: 4 }), layers.dense({ units: 1 })], { name: 'later' });
    assert.throws(() => model.summary(() => {}), /Model 'later' is not built yet.*inputShape/);
    // after the first predict it is built
    model.build([null, 3]);
    assert.ok(capture(model).lines.includes('Total params: 21'));
  });

  test('prints to console.log by default', () => {
    const model = sequential([layers.dense({ units: 1, inputShape: [1] })]);
    const original = console.log;
    const printed: string[] = [];
    console.log = (line: string) => void printed.push(line);
    try {
      model.summary();
    } finally {
      console.log = original;
    }
    assert.ok(printed.length > 5);
    assert.ok(printed.includes('Total params: 2'));
  });
});
