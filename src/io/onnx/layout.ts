// Where the NHWC <-> NCHW transposes go. dendrite's images are NHWC; ONNX's Conv, pooling and Resize want
// NCHW. A value remembers which layout it is in, so consecutive image layers stay in NCHW and a transpose
// appears only where a layer that needs the other layout (Dense, Flatten, Reshape, the model output) follows.
import type { SymbolicShape } from '../../nn/layer.js';
import type { GraphBuilder } from './graph.js';

/**
 * A tensor in the graph being built: its value name, its `shape` as dendrite sees it (batch first, NHWC for
 * images) and the layout it is actually stored in (`'nchw'` only for rank-4 image batches).
 */
export interface Value {
  readonly name: string;
  readonly shape: SymbolicShape;
  readonly layout: 'nhwc' | 'nchw';
  /** The Keras mask that goes with the value (`Embedding({ maskZero })`, `Masking`), if any: see masks.ts. */
  readonly mask?: ValueMask;
}

/**
 * A value's mask in the graph: a float32 tensor of 1 (real step) and 0 (padding), `shape` as dendrite's mask
 * ([batch, timesteps] for sequences), made by the layer call `from`; or, where the export cannot compute the mask
 * a layer makes, `name: null`, so that a layer reading it refuses instead of ignoring it.
 */
export interface ValueMask {
  readonly name: string | null;
  readonly shape: SymbolicShape;
  /** The layer that made the mask, for error messages (`'embedding' (Embedding)`). */
  readonly from: string;
}

/** `x` transposed by `perm` into `layout`: one Transpose per value and layout, however many layers read it (a graph's branches). */
function relaid(g: GraphBuilder, x: Value, layout: Value['layout'], name: string, perm: readonly number[]): Value {
  const key = `${layout}:${x.name}`;
  let transposed = g.relaid.get(key);
  if (transposed === undefined) {
    transposed = g.node('Transpose', [x.name], name, { perm });
    g.relaid.set(key, transposed);
    // and back: the transposed value in the first layout is the value it came from
    g.relaid.set(`${x.layout}:${transposed}`, x.name);
  }
  return { ...x, layout, name: transposed };
}

/** The value in NCHW (a Transpose unless it already is). */
export function toNchw(g: GraphBuilder, x: Value, base: string): Value {
  if (x.layout === 'nchw') return x;
  if (x.shape.length !== 4) throw new Error(`ONNX export: ${base} needs a rank-4 image batch, got rank ${x.shape.length}.`);
  return relaid(g, x, 'nchw', `${base}/to_nchw`, [0, 3, 1, 2]);
}

/** The value in dendrite's own layout, NHWC for images (a Transpose unless it already is). */
export function toNhwc(g: GraphBuilder, x: Value, base: string): Value {
  if (x.layout === 'nhwc') return x;
  return relaid(g, x, 'nhwc', `${base}/to_nhwc`, [0, 2, 3, 1]);
}

/** Where axis `axis` of dendrite's (NHWC) shape lives in the stored tensor. */
export function storedAxis(x: Value, axis: number): number {
  const a = axis < 0 ? axis + x.shape.length : axis;
  return x.layout === 'nchw' ? [0, 2, 3, 1][a] : a;
}
