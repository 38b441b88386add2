import { StandardScaler, type StandardScalerJSON } from '../data/standard-scaler.js';
import { Tensor } from '../tensor/tensor.js';
import type { ColumnSpec } from './column-kinds.js';
import type { ChunkedArray } from './chunked-array.js';
import { numberAt, storeCells, storedRows, type StoredColumn } from './column-store.js';
import { TableError } from './errors.js';
import type { Rows } from './table.js';
import { categoryOf, parseBoolean, parseNumber, showCell } from './values.js';

/**
 * What the network learns, which fixes its output layer and loss:
 * - `regression`: 1 linear unit, mean squared error on the standardised target;
 * - `binary`: 1 sigmoid unit, binary cross-entropy (the second class in order is the positive one);
 * - `multiclass`: one softmax unit per class, categorical cross-entropy.
 */
export type Task = 'regression' | 'binary' | 'multiclass';

/** Whole-number targets with at most this many values are read as class codes (0/1, 1..5), not as quantities. */
export const MAX_INTEGER_CLASSES = 10;

/** The distinct present values of a target column, with their counts (a stored column, or cells as text). */
interface TargetValues {
  /** Distinct present values (trimmed texts), in order of first appearance; null when there are too many to keep. */
  distinct: string[] | null;
  counts: number[];
  present: number;
  /** Whether every present value is a number. */
  numeric: boolean;
  /** At least this many distinct values (exact when `distinct` is kept). */
  distinctCount: number;
}

function targetValues(spec: ColumnSpec, data: StoredColumn | readonly string[]): TargetValues {
  const column = Array.isArray(data) ? storeCells(data as readonly string[]) : (data as StoredColumn);
  const numeric = spec.kind === 'numeric';
  if (column.storage !== 'codes') return { distinct: null, counts: [], present: column.counts.present, numeric, distinctCount: column.distinctAtLeast };
  const counts = new Array<number>(column.categories.length).fill(0);
  for (let r = 0; r < column.codes.length; r++) counts[column.codes.get(r)]++;
  const keep = column.categories.map((_, code) => !column.categoryMissing[code] && counts[code] > 0);
  const distinct = column.categories.filter((_, code) => keep[code]);
  return { distinct, counts: counts.filter((_, code) => keep[code]), present: column.counts.present, numeric, distinctCount: distinct.length };
}

/**
 * The task for a target column: categories give binary (two) or multiclass (more); numbers give regression,
 * except whole numbers with two values (binary) or a few values (up to 10: class codes such as 0, 1, 2).
 * `override` (from `--task`) wins when the column allows it. Returns the task and a note when a guess was made.
 * `data` is the stored column, or its cells as text.
 */
export function chooseTask(spec: ColumnSpec, data: StoredColumn | readonly string[], override?: Task): { task: Task; note: string | null } {
  const v = targetValues(spec, data);
  const name = spec.name;
  if (v.distinct && v.distinct.length < 2)
    throw new TableError(
      `the target '${name}' has ${v.distinct.length === 0 ? 'no values' : `a single value (${showCell(v.distinct[0])})`}; there is nothing to learn.`,
    );
  const tooMany = (what: string) =>
    new TableError(
      `${what}, but the target '${name}' has more than ${v.distinctCount - 1} distinct values${v.numeric ? ' (numbers: --task regression predicts them)' : ''}.`,
    );
  if (override === 'regression') {
    if (!v.numeric)
      throw new TableError(
        `--task regression needs a numeric target, but '${name}' holds ${spec.kind} values such as ${showCell(v.distinct?.find((c) => parseNumber(c) === null) ?? v.distinct?.[0] ?? '')}.`,
      );
    return { task: 'regression', note: null };
  }
  if (override === 'binary') {
    if (!v.distinct) throw tooMany('--task binary needs exactly 2 values');
    if (v.distinct.length !== 2)
      throw new TableError(`--task binary needs a target with exactly 2 values, but '${name}' has ${v.distinct.length}; use --task multiclass.`);
    return { task: 'binary', note: null };
  }
  if (override === 'multiclass') {
    if (!v.distinct) throw tooMany('--task multiclass needs a class label per row');
    return { task: 'multiclass', note: null };
  }
  if (!v.numeric) {
    if (!v.distinct || (v.distinct.length === v.present && v.present > 20)) {
      throw new TableError(
        `the target '${name}' has a different value in every row (${v.distinct ? v.present : `more than ${v.distinctCount - 1} distinct values`}), so it cannot be a class label; is --target the right column?`,
      );
    }
    return { task: v.distinct.length === 2 ? 'binary' : 'multiclass', note: null };
  }
  if (!v.distinct) return { task: 'regression', note: null };
  const numbers = v.distinct.map((c) => parseNumber(c)!);
  const whole = numbers.every(Number.isInteger);
  const values = [...new Set(numbers)].sort((a, b) => a - b);
  if (whole && values.length === 2)
    return {
      task: 'binary',
      note: `the target '${name}' holds two whole numbers (${values.join(', ')}): treating them as two classes (--task regression to predict a number).`,
    };
  if (whole && values.length <= MAX_INTEGER_CLASSES && v.present >= 3 * values.length) {
    return {
      task: 'multiclass',
      note: `the target '${name}' holds ${values.length} whole numbers (${values.join(', ')}): treating them as classes (--task regression to predict a number).`,
    };
  }
  return { task: 'regression', note: null };
}

/** What `TabularTarget.toJSON()` writes. */
export interface TabularTargetJSON {
  name: string;
  task: Task;
  /** Class labels in code order, as they appear in the table (classification). */
  classes: string[] | null;
  /** Standardisation of the target (regression). */
  scaler: StandardScalerJSON | null;
}

/**
 * The target column's encoding: class labels <-> codes (classification), or the standardisation that the
 * network is trained on and that predictions are mapped back through (regression).
 */
export class TabularTarget {
  private readonly codes: Map<string, number>;

  private constructor(
    readonly name: string,
    readonly task: Task,
    readonly classes: readonly string[] | null,
    readonly scaler: StandardScaler | null,
  ) {
    this.codes = new Map((classes ?? []).map((c, i) => [c, i]));
  }

  /**
   * Fits on the training rows `rows` of the target column (default: all; none missing). The classes come from
   * every labelled row of the column, so a rare class that fell into the test rows is still a class. `data` is
   * the stored column, or its cells as text.
   */
  static fit(spec: ColumnSpec, data: StoredColumn | readonly string[], task: Task, rows?: Rows): TabularTarget {
    const column = Array.isArray(data) ? storeCells(data as readonly string[]) : (data as StoredColumn);
    if (task === 'regression') {
      const values = targetNumbers(column, rows);
      return new TabularTarget(spec.name, task, null, new StandardScaler().fit(new Tensor(values, [values.length, 1])));
    }
    const { distinct } = targetValues(spec, column);
    if (!distinct) throw new TableError(`the target '${spec.name}' has too many distinct values to be classes.`);
    return new TabularTarget(spec.name, task, classOrder(spec, distinct), null);
  }

  /** Output units of the network: 1, or the number of classes for multiclass. */
  get units(): number {
    return this.task === 'multiclass' ? this.classes!.length : 1;
  }

  /** Class codes of target cells (classification); an unseen label is an error naming its line. */
  classCodes(cells: readonly string[], lines: ArrayLike<number>, source: string): Int32Array {
    const out = new Int32Array(cells.length);
    for (let i = 0; i < cells.length; i++) {
      const code = this.codes.get(categoryOf(cells[i]));
      if (code === undefined)
        throw new TableError(`${source}, line ${lines[i]}: the target '${this.name}' has the class ${showCell(cells[i])}, never seen in training.`);
      out[i] = code;
    }
    return out;
  }

  /** Class codes of `rows` of a stored target column (classification). */
  storedClassCodes(column: StoredColumn, rows: Rows, lines: ChunkedArray<Uint32Array>, source: string): Int32Array {
    if (column.storage !== 'codes') throw new TableError(`${source}: the target '${this.name}' has too many distinct values to be classes.`);
    const byCategory = column.categories.map((c) => this.codes.get(c) ?? -1);
    const out = new Int32Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const category = column.codes.get(rows[i]);
      const code = byCategory[category];
      if (code < 0)
        throw new TableError(
          `${source}, line ${lines.get(rows[i])}: the target '${this.name}' has the class ${showCell(column.categories[category])}, never seen in training.`,
        );
      out[i] = code;
    }
    return out;
  }

  /** Target cells as numbers (regression), in the original unit. */
  numbers(cells: readonly string[], lines: ArrayLike<number>, source: string): Float64Array {
    const out = new Float64Array(cells.length);
    for (let i = 0; i < cells.length; i++) {
      const n = parseNumber(cells[i]);
      if (n === null) throw new TableError(`${source}, line ${lines[i]}: the target '${this.name}' must hold a number, got ${showCell(cells[i])}.`);
      out[i] = n;
    }
    return out;
  }

  /** The numbers of `rows` of a stored target column (regression), in the original unit. */
  storedNumbers(column: StoredColumn, rows: Rows, lines: ChunkedArray<Uint32Array>, source: string): Float32Array {
    const out = new Float32Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const v = numberAt(column, rows[i]);
      if (Number.isNaN(v))
        throw new TableError(
          `${source}, line ${lines.get(rows[i])}: the target '${this.name}' must hold a number${column.storage === 'codes' ? `, got ${showCell(column.categories[column.codes.get(rows[i])])}` : ''}.`,
        );
      out[i] = v;
    }
    return out;
  }

  /** The training labels for the network from `rows` of a stored target column: [N, 1] standardised values or 0/1, or [N, k] one-hot rows. */
  encodeStored(column: StoredColumn, rows: Rows, lines: ChunkedArray<Uint32Array>, source: string): Tensor {
    const n = rows.length;
    if (this.task === 'regression') return this.scaler!.transform(new Tensor(this.storedNumbers(column, rows, lines, source), [n, 1]));
    return this.labels(this.storedClassCodes(column, rows, lines, source));
  }

  /** The training labels for the network: [N, 1] standardised values or 0/1, or [N, k] one-hot rows. */
  encode(cells: readonly string[], lines: ArrayLike<number>, source: string): Tensor {
    const n = cells.length;
    if (this.task === 'regression') return this.scaler!.transform(new Tensor(Float32Array.from(this.numbers(cells, lines, source)), [n, 1]));
    return this.labels(this.classCodes(cells, lines, source));
  }

  private labels(codes: Int32Array): Tensor {
    const n = codes.length;
    if (this.task === 'binary') return new Tensor(Float32Array.from(codes), [n, 1]);
    const k = this.units;
    const out = new Float32Array(n * k);
    for (let i = 0; i < n; i++) out[i * k + codes[i]] = 1;
    return new Tensor(out, [n, k]);
  }

  /** Regression: the network's outputs [N, 1] back in the target's unit. */
  values(yPred: Tensor): number[] {
    return Array.from(this.scaler!.inverseTransform(yPred).values);
  }

  /** Classification: each row's probability per class, row-major [N * k] (binary: 1 - p, p). */
  probabilities(yPred: Tensor): Float32Array {
    const n = yPred.shape[0];
    if (this.task !== 'binary') return yPred.values;
    const out = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) {
      out[2 * i] = 1 - yPred.values[i];
      out[2 * i + 1] = yPred.values[i];
    }
    return out;
  }

  /** Classification: the most probable class code of each row (the first on a tie). */
  predictedCodes(yPred: Tensor): Int32Array {
    const p = this.probabilities(yPred);
    const k = this.task === 'binary' ? 2 : this.units;
    const n = yPred.shape[0];
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let c = 1; c < k; c++) if (p[i * k + c] > p[i * k + best]) best = c;
      out[i] = best;
    }
    return out;
  }

  toJSON(): TabularTargetJSON {
    return { name: this.name, task: this.task, classes: this.classes ? [...this.classes] : null, scaler: this.scaler ? this.scaler.toJSON() : null };
  }

  static fromJSON(json: TabularTargetJSON): TabularTarget {
    if (!json || typeof json.name !== 'string' || !['regression', 'binary', 'multiclass'].includes(json.task)) {
      throw new Error("preprocessing: the 'target' entry needs a name and a task ('regression', 'binary' or 'multiclass').");
    }
    if (json.task === 'regression' && !json.scaler) throw new Error("preprocessing: a regression target needs its 'scaler'.");
    if (json.task !== 'regression') {
      const classes: unknown = json.classes;
      if (!Array.isArray(classes) || !classes.every((c) => typeof c === 'string') || new Set(classes).size !== classes.length) {
        throw new Error("preprocessing: a classification target needs its 'classes', a list of distinct class labels.");
      }
      if (json.task === 'binary' ? classes.length !== 2 : classes.length < 2)
        throw new Error(`preprocessing: a ${json.task} target needs ${json.task === 'binary' ? 'exactly 2' : 'at least 2'} classes, got ${classes.length}.`);
    }
    return new TabularTarget(json.name, json.task, json.classes, json.scaler ? StandardScaler.fromJSON(json.scaler) : null);
  }
}

/** The present numbers of `rows` (default: all) of a stored column, as float32. */
function targetNumbers(column: StoredColumn, rows?: Rows): Float32Array {
  const n = rows ? rows.length : storedRows(column);
  const out = new Float32Array(n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const v = numberAt(column, rows ? rows[i] : i);
    if (!Number.isNaN(v)) out[k++] = v;
  }
  return out.subarray(0, k);
}

/** Classes in a natural order: the given order (ordinal), false before true, numbers ascending, else by code unit. */
function classOrder(spec: ColumnSpec, distinctValues: readonly string[]): string[] {
  const distinct = [...distinctValues];
  if (spec.kind === 'ordinal') return spec.order!.filter((c) => distinct.includes(c));
  if (spec.kind === 'boolean') return distinct.sort((a, b) => parseBoolean(a)! - parseBoolean(b)! || (a < b ? -1 : a > b ? 1 : 0));
  if (distinct.every((c) => parseNumber(c) !== null)) return distinct.sort((a, b) => parseNumber(a)! - parseNumber(b)! || (a < b ? -1 : 1));
  return distinct.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
