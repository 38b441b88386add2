// Determinism across processes: the same seed gives bit-identical weights after training, run after run, and
// on the native backend whatever its thread count (each output of a parallel kernel is summed by one thread
// in a fixed order; see the README's reliability section).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { listBackends } from '../../src/index.js';

const script = fileURLToPath(new URL('./fixtures/train-digest.ts', import.meta.url));

function digest(kind: 'mlp' | 'cnn', env: Record<string, string>): { backend: string; digest: string; weights: number[] } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, kind], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!);
}

const native = listBackends().includes('native');

for (const kind of ['mlp', 'cnn'] as const) {
  for (const backend of listBackends()) {
    test(`${kind} on ${backend}: two runs with one seed end bit-identical`, () => {
      const a = digest(kind, { DENDRITE_BACKEND: backend });
      const b = digest(kind, { DENDRITE_BACKEND: backend });
      assert.equal(a.backend, backend);
      assert.equal(a.digest, b.digest);
    });
  }
}

test('mlp on native: 1 and 2 threads end bit-identical', { skip: !native && 'no native backend' }, () => {
  const one = digest('mlp', { DENDRITE_BACKEND: 'native', DENDRITE_NUM_THREADS: '1' });
  const two = digest('mlp', { DENDRITE_BACKEND: 'native', DENDRITE_NUM_THREADS: '2' });
  assert.equal(one.digest, two.digest);
});

// NOTE: the native convolution filter gradient sums per-thread partial sums over the batch, so the thread count
// changes the order of additions: CNN weights then agree to float rounding, not bit for bit (documented)
test('cnn on native: 1 and 2 threads agree to rounding', { skip: !native && 'no native backend' }, () => {
  const one = digest('cnn', { DENDRITE_BACKEND: 'native', DENDRITE_NUM_THREADS: '1' });
  const two = digest('cnn', { DENDRITE_BACKEND: 'native', DENDRITE_NUM_THREADS: '2' });
  assert.equal(one.weights.length, two.weights.length);
  const worst = Math.max(...one.weights.map((w, i) => Math.abs(w - two.weights[i])));
  assert.ok(worst < 1e-4, `largest difference ${worst}`);
});
