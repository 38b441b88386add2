// Loading a folder while another process saves into it (a playground or `dendrite summary` beside a training run
// that checkpoints): each load gives a whole model, the one before or after a save, never an error about a
// file that a save renamed, removed or replaced between the loader's reads.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadCheckpoint } from '../../src/model/load-model.js';

const dir = mkdtempSync(join(tmpdir(), 'dendrite-load-while-saving-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const saver = fileURLToPath(new URL('./fixtures/save-crash.ts', import.meta.url));

test('200 loads beside a process saving in a loop: every one a whole version', { timeout: 120_000 }, async () => {
  const folder = join(dir, 'model');
  const child = spawn(process.execPath, ['--import', 'tsx', saver, folder, 'loop', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    while (!existsSync(join(folder, 'model.json'))) await new Promise((resolve) => setTimeout(resolve, 20));
    const versions = new Set<number>();
    for (let i = 0; i < 200; i++) {
      const checkpoint = await loadCheckpoint(folder);
      const v = checkpoint.epoch;
      // every weight and the optimizer's step count say the same version: nothing mixed
      for (const w of checkpoint.model.weights)
        assert.ok(
          w.values.every((x) => x === v),
          `weight ${w.name} of version ${v} holds ${w.values[0]}`,
        );
      assert.equal(checkpoint.model.compiled?.optimizer.iterations, v);
      versions.add(v);
    }
    assert.ok(versions.size > 1, `the loads saw ${versions.size} version(s): the saver was not saving beside them`);
  } finally {
    child.kill('SIGKILL');
  }
});
