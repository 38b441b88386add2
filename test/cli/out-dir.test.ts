// --out is prepared before training: a folder that cannot take the model fails at once in one line (never
// after the training, never hanging on /proc), and a folder another run is using is refused with that run's
// pid, while the lock of a killed run is taken over.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, platform, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { repoRoot, runCli, STACK_LINE } from './run-cli.js';

const MNIST = ['train', 'mnist', '--model', 'mlp', '--train-size', '500', '--test-size', '100', '--epochs', '1', '--quiet'];
const LOCK = '.dendrite-run.lock';

let dir: string;
let csv: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dendrite-cli-out-'));
  csv = join(dir, 'table.csv');
  const rows = Array.from({ length: 60 }, (_, i) => `${i % 7},${(i * 3) % 11},${i % 2 ? 'yes' : 'no'}`);
  await writeFile(csv, `a,b,label\n${rows.join('\n')}\n`);
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The one line a refused run prints, checked: exit code 1, no stack, nothing trained. */
function refused(args: string[]): string {
  // NOTE: a generous hang limit; a refusal takes well under a second
  const r = runCli(args, { timeoutMs: 30_000 });
  assert.notEqual(r.status, null, `still running after 30 s: ${r.stdout}${r.stderr}`);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.doesNotMatch(r.stderr, STACK_LINE);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.doesNotMatch(r.stdout, /MNIST:|epoch|rows|test accuracy|test \(/, 'refused before loading data or training');
  return r.stderr.trim();
}

test('--out in /proc fails at once, for both training commands', { skip: platform() !== 'linux' }, () => {
  for (const out of ['/proc/x', '/proc/self/x']) {
    assert.match(
      refused([...MNIST, '--out', out]),
      new RegExp(`^dendrite: error: --out ${out}: .*inside /proc, a kernel file system that cannot hold files; choose a folder on disk\\.$`),
    );
    assert.match(refused(['train', csv, '--target', 'label', '--out', out]), /inside \/proc/);
  }
});

test('--out naming a file, or a folder inside a file, is refused before any training', async () => {
  const file = join(dir, 'a-file');
  await writeFile(file, 'x');
  assert.match(refused([...MNIST, '--out', file]), /--out .*a-file exists and is not a folder; choose another folder or move the file away\.$/);
  assert.match(refused(['train', csv, '--target', 'label', '--out', file]), /a-file exists and is not a folder/);
  assert.match(refused([...MNIST, '--out', join(file, 'model')]), /a-file is a file, so the folder .*a-file\/model cannot be created inside it/);
  assert.match(refused(['train', csv, '--target', 'label', '--out', join(file, 'model')]), /a-file is a file/);
});

test('an --out folder that cannot be written is refused before any training', {
  skip: process.getuid?.() === 0 ? 'root may write anywhere' : false,
}, async () => {
  const locked = join(dir, 'read-only');
  await mkdir(locked);
  await chmod(locked, 0o555);
  try {
    assert.match(refused([...MNIST, '--out', locked]), /cannot write in this folder \(permission denied\); choose another --out\.$/);
    assert.match(refused(['train', csv, '--target', 'label', '--out', join(locked, 'sub')]), /permission denied to create/);
  } finally {
    await chmod(locked, 0o755);
  }
});

test("a second run on an --out folder in use is refused with the folder and the other run's pid", async () => {
  // a lock held by a live process (this one)
  const out = join(dir, 'held');
  await mkdir(out);
  await writeFile(
    join(out, LOCK),
    JSON.stringify({ pid: process.pid, host: hostname(), started: '2024-05-01T10:00:00.000Z', purpose: 'dendrite train mnist', token: 't' }),
  );
  const line = refused([...MNIST, '--out', out]);
  assert.ok(line.includes(`--out ${out} is in use by another dendrite run pid ${process.pid}`), line);
  assert.ok(line.includes(`delete ${join(out, LOCK)}`), line);
  assert.match(refused(['train', csv, '--target', 'label', '--out', out]), new RegExp(`pid ${process.pid}`));

  // two real runs: the second starts while the first trains
  const shared = join(dir, 'shared');
  const first = spawn(
    process.execPath,
    [
      `${repoRoot}bin/dendrite.js`,
      'train',
      'mnist',
      '--model',
      'mlp',
      '--train-size',
      '10000',
      '--test-size',
      '100',
      '--batch-size',
      '8',
      '--epochs',
      '3',
      '--quiet',
      '--out',
      shared,
    ],
    { cwd: repoRoot, stdio: 'ignore' },
  );
  const firstExit = new Promise<number | null>((resolve) => first.once('exit', (code) => resolve(code)));
  let ended = false;
  void firstExit.then(() => (ended = true));
  while (!ended && !existsSync(join(shared, LOCK))) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(!ended, 'the first run ended before the second could start');
  const second = refused([...MNIST, '--out', shared]);
  assert.ok(!ended, 'the first run was still training when the second was refused');
  assert.ok(second.includes(`in use by another dendrite run pid ${first.pid}`), second);
  assert.equal(await firstExit, 0, 'the first run is not disturbed');
  assert.equal(existsSync(join(shared, LOCK)), false, 'the first run unlocked the folder when it ended');
  await readFile(join(shared, 'model.json'));
});

test('the lock of a run that was killed is taken over with a note, and released at the end', async () => {
  const out = join(dir, 'stale');
  await mkdir(out);
  const dead = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => dead.once('exit', resolve));
  await writeFile(
    join(out, LOCK),
    JSON.stringify({ pid: dead.pid, host: hostname(), started: '2024-05-01T10:00:00.000Z', purpose: 'dendrite train mnist', token: 't' }),
  );
  const r = runCli([...MNIST, '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(
    r.stderr,
    new RegExp(
      `note: .*stale was locked by pid ${dead.pid} \\(dendrite train mnist, since 2024-05-01T10:00:00.000Z\\), which ended without unlocking it \\(killed\\?\\); this run takes it over\\.`,
    ),
  );
  assert.equal(existsSync(join(out, LOCK)), false);
  await readFile(join(out, 'model.json'));
});

test('a run that fails before saving leaves no empty --out folder behind (a folder it did not create stays)', async () => {
  const bad = join(dir, 'ragged.csv');
  await writeFile(bad, 'a,b,label\n1,2,yes\n3,no\n');
  const fresh = join(dir, 'new-parent', 'model');
  assert.match(refused(['train', bad, '--target', 'label', '--out', fresh]), /ragged\.csv, line 3: expected 3 fields/);
  assert.equal(existsSync(fresh), false, 'the folder the run created is gone');
  assert.equal(existsSync(join(dir, 'new-parent')), false, 'and its parent, created with it');
  const kept = join(dir, 'existing');
  await mkdir(kept);
  refused(['train', bad, '--target', 'label', '--out', kept]);
  assert.equal(existsSync(kept), true, 'a folder that was there before stays');
  assert.equal(existsSync(join(kept, LOCK)), false);
});
