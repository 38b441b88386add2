import { isMissingAt } from './column-store.js';
import { TableError } from './errors.js';
import type { Rows, Table } from './table.js';
import { showLines } from './values.js';

/** Each listed column that has missing cells (among `rows`, default all), with the lines they are on. */
export function findMissing(table: Table, columns: readonly string[], rows?: Rows): { column: string; lines: number[] }[] {
  const found: { column: string; lines: number[] }[] = [];
  for (const column of columns) {
    const data = table.data[table.positions.get(column)!];
    if (data.counts.missingCount === 0) continue;
    const lines: number[] = [];
    const n = rows ? rows.length : table.rowCount;
    for (let i = 0; i < n; i++) {
      const r = rows ? rows[i] : i;
      if (isMissingAt(data, r)) lines.push(table.lines.get(r));
    }
    if (lines.length > 0) found.push({ column, lines });
  }
  return found;
}

/**
 * Refuses missing values in `columns`: the error lists each column with gaps and its first lines, and says
 * what to do (fill them in, or `--impute`).
 */
export function checkNoMissing(table: Table, columns: readonly string[], target: string): void {
  const found = columns
    .map((column) => ({ column, counts: table.data[table.positions.get(column)!].counts }))
    .filter(({ counts }) => counts.missingCount > 0)
    .map(({ column, counts }) => ({ column, count: counts.missingCount, lines: counts.missingRows.map((r) => table.lines.get(r)) }));
  if (found.length === 0) return;
  const parts = found.slice(0, 4).map(({ column, count, lines }) => `'${column}' (${count} ${count === 1 ? 'row' : 'rows'}: ${showLines(lines, 5, count)})`);
  const more = found.length > 4 ? ` and ${found.length - 4} more columns` : '';
  const targetToo = found.some((f) => f.column === target) ? ` (rows without a target value '${target}' are dropped with --impute)` : '';
  throw new TableError(
    `${table.source} has missing values in ${found.length === 1 ? 'column' : 'columns'} ${parts.join(', ')}${more}; fill them in, or pass --impute to use the training mean (numbers) or the most frequent value (categories)${targetToo}.`,
  );
}
