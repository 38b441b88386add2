// `dendrite train mnist --resume DIR`: a run killed with SIGKILL after epoch 2 of 4 and resumed ends where an
// uninterrupted run ends, bit for bit.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { repoRoot, runCli } from './run-cli.js';

const STACK_LINE = /^\s+at .+\(.+:\d+:\d+\)$/m;
// small enough to be quick, big enough that an epoch outlasts the polling below
const RUN = ['train', 'mnist', '--model', 'mlp', '--train-size', '3000', '--test-size', '300', '--epochs', '4', '--validation-split', '0.1', '--seed', '5', '--quiet'];

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dendrite-cli-resume-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function checkpointEpoch(out: string): Promise<number> {
  try {
    return JSON.parse(await readFile(join(out, 'checkpoint', 'model.json'), 'utf8')).dendrite.training.epoch;
  } catch {
    return 0;
  }
}

/** Runs the CLI and kills it with SIGKILL as soon as the checkpoint of epoch `epoch` exists; returns the checkpoint's epoch. */
async function runKilled(args: string[], out: string, epoch: number): Promise<number> {
  const child = spawn(process.execPath, [`${repoRoot}bin/dendrite.js`, ...args], { cwd: repoRoot, stdio: 'ignore' });
  let exited = false;
  child.once('exit', () => (exited = true));
  let seen = 0;
  while (!exited && seen < epoch) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    seen = await checkpointEpoch(out);
  }
  assert.ok(!exited, 'the run ended before it could be killed');
  child.kill('SIGKILL');
  await new Promise((resolve) => (exited ? resolve(null) : child.once('exit', resolve)));
  return checkpointEpoch(out);
}

test('train mnist --resume continues a run killed after epoch 2 of 4 to the same final weights', async () => {
  const straight = join(dir, 'straight');
  const interrupted = join(dir, 'interrupted');
  const full = runCli([...RUN, '--out', straight]);
  assert.equal(full.status, 0, full.stderr);

  const killedAt = await runKilled([...RUN, '--out', interrupted], interrupted, 2);
  assert.ok(killedAt >= 2 && killedAt < 4, `killed after epoch ${killedAt}`);
  await assert.rejects(readFile(join(interrupted, 'model.json')), 'the killed run never saved its final model');

  // the settings come from the checkpoint; only the folder is given
  const resumed = runCli(['train', 'mnist', '--resume', interrupted, '--test-size', '300', '--quiet']);
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.deepEqual(await readFile(join(interrupted, 'weights.bin')), await readFile(join(straight, 'weights.bin')));
  assert.equal(resumed.stdout.match(/test accuracy: .*/)?.[0], full.stdout.match(/test accuracy: .*/)?.[0]);
});

test('--resume rejects a missing checkpoint and flags that differ from the interrupted run, in one line', async () => {
  const out = join(dir, 'short');
  const r = runCli(['train', 'mnist', '--model', 'mlp', '--train-size', '200', '--test-size', '50', '--epochs', '1', '--quiet', '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  for (const [args, pattern] of [
    [['--resume', join(dir, 'nowhere')], /--resume: '.*nowhere' does not exist/],
    [['--resume', dir], /--resume: '.*' holds no checkpoint/],
    [['--resume', out, '--model', 'cnn'], /--model cnn differs from the interrupted run's mlp; leave it out to resume/],
    [['--resume', out, '--seed', '1'], /--seed 1 differs from the interrupted run's 42/],
  ] as const) {
    const e = runCli(['train', 'mnist', ...args]);
    assert.notEqual(e.status, 0);
    assert.match(e.stderr, pattern);
    assert.doesNotMatch(e.stderr, STACK_LINE);
    assert.equal(e.stderr.trim().split('\n').length, 1, e.stderr);
  }
  // the same seed given explicitly is fine, and more epochs continue the run
  const more = runCli(['train', 'mnist', '--resume', out, '--seed', '42', '--epochs', '2', '--test-size', '50', '--quiet']);
  assert.equal(more.status, 0, more.stderr);
  assert.equal(JSON.parse(await readFile(join(out, 'checkpoint', 'model.json'), 'utf8')).dendrite.training.epoch, 2);
});
