// Keras masks in the exported graph. A model passes each layer call the mask of its input and takes the mask of
// its output from the layer's `computeMask` (model/masks.ts); the export follows the same rule value by value: a
// layer that keeps `Layer.computeMask` passes the mask on when it `supportsMasking` and drops it otherwise, and a
// layer that overrides it needs a rule of its own here (`MaskRule`, beside its converter), else its output's mask
// is unknown. Only the layers that read a mask (a recurrent layer) look at it, and refuse an unknown one, so a
// mask the export cannot follow is an error, never ignored.
import { Layer } from '../../nn/layer.js';
import type { GraphBuilder } from './graph.js';
import type { Value, ValueMask } from './layout.js';

/** The masks of a layer call's outputs (null: none), given its inputs (with their masks) and its outputs' values. */
export type MaskRule = (g: GraphBuilder, layer: Layer, inputs: readonly Value[], outputs: readonly Value[]) => (ValueMask | null)[];

/** `'name' (ClassName)`, as errors name a layer. */
export function describe(layer: { readonly name: string; readonly className: string }): string {
  return `'${layer.name}' (${layer.className})`;
}

/** Layer's own computeMask, as models apply it: the call's mask (one, or a list) when supportsMasking, spread over the outputs. */
function defaultMasks(layer: Layer, inputs: readonly Value[], count: number): (ValueMask | null)[] {
  const masks = inputs.map((x) => x.mask ?? null);
  if (!layer.supportsMasking || masks.every((m) => m === null)) return new Array<null>(count).fill(null);
  // as model/masks.ts' maskList: a list gives output i the i-th mask, a single mask goes to a single output only
  if (inputs.length > 1) return Array.from({ length: count }, (_, i) => masks[i] ?? null);
  return Array.from({ length: count }, (_, i) => (i === 0 && count === 1 ? masks[0] : null));
}

/**
 * `outputs` with their masks: by the layer's `rule`, by `Layer.computeMask` when the layer keeps it, else
 * unknown (`name: null`) for every output, so that a layer reading one refuses.
 */
export function withMasks(g: GraphBuilder, layer: Layer, inputs: readonly Value[], outputs: readonly Value[], rule?: MaskRule): Value[] {
  let masks: (ValueMask | null)[];
  if (rule) masks = rule(g, layer, inputs, outputs);
  else if (layer.computeMask === Layer.prototype.computeMask) masks = defaultMasks(layer, inputs, outputs.length);
  else masks = outputs.map((y) => ({ name: null, shape: y.shape.slice(0, 2), from: describe(layer) }));
  return outputs.map((y, i) => {
    const { mask: _ignored, ...rest } = y;
    const mask = masks[i];
    return mask ? { ...rest, mask } : rest;
  });
}

/** The rule of a layer whose output never has a mask. */
export const noMask: MaskRule = (_g, _layer, _inputs, outputs) => outputs.map(() => null);

/** Whether two mask shapes are the same whatever the data (the batch axis aside, every size known and equal). */
function sameShape(a: ValueMask['shape'], b: ValueMask['shape']): boolean | null {
  if (a.length !== b.length) return false;
  for (let i = 1; i < a.length; i++) {
    if (a[i] === null || b[i] === null) return null;
    if (a[i] !== b[i]) return false;
  }
  return true;
}

/**
 * The merge layers' rule (nn/layers/merge.ts): the product of the inputs' masks (a step is real when it is real in
 * every masked input), none when no input has one or when their shapes differ; unknown when a mask is, or when
 * the shapes are not known to agree.
 */
export const mergeMask: MaskRule = (g, layer, inputs, outputs) => {
  const masks = inputs.map((x) => x.mask).filter((m): m is ValueMask => m !== undefined);
  if (masks.length === 0) return outputs.map(() => null);
  const unknown = masks.find((m) => m.name === null);
  const same = masks.map((m) => sameShape(masks[0].shape, m.shape));
  if (same.includes(false)) return outputs.map(() => null);
  if (unknown || same.includes(null)) return outputs.map(() => ({ name: null, shape: masks[0].shape, from: unknown?.from ?? describe(layer) }));
  let product = masks[0].name as string;
  for (const m of masks.slice(1)) product = g.node('Mul', [product, m.name as string], `${layer.name}/mask`);
  return outputs.map(() => ({ name: product, shape: masks[0].shape, from: describe(layer) }));
};

/**
 * The mask of `x` as a float32 [batch, timesteps] value for a layer that reads it, or null when it has none;
 * throws, naming `layer` and the layer that made the mask, when the export cannot compute it.
 */
export function readMask(layer: Layer, x: Value): ValueMask | null {
  const mask = x.mask;
  if (!mask) return null;
  if (mask.name === null) {
    throw new Error(
      `ONNX export: layer ${describe(layer)} reads the mask made by ${mask.from}, which the export cannot compute. Remove the masking (maskZero, Masking) or the layer between, or export a model without it.`,
    );
  }
  return mask;
}
