// The merge layers of a graph model as ONNX nodes: Add, Subtract, Multiply, Average, Maximum and Minimum
// (elementwise, broadcasting as Keras does) and Concatenate. Their inputs are first brought to one layout:
// NCHW when they are all image batches and one already is (a skip connection between convolutions then adds
// no transposes), else dendrite's own NHWC.
import type { Concatenate } from '../../nn/layers/concatenate.js';
import type { ElementwiseMerge } from '../../nn/layers/merge.js';
import type { GraphBuilder } from './graph.js';
import { storedAxis, toNchw, toNhwc, type Value } from './layout.js';

/** The inputs in one layout: NCHW when all are rank-4 image batches and at least one is stored so, else NHWC. */
export function inOneLayout(g: GraphBuilder, xs: readonly Value[], base: string): Value[] {
  const nchw = xs.every((x) => x.shape.length === 4) && xs.some((x) => x.layout === 'nchw');
  return xs.map((x) => (nchw ? toNchw(g, x, base) : toNhwc(g, x, base)));
}

/**
 * The inputs at one rank: as Keras, an input of lower rank gains axes of size 1 right after the batch axis
 * ([N, 3] beside [N, 4, 3] is [N, 1, 3]), where ONNX's own broadcasting would align it on the right instead.
 */
function atOneRank(g: GraphBuilder, xs: readonly Value[], base: string): Value[] {
  const rank = xs.reduce((r, x) => Math.max(r, x.shape.length), 0);
  return xs.map((x) => {
    const missing = rank - x.shape.length;
    if (missing === 0) return x;
    const input = toNhwc(g, x, base);
    const axes = g.int64Tensor(
      `${base}/unsqueeze_axes`,
      Array.from({ length: missing }, (_, i) => i + 1),
    );
    const shape = [x.shape[0], ...new Array<number>(missing).fill(1), ...x.shape.slice(1)];
    return { name: g.node('Unsqueeze', [input.name, axes], `${base}/unsqueeze`), shape, layout: 'nhwc' };
  });
}

/** The ONNX operator of each elementwise merge, and whether it takes any number of inputs (else it is chained pairwise). */
const ELEMENTWISE: Record<string, { op: string; variadic: boolean; suffix: string }> = {
  Add: { op: 'Sum', variadic: true, suffix: 'add' },
  Subtract: { op: 'Sub', variadic: false, suffix: 'subtract' },
  Multiply: { op: 'Mul', variadic: false, suffix: 'multiply' },
  // Mean is the sum divided by the count, as Keras and dendrite compute it
  Average: { op: 'Mean', variadic: true, suffix: 'average' },
  Maximum: { op: 'Max', variadic: true, suffix: 'maximum' },
  Minimum: { op: 'Min', variadic: true, suffix: 'minimum' },
};

/** Add, Subtract, Multiply, Average, Maximum, Minimum: one node (Add for two inputs, Sum for more), or a chain of Mul. */
export function exportElementwiseMerge(g: GraphBuilder, layer: ElementwiseMerge, inputs: readonly Value[]): Value {
  const base = layer.name;
  const kind = ELEMENTWISE[layer.className];
  if (!kind) throw new Error(`ONNX export: layer '${layer.name}' (${layer.className}) is not an elementwise merge that ONNX export knows.`);
  const xs = inOneLayout(g, atOneRank(g, inputs, base), base);
  const names = xs.map((x) => x.name);
  let y: string;
  if (kind.variadic) {
    const op = kind.op === 'Sum' && names.length === 2 ? 'Add' : kind.op;
    y = g.node(op, names, `${base}/${kind.suffix}`);
  } else {
    y = names[0];
    for (const name of names.slice(1)) y = g.node(kind.op, [y, name], `${base}/${kind.suffix}`);
  }
  return { name: y, shape: layer.computeOutputShape(inputs.map((x) => x.shape)), layout: xs[0].layout };
}

/** Concatenate along dendrite's axis, wherever the common layout stores it. */
export function exportConcatenate(g: GraphBuilder, layer: Concatenate, inputs: readonly Value[]): Value {
  const xs = inOneLayout(g, inputs, layer.name);
  const rank = inputs[0].shape.length;
  const axis = storedAxis(xs[0], layer.axis < 0 ? layer.axis + rank : layer.axis);
  const y = g.node(
    'Concat',
    xs.map((x) => x.name),
    `${layer.name}/concat`,
    { axis },
  );
  return { name: y, shape: layer.computeOutputShape(inputs.map((x) => x.shape)), layout: xs[0].layout };
}
