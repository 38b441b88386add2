// Writing CSV cells that a spreadsheet opens safely. A cell that starts with '=', '+', '-', '@', a tab or a
// carriage return is run as a formula by Excel, LibreOffice and Google Sheets (CSV injection), so, as OWASP
// recommends, such a cell gets a leading single quote, and every cell with a delimiter, quote or line break
// (or the quote we added) is enclosed in double quotes with its quotes doubled.

/** What to neutralise: every cell (OWASP's advice, the default), or text only (plain numbers such as -1.5 as they are). */
export type FormulaEscape = 'all' | 'text';

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** The cell as a spreadsheet will not run it: `'=1+1` for `=1+1`. */
export function neutraliseFormula(cell: string, neutralise: FormulaEscape = 'all'): string {
  if (!FORMULA_START.test(cell)) return cell;
  if (neutralise === 'text' && PLAIN_NUMBER.test(cell)) return cell;
  return `'${cell}`;
}

/** One CSV cell: neutralised, then quoted when it holds a delimiter, a quote, a line break or outer spaces. */
export function csvCell(cell: string, neutralise: FormulaEscape = 'all'): string {
  const s = neutraliseFormula(cell, neutralise);
  return /[",\n\r]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV line (with its line break). */
export function csvLine(cells: readonly string[], neutralise: FormulaEscape = 'all'): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) line += (i === 0 ? '' : ',') + csvCell(cells[i], neutralise);
  return `${line}\n`;
}
