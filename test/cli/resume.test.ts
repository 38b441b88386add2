// `dendrite train mnist --resume DIR`: a run killed with SIGKILL after epoch 2 of 4 and resumed ends where an
// uninterrupted run ends, bit for bit.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { repoRoot, runCli, STACK_LINE } from './run-cli.js';

// small enough to be quick, big enough that an epoch outlasts the polling below
const RUN = [
  'train',
  'mnist',
  '--model',
  'mlp',
  '--train-size',
  '3000',
  '--test-size',
  '300',
  '--epochs',
  '4',
  '--validation-split',
  '0.1',
  '--seed',
  '5',
  '--quiet',
];

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

// biome-ignore lint/suspicious/noExplicitAny: the test edits model.json's free-form JSON at any depth
type Edit = (json: any) => void;

test('--resume refuses a damaged checkpoint in one line naming the file and the field, never training wrongly', async () => {
  const out = join(dir, 'damage-source');
  const r = runCli(['train', 'mnist', '--model', 'mlp', '--train-size', '200', '--test-size', '50', '--epochs', '2', '--quiet', '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  const damaged = async (name: string, edit: Edit): Promise<string> => {
    const folder = join(dir, name);
    await cp(join(out, 'checkpoint'), join(folder, 'checkpoint'), { recursive: true });
    const path = join(folder, 'checkpoint', 'model.json');
    const json = JSON.parse(await readFile(path, 'utf8'));
    edit(json);
    await writeFile(path, typeof json === 'string' ? json : JSON.stringify(json));
    return folder;
  };
  const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
  for (const [name, edit, pattern, extra] of [
    [
      'epoch-99',
      (j) => (j.dendrite.training.epoch = 99),
      /records 99 completed epochs \(dendrite\.training\), more than the run's 2 epochs \(dendrite\.metadata\.mnistJob\.epochs\)/,
      [],
    ],
    ['epoch-flag', () => {}, /records 2 completed epochs \(dendrite\.training\), more than --epochs 1/, ['--epochs', '1']],
    ['epoch-negative', (j) => (j.dendrite.training.epoch = -1), /dendrite\.training\.epoch must be a whole number >= 0 \(the completed epochs\), got -1/, []],
    ['epoch-string', (j) => (j.dendrite.training.epoch = '2'), /dendrite\.training\.epoch must be a whole number >= 0 \(the completed epochs\), got "2"/, []],
    ['model-rnn', (j) => (j.dendrite.metadata.mnistJob.model = 'rnn'), /dendrite\.metadata\.mnistJob\.model must be one of (cnn, mlp|mlp, cnn), got "rnn"/, []],
    [
      'model-cnn',
      (j) => (j.dendrite.metadata.mnistJob.model = 'cnn'),
      /holds a model for inputs \[null, 784\] .*not the 'cnn' model its dendrite\.metadata\.mnistJob\.model names/,
      [],
    ],
    [
      'epochs-string',
      (j) => (j.dendrite.metadata.mnistJob.epochs = '3'),
      /dendrite\.metadata\.mnistJob\.epochs must be a whole number from 1 to 10000, got "3"/,
      [],
    ],
    [
      'no-settings',
      (j) => delete j.dendrite.metadata,
      /is not a checkpoint of 'dendrite train mnist': its dendrite\.metadata\.mnistJob \(the run's settings\) is missing/,
      [],
    ],
    [
      'no-optimizer',
      (j) => delete j.dendrite.optimizerState,
      /has no optimizer state \(dendrite\.optimizerState\), so the run cannot continue exactly as it was/,
      [],
    ],
    ['no-rng', (j) => delete j.dendrite.training.rngState, /has no random generator state \(dendrite\.training\.rngState\)/, []],
    ['deep', (j) => (j.dendrite.metadata.junk = '@DEEP@'), /model\.json: the field 'dendrite' nests lists or objects more than 100 levels deep/, []],
  ] as const satisfies readonly (readonly [string, Edit, RegExp, readonly string[]])[]) {
    const folder = await damaged(name, edit);
    if (name === 'deep') {
      const path = join(folder, 'checkpoint', 'model.json');
      await writeFile(path, (await readFile(path, 'utf8')).replace('"@DEEP@"', deep));
    }
    const e = runCli(['train', 'mnist', '--resume', folder, '--test-size', '50', '--quiet', ...extra]);
    assert.equal(e.status, 1, `${name}: ${e.stdout}${e.stderr}`);
    assert.match(e.stderr, pattern, name);
    assert.match(e.stderr, /checkpoint[/\\]model\.json|checkpoint'/, `${name}: names the file`);
    assert.doesNotMatch(e.stderr, STACK_LINE);
    assert.equal(e.stderr.trim().split('\n').length, 1, e.stderr);
    assert.doesNotMatch(e.stdout, /test accuracy/, `${name}: nothing was trained or evaluated`);
  }
});
