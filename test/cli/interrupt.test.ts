// Ctrl-C during `dendrite train mnist`: the run finishes its batch, saves a checkpoint, prints how to resume
// and exits 130; resuming ends with the same weights, bit for bit, as a run never interrupted. A diverging
// run ends in one line that names the batch and where the last good weights are.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { loadCheckpoint } from '../../src/index.js';
import { repoRoot, runCli, STACK_LINE } from './run-cli.js';

// small batches make epochs long enough (about a second) to be interrupted inside one
const RUN = [
  'train',
  'mnist',
  '--model',
  'mlp',
  '--train-size',
  '10000',
  '--test-size',
  '200',
  '--batch-size',
  '8',
  '--epochs',
  '3',
  '--validation-split',
  '0.1',
  '--seed',
  '9',
];

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dendrite-cli-ctrlc-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs the CLI and sends SIGINT `delayMs` after stdout first matches `begun`. */
async function runInterrupted(args: string[], begun = /Total params/, delayMs = 400): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [`${repoRoot}bin/dendrite.js`, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let signalled = false;
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.on('data', (d) => {
    stdout += d;
    if (!signalled && begun.test(stdout)) {
      signalled = true;
      setTimeout(() => child.kill('SIGINT'), delayMs);
    }
  });
  const status = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  assert.ok(signalled, `training never began: ${stderr}`);
  return { status, stdout, stderr };
}

test('Ctrl-C saves a checkpoint, says how to resume, and --resume ends bit-identical to an uninterrupted run', async () => {
  const straight = join(dir, 'straight');
  const full = runCli([...RUN, '--quiet', '--out', straight]);
  assert.equal(full.status, 0, full.stderr);

  const out = join(dir, 'interrupted');
  const cut = await runInterrupted([...RUN, '--out', out]);
  assert.equal(cut.status, 130, cut.stdout + cut.stderr);
  assert.match(cut.stderr, /Ctrl-C: stopping after the current batch/);
  const said = cut.stdout.match(/interrupted (in epoch (\d) of 3, after batch (\d+)|after epoch (\d) of 3): checkpoint saved in (.+)\/checkpoint/);
  assert.ok(said, cut.stdout);
  assert.ok(cut.stdout.includes(`resume with: npx dendrite train mnist --resume ${out}`), cut.stdout);
  assert.doesNotMatch(cut.stdout + cut.stderr, STACK_LINE);
  await assert.rejects(readFile(join(out, 'model.json')), 'an interrupted run does not write its final model');
  assert.equal(existsSync(join(out, '.dendrite-run.lock')), false, 'the interrupted run unlocked its --out folder');
  const checkpoint = await loadCheckpoint(join(out, 'checkpoint'));
  if (said[3] !== undefined) {
    // stopped inside an epoch: the checkpoint knows how far it got
    assert.equal(checkpoint.epoch + 1, Number(said[2]));
    assert.equal(checkpoint.progress?.batch, Number(said[3]));
  } else assert.equal(checkpoint.progress, null);

  const resumed = runCli(['train', 'mnist', '--resume', out, '--test-size', '200', '--quiet']);
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.deepEqual(await readFile(join(out, 'weights.bin')), await readFile(join(straight, 'weights.bin')));
  assert.equal(resumed.stdout.match(/test accuracy: .*/)?.[0], full.stdout.match(/test accuracy: .*/)?.[0]);
});

test('a second Ctrl-C while the checkpoint is being saved quits at once and leaves a checkpoint that loads', async () => {
  for (const delayMs of [0, 1, 3, 8, 20]) {
    const out = join(dir, `twice-${delayMs}`);
    const checkpointJson = join(out, 'checkpoint', 'model.json');
    const child = spawn(process.execPath, [`${repoRoot}bin/dendrite.js`, ...RUN, '--quiet', '--out', out], {
      cwd: repoRoot,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    let secondSent = false;
    child.stderr.on('data', (d) => {
      stderr += d;
      // the first Ctrl-C is being handled: training stops after this batch and the checkpoint save begins
      if (!secondSent && stderr.includes('Ctrl-C: stopping')) {
        secondSent = true;
        setTimeout(() => child.kill('SIGINT'), delayMs);
      }
    });
    // exit code 130, or killed by SIGINT itself when the second Ctrl-C comes after the run has let go of it
    const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(signal === 'SIGINT' ? 130 : code)));
    // once epoch 1's checkpoint exists, so that there is a previous checkpoint to lose
    let ended = false;
    void exited.then(() => (ended = true));
    while (!ended && !existsSync(checkpointJson)) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.ok(!ended, `the run ended before epoch 1 was saved: ${stderr}`);
    child.kill('SIGINT');
    assert.equal(await exited, 130, stderr);
    assert.ok(secondSent, stderr);
    const checkpoint = await loadCheckpoint(join(out, 'checkpoint')).catch((error: Error) =>
      assert.fail(`second Ctrl-C ${delayMs} ms after the first: ${error.message}`),
    );
    assert.ok(checkpoint.epoch >= 1, `the checkpoint holds epoch ${checkpoint.epoch}`);
    assert.equal(existsSync(join(out, '.dendrite-run.lock')), false, 'quitting at once still unlocks the --out folder');
  }
});

test('a diverging run stops in one line naming the epoch and batch, with the last good weights saved', async () => {
  const out = join(dir, 'diverged');
  const r = runCli(['train', 'mnist', '--model', 'mlp', '--train-size', '500', '--test-size', '50', '--learning-rate', '1e30', '--quiet', '--out', out]);
  assert.equal(r.status, 1);
  assert.match(
    r.stderr,
    /^dendrite: error: Training stopped: the loss became (NaN|Infinity) at epoch 1, batch \d+ \(of \d+\)\..*saved in .*diverged\/checkpoint\.$/m,
  );
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  const checkpoint = await loadCheckpoint(join(out, 'checkpoint'));
  assert.ok(
    checkpoint.model.getWeights().every((w) => w.values.every(Number.isFinite)),
    'the saved weights are finite',
  );
});

test('Ctrl-C during train FILE.csv keeps the best network so far, skips the refit, and still tests and saves it', async () => {
  const rows = Array.from({ length: 30000 }, (_, i) => {
    const a = Math.abs(Math.sin(i * 12.9898)) % 1;
    const b = Math.abs(Math.cos(i * 78.233)) % 1;
    return `${a.toFixed(4)},${b.toFixed(4)},${a + b > 1 ? 1 : 0}`;
  });
  const csv = join(dir, 'big.csv');
  await writeFile(csv, `a,b,y\n${rows.join('\n')}\n`);
  const out = join(dir, 'csv-model');
  // at once after the first epoch's line: early stopping must not end the run first on a fast machine
  const cut = await runInterrupted(['train', csv, '--target', 'y', '--out', out], /^epoch 1 - /m, 0);
  assert.equal(cut.status, 130, cut.stdout + cut.stderr);
  assert.match(
    cut.stdout,
    /interrupted by Ctrl-C after \d+ complete epochs: the network of epoch \d+ \(lowest validation loss so far\) is tested and saved below, without a refit/,
  );
  assert.doesNotMatch(cut.stdout, /trained afresh|early stopping after/);
  assert.match(cut.stdout, /^test \(6000 rows\): accuracy/m);
  await readFile(join(out, 'model.json'));
  await readFile(join(out, 'preprocessing.json'));
});
