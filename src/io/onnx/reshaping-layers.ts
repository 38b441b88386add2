// The layers that move or cut elements without computing on them: Cropping2D (a Slice, in either layout),
// Permute (a Transpose of dendrite's NHWC order) and RepeatVector (an Unsqueeze and an Expand).
import type { Cropping2D } from '../../nn/layers/cropping2d.js';
import type { Permute } from '../../nn/layers/permute.js';
import type { RepeatVector } from '../../nn/layers/repeat-vector.js';
import type { GraphBuilder } from './graph.js';
import { storedAxis, toNhwc, type Value } from './layout.js';

/**
 * Cropping2D as a Slice on the height and width axes wherever they are stored. The ends count from the end
 * (-bottom, or past it when nothing is cropped there), so unknown image sizes work too.
 */
export function exportCropping2D(g: GraphBuilder, layer: Cropping2D, x: Value): Value {
  const base = layer.name;
  const [[top, bottom], [left, right]] = layer.cropping;
  const end = (n: number) => (n === 0 ? Number.MAX_SAFE_INTEGER : -n);
  const inputs = [
    x.name,
    g.int64Tensor(`${base}/starts`, [top, left]),
    g.int64Tensor(`${base}/ends`, [end(bottom), end(right)]),
    g.int64Tensor(`${base}/axes`, [storedAxis(x, 1), storedAxis(x, 2)]),
  ];
  return { name: g.node('Slice', inputs, `${base}/crop`), shape: layer.computeOutputShape(x.shape), layout: x.layout };
}

/** Permute as a Transpose of dendrite's order (the batch axis stays first). */
export function exportPermute(g: GraphBuilder, layer: Permute, x: Value): Value {
  const input = toNhwc(g, x, layer.name);
  const y = g.node('Transpose', [input.name], `${layer.name}/transpose`, { perm: [0, ...layer.dims] });
  return { name: y, shape: layer.computeOutputShape(x.shape), layout: 'nhwc' };
}

/** RepeatVector: [N, F] -> [N, 1, F] -> broadcast to [N, n, F]. */
export function exportRepeatVector(g: GraphBuilder, layer: RepeatVector, x: Value): Value {
  const base = layer.name;
  const unsqueezed = g.node('Unsqueeze', [x.name, g.int64Tensor(`${base}/axis`, [1])], `${base}/unsqueeze`);
  const y = g.node('Expand', [unsqueezed, g.int64Tensor(`${base}/shape`, [1, layer.n, 1])], `${base}/repeat`);
  return { name: y, shape: layer.computeOutputShape(x.shape), layout: 'nhwc' };
}
