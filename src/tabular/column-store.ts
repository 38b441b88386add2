// A table column kept compactly while a CSV file streams by: not the text of its cells, but either a code
// per row into a list of distinct values (categories, yes/no, few distinct numbers), or a float32 number per
// row (numbers with many distinct values). Memory is 2 or 4 bytes per cell, whatever the length of the text.
// Along the way each column counts what decides its kind (present cells, numbers, yes/no values, stray words
// among numbers, missing cells) and whether it is a running row number.
import { ChunkedArray, chunkRowsFor } from './chunked-array.js';
import { isMissing, parseBoolean, parseNumber } from './values.js';

/** Distinct values kept as categories before a column of numbers is stored as numbers instead. */
export const MAX_NUMBER_CATEGORIES = 1024;
/** Distinct values a column of text may have; beyond that it is free text or an identifier, not categories. */
export const MAX_CATEGORIES = 65535;
/** Non-numeric cells remembered (with their rows) for messages; more than 20 make a column categorical. */
export const STRAYS_KEPT = 21;
/** Missing cells remembered (with their rows) for messages. */
export const MISSING_KEPT = 5;
/** The largest float32 magnitude: the network computes in float32, so a number beyond it cannot be used. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/** What a column held, counted over all its rows. */
export interface ColumnCounts {
  /** Cells that are not missing. */
  present: number;
  /** Present cells that are plain numbers. */
  numbers: number;
  /** Present cells that are yes/no values. */
  booleans: number;
  /** Present cells that are not numbers: their count, and the first rows and texts. */
  strayCount: number;
  strays: { row: number; text: string }[];
  /** Missing cells: their count, and the first rows. */
  missingCount: number;
  missingRows: number[];
  /** Every cell a whole number one more than the cell before (1, 2, 3, ...): a row number. */
  running: boolean;
  /** The first number beyond float32's range, if any (it is an error if the column is used as numbers). */
  outOfRange: { row: number; text: string } | null;
}

/** A column stored as a code per row into its distinct values (trimmed cell texts). */
export interface CodedColumn {
  readonly storage: 'codes';
  readonly counts: ColumnCounts;
  /** Distinct trimmed cell texts, in order of first appearance (missing spellings included). */
  readonly categories: readonly string[];
  /** Per category: whether it spells a missing value. */
  readonly categoryMissing: Uint8Array;
  /** Per category: the number it spells, NaN when it is no number. */
  readonly categoryNumber: Float64Array;
  /** Per row: the category's position in `categories`. */
  readonly codes: ChunkedArray<Uint16Array>;
}

/** A column of numbers with many distinct values: a float32 per row, NaN for a missing or non-numeric cell. */
export interface NumberColumn {
  readonly storage: 'numbers';
  readonly counts: ColumnCounts;
  readonly values: ChunkedArray<Float32Array>;
  /** Distinct values seen: at least this many. */
  readonly distinctAtLeast: number;
}

/** A column with too many distinct texts to be categories (free text, identifiers): only its counts are kept. */
export interface OverflowColumn {
  readonly storage: 'overflow';
  readonly counts: ColumnCounts;
  readonly distinctAtLeast: number;
}

export type StoredColumn = CodedColumn | NumberColumn | OverflowColumn;

const MISSING = 0;
const NUMBER = 1;
const BOOLEAN = 2;
const OTHER = 3;

/** Collects one column, row by row. */
export class ColumnBuilder {
  private storage: 'codes' | 'numbers' | 'overflow' = 'codes';
  private readonly lookup = new Map<string, number>();
  private categories: string[] = [];
  private categoryKind: number[] = [];
  private categoryNumber: number[] = [];
  private codes: ChunkedArray<Uint16Array> | null;
  private values: ChunkedArray<Float32Array> | null = null;
  private rows = 0;
  private previous = 0;
  private distinct = 0;
  private readonly counts: ColumnCounts = {
    present: 0,
    numbers: 0,
    booleans: 0,
    strayCount: 0,
    strays: [],
    missingCount: 0,
    missingRows: [],
    running: true,
    outOfRange: null,
  };

  /** `chunkRows`: rows per storage chunk (see `chunkRowsFor`). */
  constructor(chunkRows = 65536) {
    this.codes = new ChunkedArray(Uint16Array, chunkRows);
  }

  /** Adds the next row's cell. */
  push(cell: string): void {
    const row = this.rows++;
    if (this.storage === 'codes') {
      const text = cell.trim();
      let code = this.lookup.get(text);
      if (code === undefined) code = this.addCategory(text);
      if (this.storage === 'codes') {
        this.codes!.push(code);
        this.count(this.categoryKind[code], this.categoryNumber[code], row, text);
        return;
      }
    }
    const text = cell.trim();
    const n = parseNumber(text);
    const kind = n !== null ? NUMBER : isMissing(text) ? MISSING : parseBoolean(text) !== null ? BOOLEAN : OTHER;
    if (this.storage === 'numbers') this.values!.push(n ?? NaN);
    this.count(kind, n ?? NaN, row, text);
  }

  private count(kind: number, value: number, row: number, text: string): void {
    const c = this.counts;
    if (kind === MISSING) {
      c.missingCount++;
      if (c.missingRows.length < MISSING_KEPT) c.missingRows.push(row);
      c.running = false;
      return;
    }
    c.present++;
    if (kind === NUMBER) {
      c.numbers++;
      if (c.outOfRange === null && Math.abs(value) > FLOAT32_MAX) c.outOfRange = { row, text };
      if (c.running) c.running = Number.isInteger(value) && (row === 0 || value === this.previous + 1);
      this.previous = value;
      return;
    }
    c.running = false;
    if (kind === BOOLEAN) c.booleans++;
    c.strayCount++;
    if (c.strays.length < STRAYS_KEPT) c.strays.push({ row, text });
  }

  /** A new distinct text: a new category, or the switch to numbers / to counts only when there are too many. */
  private addCategory(text: string): number {
    this.distinct++;
    if (
      this.categories.length === MAX_NUMBER_CATEGORIES &&
      this.counts.strayCount + (parseNumber(text) === null && !isMissing(text) ? 1 : 0) <= STRAYS_KEPT - 1
    ) {
      this.toNumbers();
      return -1;
    }
    if (this.categories.length === MAX_CATEGORIES) {
      this.toOverflow();
      return -1;
    }
    const n = parseNumber(text);
    this.lookup.set(text, this.categories.length);
    this.categories.push(text);
    this.categoryKind.push(n !== null ? NUMBER : isMissing(text) ? MISSING : parseBoolean(text) !== null ? BOOLEAN : OTHER);
    this.categoryNumber.push(n ?? NaN);
    return this.categories.length - 1;
  }

  /** Many distinct numbers: store each row's number instead of a category (the rows so far are converted). */
  private toNumbers(): void {
    this.storage = 'numbers';
    const numbers = this.categoryNumber;
    this.values = this.codes!.map(Float32Array, (code) => numbers[code]);
    this.dropCategories();
  }

  private toOverflow(): void {
    this.storage = 'overflow';
    this.dropCategories();
  }

  private dropCategories(): void {
    this.codes = null;
    this.lookup.clear();
    this.categories = [];
    this.categoryKind = [];
    this.categoryNumber = [];
  }

  /** The finished column (its chunks as they are: nothing is copied). */
  finish(): StoredColumn {
    const counts = this.counts;
    if (this.storage === 'overflow') return { storage: 'overflow', counts, distinctAtLeast: this.distinct };
    if (this.storage === 'numbers') return { storage: 'numbers', counts, values: this.values!, distinctAtLeast: this.distinct };
    return {
      storage: 'codes',
      counts,
      categories: this.categories,
      categoryMissing: Uint8Array.from(this.categoryKind, (k) => (k === MISSING ? 1 : 0)),
      categoryNumber: Float64Array.from(this.categoryNumber),
      codes: this.codes!,
    };
  }
}

/** Whether row `row` of a stored column is missing (a stray word among numbers is not missing: it is an error). */
export function isMissingAt(column: StoredColumn, row: number): boolean {
  if (column.storage === 'codes') return column.categoryMissing[column.codes.get(row)] === 1;
  if (column.storage === 'numbers') return Number.isNaN(column.values.get(row)) && !column.counts.strays.some((s) => s.row === row);
  return false;
}

/** The number in row `row` of a stored column, NaN when missing or not a number. */
export function numberAt(column: StoredColumn, row: number): number {
  if (column.storage === 'codes') return column.categoryNumber[column.codes.get(row)];
  if (column.storage === 'numbers') return column.values.get(row);
  return NaN;
}

/** The number of rows a stored column holds (0 for one that keeps only counts). */
export function storedRows(column: StoredColumn): number {
  return column.storage === 'codes' ? column.codes.length : column.storage === 'numbers' ? column.values.length : 0;
}

/** The cells of one column (as text) stored as a table column. */
export function storeCells(cells: readonly string[]): StoredColumn {
  const builder = new ColumnBuilder(chunkRowsFor(1));
  for (const cell of cells) builder.push(cell);
  return builder.finish();
}
