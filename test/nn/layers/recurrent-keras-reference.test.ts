// The recurrent layers against Keras 3: forward values and the gradients of sum(output * upstream) with respect to
// the input, the initial states and every weight, on the 36 cases of test/fixtures/recurrent (SimpleRNN, LSTM, GRU
// with reset_after on and off, Bidirectional; sequences, go_backwards, return_state, masks, initial states), written
// by scripts/keras-fixtures/recurrent_reference.py from Keras 3.15.1 on JAX (and cross-checked there against
// PyTorch with the weights converted between layouts). Each case runs twice: the layer made by dendrite's factory
// from the fixture's options, and the layer made from Keras' own config as a model file holds it. Where Keras is
// installed, the script runs again and must reproduce the committed fixtures.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { gradients } from '../../../src/autograd/backward.js';
import { layers, type Layer, type Tensor, tensor } from '../../../src/index.js';
import { fromKerasConfig } from '../../../src/io/keras-json.js';
import { layerFromConfig } from '../../../src/io/layer-registry.js';
import { add, mul } from '../../../src/ops/binary.js';
import { sum } from '../../../src/ops/reduce.js';
import { assertClose } from '../../helpers.js';
import { describeWithKeras, REPO_ROOT, runPython } from '../../keras/python.js';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'recurrent');
const SCRIPT = join(REPO_ROOT, 'scripts', 'keras-fixtures', 'recurrent_reference.py');

interface Values {
  name?: string;
  shape: number[];
  values: number[];
}

interface LayerEntry {
  class_name: string;
  config: Record<string, unknown>;
  options: Record<string, unknown>;
}

interface Fixture {
  name: string;
  note?: string;
  layers: LayerEntry[];
  inputs: { x: Values; mask?: Values; initial_state?: Values[] };
  weights: Values[];
  outputs: Values[];
  upstream: Values[];
  grads: { x?: Values; initial_state?: Values[]; weights: Values[] };
}

async function readFixtures(folder: string): Promise<Fixture[]> {
  const files = (await readdir(folder)).filter((f) => f.endsWith('.json')).sort();
  return Promise.all(files.map(async (f) => JSON.parse(await readFile(join(folder, f), 'utf8')) as Fixture));
}

const fixtures = await readFixtures(FIXTURES);

const toTensor = (v: Values): Tensor => tensor(Float32Array.from(v.values), v.shape);

/** dendrite's layer for a fixture entry, by its factory and the fixture's options. */
function fromOptions(className: string, options: Record<string, unknown>): Layer {
  switch (className) {
    case 'SimpleRNN':
      return layers.simpleRNN(options as never);
    case 'LSTM':
      return layers.lstm(options as never);
    case 'GRU':
      return layers.gru(options as never);
    case 'Masking':
      return layers.masking(options as never);
    case 'Embedding':
      return layers.embedding(options as never);
    case 'Bidirectional': {
      const inner = options.layer as { class_name: string; options: Record<string, unknown> };
      return layers.bidirectional({ layer: fromOptions(inner.class_name, inner.options) as never, mergeMode: options.mergeMode as never });
    }
    default:
      throw new Error(`no factory for ${className}`);
  }
}

/** dendrite's layer for a fixture entry, from Keras' config as a model file holds it. */
function fromKeras(entry: LayerEntry): Layer {
  return layerFromConfig(entry.class_name, fromKerasConfig(entry.config) as never);
}

const isRecurrent = (l: Layer) => !['Masking', 'Embedding'].includes(l.className);

/** Runs the chain: each layer gets the mask the previous one made (or the fixture's), the recurrent one the initial states. */
function run(chain: Layer[], x: Tensor, mask: Tensor | null, initialState: Tensor[]): Tensor[] {
  let h: Tensor = x;
  let m: Tensor | null = mask;
  let out: Tensor | Tensor[] = x;
  for (const layer of chain) {
    const inputs = isRecurrent(layer) && initialState.length > 0 ? [h, ...initialState] : h;
    out = layer.apply(inputs as Tensor, m ? { mask: m } : {}) as Tensor | Tensor[];
    if (!isRecurrent(layer)) m = layer.computeMask(h, m, out as Tensor) as Tensor | null;
    h = Array.isArray(out) ? out[0] : out;
  }
  return Array.isArray(out) ? out : [out];
}

/** Builds the chain by running it once, sets the fixture's weights (checking their names and shapes against Keras'), and checks it. */
function check(fx: Fixture, chain: Layer[]): void {
  const x = toTensor(fx.inputs.x);
  const mask = fx.inputs.mask ? toTensor(fx.inputs.mask) : null;
  const states = (fx.inputs.initial_state ?? []).map(toTensor);
  run(chain, x, mask, states);

  const weights = chain.flatMap((l) => l.trainableWeights);
  assert.deepEqual(
    weights.map((w) => [w.name.split('/').pop(), [...w.shape]]),
    fx.weights.map((w) => [w.name!.split('/').pop(), w.shape]),
    'the trainable weights, in Keras order (last name part, shape)',
  );
  weights.forEach((w, i) => {
    w.assign(toTensor(fx.weights[i]));
  });

  const takesX = fx.grads.x !== undefined;
  const xt = takesX ? x.requireGrad() : x;
  const st = states.map((s) => s.requireGrad());
  const outputs = run(chain, xt, mask, st);
  assert.equal(outputs.length, fx.outputs.length, 'number of outputs');
  outputs.forEach((o, i) => {
    assertClose(o, fx.outputs[i].values, { shape: fx.outputs[i].shape, rtol: 1e-5, atol: 2e-6 });
  });

  let loss = sum(mul(outputs[0], toTensor(fx.upstream[0])));
  for (let i = 1; i < outputs.length; i++) loss = add(loss, sum(mul(outputs[i], toTensor(fx.upstream[i]))));
  const wrt = [...(takesX ? [xt] : []), ...st, ...weights];
  const grads = gradients(loss, wrt);
  assert.equal(grads.length, fx.weights.length + st.length + (takesX ? 1 : 0));
  const expected: [string, Values][] = [
    ...(takesX ? [['x', fx.grads.x!] as [string, Values]] : []),
    ...(fx.grads.initial_state ?? []).map((g, i) => [`initial state ${i}`, g] as [string, Values]),
    ...fx.grads.weights.map((g) => [g.name!, g] as [string, Values]),
  ];
  grads.forEach((g, i) => {
    const [what, e] = expected[i];
    assert.ok(g, `no gradient for ${what}`);
    try {
      assertClose(g, e.values, { shape: e.shape, rtol: 1e-4, atol: 1e-5 });
    } catch (error) {
      throw new Error(`gradient of ${what}: ${(error as Error).message}`);
    }
  });
}

describe('recurrent layers against Keras 3 (test/fixtures/recurrent)', () => {
  test('the fixtures are there', () => {
    assert.equal(fixtures.length, 36);
  });
  for (const fx of fixtures) {
    test(`${fx.name}: forward and gradients (layers from their factories)`, () => {
      check(
        fx,
        fx.layers.map((e) => fromOptions(e.class_name, e.options)),
      );
    });
    test(`${fx.name}: forward and gradients (layers from Keras' config)`, () => {
      check(fx, fx.layers.map(fromKeras));
    });
  }
});

/** Equal names, layers and inputs; outputs and gradients to Keras' float32 rounding on another machine. */
function assertSameFixture(fresh: Fixture, committed: Fixture): void {
  const { outputs, grads, ...rest } = fresh;
  const { outputs: outputs0, grads: grads0, ...rest0 } = committed;
  assert.deepEqual(rest, rest0, `${fresh.name}: layers, inputs, weights or upstream differ`);
  const close = (a: Values[], b: Values[], what: string) => {
    assert.equal(a.length, b.length, `${fresh.name}: number of ${what}`);
    a.forEach((v, i) => {
      assert.deepEqual(v.shape, b[i].shape, `${fresh.name}: ${what} ${i} shape`);
      assertClose(v.values, b[i].values, { rtol: 1e-5, atol: 1e-6 });
    });
  };
  close(outputs, outputs0, 'outputs');
  close(grads.weights, grads0.weights, 'weight gradients');
  close(grads.initial_state ?? [], grads0.initial_state ?? [], 'initial state gradients');
  close(grads.x ? [grads.x] : [], grads0.x ? [grads0.x] : [], 'input gradients');
}

describeWithKeras('the recurrent fixtures are what Keras computes now', () => {
  test('recurrent_reference.py run again reproduces test/fixtures/recurrent', { timeout: 600_000 }, async () => {
    const out = await mkdtemp(join(tmpdir(), 'dendrite-recurrent-'));
    try {
      await runPython(SCRIPT, [out], { timeoutMs: 540_000 });
      const fresh = await readFixtures(out);
      assert.deepEqual(
        fresh.map((f) => f.name),
        fixtures.map((f) => f.name),
      );
      fresh.forEach((f, i) => {
        assertSameFixture(f, fixtures[i]);
      });
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
