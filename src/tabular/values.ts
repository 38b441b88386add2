// How the text of a CSV cell reads as a value: missing, a number, a yes/no flag, or a category.

/** Spellings of "no value" in exported tables (pandas, R, spreadsheets, UCI files), compared after trimming. */
const MISSING = new Set(['', 'na', 'n/a', 'nan', 'null', 'none', '?', '#n/a']);

/** Whether a cell holds no value (empty, `NA`, `NaN`, `null`, `?`, ...). */
export function isMissing(cell: string): boolean {
  return MISSING.has(cell.trim().toLowerCase());
}

// NOTE: stricter than Number(): '', ' ', '0x1f', 'Infinity' and '1_000' are not numbers in a table.
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** The number a cell spells, or null when it is not a plain decimal number. */
export function parseNumber(cell: string): number | null {
  const s = cell.trim();
  if (!NUMBER.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

const TRUE = new Set(['true', 'yes', 'y', 't']);
const FALSE = new Set(['false', 'no', 'n', 'f']);

/** 1 for true/yes/y/t, 0 for false/no/n/f (any case), null for anything else. */
export function parseBoolean(cell: string): 0 | 1 | null {
  const s = cell.trim().toLowerCase();
  if (TRUE.has(s)) return 1;
  if (FALSE.has(s)) return 0;
  return null;
}

/** A category as the table spells it, without the surrounding spaces. */
export function categoryOf(cell: string): string {
  return cell.trim();
}

/** Quotes a cell for an error message, shortened when long. */
export function showCell(cell: string): string {
  return JSON.stringify(cell.length > 40 ? `${cell.slice(0, 37)}...` : cell);
}

/** "lines 4, 9, 12 and 3 more" for the first few lines of a list (of `total` lines, default all listed). */
export function showLines(lines: readonly number[], first = 5, total = lines.length): string {
  const shown = lines.slice(0, first).join(', ');
  const more = total > Math.min(first, lines.length) ? ` and ${total - Math.min(first, lines.length)} more` : '';
  return `${total === 1 ? 'line' : 'lines'} ${shown}${more}`;
}
