// The records of a CSV file as a stream: the header, then each row's cells with the line it starts on.
// Nothing holds the whole text: a file is read in chunks, decoded (UTF-8 checked, or Latin-1), parsed by
// csv-parse, and each record goes to a sink at once, so memory depends on what the sink keeps.
import { TableError } from './errors.js';
import { ChunkDecoder, type TextEncoding } from './text-decoder.js';

export interface CsvFormatOptions {
  /** The field separator (default ','). A tab can be given as '\t'. */
  delimiter?: string;
  /** The file's text encoding: 'utf8' (default; invalid UTF-8 is an error) or 'latin1'. */
  encoding?: TextEncoding;
}

export interface CsvRecordSink {
  /** The header row's column names (trimmed, checked: none empty, none twice). */
  header(columns: readonly string[]): void;
  /** One data row: as many cells as the header has columns, and the 1-based line it starts on. */
  row(cells: string[], line: number): void;
  /** Called after each chunk of input has been parsed: a sink that writes its output waits for it here. */
  drain?(): Promise<void>;
}

/** The longest record accepted: a file without line breaks (or /dev/zero) must not grow one record without end. */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;

const CHUNK_BYTES = 1 << 20;

interface RecordInfo {
  lines: number;
  empty_lines: number;
}

/** The delimiter as given on a command line: `'\t'` (two characters) is a tab. */
export function resolveDelimiter(delimiter: string | undefined): string {
  const d = delimiter === '\\t' ? '\t' : (delimiter ?? ',');
  if (d.length === 0) throw new TableError('the delimiter must not be empty.');
  if (/["\r\n]/.test(d)) throw new TableError(`the delimiter cannot be a quote or a line break, got ${JSON.stringify(d)}.`);
  return d;
}

/**
 * Parses CSV text or bytes, calling `sink.header` once and `sink.row` for each data row; resolves to the
 * number of data rows. Quoted fields (with delimiters, quotes and line breaks inside), a UTF-8 byte-order
 * mark and blank lines are handled; a row with another number of fields than the header is an error naming
 * its line.
 */
export async function streamCsv(
  input: string | AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  source: string,
  options: CsvFormatOptions,
  sink: CsvRecordSink,
): Promise<number> {
  const delimiter = resolveDelimiter(options.delimiter);
  const { parse } = await import('csv-parse');
  let columns: readonly string[] | null = null;
  let rows = 0;
  let previousEnd = 0;
  let previousEmpty = 0;
  const onRecord = (record: string[], info: RecordInfo): null => {
    // NOTE: csv-parse reports the line a record ends on; a record starts after the previous one and any
    // blank lines skipped in between, which matters for quoted fields spanning lines.
    const line = previousEnd + 1 + (info.empty_lines - previousEmpty);
    previousEnd = info.lines;
    previousEmpty = info.empty_lines;
    if (columns === null) {
      columns = record.map((c) => c.trim());
      checkHeader(columns, source, delimiter);
      sink.header(columns);
      return null;
    }
    if (record.length !== columns.length) {
      throw new TableError(
        `${source}, line ${line}: expected ${columns.length} fields as in the header, got ${record.length}${delimiterHint(record, delimiter)}.`,
      );
    }
    rows++;
    sink.row(record, line);
    return null;
  };
  const parser = parse({
    bom: true,
    delimiter,
    relax_column_count: true,
    skip_empty_lines: true,
    ltrim: true,
    rtrim: true,
    max_record_size: MAX_RECORD_BYTES,
    on_record: onRecord,
  });
  let failure: unknown = null;
  const finished = new Promise<void>((resolve) => {
    parser.on('error', (error) => {
      failure ??= error;
      resolve();
    });
    parser.on('end', () => resolve());
  });
  parser.resume();
  const write = async (text: string): Promise<void> => {
    if (text.length === 0 || failure) return;
    if (!parser.write(text)) await Promise.race([new Promise((resolve) => parser.once('drain', resolve)), finished]);
    if (!failure) await sink.drain?.();
  };
  try {
    if (typeof input === 'string') {
      await write(input);
    } else {
      const decoder = new ChunkDecoder(options.encoding ?? 'utf8', source);
      for await (const chunk of input) {
        await write(decoder.decode(chunk));
        if (failure) break;
      }
      if (!failure) await write(decoder.end());
    }
  } catch (error) {
    failure ??= error;
  }
  if (!failure) parser.end();
  else parser.destroy();
  await (failure ? Promise.resolve() : finished);
  if (failure) throw asTableError(failure, source);
  if (columns === null) throw new TableError(`${source} is empty; expected a header row and data rows.`);
  if (rows === 0) throw new TableError(`${source} has a header but no data rows.`);
  return rows;
}

/** The chunks of a file, with the file checked first: a folder or a device is an error, not a hang or an endless read. */
export async function fileChunks(path: string): Promise<AsyncIterable<Uint8Array>> {
  const { stat } = await import('node:fs/promises');
  const { createReadStream } = await import('node:fs');
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new TableError(error.code === 'ENOENT' ? `cannot read '${path}': no such file.` : `cannot read '${path}': ${error.message}`);
  });
  if (info.isDirectory()) throw new TableError(`cannot read '${path}': it is a folder, not a CSV file.`);
  if (!info.isFile() && !info.isFIFO()) throw new TableError(`cannot read '${path}': it is a device or socket, not a CSV file.`);
  const stream = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  return (async function* () {
    try {
      for await (const chunk of stream) yield chunk as Uint8Array;
    } catch (error) {
      throw new TableError(`cannot read '${path}': ${(error as Error).message}`);
    } finally {
      stream.destroy();
    }
  })();
}

function checkHeader(columns: readonly string[], source: string, delimiter: string): void {
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

/** Our own errors as they are; csv-parse's without its code prefix, e.g. "Quote Not Closed: ... at line 2". */
function asTableError(error: unknown, source: string): Error {
  if (error instanceof TableError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new TableError(`${source}: ${message.split('\n')[0]}`);
}
