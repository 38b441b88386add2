// The 1-D sequence layers against Keras 3, above all where TF.js has no reference: causal Conv1D, UpSampling1D,
// ZeroPadding1D, Cropping1D, GlobalAveragePooling1D with a mask and keepdims, Embedding(mask_zero) feeding a masked
// average. Each case of test/fixtures/sequence-layers/sequence-layers.json (written by
// scripts/keras-fixtures/sequence_layers_reference.py from Keras 3.15.1 on JAX) builds its layers from Keras' own
// get_config() through dendrite's model-file reader, sets Keras' weights and compares the outputs. Where Keras is
// installed, the script runs again and must reproduce the committed fixture.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { type Tensor, tensor } from '../../../src/index.js';
import type { LayerMask } from '../../../src/nn/layer.js';
import { fromKerasConfig } from '../../../src/io/keras-json.js';
import { layerFromConfig } from '../../../src/io/layer-registry.js';
import type { LayerConfig } from '../../../src/nn/layers/config-args.js';
import { assertClose } from '../../helpers.js';
import { describeWithKeras, REPO_ROOT, runPython } from '../../keras/python.js';

const FIXTURE = join(REPO_ROOT, 'test', 'fixtures', 'sequence-layers', 'sequence-layers.json');
const SCRIPT = join(REPO_ROOT, 'scripts', 'keras-fixtures', 'sequence_layers_reference.py');

interface Values {
  shape: number[];
  /** null for NaN. */
  values: (number | null)[];
}

interface Case {
  name: string;
  layers: { class_name: string; config: Record<string, unknown> }[];
  x: Values;
  mask?: Values;
  weights: Values[];
  y: Values;
}

const fixture = JSON.parse(await readFile(FIXTURE, 'utf8')) as { generated_by: string; cases: Case[] };

const toTensor = (v: Values): Tensor =>
  tensor(
    Float32Array.from(v.values, (x) => x ?? Number.NaN),
    v.shape,
  );

describe('the 1-D sequence layers give the outputs of Keras 3 (layers built from Keras configs)', () => {
  test('the fixture covers every 1-D layer', () => {
    const classes = new Set(fixture.cases.flatMap((c) => c.layers.map((l) => l.class_name)));
    for (const name of [
      'Embedding',
      'Conv1D',
      'MaxPooling1D',
      'AveragePooling1D',
      'GlobalAveragePooling1D',
      'GlobalMaxPooling1D',
      'UpSampling1D',
      'ZeroPadding1D',
      'Cropping1D',
    ]) {
      assert.ok(classes.has(name), name);
    }
  });

  for (const c of fixture.cases) {
    test(c.name, () => {
      const chain = c.layers.map((entry) => layerFromConfig(entry.class_name, fromKerasConfig(entry.config) as LayerConfig));
      let x = toTensor(c.x);
      let mask: LayerMask = c.mask ? toTensor(c.mask) : null;
      let w = 0;
      for (const layer of chain) {
        layer.ensureBuilt([null, ...x.shape.slice(1)]);
        const n = layer.weights.length;
        layer.setWeights(c.weights.slice(w, w + n).map(toTensor));
        w += n;
        const y = layer.apply(x, mask ? { mask } : {});
        mask = layer.computeMask(x, mask ?? undefined);
        x = y;
      }
      assert.equal(w, c.weights.length, 'every Keras weight was used');
      assert.deepEqual([...x.shape], c.y.shape);
      const expected = c.y.values.map((v) => v ?? Number.NaN);
      expected.forEach((v, i) => {
        if (Number.isNaN(v)) assert.ok(Number.isNaN(x.values[i]), `element ${i}: Keras gives NaN, dendrite ${x.values[i]}`);
      });
      assertClose(
        x.values.map((v, i) => (Number.isNaN(expected[i]) ? 0 : v)),
        expected.map((v) => (Number.isNaN(v) ? 0 : v)),
        { atol: 1e-5, rtol: 1e-5 },
      );
    });
  }
});

describeWithKeras('the committed fixture is what Keras writes now', () => {
  test('rerunning scripts/keras-fixtures/sequence_layers_reference.py reproduces it', { timeout: 300_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dendrite-sequence-ref-'));
    try {
      const out = join(dir, 'sequence-layers.json');
      await runPython(SCRIPT, [out]);
      assert.deepEqual(JSON.parse(await readFile(out, 'utf8')), fixture);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
