import type { ChunkedArray } from './chunked-array.js';
import type { StoredColumn } from './column-store.js';
import { TableError } from './errors.js';

/**
 * A table as read from a CSV file, stored by column: each column a code per row into its distinct values,
 * or a float32 number per row (see `column-store.ts`), and the line each row starts on in the file (so errors
 * can point at it). The text of the file is not kept.
 */
export interface Table {
  /** Where the table came from, for messages: a file name, or 'the CSV'. */
  readonly source: string;
  readonly columns: readonly string[];
  /** Number of data rows. */
  readonly rowCount: number;
  /** 1-based line number in the file of each row (the header is line 1 in a file without blank lines). */
  readonly lines: ChunkedArray<Uint32Array>;
  /** Each column's data, in `columns` order. */
  readonly data: readonly StoredColumn[];
  /** Column positions by name (a `Map`: column names are user strings). */
  readonly positions: ReadonlyMap<string, number>;
}

/** Row numbers into a table: a subset, in a chosen order. */
export type Rows = ArrayLike<number>;

/** The position of column `name`, or an error that lists the columns there are (and the flag that named it). */
export function columnIndex(table: Table, name: string, flag?: string): number {
  const i = table.positions.get(name);
  if (i === undefined) {
    const folded = table.columns.find((c) => c.toLowerCase() === name.toLowerCase());
    const hint = folded !== undefined ? ` Did you mean '${folded}'?` : '';
    throw new TableError(`${table.source} has no column '${name}'${flag ? ` (given to ${flag})` : ''}; its columns are ${listNames(table.columns)}.${hint}`);
  }
  return i;
}

/** The trimmed text of a cell, as far as the table keeps it (a column stored as numbers gives the number). */
export function cellText(table: Table, column: number, row: number): string {
  const data = table.data[column];
  if (data.storage === 'codes') return data.categories[data.codes.get(row)];
  if (data.storage === 'numbers') {
    const v = data.values.get(row);
    if (!Number.isNaN(v)) return String(v);
    const stray = data.counts.strays.find((s) => s.row === row);
    return stray ? stray.text : '';
  }
  throw new TableError(`${table.source}: column '${table.columns[column]}' has too many distinct values to keep them (more than ${data.distinctAtLeast}).`);
}

/** All row numbers, 0..n-1. */
export function allRows(n: number): Uint32Array {
  const rows = new Uint32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  return rows;
}

/** The lines of `rows`, for messages. */
export function linesOf(table: Table, rows: Rows): number[] {
  return Array.from(rows, (r) => table.lines.get(r));
}

/** 'a', 'b', 'c' (and N more). */
export function listNames(names: readonly string[], first = 12): string {
  const shown = names
    .slice(0, first)
    .map((n) => `'${n}'`)
    .join(', ');
  return names.length > first ? `${shown}, ... (${names.length} in all)` : shown;
}
