import { Tensor } from '../tensor/tensor.js';
import { columnFromJSON, fitColumn, type CellContext, type ColumnEncoder, type ColumnEncoderJSON } from './column-encoders.js';
import type { ColumnPlan, ColumnSpec, DroppedColumn } from './column-kinds.js';
import { TableError } from './errors.js';
import { columnCells, listNames, selectRows, type Table } from './table.js';
import { TabularTarget, type TabularTargetJSON, type Task } from './target.js';
import { isMissing } from './values.js';

/** What `TabularPipeline.toJSON()` writes: `preprocessing.json` in a saved tabular model. */
export interface TabularPipelineJSON {
  format: 'dendrite-tabular-preprocessing';
  version: 1;
  /** The input columns in the order their features enter the network. */
  columns: ColumnEncoderJSON[];
  /** The network's input features, e.g. `['age', 'city_Lyon', 'city_Paris']` (for reading; derived from `columns`). */
  featureNames: string[];
  /** Columns of the training table that the model does not use, and why. */
  dropped: DroppedColumn[];
  target: TabularTargetJSON;
  /** Whether missing values are filled (training mean / most frequent value) instead of refused. */
  impute: boolean;
}

export interface TransformOptions {
  /** Unseen categories: `'error'` (default) or `'ignore'` (all-zeros one-hot, the training mean for ordered codes). */
  handleUnknown?: 'error' | 'ignore';
}

/**
 * Everything between a table and the network: one fitted encoder per input column (scalers for numbers and
 * ordered codes, one-hot encoders for nominal categories, imputation values) and the target's encoding.
 * Fitted on the training rows only; saved as `preprocessing.json` so predictions apply the same steps.
 *
 *     const pipeline = TabularPipeline.fit(table, plan, 'binary', { impute: false, rows: trainRows });
 *     const x = pipeline.transform(table);        // [N, F] float32
 *     const y = pipeline.transformTarget(table);  // [N, 1] 0/1
 */
export class TabularPipeline {
  private constructor(
    readonly columns: readonly ColumnEncoder[],
    readonly target: TabularTarget,
    readonly dropped: readonly DroppedColumn[],
    readonly impute: boolean,
  ) {}

  /** Fits every column on the rows `rows` of `table` (default: all). */
  static fit(table: Table, plan: ColumnPlan, task: Task, options: { impute: boolean; rows?: readonly number[] }): TabularPipeline {
    const train = options.rows ? selectRows(table, options.rows) : table;
    const columns = plan.features.map((spec) => fitColumn(spec, columnCells(train, table.columns.indexOf(spec.name)), options.impute));
    const t = table.columns.indexOf(plan.target.name);
    const targetCells = columnCells(train, t).filter((c) => !isMissing(c));
    const target = TabularTarget.fit(plan.target, targetCells, task, columnCells(table, t));
    return new TabularPipeline(columns, target, plan.dropped, options.impute);
  }

  /** The task the target was encoded for. */
  get task(): Task {
    return this.target.task;
  }

  /** The input columns the model needs, by name and kind. */
  get specs(): ColumnSpec[] {
    return this.columns.map((c) => c.spec);
  }

  /** Names of the network's input features, one per column of `transform`'s output. */
  get featureNames(): string[] {
    return this.columns.flatMap((c) => c.featureNames());
  }

  get numFeatures(): number {
    return this.columns.reduce((n, c) => n + c.width, 0);
  }

  /**
   * The network's inputs for every row of `table`: a [N, F] tensor. Columns are found by name (order and
   * extra columns do not matter); a missing column, an unseen category or a bad number is an error naming
   * the column and the line.
   */
  transform(table: Table, options: TransformOptions = {}): Tensor {
    const positions = this.columns.map((c) => table.columns.indexOf(c.spec.name));
    const absent = this.columns.filter((_, i) => positions[i] < 0).map((c) => c.spec.name);
    if (absent.length > 0) {
      throw new TableError(`${table.source} has no column ${listNames(absent)}, which the model needs (its input columns are ${listNames(this.columns.map((c) => c.spec.name))}).`);
    }
    const width = this.numFeatures;
    const out = new Float32Array(table.rows.length * width);
    const at: CellContext = { source: table.source, line: 0, handleUnknown: options.handleUnknown ?? 'error' };
    table.rows.forEach((row, r) => {
      at.line = table.lines[r];
      let offset = r * width;
      this.columns.forEach((column, j) => {
        column.encode(row[positions[j]], out, offset, at);
        offset += column.width;
      });
    });
    return new Tensor(out, [table.rows.length, width]);
  }

  /** The training labels of every row of `table` (see `TabularTarget.encode`). */
  transformTarget(table: Table): Tensor {
    const t = table.columns.indexOf(this.target.name);
    if (t < 0) throw new TableError(`${table.source} has no target column '${this.target.name}'.`);
    return this.target.encode(columnCells(table, t), table.lines, table.source);
  }

  /** One line per input column: its kind and how it is encoded, for summaries and reports. */
  describe(): { name: string; kind: string; encoding: string }[] {
    return this.columns.map((c) => {
      const json = c.toJSON();
      const fill = json.impute === null ? '' : `; missing -> ${typeof json.impute === 'number' ? round(json.impute) : JSON.stringify(json.impute)}`;
      switch (json.kind) {
        case 'numeric': {
          const [mean, variance] = [json.scaler.mean![0], json.scaler.variance![0]];
          return { name: json.name, kind: 'numeric', encoding: `standardised (mean ${round(mean)}, std ${round(Math.sqrt(variance))})${fill}` };
        }
        case 'boolean':
          return { name: json.name, kind: 'boolean', encoding: `0/1${fill}` };
        case 'ordinal':
          return { name: json.name, kind: 'ordinal', encoding: `ordered codes ${c.spec.order!.join(' < ')}, standardised${fill}` };
        case 'nominal':
          return { name: json.name, kind: 'nominal', encoding: `one-hot, ${c.width} categories${fill}` };
      }
    });
  }

  toJSON(): TabularPipelineJSON {
    return {
      format: 'dendrite-tabular-preprocessing',
      version: 1,
      columns: this.columns.map((c) => c.toJSON()),
      featureNames: this.featureNames,
      dropped: [...this.dropped],
      target: this.target.toJSON(),
      impute: this.impute,
    };
  }

  /** Rebuilds a pipeline saved with `toJSON()` (e.g. read from `preprocessing.json`). */
  static fromJSON(json: unknown): TabularPipeline {
    const obj = json as Partial<TabularPipelineJSON> | null;
    if (!obj || obj.format !== 'dendrite-tabular-preprocessing') throw new Error("preprocessing: expected an object with format 'dendrite-tabular-preprocessing'.");
    if (obj.version !== 1) throw new Error(`preprocessing: version ${String(obj.version)} is not supported (this dendrite reads version 1).`);
    if (!Array.isArray(obj.columns) || obj.columns.length === 0) throw new Error("preprocessing: 'columns' must be a non-empty array.");
    return new TabularPipeline(obj.columns.map(columnFromJSON), TabularTarget.fromJSON(obj.target!), obj.dropped ?? [], obj.impute === true);
  }
}

function round(x: number): string {
  return Number(x.toPrecision(4)).toString();
}
