// Reading a model folder in Node.js: model.json and the files it names. Those names come from the file, so they
// are untrusted: each must lead to a regular file inside the folder (readFileInFolder: no '..', no absolute
// path, no symbolic link leading out, no pipe or device), and the files' sizes are compared with what model.json
// declares before any of them is read. So a model folder can neither make dendrite read another file on the
// machine nor make it hang or allocate more than its files hold.
import { readTopology } from './build-model.js';
import { readDendriteSection } from './checkpoint-fields.js';
import { FolderFileError, readRegularFile, resolveInFolder } from './folder-files.js';
import { checkOptimizerBytes } from './load-compile.js';
import { checkWeightBytes, readManifest } from './manifest.js';
import { checkDepth, isObject, type Json } from './untrusted-json.js';

/** The largest model.json read: far above any real one (a 20,000-layer model's is a few MB), far below memory. */
export const MAX_MODEL_JSON_BYTES = 256 * 2 ** 20;

export interface ModelFolder {
  /** The parsed model.json. */
  json: Json;
  jsonPath: string;
  /** All weight files, concatenated in manifest order. */
  weights: Uint8Array;
  /** The weight files' paths, for messages. */
  weightsName: string;
  /** The optimizer's state file, when model.json names one and it was asked for. */
  optimizerData?: Uint8Array;
  optimizerName?: string;
}

/** `JSON.parse` with the position of a syntax error as line and column. */
export function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    if (!(error instanceof SyntaxError)) throw new Error(`${file} cannot be read as JSON: ${message}.`);
    const match = /position (\d+)/.exec(message);
    let where = '';
    if (match) {
      const pos = Number(match[1]);
      const before = text.slice(0, pos).split('\n');
      where = ` (line ${before.length}, column ${before[before.length - 1].length + 1})`;
    } else if (/end of JSON/i.test(message)) {
      where = ' (it ends early: truncated?)';
    }
    throw new Error(`${file} is not valid JSON: ${message}${where}.`);
  }
}

/** Reads model.json, the path of a model folder or of its model.json, as a regular file of sane size. */
async function readModelJson(path: string): Promise<{ json: Json; jsonPath: string; dir: string }> {
  const { stat } = await import('node:fs/promises');
  const { dirname, join } = await import('node:path');
  const info = await stat(path).catch(() => null);
  if (!info) throw new Error(`${path} does not exist.`);
  const dir = info.isDirectory() ? path : dirname(path);
  const jsonPath = info.isDirectory() ? join(path, 'model.json') : path;
  let bytes: Uint8Array;
  try {
    bytes = await readRegularFile(jsonPath, { maxBytes: MAX_MODEL_JSON_BYTES });
  } catch (error) {
    if (error instanceof FolderFileError && error.reason === 'missing')
      throw new Error(`${jsonPath} not found: ${dir} holds no saved model (model.save writes model.json + weights.bin).`);
    throw error;
  }
  const json = parseJson(new TextDecoder().decode(bytes), jsonPath);
  checkDepth(json, jsonPath);
  if (!isObject(json))
    throw new Error(`${jsonPath}: expected a JSON object, got ${Array.isArray(json) ? 'a list' : String(json === null ? 'null' : typeof json)}.`);
  return { json, jsonPath, dir };
}

/** Which model.json a folder holds now (a save replaces it by a rename: a new inode), or null when there is none. */
export async function modelJsonStamp(path: string): Promise<string | null> {
  const { stat } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const info = await stat(path).catch(() => null);
  const json = info?.isDirectory() ? await stat(join(path, 'model.json')).catch(() => null) : info;
  return json ? `${json.ino}:${json.size}:${json.mtimeMs}` : null;
}

/**
 * Reads a model folder (or the path of its model.json) with the files it names: the weight files, and the
 * optimizer's state when `optimizer` is set. Node.js only.
 */
export async function readModelFolder(path: string, options: { optimizer: boolean }): Promise<ModelFolder> {
  const { basename, join } = await import('node:path');
  const { json, jsonPath, dir } = await readModelJson(path);
  const jsonFile = basename(jsonPath);
  readTopology(json, jsonPath);
  const manifest = readManifest(json, jsonPath);
  const section = readDendriteSection(json, jsonPath);

  // every file is located and measured before any is read: a hostile size fails here, small
  const files = [];
  for (const { path: name, field } of manifest.paths) {
    const namedBy = `${jsonFile}'s ${field}`;
    const { path: real, size } = await resolveInFolder(dir, name, { namedBy });
    files.push({ real, size, shown: join(dir, name), namedBy });
  }
  const weightsName = files.length === 0 ? 'the weight data' : files.map((f) => f.shown).join(' + ');
  checkWeightBytes(
    manifest,
    files.reduce((n, f) => n + f.size, 0),
    jsonPath,
    weightsName,
  );
  const parts: Uint8Array[] = [];
  for (const f of files) parts.push(await readRegularFile(f.real, { exactBytes: f.size, shownName: f.shown, namedBy: f.namedBy }));
  const weights = parts.length === 1 ? parts[0] : concat(parts);

  const spec = section.optimizerState;
  if (!options.optimizer || !spec) return { json, jsonPath, weights, weightsName };
  const namedBy = `${jsonFile}'s dendrite.optimizerState.path`;
  const { path: real, size } = await resolveInFolder(dir, spec.path, { namedBy });
  const optimizerName = join(dir, spec.path);
  checkOptimizerBytes(spec, size, jsonPath, optimizerName);
  const optimizerData = await readRegularFile(real, { exactBytes: size, shownName: optimizerName, namedBy });
  return { json, jsonPath, weights, weightsName, optimizerData, optimizerName };
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, b) => n + b.length, 0));
  let offset = 0;
  for (const b of parts) {
    out.set(b, offset);
    offset += b.length;
  }
  return out;
}
