// Reading a companion file that was saved with a model (`SaveOptions.extraFiles`, e.g. a table model's
// preprocessing.json), checked against the byte length and CRC-32 that model.json records for it: a
// companion from another save (an old preprocessing.json beside a new network) would silently turn every
// prediction into nonsense. Node.js only.
import { readFileInFolder, readRegularFile } from './folder-files.js';
import type { DendriteSection } from './format.js';
import { crc32 } from './weights.js';

/** model.json is text a person could read; more than this is not a model file. */
const MAX_MODEL_JSON_BYTES = 256 * 2 ** 20;
/** Companion files are small settings files (a preprocessing pipeline with its category lists). */
const MAX_COMPANION_BYTES = 256 * 2 ** 20;

/**
 * The contents (UTF-8 text) of the companion file `name` of the model saved in `dir`, or null when that
 * model has none of that name. The file is read where model.json says it lies (a save in progress may
 * still use a temporary name) and must have the length and CRC-32 recorded there; otherwise an `Error`
 * names the file and says what to do. For models saved before companions were recorded (no
 * `dendrite.extraFiles` in model.json), `dir/name` is read as it is, unchecked.
 *
 *     const text = await readCompanionFile('./dendrite-models/houses', 'preprocessing.json');
 *     if (text !== null) pipeline = TabularPipeline.fromJSON(JSON.parse(text));
 */
export async function readCompanionFile(dir: string, name: string): Promise<string | null> {
  const { join } = await import('node:path');
  const jsonPath = join(dir, 'model.json');
  const readJson = async () => new TextDecoder().decode(await readRegularFile(jsonPath, { maxBytes: MAX_MODEL_JSON_BYTES }));
  for (let attempt = 1; ; attempt++) {
    const text = await readJson();
    try {
      return await readRecorded(dir, jsonPath, text, name);
    } catch (error) {
      // a save may have switched the folder between the two reads (it renames and removes files): try again
      // with the new model.json, a few times at most
      if (attempt < 5 && (await readJson().catch(() => text)) !== text) continue;
      throw error;
    }
  }
}

/** The companion `name` as the model.json `text` records it. */
async function readRecorded(dir: string, jsonPath: string, text: string, name: string): Promise<string | null> {
  const { join } = await import('node:path');
  let section: Partial<DendriteSection> | undefined;
  try {
    const json: unknown = JSON.parse(text);
    section = typeof json === 'object' && json !== null ? ((json as { dendrite?: Partial<DendriteSection> }).dendrite ?? undefined) : undefined;
  } catch (error) {
    throw new Error(`${jsonPath} is not valid JSON (${(error as Error).message}); save the model again.`);
  }
  const recorded = section?.extraFiles;
  if (typeof recorded !== 'object' || recorded === null) return readLegacy(dir, name);
  if (!Object.hasOwn(recorded, name)) return null;
  const path = recorded[name];
  const expected = typeof path === 'string' ? section?.files?.[path] : undefined;
  if (!expected || !Number.isInteger(expected.bytes) || !Number.isInteger(expected.crc32)) {
    throw new Error(
      `${jsonPath}: dendrite.extraFiles names ${JSON.stringify(path)} for '${name}' but dendrite.files records no length and CRC-32 for it; the file is damaged: save the model again.`,
    );
  }
  const shown = join(dir, String(path));
  let bytes: Uint8Array;
  try {
    bytes = await readFileInFolder(dir, path, { namedBy: `${jsonPath}'s dendrite.extraFiles`, maxBytes: MAX_COMPANION_BYTES });
  } catch (error) {
    throw new Error(`${(error as Error).message.replace(/\.$/, '')}; it belongs to the model and must be saved with it: save the model again.`);
  }
  if (bytes.length !== expected.bytes || crc32(bytes) !== expected.crc32) {
    const why =
      bytes.length !== expected.bytes
        ? `it has ${bytes.length} bytes, ${jsonPath} records ${expected.bytes}`
        : 'its CRC-32 differs from the one model.json records';
    throw new Error(`${shown} does not belong to the model in ${dir}: ${why}. It was replaced or damaged after the model was saved; save the model again.`);
  }
  return new TextDecoder().decode(bytes);
}

/** `dir/name` as it is, or null when there is none: the model.json predates recorded companions. */
async function readLegacy(dir: string, name: string): Promise<string | null> {
  try {
    return new TextDecoder().decode(await readFileInFolder(dir, name, { namedBy: 'the model folder', maxBytes: MAX_COMPANION_BYTES }));
  } catch (error) {
    if ((error as { reason?: string }).reason === 'missing') return null;
    throw error;
  }
}
