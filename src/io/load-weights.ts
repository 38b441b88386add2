// Putting the weights of a model file into a model while it is built: each weight a layer creates takes its
// values from the manifest entry that names it (matched by name, as TF.js does), with its shape checked against
// that entry first. So no initializer runs for a weight the file overwrites, and a layer declaring a huge kernel
// that the manifest does not match fails before that kernel's memory is allocated.
import type { WeightSource } from '../nn/layer.js';
import { formatShape } from '../tensor/shape.js';
import type { Manifest, ManifestEntry } from './manifest.js';
import type { SaveableModel } from './saveable-model.js';
import { listNames } from './untrusted-json.js';
import { crc32, readWeight } from './weights.js';

/** Checks a data file against the byte length and CRC-32 that dendrite recorded in model.json (files from other writers have none). */
export function checkFile(files: ReadonlyMap<string, { bytes: number; crc32: number }>, key: string, bytes: Uint8Array, name: string, jsonName: string): void {
  const expected = files.get(key);
  if (!expected) return;
  if (bytes.length === expected.bytes && crc32(bytes) === expected.crc32) return;
  throw new Error(
    `${name} does not match ${jsonName}: ${bytes.length === expected.bytes ? 'its CRC-32 differs' : `it has ${bytes.length} bytes, ${jsonName} records ${expected.bytes}`}. The files come from different saves (an interrupted save?) or ${name} is damaged.`,
  );
}

/**
 * The model-variable names a manifest name may stand for, after the exact one: TF.js' shortened form
 * (`a/b/kernel` -> `a/kernel`), then the name without leading scopes (`sequential/dense/kernel` -> `dense/kernel`),
 * then both (`sequential/lstm/lstm_cell/kernel` -> `lstm/kernel`: the converter's file of a Keras 3 .h5 names a
 * weight by the model's scope, the layer's and the cell's).
 */
function aliases(manifestName: string): string[] {
  const tokens = manifestName.split('/');
  const shortened = (t: string[]) => [...t.slice(0, -2), t[t.length - 1]].join('/');
  const out: string[] = [];
  if (tokens.length > 2) out.push(shortened(tokens));
  for (let i = 1; i < tokens.length - 1; i++) out.push(tokens.slice(i).join('/'));
  for (let i = 1; i < tokens.length - 2; i++) out.push(shortened(tokens.slice(i)));
  return out;
}

/** An error of the weight source: it already names the file (model.json, or the weight file for a bad value). */
export class WeightFileError extends Error {}

export interface ManifestWeights {
  /** Install with `withWeightSource` while the model is built. */
  source: WeightSource;
  /** After the build: every model weight the manifest lists must have gone to a layer. */
  checkAllUsed(model: SaveableModel): void;
}

/** A weight source that hands out the manifest's weights from `data` (all weight files concatenated in manifest order). */
export function manifestWeights(manifest: Manifest, data: Uint8Array, jsonName: string, weightsName: string): ManifestWeights {
  // TF.js files may hold the optimizer's weights too (group 'optimizer'); dendrite keeps optimizer state in its own file
  const entries = manifest.entries.filter((e) => e.spec.group !== 'optimizer');
  const exact = new Map(entries.map((e) => [e.spec.name, e]));
  const byAlias = new Map<string, ManifestEntry[]>();
  for (const e of entries) {
    for (const alias of aliases(e.spec.name)) byAlias.set(alias, [...(byAlias.get(alias) ?? []), e]);
  }
  const used = new Set<ManifestEntry>();
  const find = (name: string) => [exact.get(name), ...(byAlias.get(name) ?? [])].find((e): e is ManifestEntry => e !== undefined && !used.has(e));
  const source: WeightSource = (name, shape) => {
    // Keras 3 names DepthwiseConv2D's weight `kernel` where TF.js and Keras 2 name it `depthwise_kernel`
    const entry = find(name) ?? (name.endsWith('/depthwise_kernel') ? find(`${name.slice(0, -'depthwise_kernel'.length)}kernel`) : undefined);
    if (!entry) {
      throw new WeightFileError(
        `${jsonName}: the weightsManifest has no values for the model's weight '${name}' ${formatShape(shape)}; it lists ${entries.length} model weights: ${listNames(entries.map((e) => e.spec.name))}.`,
      );
    }
    const spec = entry.spec;
    if (spec.shape.length !== shape.length || spec.shape.some((d, i) => d !== shape[i])) {
      throw new WeightFileError(
        `${jsonName}: weight '${spec.name}' has shape ${formatShape(spec.shape)} in the weightsManifest but the model's '${name}' has shape ${formatShape(shape)}.`,
      );
    }
    used.add(entry);
    try {
      return readWeight(data, entry.offset, spec, weightsName);
    } catch (error) {
      throw new WeightFileError((error as Error).message);
    }
  };
  return {
    source,
    checkAllUsed(model) {
      const unused = entries.find((e) => !used.has(e));
      if (unused) {
        throw new Error(
          `${jsonName}: weight '${unused.spec.name}' in the weightsManifest belongs to no layer of the model (the model's weights: ${listNames(model.weights.map((w) => w.name))}).`,
        );
      }
    },
  };
}
