import type { Sequential } from '../model/sequential.js';
import { confusionMatrix } from '../nn/confusion-matrix.js';
import { Tensor } from '../tensor/tensor.js';
import { TableError } from './errors.js';
import type { TabularPipeline, TransformOptions } from './pipeline.js';
import { binaryScores, multiclassScores, regressionScores } from './scores.js';
import { allRows, type Rows, type Table } from './table.js';

/** A tabular model's predictions for the rows of a table. */
export interface TabularPrediction {
  /** The predicted class label (classification) or value in the target's unit (regression), per row. */
  predicted: (string | number)[];
  /** Classification: the predicted class code per row. */
  codes: Int32Array | null;
  /** Classification: the probability of each class (in `pipeline.target.classes` order), row-major [N * k]. */
  probabilities: Float32Array | null;
}

/**
 * Runs the pipeline and the network on the rows of `table` (all, or `options.rows`).
 *
 *     const { predicted, probabilities } = predictTable(model, pipeline, await readCsv('new.csv'));
 */
export function predictTable(model: Sequential, pipeline: TabularPipeline, table: Table, options: TransformOptions = {}): TabularPrediction {
  return decode(pipeline, model.predict(pipeline.transform(table, options), { batchSize: 256 }));
}

/**
 * Turns the network's outputs into labels / values and probabilities. An output that is not a finite
 * number (a damaged model, or inputs far outside anything seen in training) is an error, never a label:
 * `where(i)` names row i for the message.
 */
export function decode(pipeline: TabularPipeline, yPred: Tensor, where: (row: number) => string = (i) => `row ${i + 1}`): TabularPrediction {
  const values = yPred.values;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      const width = values.length / Math.max(1, yPred.shape[0]);
      throw new TableError(
        `the network's output for ${where(Math.floor(i / width))} is ${values[i]}: the model's weights or that row's values are broken; no prediction is made.`,
      );
    }
  }
  const target = pipeline.target;
  if (target.task === 'regression') return { predicted: Array.from(target.values(yPred)), codes: null, probabilities: null };
  const codes = target.predictedCodes(yPred);
  return { predicted: Array.from(codes, (c) => target.classes![c]), codes, probabilities: target.probabilities(yPred) };
}

/** Scores of predictions against the target column of `table` (which must hold a value in every row). */
export interface TabularEvaluation {
  /** rmse, mae, r2 (regression); accuracy, precision, recall, f1 (binary); accuracy, macroF1 (multiclass). */
  scores: Record<string, number>;
  /** Classification: counts of [true class][predicted class]. */
  confusion: number[][] | null;
  /** Regression: the actual values, in the target's unit. */
  actual: Float32Array | null;
}

/** Compares `prediction` with the target values of the rows of `table` (all, or `rows`: the rows predicted, in order). */
export function scorePrediction(pipeline: TabularPipeline, table: Table, prediction: TabularPrediction, rows?: Rows): TabularEvaluation {
  const target = pipeline.target;
  const t = table.positions.get(target.name);
  if (t === undefined) throw new TableError(`${table.source} has no target column '${target.name}'.`);
  const which = rows ?? allRows(table.rowCount);
  if (target.task === 'regression') {
    const actual = target.storedNumbers(table.data[t], which, table.lines, table.source);
    return { scores: { ...regressionScores(actual, prediction.predicted as number[]) }, confusion: null, actual };
  }
  const actual = target.storedClassCodes(table.data[t], which, table.lines, table.source);
  return { ...classScores(pipeline, actual, prediction.codes!), actual: null };
}

/** Accuracy and F1 scores, and the confusion matrix, of predicted class codes against actual ones. */
export function classScores(pipeline: TabularPipeline, actual: Int32Array, predicted: Int32Array): { scores: Record<string, number>; confusion: number[][] } {
  const target = pipeline.target;
  const scores = target.task === 'binary' ? binaryScores(actual, predicted) : multiclassScores(actual, predicted);
  // NOTE: confusionMatrix reads plain arrays wrongly ('values' in [] is true: Array.prototype.values), so pass tensors.
  const asTensor = (v: Int32Array) => new Tensor(Float32Array.from(v), [v.length]);
  return { scores: { ...scores }, confusion: confusionMatrix(asTensor(actual), asTensor(predicted), target.classes!.length) };
}
