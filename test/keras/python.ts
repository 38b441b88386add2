// Real Keras 3 from the tests: the Python of the git-ignored virtual environment that scripts/keras/setup-venv.sh
// (`npm run setup:keras`) installs from scripts/keras/requirements.txt, Keras on its JAX backend. A test that needs
// Keras goes in `describeWithKeras`: where the venv is absent it is skipped with the reason, except where
// DENDRITE_REQUIRE_KERAS=1 (CI, .ci/run) says Keras must be there, where it fails instead.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { tensor, type Tensor } from '../../src/index.js';

export const REPO_ROOT = join(import.meta.dirname, '..', '..');

/** The venv's folder: DENDRITE_KERAS_VENV (as for setup-venv.sh), else .venv-keras at the repository root. */
export function kerasVenv(): string {
  return process.env.DENDRITE_KERAS_VENV || join(REPO_ROOT, '.venv-keras');
}

/** The venv's Python. */
export function kerasPython(): string {
  return join(kerasVenv(), process.platform === 'win32' ? 'Scripts/python.exe' : 'bin/python');
}

/** Whether the environment demands Keras (CI): then its absence fails the Keras tests instead of skipping them. */
export function kerasRequired(): boolean {
  return process.env.DENDRITE_REQUIRE_KERAS === '1';
}

let missing: string | false | undefined;

/** Why Keras cannot run here (a sentence), or false when it can. Checked once: the packages are looked up, not imported. */
export function kerasMissing(): string | false {
  if (missing !== undefined) return missing;
  const python = kerasPython();
  if (!existsSync(python)) {
    missing = `no Keras venv at ${kerasVenv()} (npm run setup:keras installs it)`;
    return missing;
  }
  const check = 'import importlib.util as u; print(",".join(m for m in ("keras", "jax", "h5py") if u.find_spec(m) is None))';
  const result = spawnSync(python, ['-c', check], { encoding: 'utf8', timeout: 30_000 });
  const absent = result.stdout?.trim();
  if (result.status !== 0) missing = `${python} does not run (${(result.error?.message ?? result.stderr).trim().split('\n').pop()})`;
  else if (absent) missing = `the venv at ${kerasVenv()} lacks ${absent} (npm run setup:keras installs them)`;
  else missing = false;
  return missing;
}

/** Whether real Keras can run here. */
export function kerasAvailable(): boolean {
  return kerasMissing() === false;
}

/**
 * A suite of tests that run real Keras: skipped, with the reason, where the venv is absent; failed instead where
 * DENDRITE_REQUIRE_KERAS=1.
 *
 *     describeWithKeras('h5 files from Keras', () => { test('...', async () => { await runPython(...) }); });
 */
export function describeWithKeras(name: string, fn: () => void): void {
  const reason = kerasMissing();
  if (reason === false) {
    describe(name, fn);
  } else if (kerasRequired()) {
    describe(name, () => {
      test('Keras is installed', () => {
        throw new Error(`DENDRITE_REQUIRE_KERAS=1 but ${reason}.`);
      });
    });
  } else {
    // one skipped test stands for the suite: Node.js counts a skipped suite's tests nowhere in its summary
    describe(name, () => {
      test('needs Keras', { skip: `Keras is not installed: ${reason}` }, () => {});
    });
  }
}

export interface RunPythonOptions {
  /** Added to the environment (over the defaults: KERAS_BACKEND=jax, quiet TensorFlow / XLA logs). */
  env?: Record<string, string>;
  /** Killed after this long (default 120 s): a hung Python fails the test instead of stalling the run. */
  timeoutMs?: number;
  /** Working directory (default the repository root). */
  cwd?: string;
}

/** Runs `script` with the venv's Python and resolves to its stdout; rejects with its exit and the end of its stderr. */
export function runPython(script: string, args: readonly string[] = [], options: RunPythonOptions = {}): Promise<string> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const env = {
    ...process.env,
    KERAS_BACKEND: 'jax',
    JAX_PLATFORMS: 'cpu',
    TF_CPP_MIN_LOG_LEVEL: '3',
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONUNBUFFERED: '1',
    ...options.env,
  };
  return new Promise((resolve, reject) => {
    execFile(
      kerasPython(),
      [script, ...args],
      { env, cwd: options.cwd ?? REPO_ROOT, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        const tail = stderr.trim().split('\n').slice(-15).join('\n');
        const how = error.killed ? `was killed after ${timeoutMs} ms` : `exited with ${error.code ?? error.signal}`;
        reject(new Error(`python ${script} ${args.join(' ')} ${how}${tail ? `:\n${tail}` : ''}`));
      },
    );
  });
}

/** A tensor as the Python scripts write and read it in JSON. */
export interface TensorJson {
  shape: number[];
  values: number[];
}

export const tensorFromJson = (v: TensorJson): Tensor => tensor(Float32Array.from(v.values), v.shape);
export const tensorToJson = (t: Tensor): TensorJson => ({ shape: [...t.shape], values: [...t.values] });
