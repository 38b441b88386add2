// Real Keras graph models: the fixtures of test/fixtures/keras-graph (functional models, several inputs and
// outputs, models nested in a model, a shared layer) were built by Keras 3 and written in the TF.js layers
// format as the tensorflowjs converter lays it out (scripts/keras-fixtures/make_graph_fixtures.py). dendrite
// loads each one and predicts what Keras predicted on the same inputs.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadModel, Model, Sequential, type Tensor, tensor } from '../../src/index.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'keras-graph');

/** One input or output as Keras saw it: its name, shape and values. */
interface Values {
  name: string;
  shape: number[];
  values: number[];
}

interface Expected {
  inputs: Values[];
  outputs: Values[];
}

/**
 * Each fixture and the number of layers of its outer model (Keras' len(model.layers)); its input and output
 * names, in the order of the file's input_layers and output_layers, are in its expected.json.
 */
const CASES: { name: string; layers: number }[] = [
  { name: 'resnet_block', layers: 10 },
  { name: 'two_in_two_out', layers: 7 },
  { name: 'nested', layers: 5 },
  { name: 'unet_tiny', layers: 8 },
  // a nested Sequential and functional model each called twice, the functional one's second call an output
  { name: 'nested_reused', layers: 3 },
  // Keras 3 input_layers and output_layers written as objects keyed by name
  { name: 'dict_io', layers: 6 },
];

async function readExpected(name: string): Promise<Expected> {
  return JSON.parse(await readFile(join(FIXTURES, name, 'expected.json'), 'utf8')) as Expected;
}

/** The largest |actual - expected| over all values, with the shape checked. */
function maxAbsDiff(actual: Tensor, expected: Values, what: string): number {
  assert.deepEqual([...actual.shape], expected.shape, `${what}: shape`);
  assert.equal(actual.values.length, expected.values.length, `${what}: length`);
  let worst = 0;
  for (let i = 0; i < expected.values.length; i++) {
    const d = Math.abs(actual.values[i] - expected.values[i]);
    // NaN counts as the worst
    if (!(d <= worst)) worst = d;
  }
  return worst;
}

for (const c of CASES) {
  test(`Keras 3 graph model '${c.name}': loads and predicts as Keras (1e-5)`, async () => {
    const model = await loadModel<Tensor[]>(join(FIXTURES, c.name));
    const expected = await readExpected(c.name);
    assert.ok(model instanceof Model, 'a Model');
    assert.ok(!(model instanceof Sequential), 'a graph model, not a Sequential');
    const inputNames = expected.inputs.map((x) => x.name);
    const outputNames = expected.outputs.map((y) => y.name);
    assert.deepEqual(model.inputNames, inputNames);
    assert.deepEqual(model.outputNames, outputNames);
    assert.equal(model.layers.length, c.layers);

    const inputs = expected.inputs.map((x) => tensor(x.values, x.shape));
    const byName = Object.fromEntries(expected.inputs.map((x, i) => [x.name, inputs[i]]));
    // the inputs in order, and as an object keyed by input name
    for (const given of [inputs.length === 1 ? inputs[0] : inputs, byName]) {
      const out = model.predict(given);
      const outputs = Array.isArray(out) ? out : [out];
      assert.equal(outputs.length, expected.outputs.length, 'number of outputs');
      for (const [i, y] of outputs.entries()) {
        const d = maxAbsDiff(y, expected.outputs[i], `output ${i} (${outputNames[i]})`);
        assert.ok(d <= 1e-5, `output ${i} (${outputNames[i]}): max |dendrite - Keras| = ${d}`);
      }
    }
  });
}

test('Keras 3 nested fixture: the nested Sequential and functional model load as models, the shared layer once', async () => {
  const model = await loadModel(join(FIXTURES, 'nested'));
  const mlp = model.getLayer('mlp_block');
  assert.ok(mlp instanceof Sequential, 'mlp_block is a Sequential');
  assert.equal((mlp as Sequential).layers.filter((l) => l.className === 'Dense').length, 2);
  const block = model.getLayer('residual_block');
  assert.ok(block instanceof Model && !(block instanceof Sequential), 'residual_block is a functional Model');
  // the shared Dense is one layer of the model, called twice
  const shared = model.getLayer('shared_dense');
  assert.equal(model.layers.filter((l) => l === shared).length, 1);
  assert.equal(shared.inboundNodes.length, 2);
});
