import { TableError } from './errors.js';
import { columnCells, columnIndex, type Table } from './table.js';
import { categoryOf, isMissing, parseBoolean, parseNumber, showCell, showLines } from './values.js';

/**
 * What a column holds, which decides its encoding: numbers are standardised, booleans become 0/1,
 * nominal categories (no order) become one-hot columns, ordinal categories (an order the user gives)
 * become ordered codes, standardised like numbers.
 */
export type ColumnKind = 'numeric' | 'boolean' | 'nominal' | 'ordinal';

export interface ColumnSpec {
  name: string;
  kind: ColumnKind;
  /** For ordinal columns: the categories from lowest to highest. */
  order?: string[];
}

export interface DroppedColumn {
  name: string;
  /** Why it was left out, e.g. 'identifier-like: every value is different'. */
  reason: string;
}

export interface ColumnOptions {
  /** The column to predict. */
  target: string;
  /** Ordered categories per column, lowest first: `{ grade: ['F', 'D', 'C', 'B', 'A'] }`. */
  ordinal?: Record<string, readonly string[]>;
  /** Columns of numbers to treat as nominal categories (codes, zip codes). */
  categorical?: readonly string[];
  /** Columns to keep even when they look like identifiers or are constant. */
  keep?: readonly string[];
  /** Columns to leave out. */
  drop?: readonly string[];
}

/** Which columns feed the network and how, plus the target's kind and what was dropped (and why). */
export interface ColumnPlan {
  target: ColumnSpec;
  features: ColumnSpec[];
  dropped: DroppedColumn[];
}

/** Rows at least this many before "every value differs" marks an identifier (a small table may be all distinct). */
const MIN_ROWS_FOR_IDENTIFIER = 10;

/**
 * Decides each column's kind from its cells and the user's options: numeric when every value is a number,
 * boolean for true/false or yes/no, nominal otherwise; ordinal only when an order is given. Identifier-like
 * columns (every value a different string, or a running row number), constant and empty columns are dropped
 * unless listed in `keep`.
 *
 *     inferColumns(table, { target: 'passed', ordinal: { grade: ['F', 'D', 'C', 'B', 'A'] } });
 */
export function inferColumns(table: Table, options: ColumnOptions): ColumnPlan {
  const ordinal = options.ordinal ?? {};
  const named = (list: readonly string[] | undefined, flag: string) => {
    for (const n of list ?? []) columnIndex(table, n, flag);
    return new Set(list ?? []);
  };
  columnIndex(table, options.target, '--target');
  const categorical = named(options.categorical, '--categorical');
  const keep = named(options.keep, '--keep');
  const drop = named(options.drop, '--drop');
  for (const name of Object.keys(ordinal)) columnIndex(table, name, '--ordinal');
  if (drop.has(options.target)) throw new TableError(`the target column '${options.target}' cannot be dropped.`);

  let target: ColumnSpec | null = null;
  const features: ColumnSpec[] = [];
  const dropped: DroppedColumn[] = [];
  table.columns.forEach((name, i) => {
    if (drop.has(name)) {
      dropped.push({ name, reason: 'dropped as asked (--drop)' });
      return;
    }
    const cells = columnCells(table, i);
    let spec: ColumnSpec;
    if (ordinal[name]) spec = { name, kind: 'ordinal', order: checkOrder(table, i, ordinal[name]) };
    else if (categorical.has(name)) spec = { name, kind: 'nominal' };
    else spec = { name, kind: inferKind(table, i) };
    if (name === options.target) {
      target = spec;
      return;
    }
    const reason = keep.has(name) ? null : dropReason(spec, cells);
    if (reason) dropped.push({ name, reason });
    else features.push(spec);
  });
  if (features.length === 0) {
    const why = dropped.length > 0 ? ` (dropped: ${dropped.map((d) => `'${d.name}': ${d.reason}`).join('; ')}; keep a column with --keep)` : '';
    throw new TableError(`${table.source} has no feature columns besides the target '${options.target}'${why}.`);
  }
  return { target: target!, features, dropped };
}

/** numeric, boolean or nominal, from the non-missing cells of column `i`. */
export function inferKind(table: Table, i: number): 'numeric' | 'boolean' | 'nominal' {
  const name = table.columns[i];
  let present = 0;
  let numbers = 0;
  let booleans = 0;
  const stray: number[] = [];
  table.rows.forEach((row, r) => {
    const cell = row[i];
    if (isMissing(cell)) return;
    present++;
    if (parseNumber(cell) !== null) numbers++;
    else stray.push(r);
    if (parseBoolean(cell) !== null) booleans++;
  });
  if (present === 0) return 'numeric';
  if (numbers === present) return 'numeric';
  if (booleans === present) return 'boolean';
  // NOTE: a column of numbers with a few words in it is almost always a data-entry slip ('12', 'n.a.', '14'),
  // not a column of categories; guessing "categories" would silently one-hot hundreds of numbers.
  if (numbers >= 0.8 * present && stray.length <= 20) {
    const first = stray[0];
    throw new TableError(
      `column '${name}' holds numbers, but ${showLines(stray.map((r) => table.lines[r]))} ${stray.length === 1 ? 'has' : 'have'} non-numeric values (line ${table.lines[first]}: ${showCell(table.rows[first][i])}); fix or blank them (blank cells count as missing), or pass --categorical ${name} to treat the column as categories.`,
    );
  }
  return 'nominal';
}

/** Why a feature column carries nothing to learn from, or null to keep it. */
function dropReason(spec: ColumnSpec, cells: readonly string[]): string | null {
  const present = cells.filter((c) => !isMissing(c));
  if (present.length === 0) return 'empty: every value is missing';
  const distinct = new Set(present.map(categoryOf));
  if (distinct.size === 1) return `constant: every value is ${showCell(present[0].trim())}`;
  if (present.length < MIN_ROWS_FOR_IDENTIFIER) return null;
  if (spec.kind === 'nominal' && distinct.size === present.length) return 'identifier-like: every value is a different string';
  if (spec.kind === 'numeric' && present.length === cells.length) {
    const numbers = present.map((c) => parseNumber(c)!);
    if (numbers.every((v, i) => Number.isInteger(v) && (i === 0 || v === numbers[i - 1] + 1))) return 'identifier-like: a running row number';
  }
  return null;
}

/** The order, checked: no repeats, and every value in the column is one of its categories. */
function checkOrder(table: Table, i: number, order: readonly string[]): string[] {
  const name = table.columns[i];
  const clean = order.map((c) => c.trim());
  const seen = new Set<string>();
  for (const c of clean) {
    if (c === '') throw new TableError(`--ordinal ${name}: the order has an empty category; write it as ${name}=low,medium,high.`);
    if (seen.has(c)) throw new TableError(`--ordinal ${name}: category ${showCell(c)} is listed twice.`);
    seen.add(c);
  }
  const bad: number[] = [];
  table.rows.forEach((row, r) => {
    if (!isMissing(row[i]) && !seen.has(categoryOf(row[i]))) bad.push(r);
  });
  if (bad.length > 0) {
    const values = [...new Set(bad.map((r) => categoryOf(table.rows[r][i])))];
    throw new TableError(
      `column '${name}' has ${values.length === 1 ? 'a value' : 'values'} missing from its --ordinal order (${clean.join(',')}): ${values.slice(0, 5).map(showCell).join(', ')} on ${showLines(bad.map((r) => table.lines[r]))}; add ${values.length === 1 ? 'it' : 'them'} to the order.`,
    );
  }
  return clean;
}
