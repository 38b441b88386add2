// Putting the weights of a model file into a built model: manifest entries matched to the model's
// variables by name (as TF.js does), with byte counts, shapes and checksums checked.
import type { Sequential } from '../model/sequential.js';
import { formatShape } from '../tensor/shape.js';
import type { Variable } from '../tensor/tensor.js';
import type { DendriteSection, ModelJson, WeightSpec } from './format.js';
import { crc32, readWeight, specBytes } from './weights.js';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The model's weight for a manifest name: exact, then as TF.js shortens it, then without leading scopes (`sequential/dense/kernel`). */
function findVariable(name: string, byName: Map<string, Variable>): Variable | undefined {
  const exact = byName.get(name);
  if (exact) return exact;
  const tokens = name.split('/');
  const shortened = byName.get([...tokens.slice(0, -2), tokens[tokens.length - 1]].join('/'));
  if (shortened) return shortened;
  for (let i = 1; i < tokens.length - 1; i++) {
    const v = byName.get(tokens.slice(i).join('/'));
    if (v) return v;
  }
  return undefined;
}

/** Checks a data file against the byte length and CRC-32 that dendrite recorded in model.json (files from other writers have none). */
export function checkFile(section: DendriteSection | undefined, key: string, bytes: Uint8Array, name: string, jsonName: string): void {
  const expected = section?.files?.[key];
  if (!expected) return;
  if (bytes.length === expected.bytes && crc32(bytes) === expected.crc32) return;
  throw new Error(`${name} does not match ${jsonName}: ${bytes.length === expected.bytes ? 'its CRC-32 differs' : `it has ${bytes.length} bytes, ${jsonName} records ${expected.bytes}`}. The files come from different saves (an interrupted save?) or ${name} is damaged.`);
}

/** Assigns every model weight from `data` (all weight files concatenated in manifest order); TF.js optimizer weights are skipped. */
export function assignWeights(model: Sequential, json: ModelJson, data: Uint8Array, jsonName: string, weightsName: string): void {
  const manifest = json.weightsManifest ?? [];
  if (!Array.isArray(manifest)) throw new Error(`${jsonName}: weightsManifest must be a list of {paths, weights} groups.`);
  const specs: WeightSpec[] = manifest.flatMap((g) => (isObject(g) && Array.isArray(g.weights) ? (g.weights as WeightSpec[]) : []));
  let expected = 0;
  for (const spec of specs) {
    if (!isObject(spec) || typeof spec.name !== 'string' || !Array.isArray(spec.shape)) throw new Error(`${jsonName}: a weightsManifest entry lacks a name or shape: ${JSON.stringify(spec)}.`);
    try {
      expected += specBytes(spec);
    } catch (error) {
      throw new Error(`${jsonName}: ${(error as Error).message}`);
    }
  }
  if (data.length < expected) {
    throw new Error(`${weightsName} is truncated: the ${specs.length} weights in ${jsonName}'s weightsManifest need ${expected} bytes, got ${data.length}.`);
  }
  if (data.length > expected) {
    throw new Error(`${weightsName} has ${data.length} bytes but the ${specs.length} weights in ${jsonName}'s weightsManifest need ${expected}; the files do not belong together.`);
  }
  checkFile(json.dendrite, 'weights.bin', data, weightsName, jsonName);

  const variables = model.weights;
  const byName = new Map(variables.map((v) => [v.name, v]));
  const set = new Set<Variable>();
  let offset = 0;
  let modelSpecs = 0;
  for (const spec of specs) {
    const start = offset;
    offset += specBytes(spec);
    if (spec.group === 'optimizer') continue; // TF.js' own optimizer weights: dendrite keeps optimizer state in optimizer.bin
    modelSpecs++;
    const v = findVariable(spec.name, byName);
    if (!v) {
      throw new Error(`${jsonName}: weight '${spec.name}' in the weightsManifest belongs to no layer of the model (the model's weights: ${variables.map((w) => w.name).join(', ') || 'none'}).`);
    }
    if (set.has(v)) throw new Error(`${jsonName}: the weightsManifest gives weight '${v.name}' twice.`);
    if (spec.shape.length !== v.shape.length || spec.shape.some((d, i) => d !== v.shape[i])) {
      throw new Error(`${jsonName}: weight '${spec.name}' has shape ${formatShape(spec.shape)} in the weightsManifest but the model's '${v.name}' has shape ${formatShape(v.shape)}.`);
    }
    try {
      v.assign(readWeight(data, start, spec));
    } catch (error) {
      throw new Error(`${jsonName}: ${(error as Error).message}`);
    }
    set.add(v);
  }
  const missing = variables.filter((v) => !set.has(v));
  if (missing.length > 0) {
    throw new Error(`${jsonName}: the weightsManifest has ${modelSpecs} model weights but the model has ${variables.length}; no values for ${missing.map((v) => `'${v.name}' ${formatShape(v.shape)}`).join(', ')}.`);
  }
}
