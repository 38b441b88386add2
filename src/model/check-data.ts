// Checks of the data given to fit / evaluate, run once before any batch: shapes against the model (which is
// built here if it is not yet), NaN and Infinity, and labels against the loss's rules (nn/label-rules.ts). A
// NaN in the inputs or a label the loss cannot take would otherwise surface epochs later as a NaN loss (or,
// worse, as a quietly wrong model).
import { invalidLabel, labelShapeError } from '../nn/label-rules.js';
import { fitsShape, type SymbolicShape } from '../nn/layer.js';
import { isLossName, LOSSES } from '../nn/losses.js';
import { formatShape } from '../tensor/shape.js';
import { Variable, type Tensor } from '../tensor/tensor.js';
import { dataName } from './model-data.js';
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
 * Checks the inputs `xs` and targets `ys` (one tensor per model input and output) for `what` ("fit", "evaluate",
 * "fit() validationData"): a batch axis of the same size throughout, not empty, each input fitting the model's
 * (the model is built for them if it is not yet) and each target its output as that output's loss takes
 * labels; with `checkValues`, no NaN or Infinity and only labels the losses can take.
 */
export function checkData(model: TrainableModel, xs: readonly Tensor[], ys: readonly Tensor[], what: string, checkValues: boolean): void {
  const xName = (i: number) => dataName('x', model.inputNames, i);
  const yName = (i: number) => dataName('y', model.outputNames, i);
  if (xs.length === 1 && ys.length === 1) {
    // one input and one output: the messages name them x and y
    const [x, y] = [xs[0], ys[0]];
    if (x.rank === 0 || y.rank === 0)
      throw new Error(`${what}(): x and y need a first (batch) axis; got shapes ${formatShape(x.shape)} and ${formatShape(y.shape)}.`);
    if (x.shape[0] !== y.shape[0]) {
      throw new Error(`${what}(): x has ${x.shape[0]} samples but y has ${y.shape[0]} (shapes ${formatShape(x.shape)} and ${formatShape(y.shape)}).`);
    }
  } else {
    const all = [...xs.map((t, i) => [xName(i), t] as const), ...ys.map((t, i) => [yName(i), t] as const)];
    for (const [name, t] of all) if (t.rank === 0) throw new Error(`${what}(): ${name} needs a first (batch) axis; got shape ${formatShape(t.shape)}.`);
    const [firstName, first] = all[0];
    for (const [name, t] of all) {
      if (t.shape[0] !== first.shape[0]) {
        throw new Error(
          `${what}(): ${firstName} has ${first.shape[0]} samples but ${name} has ${t.shape[0]} (shapes ${formatShape(first.shape)} and ${formatShape(t.shape)}).`,
        );
      }
    }
  }
  if (xs[0].shape[0] === 0) throw new Error(`${what}(): the data set is empty.`);
  if (checkValues) {
    for (const [i, x] of xs.entries()) checkFinite(x, `${what}(): ${xName(i)}`);
    for (const [i, y] of ys.entries()) checkFinite(y, `${what}(): ${yName(i)}`);
  }
  if (!model.built) model.build(xs.length === 1 ? [null, ...xs[0].shape.slice(1)] : xs.map((x) => [null, ...x.shape.slice(1)]));
  // checked here so that bad validation data fails before training rather than after the first epoch
  const inputShapes = model.inputShapes!;
  for (const [i, x] of xs.entries()) {
    if (!fitsShape(inputShapes[i], x.shape)) {
      const input = xs.length === 1 ? '' : ` input '${model.inputNames[i]}'`;
      throw new Error(
        `${what}(): model '${model.name}'${input} expects ${xName(i)} of shape ${formatShape(inputShapes[i])} but ${xName(i)} has shape ${formatShape(x.shape)} (first axis = batch).`,
      );
    }
  }
  const compiled = model.compiled!;
  for (const [o, y] of ys.entries()) {
    checkLabels(model.outputShapes![o], compiled.outputs[o].loss.lossName, y, what, ys.length === 1 ? '' : `${yName(o)}: `, checkValues);
  }
}

/** Checks labels `y` against a built-in loss's rules for an output of shape `out` (a custom loss decides its own). */
function checkLabels(out: SymbolicShape, lossName: string, y: Tensor, what: string, prefix: string, checkValues: boolean): void {
  const loss = String(lossName);
  if (!isLossName(loss)) return;
  const labels = LOSSES[loss].labels;
  const shapeError = labelShapeError(labels, out, y.shape);
  if (shapeError) throw new Error(`${what}(): ${prefix}${shapeError}`);
  if (!checkValues) return;
  const invalid = invalidLabel(labels, loss, y.values, out[out.length - 1]);
  if (invalid) throw new Error(`${what}(): ${prefix}y ${where(y, invalid.index)} is ${y.values[invalid.index]}, ${invalid.reason}.`);
}
