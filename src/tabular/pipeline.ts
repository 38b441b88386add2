import { Tensor } from '../tensor/tensor.js';
import { columnFromJSON, encodeStoredRows, fitColumn, type CellContext, type ColumnEncoder, type ColumnEncoderJSON } from './column-encoders.js';
import type { ColumnPlan, ColumnSpec, DroppedColumn } from './column-kinds.js';
import { TableError } from './errors.js';
import { allRows, listNames, type Rows, type Table } from './table.js';
import { TabularTarget, type TabularTargetJSON, type Task } from './target.js';

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
  /** The rows to transform, in this order (default: all). */
  rows?: Rows;
}

/** The most float32 values one encoded table may hold (8 GiB): checked before the memory is allocated. */
export const MAX_ENCODED_VALUES = 2 ** 31;

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
  static fit(table: Table, plan: ColumnPlan, task: Task, options: { impute: boolean; rows?: Rows }): TabularPipeline {
    const rows = options.rows ?? allRows(table.rowCount);
    const columns = plan.features.map((spec) => fitColumn(spec, table.data[position(table, spec.name)], options.impute, rows));
    const target = TabularTarget.fit(plan.target, table.data[position(table, plan.target.name)], task, rows);
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
   * The network's inputs for the rows of `table` (all, or `options.rows` in that order): a [N, F] tensor.
   * Columns are found by name (order and extra columns do not matter); a missing column, an unseen category or
   * a bad number is an error naming the column and the line.
   */
  transform(table: Table, options: TransformOptions = {}): Tensor {
    const positions = this.columns.map((c) => table.positions.get(c.spec.name) ?? -1);
    const absent = this.columns.filter((_, i) => positions[i] < 0).map((c) => c.spec.name);
    if (absent.length > 0) {
      throw new TableError(
        `${table.source} has no column ${listNames(absent)}, which the model needs (its input columns are ${listNames(this.columns.map((c) => c.spec.name))}).`,
      );
    }
    const rows = options.rows ?? allRows(table.rowCount);
    const width = this.numFeatures;
    const out = new Float32Array(encodedSize(rows.length, width, table.source));
    const at: CellContext = { source: table.source, line: 0, handleUnknown: options.handleUnknown ?? 'error' };
    let offset = 0;
    this.columns.forEach((column, j) => {
      encodeStoredRows(column, table.data[positions[j]], rows, out, width, offset, at, table.lines);
      offset += column.width;
    });
    return new Tensor(out, [rows.length, width]);
  }

  /**
   * The network's inputs for rows of cells given as text (e.g. a chunk of a CSV file being streamed): `header`
   * names the cells of each row; `lines` gives each row's line for messages.
   */
  transformCells(
    header: readonly string[],
    rows: readonly (readonly string[])[],
    lines: ArrayLike<number>,
    source: string,
    options: TransformOptions = {},
  ): Tensor {
    const byName = new Map(header.map((c, i) => [c, i]));
    const positions = this.columns.map((c) => byName.get(c.spec.name) ?? -1);
    const absent = this.columns.filter((_, i) => positions[i] < 0).map((c) => c.spec.name);
    if (absent.length > 0) {
      throw new TableError(
        `${source} has no column ${listNames(absent)}, which the model needs (its input columns are ${listNames(this.columns.map((c) => c.spec.name))}).`,
      );
    }
    const width = this.numFeatures;
    const out = new Float32Array(encodedSize(rows.length, width, source));
    const at: CellContext = { source, line: 0, handleUnknown: options.handleUnknown ?? 'error' };
    for (let r = 0; r < rows.length; r++) {
      at.line = lines[r];
      let offset = r * width;
      for (let j = 0; j < this.columns.length; j++) {
        this.columns[j].encode(rows[r][positions[j]], out, offset, at);
        offset += this.columns[j].width;
      }
    }
    return new Tensor(out, [rows.length, width]);
  }

  /** The training labels of the rows of `table` (all, or `rows`; see `TabularTarget.encode`). */
  transformTarget(table: Table, rows?: Rows): Tensor {
    const t = table.positions.get(this.target.name);
    if (t === undefined) throw new TableError(`${table.source} has no target column '${this.target.name}'.`);
    return this.target.encodeStored(table.data[t], rows ?? allRows(table.rowCount), table.lines, table.source);
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
        default:
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
    if (obj?.format !== 'dendrite-tabular-preprocessing') throw new Error("preprocessing: expected an object with format 'dendrite-tabular-preprocessing'.");
    if (obj.version !== 1) throw new Error(`preprocessing: version ${String(obj.version)} is not supported (this dendrite reads version 1).`);
    if (!Array.isArray(obj.columns) || obj.columns.length === 0) throw new Error("preprocessing: 'columns' must be a non-empty array.");
    const columns = obj.columns.map((c, i) => columnFromJSON(c, i));
    const names = new Set<string>();
    for (const c of columns) {
      if (names.has(c.spec.name)) throw new Error(`preprocessing: column '${c.spec.name}' is listed twice in 'columns'.`);
      names.add(c.spec.name);
    }
    const dropped = Array.isArray(obj.dropped) ? obj.dropped.filter((d) => typeof d?.name === 'string' && typeof d?.reason === 'string') : [];
    return new TabularPipeline(columns, TabularTarget.fromJSON(obj.target!), dropped, obj.impute === true);
  }
}

function position(table: Table, name: string): number {
  const i = table.positions.get(name);
  if (i === undefined) throw new TableError(`${table.source} has no column '${name}'.`);
  return i;
}

/** Rows x features, checked against the limit before anything is allocated. */
function encodedSize(rows: number, width: number, source: string): number {
  const size = rows * width;
  if (size > MAX_ENCODED_VALUES) {
    throw new TableError(
      `${source}: the encoded table would hold ${rows} rows x ${width} features = ${size} numbers (${((size * 4) / 2 ** 30).toFixed(1)} GiB), more than the ${MAX_ENCODED_VALUES} allowed; leave out columns with many categories (--drop) or use fewer rows.`,
    );
  }
  return size;
}

function round(x: number): string {
  return Number(x.toPrecision(4)).toString();
}
