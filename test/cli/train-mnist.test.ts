import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from './run-cli.js';

// The full targets (99% / 97% after 3 epochs on all 60,000 images) are measured by `npm run bench:mnist`;
// here a small subset must show clear learning on held-out test images.
for (const [model, minAccuracy] of [
  ['cnn', 85],
  ['mlp', 80],
] as const) {
  test(`dendrite train mnist --model ${model} learns from 2,000 images`, (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'dendrite-mnist-'));
    const out = join(dir, model);
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const r = runCli(['train', 'mnist', '--model', model, '--train-size', '2000', '--test-size', '1000', '--epochs', '2', '--out', out], {
      timeoutMs: 300_000,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Epoch 1\/2 .*samples\/s.*loss: .*accuracy: /);
    assert.match(r.stdout, /confusion matrix/);
    const accuracy = Number(/test accuracy: (\d+\.\d+)%/.exec(r.stdout)?.[1]);
    assert.ok(accuracy >= minAccuracy, `test accuracy ${accuracy}% (chance is 10%)`);
    const json = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
    assert.equal(json.format, 'layers-model');
    assert.equal(json.modelTopology.class_name, 'Sequential');
    assert.ok(existsSync(join(out, 'weights.bin')));
  });
}
