import { oneHot } from '../ops/one-hot.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * One-hot encodes integer class labels, like Keras `to_categorical`: shape [...] -> [..., numClasses].
 * A trailing axis of 1 is dropped first, so labels of shape [N, 1] give [N, numClasses].
 * `numClasses` defaults to the largest label + 1.
 *
 *     toCategorical([0, 2, 1]);            // [[1, 0, 0], [0, 0, 1], [0, 1, 0]]
 *     toCategorical(tensor([[1], [0]]), 3); // [[0, 1, 0], [1, 0, 0]]
 */
export function toCategorical(labels: Tensor | readonly number[], numClasses?: number): Tensor {
  const t = labels instanceof Tensor ? labels : new Tensor(Float32Array.from(labels), [labels.length]);
  let max = -1;
  for (let i = 0; i < t.size; i++) {
    const c = t.values[i];
    if (!Number.isInteger(c) || c < 0) {
      throw new Error(`toCategorical(): label ${c} at position ${i} is not a non-negative integer; encode string or float labels with LabelEncoder first.`);
    }
    if (c > max) max = c;
  }
  if (numClasses === undefined) {
    if (max < 0) throw new Error('toCategorical(): cannot infer numClasses from no labels; pass numClasses.');
    numClasses = max + 1;
  } else if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new Error(`toCategorical(): numClasses must be a positive integer, got ${numClasses}.`);
  } else if (max >= numClasses) {
    const at = t.values.indexOf(max);
    throw new Error(`toCategorical(): label ${max} at position ${at} does not fit numClasses ${numClasses} (labels must be 0..${numClasses - 1}).`);
  }
  const squeezed = t.rank > 1 && t.shape[t.rank - 1] === 1 ? new Tensor(t.values, t.shape.slice(0, -1)) : t;
  return oneHot(squeezed, numClasses);
}
