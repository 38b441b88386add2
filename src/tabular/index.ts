// Tables: from a CSV file to a trained network and back (column kinds, encoders, task, training, scores).
export { TableError } from './errors.js';
export { parseCsv, parseCsvRows, readCsv, type ReadCsvOptions, type CsvRows } from './csv.js';
export type { Table, Rows } from './table.js';
export type { StoredColumn, CodedColumn, NumberColumn, OverflowColumn, ColumnCounts } from './column-store.js';
export { inferColumns, type ColumnKind, type ColumnSpec, type ColumnPlan, type ColumnOptions, type DroppedColumn } from './column-kinds.js';
export { TabularPipeline, type TabularPipelineJSON, type TransformOptions as TabularTransformOptions } from './pipeline.js';
export { TabularTarget, chooseTask, type Task, type TabularTargetJSON } from './target.js';
export { regressionScores, binaryScores, multiclassScores, type RegressionScores, type BinaryScores, type MulticlassScores } from './scores.js';
export { TABULAR_DEFAULTS, buildTabularModel, type TabularSettings } from './model.js';
export { trainTabular, type TabularTrainOptions, type TabularTrainResult, type EpochCurves } from './train.js';
export { predictTable, scorePrediction, type TabularPrediction, type TabularEvaluation } from './predict.js';
