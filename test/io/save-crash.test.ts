// A save killed (SIGKILL) at any instant leaves a folder that loads, holding the whole previous model or the
// whole new one: weights, optimizer state, training state and companion file from one save, never a mix.
// The kills come at every file-system step of a save (deterministic), then at random times in a loop.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadCheckpoint, readCompanionFile, tensor } from '../../src/index.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/save-crash.ts', import.meta.url));

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'dendrite-save-crash-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

interface Child {
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: () => string;
  kill: () => void;
  /** Resolves with the output once it matches `pattern`. */
  waitFor: (pattern: RegExp) => Promise<string>;
}

function startFixture(args: string[]): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const waiters: [RegExp, (s: string) => void][] = [];
  const onData = (d: Buffer): void => {
    out += d;
    for (const [pattern, resolve] of waiters) if (pattern.test(out)) resolve(out);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    exit,
    output: () => out,
    kill: () => child.kill('SIGKILL'),
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        if (pattern.test(out)) return resolve(out);
        waiters.push([pattern, resolve]);
        void exit.then(() => (pattern.test(out) ? resolve(out) : reject(new Error(`the fixture ended without printing ${pattern}: ${out}`))));
      }),
  };
}

/** Loads `dir` and returns the one version that every part of it holds (fails on a mix or a load error). */
async function loadedVersion(dir: string): Promise<number> {
  const checkpoint = await loadCheckpoint(dir);
  const v = checkpoint.epoch;
  for (const w of checkpoint.model.getWeights())
    assert.ok(
      w.values.every((x) => x === v),
      `weights of version ${v}`,
    );
  const state = checkpoint.model.compiled!.optimizer.getState();
  assert.equal(state.iterations, v, 'optimizer iterations');
  assert.ok(state.slots.length > 0 && state.slots.every((s) => s.values.every((x) => x === v)), `optimizer slots of version ${v}`);
  assert.deepEqual(JSON.parse((await readCompanionFile(dir, 'preprocessing.json'))!), { version: v }, 'companion file');
  return v;
}

/** Saves the model in `dir` again as version `v`, from this process. */
async function saveVersion(dir: string, v: number): Promise<void> {
  const { model } = await loadCheckpoint(dir);
  model.setWeights(model.getWeights().map((w) => tensor(new Float32Array(w.size).fill(v), w.shape)));
  const optimizer = model.compiled!.optimizer;
  const state = optimizer.getState();
  optimizer.setState({ iterations: v, slots: state.slots.map((s) => ({ ...s, values: new Float32Array(s.values.length).fill(v) })) }, model.weights);
  await model.save(dir, { includeOptimizer: true, trainingState: { epoch: v }, extraFiles: [['preprocessing.json', JSON.stringify({ version: v })]] });
}

/** Runs `tasks` with at most `limit` at once. */
async function inTurns<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await tasks[i]();
      }
    }),
  );
  return results;
}

test('a save killed before any one of its file-system steps leaves the old or the new model, whole', async () => {
  const probe = startFixture([join(root, 'probe'), 'crash-at', '0']);
  const { code } = await probe.exit;
  assert.equal(code, 0, probe.output());
  const steps = Number(/steps (\d+)/.exec(probe.output())?.[1]);
  assert.ok(steps >= 15, `a save takes ${steps} steps`);
  console.log(`# a save of three data files takes ${steps} file-system steps`);
  assert.equal(await loadedVersion(join(root, 'probe')), 2);

  const versions = await inTurns(
    Array.from({ length: steps }, (_, i) => async () => {
      const dir = join(root, `crash-${i + 1}`);
      const child = startFixture([dir, 'crash-at', String(i + 1)]);
      const { signal } = await child.exit;
      assert.equal(signal, 'SIGKILL', `step ${i + 1}: ${child.output()}`);
      const v = await loadedVersion(dir).catch((error: Error) => assert.fail(`killed before step ${i + 1} of ${steps}: ${error.message}`));
      // the next save into the folder works: the dead save's lock is taken over, its temporaries removed
      await saveVersion(dir, 11);
      assert.equal(await loadedVersion(dir), 11);
      assert.deepEqual((await readdir(dir)).sort(), ['model.json', 'optimizer.bin', 'preprocessing.json', 'weights.bin']);
      return v;
    }),
    3,
  );
  // early kills keep version 1, late ones version 2, with one switch between them
  assert.equal(versions[0], 1);
  assert.equal(versions.at(-1), 2);
  const switchAt = versions.indexOf(2);
  assert.ok(
    versions.slice(switchAt).every((v) => v === 2),
    `versions by kill point: ${versions.join(' ')}`,
  );
});

test('saves killed at random moments, again and again in one folder, always leave a model that loads whole', async () => {
  const dir = join(root, 'random');
  let lastSaved = 0;
  for (let round = 0; round < 12; round++) {
    const base = round * 1000;
    const child = startFixture([dir, 'loop', String(base)]);
    await child.waitFor(/saved \d+/);
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 150));
    child.kill();
    await child.exit;
    const saved = [...child.output().matchAll(/saved (\d+)/g)].map((m) => Number(m[1]));
    lastSaved = saved.at(-1)!;
    const v = await loadedVersion(dir).catch((error: Error) => assert.fail(`round ${round}, after "saved ${lastSaved}": ${error.message}`));
    // a save that said "saved" has happened; the one under way when killed may have happened too
    assert.ok(v === lastSaved || v === lastSaved + 1, `round ${round}: loaded version ${v} after "saved ${lastSaved}"`);
  }
  // leftovers of killed saves do not pile up: at most one killed save's files beside the model
  const names = await readdir(dir);
  assert.ok(names.length <= 12, names.join(', '));
});

test('readCompanionFile beside a process that saves again and again always reads a companion that matches', async () => {
  const dir = join(root, 'reader');
  const child = startFixture([dir, 'loop', '0']);
  try {
    await child.waitFor(/saved 1\n/);
    let reads = 0;
    const until = Date.now() + 3000;
    while (Date.now() < until) {
      const text = await readCompanionFile(dir, 'preprocessing.json');
      assert.ok(text !== null && JSON.parse(text).version >= 1, String(text));
      reads++;
    }
    assert.ok(/saved [3-9]/.test(child.output()), `the saves went on while reading (${reads} reads): ${child.output().slice(-200)}`);
  } finally {
    child.kill();
    await child.exit;
  }
});
