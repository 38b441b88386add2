import { StandardScaler, type StandardScalerJSON } from '../data/standard-scaler.js';
import { Tensor } from '../tensor/tensor.js';
import type { ColumnSpec } from './column-kinds.js';
import { TableError } from './errors.js';
import { categoryOf, isMissing, parseBoolean, parseNumber, showCell } from './values.js';

/**
 * What the network learns, which fixes its output layer and loss:
 * - `regression`: 1 linear unit, mean squared error on the standardised target;
 * - `binary`: 1 sigmoid unit, binary cross-entropy (the second class in order is the positive one);
 * - `multiclass`: one softmax unit per class, categorical cross-entropy.
 */
export type Task = 'regression' | 'binary' | 'multiclass';

/** Whole-number targets with at most this many values are read as class codes (0/1, 1..5), not as quantities. */
export const MAX_INTEGER_CLASSES = 10;

/**
 * The task for a target column: categories give binary (two) or multiclass (more); numbers give regression,
 * except whole numbers with two values (binary) or a few values (up to 10: class codes such as 0, 1, 2).
 * `override` (from `--task`) wins when the column allows it. Returns the task and a note when a guess was made.
 */
export function chooseTask(spec: ColumnSpec, cells: readonly string[], override?: Task): { task: Task; note: string | null } {
  const present = cells.filter((c) => !isMissing(c)).map(categoryOf);
  const distinct = new Set(present);
  const numbers = spec.kind === 'numeric' ? present.map((c) => parseNumber(c)!) : null;
  const name = spec.name;
  if (distinct.size < 2) throw new TableError(`the target '${name}' has ${distinct.size === 0 ? 'no values' : `a single value (${showCell(present[0])})`}; there is nothing to learn.`);
  if (override === 'regression') {
    if (!numbers) throw new TableError(`--task regression needs a numeric target, but '${name}' holds ${spec.kind} values such as ${showCell(present.find((c) => parseNumber(c) === null) ?? present[0])}.`);
    return { task: 'regression', note: null };
  }
  if (override === 'binary') {
    if (distinct.size !== 2) throw new TableError(`--task binary needs a target with exactly 2 values, but '${name}' has ${distinct.size}; use --task multiclass.`);
    return { task: 'binary', note: null };
  }
  if (override === 'multiclass') return { task: 'multiclass', note: null };
  if (!numbers) {
    if (distinct.size === present.length && present.length > 20) {
      throw new TableError(`the target '${name}' has a different value in every row (${present.length}), so it cannot be a class label; is --target the right column?`);
    }
    return { task: distinct.size === 2 ? 'binary' : 'multiclass', note: null };
  }
  const whole = numbers.every(Number.isInteger);
  const values = [...new Set(numbers)].sort((a, b) => a - b);
  if (whole && values.length === 2) return { task: 'binary', note: `the target '${name}' holds two whole numbers (${values.join(', ')}): treating them as two classes (--task regression to predict a number).` };
  if (whole && values.length <= MAX_INTEGER_CLASSES && present.length >= 3 * values.length) {
    return { task: 'multiclass', note: `the target '${name}' holds ${values.length} whole numbers (${values.join(', ')}): treating them as classes (--task regression to predict a number).` };
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
   * Fits on the training rows' target cells (no missing ones). The classes come from `allCells` when given
   * (every labelled row of the table), so a rare class that fell into the test rows is still a class.
   */
  static fit(spec: ColumnSpec, cells: readonly string[], task: Task, allCells: readonly string[] = cells): TabularTarget {
    if (task === 'regression') {
      const values = cells.map((c) => parseNumber(c)!);
      return new TabularTarget(spec.name, task, null, new StandardScaler().fit(new Tensor(Float32Array.from(values), [values.length, 1])));
    }
    return new TabularTarget(spec.name, task, classOrder(spec, allCells.filter((c) => !isMissing(c))), null);
  }

  /** Output units of the network: 1, or the number of classes for multiclass. */
  get units(): number {
    return this.task === 'multiclass' ? this.classes!.length : 1;
  }

  /** Class codes of target cells (classification); an unseen label is an error naming its line. */
  classCodes(cells: readonly string[], lines: readonly number[], source: string): number[] {
    return cells.map((c, i) => {
      const code = this.codes.get(categoryOf(c));
      if (code === undefined) throw new TableError(`${source}, line ${lines[i]}: the target '${this.name}' has the class ${showCell(c)}, never seen in training.`);
      return code;
    });
  }

  /** Target cells as numbers (regression), in the original unit. */
  numbers(cells: readonly string[], lines: readonly number[], source: string): number[] {
    return cells.map((c, i) => {
      const n = parseNumber(c);
      if (n === null) throw new TableError(`${source}, line ${lines[i]}: the target '${this.name}' must hold a number, got ${showCell(c)}.`);
      return n;
    });
  }

  /** The training labels for the network: [N, 1] standardised values or 0/1, or [N, k] one-hot rows. */
  encode(cells: readonly string[], lines: readonly number[], source: string): Tensor {
    const n = cells.length;
    if (this.task === 'regression') {
      const y = new Tensor(Float32Array.from(this.numbers(cells, lines, source)), [n, 1]);
      return this.scaler!.transform(y);
    }
    const codes = this.classCodes(cells, lines, source);
    if (this.task === 'binary') return new Tensor(Float32Array.from(codes), [n, 1]);
    const k = this.units;
    const out = new Float32Array(n * k);
    codes.forEach((c, i) => (out[i * k + c] = 1));
    return new Tensor(out, [n, k]);
  }

  /** Regression: the network's outputs [N, 1] back in the target's unit. */
  values(yPred: Tensor): number[] {
    return Array.from(this.scaler!.inverseTransform(yPred).values);
  }

  /** Classification: each row's probability per class, [N][k] (binary: [1 - p, p]). */
  probabilities(yPred: Tensor): number[][] {
    const n = yPred.shape[0];
    if (this.task === 'binary') return Array.from({ length: n }, (_, i) => [1 - yPred.values[i], yPred.values[i]]);
    const k = this.units;
    return Array.from({ length: n }, (_, i) => Array.from(yPred.values.subarray(i * k, (i + 1) * k)));
  }

  /** Classification: the most probable class code of each row. */
  predictedCodes(yPred: Tensor): number[] {
    return this.probabilities(yPred).map((p) => p.indexOf(Math.max(...p)));
  }

  toJSON(): TabularTargetJSON {
    return { name: this.name, task: this.task, classes: this.classes ? [...this.classes] : null, scaler: this.scaler ? this.scaler.toJSON() : null };
  }

  static fromJSON(json: TabularTargetJSON): TabularTarget {
    if (!json || typeof json.name !== 'string' || !['regression', 'binary', 'multiclass'].includes(json.task)) {
      throw new Error("preprocessing: the 'target' entry needs a name and a task ('regression', 'binary' or 'multiclass').");
    }
    if (json.task === 'regression' && !json.scaler) throw new Error("preprocessing: a regression target needs its 'scaler'.");
    if (json.task !== 'regression' && !Array.isArray(json.classes)) throw new Error("preprocessing: a classification target needs its 'classes'.");
    return new TabularTarget(json.name, json.task, json.classes, json.scaler ? StandardScaler.fromJSON(json.scaler) : null);
  }
}

/** Classes in a natural order: the given order (ordinal), false before true, numbers ascending, else by code unit. */
function classOrder(spec: ColumnSpec, cells: readonly string[]): string[] {
  const distinct = [...new Set(cells.map(categoryOf))];
  if (spec.kind === 'ordinal') return spec.order!.filter((c) => distinct.includes(c));
  if (spec.kind === 'boolean') return distinct.sort((a, b) => parseBoolean(a)! - parseBoolean(b)! || (a < b ? -1 : a > b ? 1 : 0));
  if (distinct.every((c) => parseNumber(c) !== null)) return distinct.sort((a, b) => parseNumber(a)! - parseNumber(b)! || (a < b ? -1 : 1));
  return distinct.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
