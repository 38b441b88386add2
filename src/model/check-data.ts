// Checks of the data given to fit / evaluate, run once before any batch: shapes against the model (which is
// built here if it is not yet), NaN and Infinity, and labels against the loss's rules (nn/label-rules.ts). A
// NaN in the inputs or a label the loss cannot take would otherwise surface epochs later as a NaN loss (or,
// worse, as a quietly wrong model).
import { invalidLabel, labelShapeError } from '../nn/label-rules.js';
import { fitsShape } from '../nn/layer.js';
import { isLossName, LOSSES } from '../nn/losses.js';
import { formatShape } from '../tensor/shape.js';
import { Variable, type Tensor } from '../tensor/tensor.js';
import type { TrainableModel } from './trainable-model.js';

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
function checkFinite(t: Tensor, what: string): void {
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

/**
 * Checks `x` and `y` for `what` ("fit", "evaluate", "fit() validationData"): a batch axis of the same size,
 * not empty, `x` fitting the model's input (the model is built for `x` if it is not yet) and `y` its output as
 * the loss takes labels; with `checkValues`, no NaN or Infinity and only labels the loss can take.
 */
export function checkData(model: TrainableModel, x: Tensor, y: Tensor, what: string, checkValues: boolean): void {
  if (x.rank === 0 || y.rank === 0)
    throw new Error(`${what}(): x and y need a first (batch) axis; got shapes ${formatShape(x.shape)} and ${formatShape(y.shape)}.`);
  if (x.shape[0] !== y.shape[0]) {
    throw new Error(`${what}(): x has ${x.shape[0]} samples but y has ${y.shape[0]} (shapes ${formatShape(x.shape)} and ${formatShape(y.shape)}).`);
  }
  if (x.shape[0] === 0) throw new Error(`${what}(): the data set is empty.`);
  if (checkValues) {
    checkFinite(x, `${what}(): x`);
    checkFinite(y, `${what}(): y`);
  }
  if (!model.built) model.build([null, ...x.shape.slice(1)]);
  // checked here so that bad validation data fails before training rather than after the first epoch
  const inputShape = model.inputShape!;
  if (!fitsShape(inputShape, x.shape)) {
    throw new Error(
      `${what}(): model '${model.name}' expects x of shape ${formatShape(inputShape)} but x has shape ${formatShape(x.shape)} (first axis = batch).`,
    );
  }
  const out = model.outputShape!;
  const loss = String(model.compiled!.loss.lossName);
  // a custom loss function decides its own label layout
  if (!isLossName(loss)) return;
  const labels = LOSSES[loss].labels;
  const shapeError = labelShapeError(labels, out, y.shape);
  if (shapeError) throw new Error(`${what}(): ${shapeError}`);
  if (!checkValues) return;
  const invalid = invalidLabel(labels, loss, y.values, out[out.length - 1]);
  if (invalid) throw new Error(`${what}(): y ${where(y, invalid.index)} is ${y.values[invalid.index]}, ${invalid.reason}.`);
}
