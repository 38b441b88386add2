// What a built-in loss needs of its labels, and what to tell someone whose labels do not fit. Each loss names
// its kind of labels in its LOSSES entry (losses.ts); the loss applies the rule to every batch, and fit /
// evaluate apply it to the whole data set before training, so that bad labels fail at once, with a hint,
// rather than epochs later as a NaN or a quietly wrong model.
import { formatShape } from '../tensor/shape.js';
import { fitsShape, type SymbolicShape } from './layer.js';

/**
 * - `values`: any numbers, one per prediction (regression).
 * - `binary`: 0/1 labels (or a probability in between), one per prediction.
 * - `oneHot`: one-hot rows or class probabilities, one per prediction.
 * - `classIds`: one integer class id per row of predictions, which lose their class axis.
 */
export type LabelKind = 'values' | 'binary' | 'oneHot' | 'classIds';

// The sentences both the loss (on a batch) and fit (on the data set) use.
const LOOKS_ONE_HOT = " The labels look one-hot: use 'categoricalCrossentropy', or pass class indices.";

function oneHotForOneUnit(classes: number): string {
  return ` The labels look one-hot with ${classes} classes but the model has 1 output unit: give the last layer ${classes} units with 'softmax' and use 'categoricalCrossentropy', or for two classes use 0/1 labels of shape [N, 1] with 'binaryCrossentropy'.`;
}

/** True for a class id a model with `units` outputs can predict (any whole number from 0 when `units` is unknown). */
export function isClassId(value: number, units: number | null): boolean {
  return Number.isInteger(value) && value >= 0 && (units === null || value < units);
}

/**
 * A suggestion for the common label / prediction mismatches of one batch (axis 0 is the batch), `''` when
 * none fits.
 */
export function batchLabelHint(t: readonly number[], p: readonly number[]): string {
  const tLast = t[t.length - 1];
  const pLast = p[p.length - 1];
  if (t.length > 0 && p.length > 0 && t[0] !== p[0]) return ` The batch sizes differ (${t[0]} labels, ${p[0]} predictions).`;
  if (p.length === 2 && pLast > 1 && (t.length === 1 || (t.length === 2 && tLast === 1))) {
    return ` The labels look like class indices: use 'sparseCategoricalCrossentropy', or one-hot encode them with oneHot(labels, ${pLast}).`;
  }
  if (t.length === 2 && p.length === 2 && tLast > 1 && pLast === 1) return oneHotForOneUnit(tLast);
  if (t.length === 2 && p.length === 2 && tLast > 1 && pLast > 1)
    return ` The labels have ${tLast} columns but the model outputs ${pLast} units: make the last layer's units ${tLast}.`;
  return '';
}

/** The hint for class-id labels of shape `labels` that do not fit predictions of shape `predictions`. */
export function classIdShapeHint(labels: readonly number[], predictions: readonly number[]): string {
  const classes = predictions[predictions.length - 1];
  return labels.length === predictions.length && labels.every((d, i) => d === predictions[i]) && classes > 1 ? LOOKS_ONE_HOT : '';
}

/** The hint for a class id outside 0..classes-1 in a batch. */
export function classIdValueHint(classes: number): string {
  return classes === 1 ? " The model has 1 output unit: for 0/1 labels use 'binaryCrossentropy' with a sigmoid output." : '';
}

/** The labels' shape for a model output of shape `out`: class ids have no class axis. */
function expectedLabelShape(kind: LabelKind, out: SymbolicShape): SymbolicShape {
  return kind === 'classIds' ? out.slice(0, -1) : out;
}

/** As the losses allow: equal shapes, or equal once a trailing axis of size 1 is dropped on one side ([N] labels for [N, 1] outputs). */
function labelsFit(expected: SymbolicShape, actual: SymbolicShape): boolean {
  if (fitsShape(expected, actual)) return true;
  const strip = (s: SymbolicShape) => (s.length > 1 && s[s.length - 1] === 1 ? s.slice(0, -1) : s);
  return Math.abs(expected.length - actual.length) === 1 && fitsShape(strip(expected), strip(actual));
}

/** A suggestion for labels of shape `y` that do not fit a model output of shape `out` (axis 0 is the batch). */
function dataLabelHint(kind: LabelKind, out: SymbolicShape, y: readonly number[]): string {
  const units = out[out.length - 1];
  const expectedRank = expectedLabelShape(kind, out).length;
  if (out.length > 2 && y.length < expectedRank) return ' Did you forget a Flatten layer before the first Dense layer?';
  const classIds = y.length === 1 || (y.length === 2 && y[1] === 1);
  if (kind === 'oneHot' && units !== null && units > 1 && classIds) {
    return ' The labels look like class indices: one-hot encode them (toCategorical) or use sparseCategoricalCrossentropy.';
  }
  if (kind === 'classIds' && y.length === out.length && y[y.length - 1] === units && units !== null && units > 1) return LOOKS_ONE_HOT;
  if (units === 1 && y.length === 2 && y[1] > 1) return oneHotForOneUnit(y[1]);
  if (out.length === 2 && y.length === 2 && units !== null && units > 1 && y[1] > 1)
    return ` The labels have ${y[1]} columns: make the last layer's units ${y[1]}.`;
  return '';
}

/**
 * Why labels of shape `y` do not suit a model with output shape `out` and a loss taking `kind` labels, e.g.
 * "y has shape [60, 1] but the model needs labels of its output shape [null, 10] (first axis = batch)...", or
 * null when they do.
 */
export function labelShapeError(kind: LabelKind, out: SymbolicShape, y: readonly number[]): string | null {
  const expected = expectedLabelShape(kind, out);
  if (labelsFit(expected, y)) return null;
  const needed =
    kind === 'classIds'
      ? `class-index labels of shape ${formatShape(expected)} for its output ${formatShape(out)}`
      : `labels of its output shape ${formatShape(out)}`;
  return `y has shape ${formatShape(y)} but the model needs ${needed} (first axis = batch).${dataLabelHint(kind, out, y)}`;
}

/**
 * The first label value (by index into `values`) that the loss `lossName` cannot take, and why, e.g.
 * "but sparseCategoricalCrossentropy takes class ids 0..9 for the model's 10 output units"; null when all can be
 * taken. `units` is the model's number of outputs (null when unknown).
 */
export function invalidLabel(kind: LabelKind, lossName: string, values: Float32Array, units: number | null): { index: number; reason: string } | null {
  if (kind === 'classIds') {
    for (let i = 0; i < values.length; i++) {
      if (isClassId(values[i], units)) continue;
      const range = units !== null ? `0..${units - 1} for the model's ${units} output units` : 'whole numbers from 0';
      return { index: i, reason: `but ${lossName} takes class ids ${range}` };
    }
  } else if (kind === 'binary' || kind === 'oneHot') {
    for (let i = 0; i < values.length; i++) {
      if (values[i] >= 0 && values[i] <= 1) continue;
      const needs =
        kind === 'binary'
          ? 'binary labels are 0 or 1 (a probability in between is allowed); for more than two classes use softmax with categoricalCrossentropy'
          : 'one-hot rows (toCategorical) or class probabilities; for class ids use sparseCategoricalCrossentropy';
      return { index: i, reason: `outside [0, 1]: ${lossName} needs ${needs}` };
    }
  }
  return null;
}
