import { ChunkedArray, chunkRowsFor } from './chunked-array.js';
import { ColumnBuilder } from './column-store.js';
import { fileChunks, streamCsv, type CsvFormatOptions, type CsvRecordSink } from './csv-records.js';
import type { Table } from './table.js';

export interface ReadCsvOptions extends CsvFormatOptions {
  /** Name for messages, usually the file name (default 'the CSV'). */
  source?: string;
}

/** A small table as text: the header, each row's cells, and the line each row starts on. */
export interface CsvRows {
  source: string;
  columns: string[];
  rows: string[][];
  lines: number[];
}

/** A sink that stores each column compactly (see `column-store.ts`). */
function tableSink(): CsvRecordSink & { table(source: string): Table } {
  let columns: readonly string[] = [];
  let builders: ColumnBuilder[] = [];
  let lines = new ChunkedArray(Uint32Array, 64);
  let rowCount = 0;
  return {
    header(names) {
      columns = names;
      const chunkRows = chunkRowsFor(names.length + 1);
      builders = names.map(() => new ColumnBuilder(chunkRows));
      lines = new ChunkedArray(Uint32Array, chunkRows);
    },
    row(cells, line) {
      for (let j = 0; j < builders.length; j++) builders[j].push(cells[j]);
      lines.push(line);
      rowCount++;
    },
    table(source) {
      const data = builders.map((b) => b.finish());
      builders = [];
      return { source, columns, rowCount, lines, data, positions: new Map(columns.map((c, i) => [c, i])) };
    },
  };
}

/**
 * Parses CSV text with a header row into a `Table` (stored by column): quoted fields (with delimiters, quotes
 * and line breaks inside), a UTF-8 byte-order mark, blank lines skipped. A row with a different number of
 * fields than the header is an error naming its line. Async because the parser is loaded on first use.
 *
 *     const table = await parseCsv('x,y\n1,"a, b"\n', { source: 'data.csv' });   // 1 row, 2 columns
 */
export async function parseCsv(text: string, options: ReadCsvOptions = {}): Promise<Table> {
  const source = options.source ?? 'the CSV';
  const sink = tableSink();
  await streamCsv(text, source, options, sink);
  return sink.table(source);
}

/**
 * Reads a CSV file into a `Table` as a stream: memory grows with the number of cells (2 or 4 bytes each), not
 * with the length of the text. UTF-8 unless `encoding: 'latin1'`; invalid UTF-8 is an error naming the line.
 */
export async function readCsv(path: string, options: Omit<ReadCsvOptions, 'source'> = {}): Promise<Table> {
  const sink = tableSink();
  await streamCsv(await fileChunks(path), path, options, sink);
  return sink.table(path);
}

/** Parses a small CSV text into rows of cells (trimmed), e.g. to read back predictions. See `parseCsv`. */
export async function parseCsvRows(text: string, options: ReadCsvOptions = {}): Promise<CsvRows> {
  const source = options.source ?? 'the CSV';
  const out: CsvRows = { source, columns: [], rows: [], lines: [] };
  await streamCsv(text, source, options, {
    header: (columns) => (out.columns = [...columns]),
    row: (cells, line) => {
      out.rows.push(cells);
      out.lines.push(line);
    },
  });
  return out;
}
