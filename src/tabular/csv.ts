import { TableError } from './errors.js';
import type { Table } from './table.js';

export interface ReadCsvOptions {
  /** The field separator (default ','). A tab can be given as '\t'. */
  delimiter?: string;
  /** Name for messages, usually the file name (default 'the CSV'). */
  source?: string;
}

interface CsvRecord {
  record: string[];
  info: { lines: number; empty_lines: number };
}

/**
 * Parses CSV text with a header row into a `Table`: quoted fields (with delimiters, quotes and line breaks
 * inside), a UTF-8 byte-order mark, blank lines skipped. A row with a different number of fields than the
 * header is an error naming its line. Async because the parser is loaded on first use (a page that never
 * parses CSV does not load it).
 *
 *     const table = await parseCsv('x,y\n1,"a, b"\n', { source: 'data.csv' });   // rows [['1', 'a, b']]
 */
export async function parseCsv(text: string, options: ReadCsvOptions = {}): Promise<Table> {
  const source = options.source ?? 'the CSV';
  const delimiter = options.delimiter === '\\t' ? '\t' : (options.delimiter ?? ',');
  if (delimiter.length === 0) throw new TableError('the delimiter must not be empty.');
  const { parse } = await import('csv-parse/sync');
  let records: CsvRecord[];
  try {
    records = parse(text, { bom: true, delimiter, info: true, relax_column_count: true, skip_empty_lines: true, ltrim: true, rtrim: true }) as unknown as CsvRecord[];
  } catch (error) {
    throw new TableError(`${source}: ${csvErrorMessage(error)}`);
  }
  if (records.length === 0) throw new TableError(`${source} is empty; expected a header row and data rows.`);
  // NOTE: csv-parse reports the line a record ends on; a record starts after the previous one and any
  // blank lines skipped in between, which matters for quoted fields spanning lines.
  const starts: number[] = [];
  let previousEnd = 0;
  let previousEmpty = 0;
  for (const { info } of records) {
    starts.push(previousEnd + 1 + (info.empty_lines - previousEmpty));
    previousEnd = info.lines;
    previousEmpty = info.empty_lines;
  }
  const columns = records[0].record.map((c) => c.trim());
  checkHeader(columns, source, delimiter);
  const rows: string[][] = [];
  const lines: number[] = [];
  for (let i = 1; i < records.length; i++) {
    const cells = records[i].record;
    if (cells.length !== columns.length) {
      throw new TableError(`${source}, line ${starts[i]}: expected ${columns.length} fields as in the header, got ${cells.length}${delimiterHint(cells, delimiter)}.`);
    }
    rows.push(cells);
    lines.push(starts[i]);
  }
  if (rows.length === 0) throw new TableError(`${source} has a header but no data rows.`);
  return { source, columns, rows, lines };
}

/** Reads and parses a CSV file (see `parseCsv`). */
export async function readCsv(path: string, options: Omit<ReadCsvOptions, 'source'> = {}): Promise<Table> {
  const { readFile } = await import('node:fs/promises');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new TableError(code === 'ENOENT' ? `cannot read '${path}': no such file.` : `cannot read '${path}': ${(error as Error).message}`);
  }
  return parseCsv(text, { ...options, source: path });
}

function checkHeader(columns: string[], source: string, delimiter: string): void {
  const seen = new Map<string, number>();
  columns.forEach((c, i) => {
    if (c === '') throw new TableError(`${source}: column ${i + 1} of the header has no name; every column needs one.`);
    if (seen.has(c)) throw new TableError(`${source}: the header names column '${c}' twice (columns ${seen.get(c)! + 1} and ${i + 1}).`);
    seen.set(c, i);
  });
  if (columns.length === 1 && delimiter === ',' && /[;\t|]/.test(columns[0])) {
    const guess = columns[0].includes(';') ? ';' : columns[0].includes('\t') ? '\\t' : '|';
    throw new TableError(`${source}: the header has a single column '${columns[0]}'; is the file separated by '${guess}'? Pass --delimiter '${guess}'.`);
  }
}

function delimiterHint(cells: string[], delimiter: string): string {
  return cells.length === 1 && delimiter === ',' && /[;\t]/.test(cells[0]) ? ' (is the file separated by something else than commas? see --delimiter)' : '';
}

/** csv-parse's message without its code prefix, e.g. "Quote Not Closed: ... at line 2". */
function csvErrorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0];
}
