// Test-set scores in the terms people report them: RMSE, MAE and R^2 in the target's unit; accuracy,
// precision, recall and F1 for classes. Same definitions as scikit-learn's metrics.

export interface RegressionScores {
  rmse: number;
  mae: number;
  /** 1 - SS_res / SS_tot: 1 is perfect, 0 is as good as predicting the mean, below 0 is worse. */
  r2: number;
}

/** Binary: `precision`, `recall` and `f1` are for the positive class (code 1). */
export interface BinaryScores {
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
}

/** `macroF1` is the unweighted mean of each class's F1, so rare classes count as much as common ones. */
export interface MulticlassScores {
  accuracy: number;
  macroF1: number;
}

/**
 * RMSE, MAE and R^2 of predictions against actual values.
 *
 *     regressionScores([1, 2, 3], [1, 2, 4]);   // { rmse: 0.577, mae: 0.333, r2: 0.5 }
 */
export function regressionScores(actual: ArrayLike<number>, predicted: ArrayLike<number>): RegressionScores {
  const n = checkLengths(actual, predicted);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += actual[i] / n;
  let se = 0;
  let ae = 0;
  let tot = 0;
  for (let i = 0; i < n; i++) {
    const e = predicted[i] - actual[i];
    se += e * e;
    ae += Math.abs(e);
    tot += (actual[i] - mean) ** 2;
  }
  // NOTE: scikit-learn's convention for a constant target: R^2 is 1 for a perfect fit, else 0.
  const r2 = tot === 0 ? (se === 0 ? 1 : 0) : 1 - se / tot;
  return { rmse: Math.sqrt(se / n), mae: ae / n, r2 };
}

/**
 * Accuracy, precision, recall and F1 of the positive class (code 1) for 0/1 codes.
 *
 *     binaryScores([1, 0, 1, 1], [1, 0, 0, 1]);   // accuracy 0.75, precision 1, recall 0.667, f1 0.8
 */
export function binaryScores(actual: ArrayLike<number>, predicted: ArrayLike<number>): BinaryScores {
  const n = checkLengths(actual, predicted);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    if (actual[i] === predicted[i]) correct++;
    if (predicted[i] === 1 && actual[i] === 1) tp++;
    else if (predicted[i] === 1) fp++;
    else if (actual[i] === 1) fn++;
  }
  return { accuracy: correct / n, ...prf(tp, fp, fn) };
}

/**
 * Accuracy and macro-averaged F1 over the classes present in either list (as scikit-learn's `f1_score(average='macro')`).
 *
 *     multiclassScores([0, 1, 2, 2], [0, 2, 2, 2]);   // accuracy 0.75, macroF1 0.6
 */
export function multiclassScores(actual: ArrayLike<number>, predicted: ArrayLike<number>): MulticlassScores {
  const n = checkLengths(actual, predicted);
  const classes = new Set<number>();
  let correct = 0;
  for (let i = 0; i < n; i++) {
    classes.add(actual[i]);
    classes.add(predicted[i]);
    if (actual[i] === predicted[i]) correct++;
  }
  let f1Sum = 0;
  for (const c of classes) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < n; i++) {
      if (predicted[i] === c && actual[i] === c) tp++;
      else if (predicted[i] === c) fp++;
      else if (actual[i] === c) fn++;
    }
    f1Sum += prf(tp, fp, fn).f1;
  }
  return { accuracy: correct / n, macroF1: f1Sum / classes.size };
}

/** Precision, recall and F1 from counts; 0 where a denominator is 0 (scikit-learn's `zero_division=0`). */
function prf(tp: number, fp: number, fn: number): { precision: number; recall: number; f1: number } {
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = 2 * tp + fp + fn === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  return { precision, recall, f1 };
}

function checkLengths(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`scores: ${a.length} actual values but ${b.length} predictions.`);
  if (a.length === 0) throw new Error('scores: there are no values to score.');
  return a.length;
}
