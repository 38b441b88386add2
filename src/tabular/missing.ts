import { TableError } from './errors.js';
import type { Table } from './table.js';
import { isMissing, showLines } from './values.js';

/** Each listed column that has missing cells, with the lines they are on. */
export function findMissing(table: Table, columns: readonly string[]): { column: string; lines: number[] }[] {
  const found: { column: string; lines: number[] }[] = [];
  for (const column of columns) {
    const i = table.columns.indexOf(column);
    const lines = table.rows.flatMap((row, r) => (isMissing(row[i]) ? [table.lines[r]] : []));
    if (lines.length > 0) found.push({ column, lines });
  }
  return found;
}

/**
 * Refuses missing values in `columns`: the error lists each column with gaps and its first lines, and says
 * what to do (fill them in, or `--impute`).
 */
export function checkNoMissing(table: Table, columns: readonly string[], target: string): void {
  const found = findMissing(table, columns);
  if (found.length === 0) return;
  const parts = found.slice(0, 4).map(({ column, lines }) => `'${column}' (${lines.length} ${lines.length === 1 ? 'row' : 'rows'}: ${showLines(lines)})`);
  const more = found.length > 4 ? ` and ${found.length - 4} more columns` : '';
  const targetToo = found.some((f) => f.column === target) ? ` (rows without a target value '${target}' are dropped with --impute)` : '';
  throw new TableError(
    `${table.source} has missing values in ${found.length === 1 ? 'column' : 'columns'} ${parts.join(', ')}${more}; fill them in, or pass --impute to use the training mean (numbers) or the most frequent value (categories)${targetToo}.`,
  );
}
