// Which files a model.json names: the weight files of its weightsManifest, the optimizer state, the
// companion files saved with the model (a table model's preprocessing.json), and the byte length and
// CRC-32 recorded for each. model.json is the one pointer to a model's data: a save writes the data under
// fresh names, then switches model.json (see model-transaction.ts). Browser-safe (no file access).
import type { ModelJson } from './format.js';

/**
 * A copy of `json` in which every data file `name` (as the save calls it: `weights.bin`, `optimizer.bin`,
 * `preprocessing.json`) lies at `pathOf(name)`: weightsManifest paths, optimizerState.path, the keys of
 * `dendrite.files` and the values of `dendrite.extraFiles` change together.
 */
export function withDataPaths(json: ModelJson, pathOf: (name: string) => string): ModelJson {
  const copy = structuredClone(json);
  for (const group of copy.weightsManifest ?? []) group.paths = group.paths.map(pathOf);
  const section = copy.dendrite;
  if (section?.optimizerState) section.optimizerState.path = pathOf(section.optimizerState.path);
  if (section?.files) section.files = Object.fromEntries(Object.entries(section.files).map(([name, record]) => [pathOf(name), record]));
  if (section?.extraFiles) section.extraFiles = Object.fromEntries(Object.entries(section.extraFiles).map(([name, path]) => [name, pathOf(path)]));
  return copy;
}

/** Every file name that `json` refers to, relative to its folder. */
export function filesNamedBy(json: unknown): Set<string> {
  const named = new Set<string>();
  if (typeof json !== 'object' || json === null) return named;
  const { weightsManifest, dendrite } = json as Partial<ModelJson>;
  const add = (name: unknown) => typeof name === 'string' && named.add(name);
  if (Array.isArray(weightsManifest)) for (const group of weightsManifest) if (Array.isArray(group?.paths)) group.paths.forEach(add);
  if (typeof dendrite === 'object' && dendrite !== null) {
    add(dendrite.optimizerState?.path);
    if (typeof dendrite.files === 'object' && dendrite.files !== null) Object.keys(dendrite.files).forEach(add);
    if (typeof dendrite.extraFiles === 'object' && dendrite.extraFiles !== null) Object.values(dendrite.extraFiles).forEach(add);
  }
  return named;
}

/** The files dendrite wrote for `json` and recorded with their CRC (`dendrite.files`): a later save may remove them once unreferenced. */
export function filesRecordedBy(json: unknown): Set<string> {
  const files = (json as Partial<ModelJson> | null)?.dendrite?.files;
  return new Set(typeof files === 'object' && files !== null ? Object.keys(files) : []);
}
