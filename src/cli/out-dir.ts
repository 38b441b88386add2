// The --out folder of a training run, prepared before any training: a run that trains for an hour and then
// finds that it cannot write its model (a file in the way, no permission, a path in /proc) has wasted the
// hour. The folder is created, proved writable by creating the run's lock file in it, and locked, so that a
// second run with the same --out is refused at its start instead of silently overwriting the first one's
// model. The lock goes when the run ends, also on an error, process.exit (a second Ctrl-C), SIGTERM or SIGHUP.
import { FolderLockedError, lockFolder, releaseAllSync, type FolderLock } from '../io/folder-lock.js';
import { makeFolder, MakeFolderError } from '../io/make-folder.js';
import { UsageError } from './errors.js';

/** The lock file of a training run in its --out folder. */
export const RUN_LOCK = '.dendrite-run.lock';

/** A prepared --out folder, locked for this run. */
export interface OutDir {
  readonly dir: string;
  /** Who held the lock before, when this run took over a stale one (its process had died), or null. */
  readonly tookOverFrom: FolderLock['tookOverFrom'];
  /** Unlocks the folder; safe to call twice. */
  release(): Promise<void>;
}

const WHY: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
};

function outError(dir: string, error: unknown): UsageError {
  if (error instanceof MakeFolderError) return new UsageError(`--out ${dir}: ${error.message}`);
  if (error instanceof FolderLockedError) {
    const who = error.holder
      ? `run pid ${error.holder.pid}${error.holder.host ? ` on ${error.holder.host}` : ''} (${error.holder.purpose}, since ${error.holder.started})`
      : 'another run';
    return new UsageError(
      `--out ${dir} is in use by another dendrite ${who}; wait for it to end or choose another --out (if no such run is going on, delete ${error.lockPath}).`,
    );
  }
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const why = WHY[code] ?? (error instanceof Error ? error.message : String(error));
  return new UsageError(`--out ${dir}: cannot write in this folder (${why}); choose another --out.`);
}

/**
 * Signals that end the process by default: the lock is removed first, then the signal is raised again so the
 * process ends as it would have (SIGINT: exit code 130). SIGINT only while no one else listens (during training the Ctrl-C handler
 * takes it, and its `process.exit` runs the exit hook that removes the lock).
 */
function releaseOnSignals(): () => void {
  const handlers = (['SIGTERM', 'SIGHUP', 'SIGINT'] as const).map((signal) => {
    const handler = (): void => {
      if (signal === 'SIGINT' && process.listenerCount('SIGINT') > 1) return;
      releaseAllSync();
      process.off(signal, handler);
      // a Ctrl-C ends with 130 whenever it comes, as the training-time handler ends (interrupt.ts)
      if (signal === 'SIGINT') process.exit(130);
      process.kill(process.pid, signal);
    };
    process.on(signal, handler);
    return () => process.off(signal, handler);
  });
  return () =>
    handlers.forEach((off) => {
      off();
    });
}

/**
 * Creates the --out folder `dir` (and its parents) if needed, checks that it is a writable folder and locks it
 * for this run; throws a one-line `UsageError` for a file in the way, a folder that cannot be written, a
 * path in /proc, or a folder another live run holds. A lock left by a run that was killed is taken over,
 * with a note on stderr.
 *
 *     const out = await prepareOutDir('./dendrite-models/houses', 'dendrite train houses.csv');
 *     try { ...train and save... } finally { await out.release(); }
 */
export async function prepareOutDir(dir: string, purpose: string): Promise<OutDir> {
  let lock: FolderLock;
  let created: string[] = [];
  try {
    created = await makeFolder(dir);
    lock = await lockFolder(dir, { name: RUN_LOCK, purpose });
  } catch (error) {
    await removeIfEmpty(created);
    throw outError(dir, error);
  }
  const old = lock.tookOverFrom;
  if (old)
    console.error(
      `note: ${dir} was locked by pid ${old.pid} (${old.purpose}, since ${old.started}), which ended without unlocking it (killed?); this run takes it over.`,
    );
  const stopListening = releaseOnSignals();
  return {
    dir,
    tookOverFrom: lock.tookOverFrom,
    release: async () => {
      // unlock first, then stop listening: a Ctrl-C in between would end the process by the signal with the
      // lock file still there
      await lock.release();
      stopListening();
      // a run that failed before saving anything leaves no empty folder behind (a folder with files stays)
      await removeIfEmpty(created);
    },
  };
}

/** Removes the folders this run created, deepest first, as long as they are empty. */
async function removeIfEmpty(created: readonly string[]): Promise<void> {
  const { rmdir } = await import('node:fs/promises');
  for (const folder of [...created].reverse()) {
    if (
      !(await rmdir(folder).then(
        () => true,
        () => false,
      ))
    )
      return;
  }
}
