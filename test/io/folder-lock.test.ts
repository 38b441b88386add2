// The folder lock: one holder at a time across processes, a clear refusal naming the holder, stale locks of
// dead processes taken over (by exactly one of several contenders), and release on exit.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile, utimes } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { FolderLockedError, lockFolder } from '../../src/io/folder-lock.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/hold-lock.ts', import.meta.url));
const NAME = '.test.lock';

let root: string;
let n = 0;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'dendrite-lock-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

async function freshDir(): Promise<string> {
  const dir = join(root, `d${n++}`);
  await (await import('node:fs/promises')).mkdir(dir);
  return dir;
}

/** Starts the fixture; resolves once it printed its first line. */
function startHolder(
  dir: string,
  mode: 'hold' | 'exit' | 'try',
): { pid: number; line: Promise<string>; exit: Promise<number | null>; kill: () => void; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, dir, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const line = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(out.split('\n')[0]);
    });
    child.once('exit', () => reject(new Error(`the holder ended without a word: ${out}`)));
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { pid: child.pid!, line, exit, kill: () => child.kill('SIGKILL'), output: () => out };
}

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

function lockText(pid: number, host = hostname()): string {
  return JSON.stringify({ pid, host, started: '2024-01-01T00:00:00.000Z', purpose: 'an old run', token: 'old' });
}

test('a lock held by another live process is refused with a message naming the folder and its pid; once that process is killed, it is taken over', async () => {
  const dir = await freshDir();
  const holder = startHolder(dir, 'hold');
  assert.equal(await holder.line, 'locked');
  const refused = await lockFolder(dir, { name: NAME, purpose: 'test' }).then(
    () => assert.fail('a second holder got the lock'),
    (error: unknown) => error,
  );
  assert.ok(refused instanceof FolderLockedError);
  assert.ok(refused.message.includes(dir) && refused.message.includes(`pid ${holder.pid}`), refused.message);
  assert.equal(refused.holder?.pid, holder.pid);

  holder.kill();
  await holder.exit;
  const lock = await lockFolder(dir, { name: NAME, purpose: 'test' });
  assert.equal(lock.tookOverFrom?.pid, holder.pid);
  assert.equal(JSON.parse(await readFile(lock.path, 'utf8')).pid, process.pid);
  await lock.release();
  assert.equal(existsSync(lock.path), false);
});

test('a process that exits (process.exit, as a second Ctrl-C does) leaves no lock behind', async () => {
  const dir = await freshDir();
  const holder = startHolder(dir, 'exit');
  assert.equal(await holder.line, 'locked');
  assert.equal(await holder.exit, 0);
  assert.equal(existsSync(join(dir, NAME)), false);
});

test('stale locks: a dead pid, our own pid from an earlier process, and an old empty file are taken over; another host or a lock being written are not', async () => {
  const dir = await freshDir();
  const path = join(dir, NAME);
  for (const stale of [lockText(await deadPid()), lockText(process.pid)]) {
    await writeFile(path, stale);
    const lock = await lockFolder(dir, { name: NAME, purpose: 'test' });
    assert.ok(lock.tookOverFrom, stale);
    await lock.release();
  }
  await writeFile(path, '');
  await utimes(path, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
  const lock = await lockFolder(dir, { name: NAME, purpose: 'test' });
  await lock.release();

  await writeFile(path, lockText(await deadPid(), 'another-host'));
  await assert.rejects(lockFolder(dir, { name: NAME, purpose: 'test' }), /in use by another dendrite process \(pid \d+ on another-host, an old run/);
  await writeFile(path, '');
  await assert.rejects(lockFolder(dir, { name: NAME, purpose: 'test' }), /an unknown process \(the lock file is unreadable\)/);
  // a holder of this process is not stale either: a second lock in the same process waits, then is refused
  await rm(path);
  const first = await lockFolder(dir, { name: NAME, purpose: 'test' });
  await assert.rejects(lockFolder(dir, { name: NAME, purpose: 'test', waitMs: 100 }), FolderLockedError);
  await first.release();
});

test('a release removes only its own lock', async () => {
  const dir = await freshDir();
  const lock = await lockFolder(dir, { name: NAME, purpose: 'test' });
  await writeFile(lock.path, lockText(process.ppid));
  await lock.release();
  assert.equal(await readFile(lock.path, 'utf8'), lockText(process.ppid));
});

test('of several processes that find the same stale lock at once, exactly one takes it', async () => {
  for (let round = 0; round < 3; round++) {
    const dir = await freshDir();
    await writeFile(join(dir, NAME), lockText(await deadPid()));
    const contenders = Array.from({ length: 4 }, () => startHolder(dir, 'try'));
    await Promise.all(contenders.map((c) => c.line));
    await writeFile(join(dir, 'go'), '');
    await Promise.all(contenders.map((c) => c.exit));
    const results = contenders.map((c) => c.output().split('\n')[1]);
    assert.equal(results.filter((l) => l === 'got').length, 1, results.join('\n'));
  }
});

test('a named pipe in place of the lock file is refused as unreadable instead of blocking', {
  skip: process.platform === 'win32',
  timeout: 20_000,
}, async () => {
  const { execFileSync } = await import('node:child_process');
  const dir = await freshDir();
  execFileSync('mkfifo', [join(dir, NAME)]);
  await assert.rejects(lockFolder(dir, { name: NAME, purpose: 'test' }), /an unknown process \(the lock file is unreadable\)/);
});
