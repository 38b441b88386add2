/** A tensor's dimensions, outermost first. `[]` is a scalar. */
export type Shape = readonly number[];

/** Number of elements of a tensor of this shape. */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides: how far apart consecutive indices of each axis are in the flat data. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** `[2, 3]` -> `"[2, 3]"`; `null` dims (unknown batch) print as `null`. */
export function formatShape(shape: readonly (number | null)[]): string {
  return `[${shape.map((d) => (d === null ? 'null' : String(d))).join(', ')}]`;
}

/** Numpy broadcasting: align from the right; a dimension of 1 stretches to match. */
export function broadcastShapes(a: Shape, b: Shape): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(`Shapes ${formatShape(a)} and ${formatShape(b)} cannot be broadcast together (axis ${i - rank}: ${da} vs ${db}).`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Python-style axis: -1 is the last axis. Throws with the valid range when out of bounds. */
export function normalizeAxis(axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    const valid = rank === 0 ? 'a scalar has no axes' : `valid: ${-rank}..${rank - 1}`;
    throw new Error(`Axis ${axis} is out of range for a tensor of rank ${rank} (${valid}).`);
  }
  return axis < 0 ? axis + rank : axis;
}

/** Axis argument of a reduction: undefined/null means all axes. Returns sorted, unique, non-negative axes. */
export function normalizeAxes(axis: number | readonly number[] | null | undefined, rank: number): number[] {
  if (axis === undefined || axis === null) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axis === 'number' ? [axis] : axis;
  const seen = new Set<number>();
  for (const a of list) {
    const n = normalizeAxis(a, rank);
    if (seen.has(n)) throw new Error(`Axis ${a} is repeated in ${JSON.stringify(list)}.`);
    seen.add(n);
  }
  return [...seen].sort((x, y) => x - y);
}

/** The shape left after reducing `axes`; with keepDims those axes stay as 1. */
export function reducedShape(shape: Shape, axes: readonly number[], keepDims: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (axes.includes(i)) {
      if (keepDims) out.push(1);
    } else out.push(shape[i]);
  }
  return out;
}
