// Determinism across processes: the same seed gives bit-identical weights after training, run after run, and
// on the native backend whatever its thread count (every sum a parallel kernel splits, such as the convolution
// filter gradient's, is split and added in an order fixed by the problem, not by the threads).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { listBackends } from '../../src/index.js';

const script = fileURLToPath(new URL('./fixtures/train-digest.ts', import.meta.url));

function digest(kind: 'mlp' | 'cnn', env: Record<string, string>): { backend: string; digest: string } {
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

for (const kind of ['mlp', 'cnn'] as const) {
  test(`${kind} on native: 1, 2 and 3 threads end bit-identical`, { skip: !native && 'no native backend' }, () => {
    const [one, two, three] = ['1', '2', '3'].map((n) => digest(kind, { DENDRITE_BACKEND: 'native', DENDRITE_NUM_THREADS: n }));
    assert.equal(one.digest, two.digest);
    assert.equal(one.digest, three.digest);
  });
}
