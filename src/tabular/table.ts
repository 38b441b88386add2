import { TableError } from './errors.js';

/**
 * A table as read from a CSV file: the header, then the cells of each row as text, and the line each
 * row starts on in the file (so errors can point at it).
 */
export interface Table {
  /** Where the table came from, for messages: a file name, or 'the table'. */
  source: string;
  columns: string[];
  rows: string[][];
  /** 1-based line number in the file of each row (the header is line 1 in a file without blank lines). */
  lines: number[];
}

/** The position of column `name`, or an error that lists the columns there are (and the flag that named it). */
export function columnIndex(table: Table, name: string, flag?: string): number {
  const i = table.columns.indexOf(name);
  if (i < 0) {
    const folded = table.columns.find((c) => c.toLowerCase() === name.toLowerCase());
    const hint = folded !== undefined ? ` Did you mean '${folded}'?` : '';
    throw new TableError(`${table.source} has no column '${name}'${flag ? ` (given to ${flag})` : ''}; its columns are ${listNames(table.columns)}.${hint}`);
  }
  return i;
}

/** The cells of column `i`. */
export function columnCells(table: Table, i: number): string[] {
  return table.rows.map((r) => r[i]);
}

/** The rows at `indices`, as a new table. */
export function selectRows(table: Table, indices: readonly number[]): Table {
  return { source: table.source, columns: table.columns, rows: indices.map((i) => table.rows[i]), lines: indices.map((i) => table.lines[i]) };
}

/** 'a', 'b', 'c' (and N more). */
export function listNames(names: readonly string[], first = 12): string {
  const shown = names.slice(0, first).map((n) => `'${n}'`).join(', ');
  return names.length > first ? `${shown}, ... (${names.length} in all)` : shown;
}
