import type { Sequential } from '../model/sequential.js';
import { confusionMatrix } from '../nn/confusion-matrix.js';
import { Tensor } from '../tensor/tensor.js';
import type { TabularPipeline, TransformOptions } from './pipeline.js';
import { binaryScores, multiclassScores, regressionScores } from './scores.js';
import { columnCells, type Table } from './table.js';

/** A tabular model's predictions for the rows of a table. */
export interface TabularPrediction {
  /** The predicted class label (classification) or value in the target's unit (regression), per row. */
  predicted: (string | number)[];
  /** Classification: the predicted class code per row. */
  codes: number[] | null;
  /** Classification: the probability of each class (in `pipeline.target.classes` order), per row. */
  probabilities: number[][] | null;
}

/**
 * Runs the pipeline and the network on every row of `table`.
 *
 *     const { predicted, probabilities } = predictTable(model, pipeline, await readCsv('new.csv'));
 */
export function predictTable(model: Sequential, pipeline: TabularPipeline, table: Table, options: TransformOptions = {}): TabularPrediction {
  return decode(pipeline, model.predict(pipeline.transform(table, options), { batchSize: 256 }));
}

/** Turns the network's outputs into labels / values and probabilities. */
export function decode(pipeline: TabularPipeline, yPred: Tensor): TabularPrediction {
  const target = pipeline.target;
  if (target.task === 'regression') return { predicted: target.values(yPred), codes: null, probabilities: null };
  const probabilities = target.probabilities(yPred);
  const codes = probabilities.map((p) => p.indexOf(Math.max(...p)));
  return { predicted: codes.map((c) => target.classes![c]), codes, probabilities };
}

/** Scores of predictions against the target column of `table` (which must hold a value in every row). */
export interface TabularEvaluation {
  /** rmse, mae, r2 (regression); accuracy, precision, recall, f1 (binary); accuracy, macroF1 (multiclass). */
  scores: Record<string, number>;
  /** Classification: counts of [true class][predicted class]. */
  confusion: number[][] | null;
  /** Regression: the actual values, in the target's unit. */
  actual: number[] | null;
}

/** Compares `prediction` with the target values of `table`. */
export function scorePrediction(pipeline: TabularPipeline, table: Table, prediction: TabularPrediction): TabularEvaluation {
  const target = pipeline.target;
  const cells = columnCells(table, table.columns.indexOf(target.name));
  if (target.task === 'regression') {
    const actual = target.numbers(cells, table.lines, table.source);
    return { scores: { ...regressionScores(actual, prediction.predicted as number[]) }, confusion: null, actual };
  }
  const actual = target.classCodes(cells, table.lines, table.source);
  const codes = prediction.codes!;
  const scores = target.task === 'binary' ? binaryScores(actual, codes) : multiclassScores(actual, codes);
  // NOTE: confusionMatrix reads plain arrays wrongly ('values' in [] is true: Array.prototype.values), so pass tensors.
  const asTensor = (v: number[]) => new Tensor(Float32Array.from(v), [v.length]);
  return { scores: { ...scores }, confusion: confusionMatrix(asTensor(actual), asTensor(codes), target.classes!.length), actual: null };
}
