// Writing model files so that a crash never leaves a half-written file where a good one was: each file
// is written and flushed under a temporary name in the same folder, then renamed over the old one
// (rename within a folder is atomic on POSIX file systems).

/** Writes `files` (name -> bytes) into `dir` atomically per file, in the given order. */
export async function writeFilesAtomically(dir: string, files: readonly [string, Uint8Array | string][]): Promise<void> {
  const fs = await import('node:fs/promises');
  const { join } = await import('node:path');
  await fs.mkdir(dir, { recursive: true });
  const suffix = `.tmp-${process.pid}-${Date.now().toString(36)}`;
  const temps: string[] = [];
  try {
    for (const [name, data] of files) {
      const temp = join(dir, name + suffix);
      temps.push(temp);
      const handle = await fs.open(temp, 'w');
      try {
        await handle.writeFile(data);
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    // NOTE: the last file (model.json) is renamed last, so a reader never sees a manifest naming weights
    // that are not there yet.
    for (const [i, [name]] of files.entries()) await fs.rename(temps[i], join(dir, name));
  } catch (error) {
    await Promise.all(temps.map((t) => fs.rm(t, { force: true })));
    throw error;
  }
}
