// `data.csv(source, config)`: the rows of a CSV file as a data set (TF.js' tf.data.csv and CSVDataset), read as a
// stream: the file is decoded and parsed chunk by chunk (csv-parse), each row becoming one element when it is
// asked for, so a file larger than memory can be trained on. Each pass over the data set reads the file again.
//
// An element is an object keyed by column name; with label columns (`columnConfigs: { y: { isLabel: true } }`)
// it is `{ xs: { feature: value, ... }, ys: { label: value } }`. A value is a number when it reads as one,
// otherwise its text, as in TF.js; an empty cell is the column's `default`, an error for a required or label
// column, and undefined otherwise (NaN once batched).
import { sourceChunks, sourceName } from './csv-source.js';
import { Dataset } from './dataset.js';
import { FunctionIterator, type LazyIterator, MapIterator } from './iterator.js';

/** How one column is read (TF.js' ColumnConfig). */
export interface ColumnConfig {
  /** An empty cell is an error (label columns are always required). */
  required?: boolean;
  /** 'int32' rounds numbers down; 'bool' reads '1' and 'true' (any case) as 1, anything else as 0; 'float32' and 'string' keep numbers as numbers. */
  dtype?: 'float32' | 'int32' | 'bool' | 'string';
  /** The value of an empty cell. */
  default?: number | string | boolean;
  /** The column is a label: it goes into the element's `ys`, the other columns into `xs`. */
  isLabel?: boolean;
}

/** How data.csv reads a file (TF.js' CSVConfig). */
export interface CSVConfig {
  /** The first line holds the column names (default true). */
  hasHeader?: boolean;
  /** The column names, in order: needed without a header; with one, they replace its names (and must be as many). */
  columnNames?: readonly string[];
  /** Per column: label or feature, required, default, type. Every key must be a column. */
  columnConfigs?: Readonly<Record<string, ColumnConfig>>;
  /** Only the columns of `columnConfigs` go into the elements. */
  configuredColumnsOnly?: boolean;
  /** The field separator (default ','). */
  delimiter?: string;
  /** Fields are separated by runs of spaces (TF.js' delimWhitespace); not together with `delimiter`. */
  delimWhitespace?: boolean;
}

/** A cell's value: a number when it reads as one, its text otherwise, undefined when empty without a default. */
export type CsvValue = number | string | boolean | undefined;

/** One row's values by column name. */
export type CsvRow = Record<string, CsvValue>;

/**
 * Whether a config's columnConfigs mark a label column (then elements are `{ xs, ys }`): true when one has an
 * `isLabel` other than false, false when none has, and 'unknown' for a config typed as CSVConfig itself.
 */
type HasLabel<C> = C extends { columnConfigs: infer CC }
  ? string extends keyof CC
    ? 'unknown'
    : true extends { [K in keyof CC]: CC[K] extends { isLabel: false } | { isLabel?: undefined } ? false : true }[keyof CC]
      ? true
      : false
  : C extends { columnConfigs?: unknown }
    ? 'unknown'
    : false;

/**
 * The elements of data.csv with config C: `{ xs, ys }` with label columns, a row of values otherwise; for a
 * config whose columns are not known to the compiler, either.
 */
export type CsvElement<C = CSVConfig> =
  HasLabel<C> extends 'unknown' ? CsvRow | { xs: CsvRow; ys: CsvRow } : HasLabel<C> extends true ? { xs: CsvRow; ys: CsvRow } : CsvRow;

/** The longest row accepted: a file without line breaks must not grow one row without end. */
const MAX_RECORD_BYTES = 64 * 1024 * 1024;

interface CsvRecord {
  cells: string[];
  /** The line the record ends on (1-based). */
  line: number;
}

function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}

/** The records of CSV bytes, parsed as they arrive: at most one chunk's rows are held at a time. */
async function* parseRecords(chunks: AsyncIterable<Uint8Array>, delimiter: string, whitespace: boolean, what: string): AsyncGenerator<CsvRecord> {
  const { parse } = await import('csv-parse');
  const queue: CsvRecord[] = [];
  let failure: unknown = null;
  const parser = parse({
    delimiter,
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
    relax_quotes: true,
    max_record_size: MAX_RECORD_BYTES,
    on_record: (cells: string[], info: { lines: number }) => {
      queue.push({ cells: whitespace ? cells.filter((c) => c !== '') : cells, line: info.lines });
      return null;
    },
  });
  const ended = new Promise<void>((resolve) => {
    parser.on('error', (error) => {
      failure ??= error;
      resolve();
    });
    parser.on('end', () => resolve());
  });
  parser.resume();
  const check = () => {
    if (failure) throw new Error(`${what}: ${errorText(failure)}`);
  };
  // NOTE: csv-parse calls on_record synchronously within write(), so after each write the queue holds that
  // chunk's complete records
  const decoder = new TextDecoder('utf-8');
  let finished = false;
  try {
    for await (const chunk of chunks) {
      parser.write(decoder.decode(chunk, { stream: true }));
      check();
      for (let i = 0; i < queue.length; i++) yield queue[i];
      queue.length = 0;
    }
    const rest = decoder.decode();
    if (rest.length > 0) parser.write(rest);
    parser.end();
    await ended;
    finished = true;
    check();
    for (let i = 0; i < queue.length; i++) yield queue[i];
  } finally {
    if (!finished) parser.destroy();
  }
}

/** TF.js' reading of a boolean cell: '1' and 'true' (any case) are 1, anything else 0. */
function readBoolean(text: string): number {
  return text === '1' || text.toLowerCase() === 'true' ? 1 : 0;
}

/** A column as the elements take it. */
interface Column {
  name: string;
  index: number;
  config: ColumnConfig | undefined;
}

/**
 * The rows of a CSV file, local or at a URL, as a data set. Read as a stream, a pass at a time.
 *
 *     const ds = data.csv('file:///data/houses.csv', { columnConfigs: { price: { isLabel: true } } });
 *     // elements: { xs: { area: 120, rooms: 4, ... }, ys: { price: 350000 } }
 */
export class CSVDataset<E = CsvRow> extends Dataset<E> {
  private readonly hasHeader: boolean;
  private readonly givenNames: readonly string[] | null;
  private readonly columnConfigs: Readonly<Record<string, ColumnConfig>> | null;
  private readonly configuredOnly: boolean;
  private readonly delimiter: string;
  private readonly whitespace: boolean;
  private readonly what: string;
  /** The column names, once read from the header (or given). */
  private names: string[] | null = null;

  constructor(
    private readonly source: string | URL,
    config: CSVConfig = {},
  ) {
    super();
    this.what = `data.csv('${sourceName(source)}')`;
    if (typeof source !== 'string' && !(source instanceof URL)) throw new Error(`data.csv(): expected a path or a URL, got ${typeof source}.`);
    if (config === null || typeof config !== 'object')
      throw new Error(`${this.what}: the config must be an object, got ${config === null ? 'null' : typeof config}.`);
    this.hasHeader = config.hasHeader !== false;
    this.givenNames = config.columnNames ? [...config.columnNames] : null;
    this.columnConfigs = config.columnConfigs ?? null;
    this.configuredOnly = config.configuredColumnsOnly === true;
    if (this.givenNames && !this.givenNames.every((n) => typeof n === 'string')) throw new Error(`${this.what}: columnNames must be a list of strings.`);
    if (!this.hasHeader && !this.givenNames) throw new Error(`${this.what}: without a header line (hasHeader: false), columnNames must name the columns.`);
    if (this.configuredOnly && !this.columnConfigs) throw new Error(`${this.what}: configuredColumnsOnly needs columnConfigs to say which columns.`);
    if (config.delimWhitespace) {
      if (config.delimiter !== undefined) throw new Error(`${this.what}: give either delimiter or delimWhitespace, not both.`);
      this.delimiter = ' ';
      this.whitespace = true;
    } else {
      this.delimiter = config.delimiter ?? ',';
      this.whitespace = false;
      if (typeof this.delimiter !== 'string' || this.delimiter.length === 0 || /["\r\n]/.test(this.delimiter)) {
        throw new Error(`${this.what}: the delimiter must be a non-empty string other than a quote or a line break, got ${JSON.stringify(config.delimiter)}.`);
      }
    }
  }

  /**
   * The column names: those given, or the header's (read from the file on first call); with
   * configuredColumnsOnly, the configured columns.
   */
  async columnNames(): Promise<string[]> {
    if (!this.names) {
      const records = await this.openRecords();
      await records.return(undefined);
    }
    return this.configuredOnly ? Object.keys(this.columnConfigs!) : [...this.names!];
  }

  /** Opens the file; the header, when there is one, is read (and the names checked) before the rows. */
  private async openRecords(): Promise<AsyncGenerator<CsvRecord>> {
    const records = parseRecords(await sourceChunks(this.source, this.what), this.delimiter, this.whitespace, this.what);
    let header: string[] | null = null;
    if (this.hasHeader) {
      const first = await records.next();
      if (first.done) throw new Error(`${this.what}: the file is empty; expected a header line.`);
      header = first.value.cells;
    }
    this.names = this.checkNames(header);
    return records;
  }

  private checkNames(header: string[] | null): string[] {
    const names = this.givenNames ? [...this.givenNames] : header!;
    if (header && this.givenNames && header.length !== this.givenNames.length) {
      throw new Error(
        `${this.what}: columnNames gives ${this.givenNames.length} names, but the header line has ${header.length} columns (${header.join(', ')}).`,
      );
    }
    const seen = new Set<string>();
    for (const n of names) {
      if (seen.has(n)) throw new Error(`${this.what}: the column name '${n}' appears twice (columns: ${names.join(', ')}).`);
      seen.add(n);
    }
    for (const key of Object.keys(this.columnConfigs ?? {})) {
      if (!seen.has(key)) throw new Error(`${this.what}: columnConfigs has a key '${key}' that is no column of the file (columns: ${names.join(', ')}).`);
    }
    return names;
  }

  async iterator(): Promise<LazyIterator<E>> {
    const records = await this.openRecords();
    const names = this.names!;
    const columns: Column[] = names
      .map((name, index) => ({ name, index, config: this.columnConfigs?.[name] }))
      .filter((c) => !this.configuredOnly || c.config !== undefined);
    const hasLabels = columns.some((c) => c.config?.isLabel);
    const rows = new FunctionIterator<CsvRecord>(
      () => records.next(),
      () => records.return(undefined),
    );
    return new MapIterator(rows, (record) => {
      if (record.cells.length !== names.length) {
        throw new Error(`${this.what}, line ${record.line}: ${record.cells.length} fields, but the file has ${names.length} columns (${names.join(', ')}).`);
      }
      const xs: CsvRow = {};
      const ys: CsvRow = {};
      for (const c of columns) {
        const value = this.readCell(record.cells[c.index], c, record.line);
        if (c.config?.isLabel) ys[c.name] = value;
        else xs[c.name] = value;
      }
      return (hasLabels ? { xs, ys } : xs) as E;
    });
  }

  /** A cell's value as TF.js reads it. */
  private readCell(text: string, column: Column, line: number): CsvValue {
    const config = column.config;
    if (text === '') {
      if (config?.default !== undefined) return config.default;
      if (config?.required || config?.isLabel) throw new Error(`${this.what}, line ${line}: the required column '${column.name}' is empty.`);
      return undefined;
    }
    const n = Number(text);
    if (Number.isNaN(n)) return config?.dtype === 'bool' ? readBoolean(text) : text;
    switch (config?.dtype) {
      case 'int32':
        return Math.floor(n);
      case 'bool':
        return readBoolean(text);
      default:
        return n;
    }
  }
}

/**
 * The rows of a CSV file as a data set, read as a stream (never whole): a local path or file:// URL in Node.js,
 * or an http(s) URL. Elements are objects keyed by column name, `{ xs, ys }` when columnConfigs marks labels.
 *
 *     const ds = data.csv('file://./iris.csv', { columnConfigs: { species: { isLabel: true } } })
 *       .map(({ xs, ys }) => ({ xs: Object.values(xs), ys: Object.values(ys) }))
 *       .batch(32);
 */
export function csv<const C extends CSVConfig>(source: string | URL, config?: C): CSVDataset<CsvElement<C>> {
  return new CSVDataset<CsvElement<C>>(source, config);
}
