import { FLOAT32_MAX, MAX_CATEGORIES, type StoredColumn } from './column-store.js';
import { TableError } from './errors.js';
import { columnIndex, type Table } from './table.js';
import { showCell, showLines } from './values.js';

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

/** Per column name: a value. A `Map`, or a plain object whose own keys are the names. */
export type ByColumn<T> = ReadonlyMap<string, T> | Readonly<Record<string, T>>;

export interface ColumnOptions {
  /** The column to predict. */
  target: string;
  /** Ordered categories per column, lowest first: `{ grade: ['F', 'D', 'C', 'B', 'A'] }`. */
  ordinal?: ByColumn<readonly string[]>;
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

/** A `ByColumn` as a Map: a column named `constructor` or `__proto__` is a name like any other. */
export function byColumn<T>(values: ByColumn<T> | undefined): Map<string, T> {
  if (!values) return new Map();
  if (values instanceof Map) return new Map(values);
  return new Map(Object.entries(values as Record<string, T>));
}

/**
 * Decides each column's kind from its cells and the user's options: numeric when every value is a number,
 * boolean for true/false or yes/no, nominal otherwise; ordinal only when an order is given. Identifier-like
 * columns (every value a different string, or a running row number), constant and empty columns are dropped
 * unless listed in `keep`.
 *
 *     inferColumns(table, { target: 'passed', ordinal: { grade: ['F', 'D', 'C', 'B', 'A'] } });
 */
export function inferColumns(table: Table, options: ColumnOptions): ColumnPlan {
  const ordinal = byColumn(options.ordinal);
  const named = (list: readonly string[] | undefined, flag: string) => {
    for (const n of list ?? []) columnIndex(table, n, flag);
    return new Set(list ?? []);
  };
  columnIndex(table, options.target, '--target');
  const categorical = named(options.categorical, '--categorical');
  const keep = named(options.keep, '--keep');
  const drop = named(options.drop, '--drop');
  for (const name of ordinal.keys()) columnIndex(table, name, '--ordinal');
  if (drop.has(options.target)) throw new TableError(`the target column '${options.target}' cannot be dropped.`);

  let target: ColumnSpec | null = null;
  const features: ColumnSpec[] = [];
  const dropped: DroppedColumn[] = [];
  table.columns.forEach((name, i) => {
    if (drop.has(name)) {
      dropped.push({ name, reason: 'dropped as asked (--drop)' });
      return;
    }
    const data = table.data[i];
    let spec: ColumnSpec;
    const order = ordinal.get(name);
    if (order) spec = { name, kind: 'ordinal', order: checkOrder(table, i, order) };
    else if (categorical.has(name)) spec = { name, kind: 'nominal' };
    else spec = { name, kind: inferKind(table, i) };
    if (name === options.target) {
      target = spec;
      return;
    }
    const reason = keep.has(name) ? null : dropReason(spec, data);
    if (reason) dropped.push({ name, reason });
    else features.push(spec);
  });
  if (features.length === 0) {
    const why = dropped.length > 0 ? ` (dropped: ${dropped.map((d) => `'${d.name}': ${d.reason}`).join('; ')}; keep a column with --keep)` : '';
    throw new TableError(`${table.source} has no feature columns besides the target '${options.target}'${why}.`);
  }
  for (const spec of [...features, target!]) checkEncodable(table, spec, spec === target);
  return { target: target!, features, dropped };
}

/** numeric, boolean or nominal, from the non-missing cells of column `i`. */
export function inferKind(table: Table, i: number): 'numeric' | 'boolean' | 'nominal' {
  const name = table.columns[i];
  const { present, numbers, booleans, strayCount, strays } = table.data[i].counts;
  if (present === 0) return 'numeric';
  if (numbers === present) return 'numeric';
  if (booleans === present) return 'boolean';
  // NOTE: a column of numbers with a few words in it is almost always a data-entry slip ('12', 'n.a.', '14'),
  // not a column of categories; guessing "categories" would silently one-hot hundreds of numbers.
  if (numbers >= 0.8 * present && strayCount <= 20) {
    const first = strays[0];
    throw new TableError(
      `column '${name}' holds numbers, but ${showLines(
        strays.map((s) => table.lines.get(s.row)),
        5,
        strayCount,
      )} ${strayCount === 1 ? 'has' : 'have'} non-numeric values (line ${table.lines.get(first.row)}: ${showCell(first.text)}); fix or blank them (blank cells count as missing), or pass --categorical ${name} to treat the column as categories.`,
    );
  }
  return 'nominal';
}

/** The number of distinct present values (a lower bound for columns with too many to keep). */
export function distinctPresent(data: StoredColumn): number {
  if (data.storage !== 'codes') return data.distinctAtLeast;
  let n = 0;
  for (let c = 0; c < data.categories.length; c++) if (!data.categoryMissing[c]) n++;
  return n;
}

/** The first present value's text (a column stored as codes), for messages. */
function firstPresent(data: StoredColumn): string {
  if (data.storage !== 'codes') return '';
  for (let c = 0; c < data.categories.length; c++) if (!data.categoryMissing[c]) return data.categories[c];
  return '';
}

/** Why a feature column carries nothing to learn from, or null to keep it. */
function dropReason(spec: ColumnSpec, data: StoredColumn): string | null {
  const { present, missingCount, running } = data.counts;
  if (present === 0) return 'empty: every value is missing';
  const distinct = distinctPresent(data);
  if (data.storage === 'codes' && distinct === 1) return `constant: every value is ${showCell(firstPresent(data))}`;
  if (present < MIN_ROWS_FOR_IDENTIFIER) return null;
  if (spec.kind === 'nominal' && data.storage !== 'codes')
    return `identifier-like or free text: more than ${data.distinctAtLeast - 1} distinct values, too many to encode as categories`;
  if (spec.kind === 'nominal' && distinct === present) return 'identifier-like: every value is a different string';
  if (spec.kind === 'numeric' && missingCount === 0 && running) return 'identifier-like: a running row number';
  return null;
}

/** Columns the network will use must be encodable: categories kept, numbers within float32's range. */
function checkEncodable(table: Table, spec: ColumnSpec, isTarget: boolean): void {
  const i = table.positions.get(spec.name)!;
  const data = table.data[i];
  const role = isTarget ? `the target '${spec.name}'` : `column '${spec.name}'`;
  if (spec.kind === 'numeric' && data.counts.outOfRange) {
    const { row, text } = data.counts.outOfRange;
    throw new TableError(
      `${table.source}, line ${table.lines.get(row)}: ${role} holds ${showCell(text)}, beyond the range of the 32-bit floats the network computes in (about ±${FLOAT32_MAX.toPrecision(2)}); rescale the column${isTarget ? '' : ` or leave it out with --drop ${spec.name}`}.`,
    );
  }
  if (spec.kind !== 'numeric' && data.storage !== 'codes' && !isTarget) {
    throw new TableError(
      `${role} has more than ${data.distinctAtLeast - 1} distinct values, too many to encode as categories${spec.kind === 'nominal' ? '' : ` (${spec.kind})`}; leave it out with --drop ${spec.name}.`,
    );
  }
}

/** The order, checked: no repeats, and every value in the column is one of its categories. */
function checkOrder(table: Table, i: number, order: readonly string[]): string[] {
  const name = table.columns[i];
  if (!Array.isArray(order)) throw new TableError(`--ordinal ${name}: the order must be a list of categories, got ${JSON.stringify(order)}.`);
  const clean = order.map((c) => String(c).trim());
  const seen = new Set<string>();
  for (const c of clean) {
    if (c === '') throw new TableError(`--ordinal ${name}: the order has an empty category; write it as ${name}=low,medium,high.`);
    if (seen.has(c)) throw new TableError(`--ordinal ${name}: category ${showCell(c)} is listed twice.`);
    seen.add(c);
  }
  const data = table.data[i];
  if (data.storage !== 'codes') {
    throw new TableError(
      `--ordinal ${name}: the column has more than ${data.distinctAtLeast - 1} distinct values, too many for an ordered list of categories (at most ${MAX_CATEGORIES}).`,
    );
  }
  const outside = data.categories.map((c, code) => !data.categoryMissing[code] && !seen.has(c));
  if (!outside.some(Boolean)) return clean;
  const bad: number[] = [];
  let badCount = 0;
  for (let r = 0; r < data.codes.length; r++) {
    if (!outside[data.codes.get(r)]) continue;
    if (bad.length < 5) bad.push(r);
    badCount++;
  }
  const values = data.categories.filter((_, code) => outside[code]);
  throw new TableError(
    `column '${name}' has ${values.length === 1 ? 'a value' : 'values'} missing from its --ordinal order (${clean.join(',')}): ${values.slice(0, 5).map(showCell).join(', ')} on ${showLines(
      bad.map((r) => table.lines.get(r)),
      5,
      badCount,
    )}; add ${values.length === 1 ? 'it' : 'them'} to the order.`,
  );
}
