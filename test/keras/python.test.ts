// The helper that runs real Keras from the tests (test/keras/python.ts): it runs Keras on JAX, stops a hung
// script, reports a failing one, and a suite that needs Keras skips where the venv is absent but fails where
// DENDRITE_REQUIRE_KERAS=1.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { describeWithKeras, runPython } from './python.js';

const dir = mkdtempSync(join(tmpdir(), 'dendrite-python-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function script(name: string, source: string): string {
  const path = join(dir, name);
  writeFileSync(path, source);
  return path;
}

describeWithKeras('real Keras from the tests', () => {
  test('runs Keras 3 on the JAX backend and returns stdout, with nothing else on it', async () => {
    const out = await runPython(script('version.py', 'import keras\nprint(keras.__version__, keras.backend.backend())\n'));
    assert.match(out, /^3\.\d+\.\d+ jax\n$/);
  });

  test('a script that fails rejects with its exit code and the end of its stderr', async () => {
    await assert.rejects(runPython(script('fails.py', 'import sys\nprint("boom here", file=sys.stderr)\nsys.exit(3)\n')), /exited with 3:\nboom here/);
  });

  test('a script that hangs is killed after timeoutMs', async () => {
    const started = Date.now();
    await assert.rejects(runPython(script('hangs.py', 'import time\ntime.sleep(60)\n'), [], { timeoutMs: 500 }), /was killed after 500 ms/);
    assert.ok(Date.now() - started < 10_000);
  });
});

describe('describeWithKeras where the venv is absent', () => {
  const suite = script(
    'needs-keras.test.ts',
    `import { test } from 'node:test';\nimport { describeWithKeras } from ${JSON.stringify(pathToFileURL(join(import.meta.dirname, 'python.ts')).href)};\ndescribeWithKeras('needs keras', () => { test('uses keras', () => {}); });\n`,
  );
  /** Runs the suite above with no venv; resolves to its exit code and output. */
  function run(require: boolean): Promise<{ code: number; output: string }> {
    const env: NodeJS.ProcessEnv = { ...process.env, DENDRITE_KERAS_VENV: join(dir, 'no-venv'), DENDRITE_REQUIRE_KERAS: require ? '1' : '' };
    // set by the test runner running this file: a child that sees it reports to it instead of running its file
    delete env.NODE_TEST_CONTEXT;
    return new Promise((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', suite], { env, timeout: 60_000 }, (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr });
      });
    });
  }

  test('skips, saying why, by default', async () => {
    const { code, output } = await run(false);
    assert.equal(code, 0, output);
    assert.match(output, /needs Keras.*# Keras is not installed: no Keras venv at .*no-venv \(npm run setup:keras installs it\)/);
    assert.match(output, /skipped 1/);
    assert.doesNotMatch(output, /uses keras/);
  });

  test('fails with DENDRITE_REQUIRE_KERAS=1', async () => {
    const { code, output } = await run(true);
    assert.notEqual(code, 0, output);
    assert.match(output, /DENDRITE_REQUIRE_KERAS=1 but no Keras venv at/);
  });
});
