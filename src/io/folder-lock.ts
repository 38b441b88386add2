// A lock file in a folder, so that two writers (two training runs with the same --out, two saves into the
// same model folder) never interleave. The file is created with O_EXCL, which the file system grants to one
// process only, and holds who took it (pid, host, start time). A lock whose process has died on this host
// (killed, power cut) is stale and is taken over; one held by another host cannot be judged and is left
// alone, with a message saying how to remove it. Node.js only.
import { readRegularFile, type FolderFileError } from './folder-files.js';

/** Who holds a lock: written into the lock file as JSON. */
export interface LockOwner {
  pid: number;
  host: string;
  /** ISO time at which the lock was taken. */
  started: string;
  /** What the holder is doing, for messages (e.g. `dendrite train mnist`). */
  purpose: string;
  /** Unique per acquisition: a release removes the file only while it still holds this token. */
  token: string;
}

/** A lock this process holds. */
export interface FolderLock {
  /** The lock file. */
  readonly path: string;
  readonly owner: LockOwner;
  /** The holder of a stale lock that this one replaced (its process had died), or null. */
  readonly tookOverFrom: LockOwner | null;
  /** Removes the lock file (if it is still this lock's); safe to call twice. */
  release(): Promise<void>;
}

/** The folder is locked by a live process (or by one on another host, which cannot be checked). */
export class FolderLockedError extends Error {
  constructor(
    message: string,
    readonly lockPath: string,
    /** null when the lock file could not be read (being written, or damaged and recent). */
    readonly holder: LockOwner | null,
  ) {
    super(message);
  }
}

export interface LockOptions {
  /** The lock file's name in the folder, e.g. `.dendrite-run.lock`. */
  name: string;
  /** What this process is doing, recorded in the lock for the other side's message. */
  purpose: string;
  /** How long to wait for a live holder to release it, in milliseconds (default 0: refuse at once). */
  waitMs?: number;
}

/** A lock file whose content is still unreadable after this long was left by a process killed while creating it. */
const UNWRITTEN_STALE_MS = 5_000;
/** The guard taken while a stale lock is removed is held for microseconds; an older one was left by a killed process. */
const GUARD_STALE_MS = 10_000;
const POLL_MS = 25;
/** A lock file holds one small JSON object. */
const MAX_LOCK_BYTES = 64 * 1024;

/** Locks held by this process, by lock path: released on exit, and never judged stale by this process. */
const held = new Map<string, LockOwner>();
let exitHookInstalled = false;
/** node:fs, loaded by the first lockFolder, for the synchronous release at exit. */
let syncFs: typeof import('node:fs') | null = null;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Releases this process's locks when it exits (also through `process.exit`, e.g. a second Ctrl-C). */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', releaseAllSync);
}

/**
 * Removes every lock file this process holds, synchronously: for exit paths and signal handlers that
 * cannot wait (`process.on('exit')` runs no asynchronous work).
 */
export function releaseAllSync(): void {
  if (!syncFs) return;
  for (const [path, owner] of held) {
    try {
      const current = JSON.parse(syncFs.readFileSync(path, 'utf8')) as Partial<LockOwner>;
      if (current.token === owner.token) syncFs.unlinkSync(path);
    } catch {
      // gone already, or not ours any more
    }
  }
  held.clear();
}

/**
 * What a lock file holds: `raw` is null when the file is gone; `owner` is null when its content cannot be
 * read or parsed (being written this instant, or left empty by a process killed while creating it).
 */
async function readOwner(path: string): Promise<{ owner: LockOwner | null; raw: string | null; ageMs: number }> {
  const fs = await import('node:fs/promises');
  try {
    // a regular file of a few hundred bytes: a pipe or a device put there must not block or flood the read
    const [bytes, info] = await Promise.all([readRegularFile(path, { maxBytes: MAX_LOCK_BYTES }), fs.stat(path)]);
    const raw = new TextDecoder().decode(bytes);
    let owner: LockOwner | null = null;
    try {
      const parsed = JSON.parse(raw) as LockOwner;
      if (Number.isInteger(parsed?.pid) && typeof parsed.host === 'string') owner = parsed;
    } catch {
      owner = null;
    }
    return { owner, raw, ageMs: Date.now() - info.mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as FolderFileError).reason === 'missing') return { owner: null, raw: null, ageMs: 0 };
    // unreadable (permissions): never judged stale
    return { owner: null, raw: '', ageMs: 0 };
  }
}

/** Whether process `pid` runs on this machine. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the lock's holder is certainly gone, so that the lock may be taken over. */
function isStale(path: string, owner: LockOwner | null, ageMs: number, host: string): boolean {
  if (!owner) return ageMs > UNWRITTEN_STALE_MS;
  if (owner.host !== host) return false;
  // our own pid in a lock we do not hold: a former process with the same pid (containers restart as pid 1)
  if (owner.pid === process.pid) return held.get(path)?.token !== owner.token;
  return !processAlive(owner.pid);
}

/**
 * Removes a stale lock file, but only if it still holds what was judged stale: two processes that both
 * find the same stale lock must not remove the fresh lock that the faster one has just created. A short
 * guard file (O_EXCL) makes the check and the removal one step.
 */
async function removeStale(path: string, staleRaw: string | null): Promise<void> {
  const fs = await import('node:fs/promises');
  const guard = `${path}.break`;
  for (;;) {
    try {
      await fs.writeFile(guard, String(process.pid), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = await fs.stat(guard).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > GUARD_STALE_MS) await fs.rm(guard, { force: true });
      else await sleep(POLL_MS);
    }
  }
  try {
    const now = await fs.readFile(path, 'utf8').catch(() => null);
    if (now !== null && now === staleRaw) await fs.rm(path, { force: true });
  } finally {
    await fs.rm(guard, { force: true });
  }
}

function describeOwner(owner: LockOwner): string {
  return `pid ${owner.pid} on ${owner.host}, ${owner.purpose}, since ${owner.started}`;
}

/**
 * Takes the lock file `options.name` in the existing folder `dir`: creates it exclusively, takes over a
 * stale one (its process has died on this host), waits up to `waitMs` for a live holder, then throws a
 * `FolderLockedError` naming the folder and the holder's pid. Other errors (EACCES, EROFS...) are thrown as
 * they are: creating the lock file is also the proof that the folder is writable.
 *
 *     const lock = await lockFolder('./models/run-1', { name: '.dendrite-run.lock', purpose: 'training' });
 *     try { ... } finally { await lock.release(); }
 */
export async function lockFolder(dir: string, options: LockOptions): Promise<FolderLock> {
  const fs = await import('node:fs/promises');
  const { hostname } = await import('node:os');
  const { join, resolve } = await import('node:path');
  syncFs ??= await import('node:fs');
  const path = join(resolve(dir), options.name);
  const host = hostname();
  const deadline = Date.now() + (options.waitMs ?? 0);
  // a lock file caught between its creation and its first write is worth a short wait even when refusing at once
  const unreadableDeadline = Math.max(deadline, Date.now() + 8 * POLL_MS);
  let tookOverFrom: LockOwner | null = null;
  for (;;) {
    const owner: LockOwner = {
      pid: process.pid,
      host,
      started: new Date().toISOString(),
      purpose: options.purpose,
      token: `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`,
    };
    try {
      const handle = await fs.open(path, 'wx');
      // held from the instant the file exists: another save of this process that reads the file while it is
      // being written must find it held, or it would judge its own pid's lock stale and take it over
      held.set(path, owner);
      try {
        await handle.writeFile(JSON.stringify(owner));
        await handle.sync();
      } catch (error) {
        if (held.get(path)?.token === owner.token) held.delete(path);
        throw error;
      } finally {
        await handle.close();
      }
      installExitHook();
      let released = false;
      return {
        path,
        owner,
        tookOverFrom,
        release: async () => {
          if (released) return;
          released = true;
          // NOTE: the lock stays in `held` until its file is gone: a process.exit (a second Ctrl-C) while the
          // file is being removed still removes it in the exit hook
          const current = await readOwner(path);
          if (current.owner?.token === owner.token) await fs.rm(path, { force: true });
          if (held.get(path)?.token === owner.token) held.delete(path);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const current = await readOwner(path);
    if (current.raw === null) continue; // released meanwhile: try again at once
    if (isStale(path, current.owner, current.ageMs, host)) {
      tookOverFrom = current.owner;
      await removeStale(path, current.raw);
      continue;
    }
    if (Date.now() >= (current.owner ? deadline : unreadableDeadline)) {
      const who = current.owner ? describeOwner(current.owner) : 'an unknown process (the lock file is unreadable)';
      throw new FolderLockedError(
        `${dir} is in use by another dendrite process (${who}). Wait until it ends, or choose another folder; if no such process is running, delete ${path}.`,
        path,
        current.owner,
      );
    }
    await sleep(POLL_MS);
  }
}
