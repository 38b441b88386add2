// Writing files so that a crash never leaves a half-written file where a good one was: each file is written
// and flushed under a temporary name in the same folder, then renamed over the old one (rename within a
// folder is atomic on POSIX file systems), and the folder is flushed so that the rename itself survives a
// power cut. A save of several files that must match one another goes through `commitModelFolder`
// (model-transaction.ts), which builds on these pieces. Node.js only.
import { makeFolder } from './make-folder.js';

let tempCounter = 0;

/**
 * Temporary files this process is writing now (full paths): a cleanup of stale temporaries in the same
 * process must not take them.
 */
export const inFlightTemps = new Set<string>();

/** A fresh name for a temporary copy of `name`: `<name>.tmp-<pid>-<stamp>`, unique in this process. */
export function tempName(name: string): string {
  return `${name}.tmp-${process.pid}-${Date.now().toString(36)}${(tempCounter++).toString(36)}`;
}

/** The pid that wrote a temporary file named by `tempName`, or null for any other name. */
export function tempWriter(name: string): number | null {
  const match = /\.tmp-(\d+)-[0-9a-z]+$/.exec(name);
  return match ? Number(match[1]) : null;
}

/** Writes `data` to a new file at `path` and flushes it to the disk before returning. */
export async function writeDurably(path: string, data: Uint8Array | string): Promise<void> {
  const fs = await import('node:fs/promises');
  const handle = await fs.open(path, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Flushes the folder's entries (created, renamed, removed names) to the disk. Some systems (Windows) cannot
 * open a folder for that; there the rename is as durable as the system makes it.
 */
export async function syncFolder(dir: string): Promise<void> {
  const fs = await import('node:fs/promises');
  let handle: import('node:fs/promises').FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // best effort: the data itself is already flushed
  } finally {
    await handle?.close().catch(() => {});
  }
}

/** Replaces `dir/name` with `data` in one atomic rename (a reader sees the old file or the new, whole). */
export async function replaceFile(dir: string, name: string, data: Uint8Array | string): Promise<void> {
  await writeFilesAtomically(dir, [[name, data]], { createFolder: false });
}

/**
 * Writes `files` (name -> bytes) into `dir`, each one atomically, in the given order; creates `dir` if
 * needed. Files that must match one another (a model and its weights) need `commitModelFolder` instead:
 * here a crash between two renames leaves one new file beside an old one.
 */
export async function writeFilesAtomically(
  dir: string,
  files: readonly [string, Uint8Array | string][],
  options: { createFolder?: boolean } = {},
): Promise<void> {
  const fs = await import('node:fs/promises');
  const { join } = await import('node:path');
  if (options.createFolder ?? true) await makeFolder(dir);
  const temps = files.map(([name]) => join(dir, tempName(name)));
  for (const t of temps) inFlightTemps.add(t);
  try {
    for (const [i, [, data]] of files.entries()) await writeDurably(temps[i], data);
    for (const [i, [name]] of files.entries()) await fs.rename(temps[i], join(dir, name));
    await syncFolder(dir);
  } catch (error) {
    await Promise.all(temps.map((t) => fs.rm(t, { force: true })));
    throw error;
  } finally {
    for (const t of temps) inFlightTemps.delete(t);
  }
}
