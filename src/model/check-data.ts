// Value checks of training data, run once before fit / evaluate: a NaN in the inputs or a label the loss
// cannot take would otherwise surface epochs later as a NaN loss (or, worse, as a quietly wrong model).
import { Variable, type Tensor } from '../tensor/tensor.js';

/**
 * Tensors already found finite. Tensors are immutable, so one scan is enough however often they are passed to
 * fit (a loop of fit calls, one epoch each, must not rescan the data every time); variables can change.
 */
const finite = new WeakSet<Tensor>();

/** "row 17" for a vector, "row 17 (element [3, 4, 0] of that row)" beyond. */
function where(t: Tensor, flat: number): string {
  const rowSize = t.shape.slice(1).reduce((a, b) => a * b, 1);
  const row = Math.floor(flat / rowSize);
  if (t.rank < 2) return `row ${row}`;
  const inner: number[] = [];
  let rest = flat - row * rowSize;
  for (let axis = t.rank - 1; axis >= 1; axis--) {
    inner.unshift(rest % t.shape[axis]);
    rest = Math.floor(rest / t.shape[axis]);
  }
  return `row ${row} (element [${inner.join(', ')}] of that row)`;
}

/** Throws, naming the first row, when `t` holds NaN or ±Infinity. `what` names the tensor, e.g. "fit(): x". */
export function checkFinite(t: Tensor, what: string): void {
  if (finite.has(t)) return;
  const v = t.values;
  for (let i = 0; i < v.length; i++) {
    // NOTE: x - x is 0 for every finite x and NaN for NaN and ±Infinity: one test in the common case
    if (v[i] - v[i] !== 0) {
      throw new Error(`${what} has ${v[i]} in ${where(t, i)}; clean or impute the data first (or pass checkInputs: false to skip this check).`);
    }
  }
  if (!(t instanceof Variable)) finite.add(t);
}

/** Throws when a label is not one the built-in `loss` can take: class ids in [0, units), probabilities in [0, 1]. */
export function checkLabelValues(y: Tensor, loss: string, units: number | null, what: string): void {
  const v = y.values;
  if (loss === 'sparseCategoricalCrossentropy') {
    for (let i = 0; i < v.length; i++) {
      const id = v[i];
      if (!Number.isInteger(id) || id < 0 || (units !== null && id >= units)) {
        const range = units !== null ? `0..${units - 1} for the model's ${units} output units` : 'whole numbers from 0';
        throw new Error(`${what}(): y ${where(y, i)} is ${id}, but sparseCategoricalCrossentropy takes class ids ${range}.`);
      }
    }
  } else if (loss === 'binaryCrossentropy' || loss === 'categoricalCrossentropy') {
    for (let i = 0; i < v.length; i++) {
      if (!(v[i] >= 0 && v[i] <= 1)) {
        const fix = loss === 'binaryCrossentropy'
          ? 'binary labels are 0 or 1 (a probability in between is allowed); for more than two classes use softmax with categoricalCrossentropy'
          : 'one-hot rows (toCategorical) or class probabilities; for class ids use sparseCategoricalCrossentropy';
        throw new Error(`${what}(): y ${where(y, i)} is ${v[i]}, outside [0, 1]: ${loss} needs ${fix}.`);
      }
    }
  }
}
