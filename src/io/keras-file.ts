// Model files of Keras' own formats, by their path: a Keras 3 `.keras` archive or a legacy Keras `.h5` model, read
// with its size checked first (a regular file, never a pipe or a device), then handed to the format's reader.
// Node.js only; the readers themselves take bytes and are browser-safe.
import type { LoadedCheckpoint, LoadOptions } from './load.js';
import { kerasFileBytes } from './keras3/write-keras.js';
import type { SaveOptions } from './save.js';
import type { LoadableModel, ModelMakers, SaveableModel } from './saveable-model.js';

/** The Keras format a path names by its extension, or null for anything else (a TF.js model folder or model.json). */
export function kerasFormatOf(path: string): 'keras' | 'h5' | null {
  const lower = path.toLowerCase();
  if (lower.endsWith('.keras')) return 'keras';
  if (lower.endsWith('.h5') || lower.endsWith('.hdf5')) return 'h5';
  return null;
}

/** The largest Keras file read: an ArrayBuffer's limit. */
const MAX_KERAS_FILE_BYTES = 2 ** 31 - 1;

/** The model in the `.keras` or `.h5` file at `path`, as a checkpoint without training progress (Keras files keep none). */
export async function readKerasPath<M extends LoadableModel>(path: string, makers: ModelMakers<M>, options: LoadOptions = {}): Promise<LoadedCheckpoint<M>> {
  const format = kerasFormatOf(path);
  const { readRegularFile } = await import('./folder-files.js');
  const bytes = await readRegularFile(path, { maxBytes: MAX_KERAS_FILE_BYTES });
  let loaded: { model: M; optimizerRestored: boolean };
  if (format === 'keras') {
    const { readKerasFile } = await import('./keras3/read-keras.js');
    loaded = await readKerasFile(bytes, path, makers, options);
  } else if (format === 'h5') {
    const { readKerasH5Checkpoint } = await import('./keras-h5.js');
    loaded = await readKerasH5Checkpoint(bytes, path, makers, options);
  } else {
    throw new Error(`${path}: not a .keras or .h5 file.`);
  }
  return { model: loaded.model, epoch: 0, rngState: null, logs: null, progress: null, metadata: null, optimizerRestored: loaded.optimizerRestored };
}

/**
 * Saves `model` as a Keras 3 `.keras` archive at `path`, atomically (a reader sees the old file or the new one,
 * whole). The optimizer's state goes in whenever the model is compiled, as Keras does. The TF.js format's extras
 * (training progress, metadata, companion files) have no place in a `.keras` file.
 */
export async function saveKerasPath(model: SaveableModel, path: string, options: SaveOptions = {}): Promise<void> {
  // nothing is awaited before the model's values are copied (kerasFileBytes copies them before its first await)
  if (kerasFormatOf(path) === 'h5') {
    throw new Error(
      `save of model '${model.name}': '${path}' is a legacy Keras .h5 file, which dendrite reads but does not write; save to a .keras file (Keras 3) or a folder (TF.js format).`,
    );
  }
  const extras = (['trainingState', 'metadata', 'extraFiles'] as const).filter((k) => options[k] !== undefined);
  if (extras.length > 0) {
    throw new Error(`save of model '${model.name}' to ${path}: ${extras.join(', ')} can be saved in the TF.js format (a folder) only, not in a .keras file.`);
  }
  const bytes = await kerasFileBytes(model);
  const { dirname, basename } = await import('node:path');
  const { writeFilesAtomically } = await import('./atomic.js');
  await writeFilesAtomically(dirname(path), [[basename(path), bytes]]);
}
