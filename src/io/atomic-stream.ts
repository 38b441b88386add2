// A file written piece by piece (a CSV of predictions, as large as its input) that appears whole or not at
// all: the pieces go to a temporary file in the same folder, which is flushed and renamed over the target
// only when everything is written. Node.js only.
import { inFlightTemps, syncFolder, tempName } from './atomic.js';

export interface AtomicFile {
  /** Appends text (UTF-8). */
  write(text: string): Promise<void>;
  /** Flushes the file and puts it in place of the target. */
  commit(): Promise<void>;
  /** Removes the temporary file; the target is untouched. */
  abort(): Promise<void>;
}

/** Opens a temporary file beside `path`, to be committed in its place. */
export async function openAtomicFile(path: string): Promise<AtomicFile> {
  const fs = await import('node:fs/promises');
  const { basename, dirname, join } = await import('node:path');
  const dir = dirname(path);
  const temp = join(dir, tempName(basename(path)));
  const handle = await fs.open(temp, 'wx');
  inFlightTemps.add(temp);
  let open = true;
  const close = async () => {
    if (open) {
      open = false;
      await handle.close();
    }
  };
  return {
    write: async (text) => {
      await handle.write(text);
    },
    commit: async () => {
      try {
        await handle.sync();
        await close();
        await fs.rename(temp, path);
        await syncFolder(dir);
      } catch (error) {
        await close().catch(() => {});
        await fs.rm(temp, { force: true });
        throw error;
      } finally {
        inFlightTemps.delete(temp);
      }
    },
    abort: async () => {
      await close().catch(() => {});
      await fs.rm(temp, { force: true });
      inFlightTemps.delete(temp);
    },
  };
}
