// Saving a model folder as one atomic change. A model is several files that must match one another
// (model.json, weights.bin, optimizer.bin, a table model's preprocessing.json), and a rename is atomic for
// one file only: renaming them one by one, a kill between two renames left a model.json whose CRC did not
// match its weights, and the previous good model was gone too. Here model.json is the only pointer to the
// data, and it is switched by one rename:
//   1. every data file is written and flushed under a fresh name that nothing refers to yet;
//   2. model.json is replaced by one naming those fresh files: from this rename on, the new model loads;
//   3. the data gets its usual names (weights.bin...) as hard links to the fresh files (one file, two
//      names), the old files of those names being unreferenced since step 2;
//   4. model.json is replaced again, naming the usual names;
//   5. the fresh names, temporaries of earlier killed saves and files only the old model used are removed.
// After a kill at any instant, model.json names complete files: the old set before step 2, the new one
// after. Where hard links are not supported the save stops after step 2: the model loads, with the fresh
// names. A lock file serialises saves into one folder, in this process and across processes. Node.js only.
import { inFlightTemps, replaceFile, syncFolder, tempName, tempWriter, writeDurably } from './atomic.js';
import { readRegularFile } from './folder-files.js';
import { lockFolder, processAlive } from './folder-lock.js';
import type { ModelJson } from './format.js';
import { makeFolder } from './make-folder.js';
import { filesNamedBy, filesRecordedBy, withDataPaths } from './model-files.js';

/** The lock file taken around one save. */
export const SAVE_LOCK = '.dendrite-save.lock';
/** A model.json larger than this is not read for cleanup (as the loader, read-model-folder.ts, refuses it). */
const MAX_MODEL_JSON_BYTES = 256 * 2 ** 20;
/** How long a save waits for another save into the same folder to end. */
const SAVE_LOCK_WAIT_MS = 120_000;

/** model.json's text as saved: one space of indentation keeps it readable and small. */
function jsonText(json: ModelJson): string {
  return JSON.stringify(json, null, 1);
}

/** The model.json being replaced, parsed, or null (none, damaged, or not a regular file: a pipe must not block the save). */
async function readModelJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(new TextDecoder().decode(await readRegularFile(path, { maxBytes: MAX_MODEL_JSON_BYTES })));
  } catch {
    return null;
  }
}

/**
 * Writes `modelJson` (naming its data files by their usual names) and the contents of those files
 * (`data`: name -> bytes) into `dir` as one atomic change: after a crash at any instant, the folder holds
 * the complete old model or the complete new one. Creates `dir` if needed.
 */
export async function commitModelFolder(dir: string, modelJson: ModelJson, data: ReadonlyMap<string, Uint8Array | string>): Promise<void> {
  await makeFolder(dir);
  const lock = await lockFolder(dir, { name: SAVE_LOCK, purpose: 'saving a model', waitMs: SAVE_LOCK_WAIT_MS });
  try {
    await commitLocked(dir, modelJson, data);
  } finally {
    await lock.release();
  }
}

async function commitLocked(dir: string, modelJson: ModelJson, data: ReadonlyMap<string, Uint8Array | string>): Promise<void> {
  const fs = await import('node:fs/promises');
  const { join } = await import('node:path');
  const previous = await readModelJson(join(dir, 'model.json'));
  const fresh = new Map([...data.keys()].map((name) => [name, tempName(name)]));
  const freshPaths = [...fresh.values()].map((f) => join(dir, f));
  for (const p of freshPaths) inFlightTemps.add(p);
  try {
    // 1 and 2: until model.json is replaced, a failure leaves the old model as it was
    const freshJson = withDataPaths(modelJson, (name) => fresh.get(name) ?? name);
    try {
      for (const [name, bytes] of data) await writeDurably(join(dir, fresh.get(name)!), bytes);
      await syncFolder(dir);
      await replaceFile(dir, 'model.json', jsonText(freshJson));
    } catch (error) {
      await Promise.all(freshPaths.map((p) => fs.rm(p, { force: true })));
      throw error;
    }
    // the new model is saved; what follows only tidies names, and a failure there leaves it loadable
    const usualNames = await giveUsualNames(dir, fresh, modelJson);
    if (usualNames) await Promise.all(freshPaths.map((p) => fs.rm(p, { force: true }).catch(() => {})));
    await removeUnreferenced(dir, filesNamedBy(usualNames ? modelJson : freshJson), previous);
  } finally {
    for (const p of freshPaths) inFlightTemps.delete(p);
  }
}

/**
 * Steps 3 and 4: links each fresh file to its usual name, then points model.json at those names. Returns
 * false (model.json still naming the fresh files, which is a complete model) where that is not possible.
 */
async function giveUsualNames(dir: string, fresh: ReadonlyMap<string, string>, modelJson: ModelJson): Promise<boolean> {
  const fs = await import('node:fs/promises');
  const { join } = await import('node:path');
  try {
    for (const [name, freshName] of fresh) {
      // model.json names the fresh file now, so the old file of this name is nobody's
      await fs.rm(join(dir, name), { force: true });
      await fs.link(join(dir, freshName), join(dir, name));
    }
    await syncFolder(dir);
    await replaceFile(dir, 'model.json', jsonText(modelJson));
    return true;
  } catch {
    // no hard links on this file system (EPERM, ENOTSUP, EXDEV on FAT or some network shares), or a full
    // disk: the fresh names stay, and model.json, which names them, holds a complete model
    return false;
  }
}

/**
 * Step 5: removes what no model.json names any more: temporaries of this and earlier saves (by their
 * `<name>.tmp-<pid>-<stamp>` pattern, where that process has ended or is this one and is not writing them
 * now), and the files the replaced model.json recorded (an old preprocessing.json of a table model).
 * Never a file that `named` holds.
 */
async function removeUnreferenced(dir: string, named: ReadonlySet<string>, previous: unknown): Promise<void> {
  const fs = await import('node:fs/promises');
  const { join } = await import('node:path');
  const entries = await fs.readdir(dir).catch(() => [] as string[]);
  const oldFiles = filesRecordedBy(previous);
  for (const name of entries) {
    if (named.has(name) || name === 'model.json') continue;
    const writer = tempWriter(name);
    const path = join(dir, name);
    const staleTemp = writer !== null && (writer === process.pid ? !inFlightTemps.has(path) : !processAlive(writer));
    if (staleTemp || oldFiles.has(name)) await fs.rm(path, { force: true }).catch(() => {});
  }
}
