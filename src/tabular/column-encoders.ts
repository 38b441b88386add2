import { OneHotEncoder, type OneHotEncoderJSON } from '../data/one-hot-encoder.js';
import { OrdinalEncoder, type OrdinalEncoderJSON } from '../data/ordinal-encoder.js';
import { StandardScaler, type StandardScalerJSON } from '../data/standard-scaler.js';
import { Tensor } from '../tensor/tensor.js';
import type { ColumnSpec } from './column-kinds.js';
import type { ChunkedArray } from './chunked-array.js';
import { FLOAT32_MAX, storeCells, storedRows, type CodedColumn, type StoredColumn } from './column-store.js';
import { TableError } from './errors.js';
import { allRows, type Rows } from './table.js';
import { categoryOf, isMissing, parseBoolean, parseNumber, showCell } from './values.js';

/** Where a cell is (for messages) and what to do with a category never seen in training. */
export interface CellContext {
  source: string;
  line: number;
  /** `'error'` (default): an unseen category is an error; `'ignore'`: all-zeros one-hot, the training mean for ordered codes. */
  handleUnknown: 'error' | 'ignore';
}

/** One fitted input column: turns a cell into `width` numbers of the network's input row. */
export interface ColumnEncoder {
  readonly spec: ColumnSpec;
  readonly width: number;
  featureNames(): string[];
  encode(cell: string, out: Float32Array, offset: number, at: CellContext): void;
  toJSON(): ColumnEncoderJSON;
}

export type ColumnEncoderJSON =
  | { name: string; kind: 'numeric'; scaler: StandardScalerJSON; impute: number | null }
  | { name: string; kind: 'boolean'; trueRate: number; impute: 0 | 1 | null }
  | { name: string; kind: 'ordinal'; encoder: OrdinalEncoderJSON; scaler: StandardScalerJSON; impute: string | null }
  | { name: string; kind: 'nominal'; encoder: OneHotEncoderJSON; impute: string | null };

/**
 * Fits the encoder of one column on its training rows `rows` (default: all). With `impute`, a missing cell
 * takes the training mean (numbers) or the most frequent value (categories); without it a missing cell is an
 * error. `data` is a stored table column, or the cells of a column as text.
 */
export function fitColumn(spec: ColumnSpec, data: StoredColumn | readonly string[], impute: boolean, rows?: Rows): ColumnEncoder {
  const column = isStored(data) ? data : storeCells(data);
  const training = rows ?? allRows(storedRows(column));
  if (spec.kind === 'numeric') {
    const values = presentNumbers(column, training);
    if (values.length === 0) throw noValues(spec);
    const scaler = new StandardScaler().fit(new Tensor(values, [values.length, 1]));
    return new NumericColumn(spec, scaler, impute ? scaler.mean.values[0] : null);
  }
  if (column.storage !== 'codes') throw new TableError(`column '${spec.name}' has too many distinct values to encode as ${spec.kind} categories.`);
  const counts = categoryCounts(column, training);
  const present = counts.reduce((n, c, code) => (column.categoryMissing[code] ? n : n + c), 0);
  if (present === 0) throw noValues(spec);
  switch (spec.kind) {
    case 'boolean': {
      const ones = counts.reduce((n, c, code) => (!column.categoryMissing[code] && parseBoolean(column.categories[code]) === 1 ? n + c : n), 0);
      return new BooleanColumn(spec, ones / present, impute ? (ones * 2 >= present ? 1 : 0) : null);
    }
    case 'ordinal': {
      const encoder = new OrdinalEncoder({ categories: spec.order! });
      const position = new Map(spec.order!.map((c, i) => [c, i]));
      const codes = new Float32Array(present);
      let k = 0;
      for (let i = 0; i < training.length; i++) {
        const code = column.codes.get(training[i]);
        if (!column.categoryMissing[code]) codes[k++] = position.get(column.categories[code])!;
      }
      const scaler = new StandardScaler().fit(new Tensor(codes, [present, 1]));
      return new OrdinalColumn(spec, encoder, scaler, impute ? mode(column.categories, counts, column.categoryMissing) : null);
    }
    case 'nominal': {
      const seen = column.categories.filter((_, code) => counts[code] > 0 && !column.categoryMissing[code]);
      return new NominalColumn(spec, new OneHotEncoder().fit(seen), impute ? mode(column.categories, counts, column.categoryMissing) : null);
    }
  }
}

function isStored(data: StoredColumn | readonly string[]): data is StoredColumn {
  return !Array.isArray(data);
}

function noValues(spec: ColumnSpec): TableError {
  return new TableError(`column '${spec.name}' has no values in the training rows.`);
}

/** The numbers of the present cells among `rows`, as float32 (what the scaler is fitted on). */
function presentNumbers(column: StoredColumn, rows: Rows): Float32Array {
  if (column.storage === 'overflow') return new Float32Array(0);
  const out = new Float32Array(rows.length);
  let k = 0;
  if (column.storage === 'codes') {
    for (let i = 0; i < rows.length; i++) {
      const v = column.categoryNumber[column.codes.get(rows[i])];
      if (!Number.isNaN(v)) out[k++] = v;
    }
  } else {
    for (let i = 0; i < rows.length; i++) {
      const v = column.values.get(rows[i]);
      if (!Number.isNaN(v)) out[k++] = v;
    }
  }
  return out.subarray(0, k);
}

/** How often each category occurs among `rows`. */
function categoryCounts(column: CodedColumn, rows: Rows): number[] {
  const counts = new Array<number>(column.categories.length).fill(0);
  for (let i = 0; i < rows.length; i++) counts[column.codes.get(rows[i])]++;
  return counts;
}

/**
 * Writes the encoding of `rows` of a stored column into `out` (row i at `i * stride + offset`). Each
 * distinct value is encoded once through the encoder's `encode` (so a cell reads the same here as in a
 * CSV row), then copied; a cell the encoder refuses is an error naming its line.
 */
export function encodeStoredRows(
  encoder: ColumnEncoder,
  data: StoredColumn,
  rows: Rows,
  out: Float32Array,
  stride: number,
  offset: number,
  at: CellContext,
  lines: ChunkedArray<Uint32Array>,
): void {
  const w = encoder.width;
  if (data.storage === 'codes') {
    const cache = new Float32Array(data.categories.length * w);
    const ready = new Uint8Array(data.categories.length);
    for (let i = 0; i < rows.length; i++) {
      const code = data.codes.get(rows[i]);
      if (!ready[code]) {
        at.line = lines.get(rows[i]);
        encoder.encode(data.categories[code], cache, code * w, at);
        ready[code] = 1;
      }
      const base = i * stride + offset;
      for (let k = 0; k < w; k++) out[base + k] = cache[code * w + k];
    }
    return;
  }
  if (data.storage === 'numbers' && encoder instanceof NumericColumn) {
    for (let i = 0; i < rows.length; i++) {
      const v = data.values.get(rows[i]);
      at.line = lines.get(rows[i]);
      if (Number.isNaN(v)) {
        // missing (imputed or an error), or a word among the numbers (an error showing it when it is known)
        const stray = data.counts.strays.find((s) => s.row === rows[i]);
        encoder.encode(stray ? stray.text : '', out, i * stride + offset, at);
      } else {
        encoder.encodeNumber(v, out, i * stride + offset, at);
      }
    }
    return;
  }
  throw new TableError(`${at.source}: column '${encoder.spec.name}' has too many distinct values to encode as ${encoder.spec.kind} categories.`);
}

/** Rebuilds a column encoder saved with `toJSON()`. */
export function columnFromJSON(json: ColumnEncoderJSON, index = 0): ColumnEncoder {
  // NOTE: preprocessing.json is a file a user may have edited or received: every field is checked here, so a
  // damaged one is an error naming the field, never a column that encodes wrongly.
  const where = `preprocessing: columns[${index}]`;
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error(`${where} must be an object.`);
  if (typeof json.name !== 'string' || json.name === '') throw new Error(`${where}.name must be a column name.`);
  const imputeIs = (ok: (v: unknown) => boolean, what: string) => {
    if (json.impute !== null && !ok(json.impute)) throw new Error(`${where}.impute must be null or ${what}, got ${JSON.stringify(json.impute)}.`);
  };
  const scalerOf = (value: unknown) => {
    const scaler = StandardScaler.fromJSON(value);
    if (scaler.mean.size !== 1 || !Number.isFinite(scaler.mean.values[0]) || !Number.isFinite(scaler.scale.values[0]))
      throw new Error(`${where}.scaler must standardise one column with finite numbers.`);
    return scaler;
  };
  try {
    switch (json.kind) {
      case 'numeric':
        imputeIs((v) => typeof v === 'number' && Number.isFinite(v), 'a finite number');
        return new NumericColumn({ name: json.name, kind: 'numeric' }, scalerOf(json.scaler), json.impute);
      case 'boolean':
        imputeIs((v) => v === 0 || v === 1, '0 or 1');
        if (typeof json.trueRate !== 'number' || !(json.trueRate >= 0 && json.trueRate <= 1)) throw new Error(`${where}.trueRate must be a number in [0, 1].`);
        return new BooleanColumn({ name: json.name, kind: 'boolean' }, json.trueRate, json.impute);
      case 'ordinal': {
        imputeIs((v) => typeof v === 'string', 'a category');
        const encoder = OrdinalEncoder.fromJSON(json.encoder);
        return new OrdinalColumn({ name: json.name, kind: 'ordinal', order: encoder.categories.map(String) }, encoder, scalerOf(json.scaler), json.impute);
      }
      case 'nominal':
        imputeIs((v) => typeof v === 'string', 'a category');
        return new NominalColumn({ name: json.name, kind: 'nominal' }, OneHotEncoder.fromJSON(json.encoder), json.impute);
      default:
        throw new Error(`${where}: unknown column kind ${JSON.stringify((json as { kind?: unknown }).kind)}.`);
    }
  } catch (error) {
    const message = (error as Error).message;
    throw new Error(message.startsWith(where) ? message : `${where} ('${json.name}'): ${message}`);
  }
}

/** The cell, or the imputed value for a missing one; an error when there is none to use. */
function present<T>(cell: string, impute: T | null, spec: ColumnSpec, at: CellContext): string | T {
  if (!isMissing(cell)) return cell;
  if (impute !== null) return impute;
  throw new TableError(`${at.source}, line ${at.line}: column '${spec.name}' has no value, and the model was trained without --impute; fill it in.`);
}

class NumericColumn implements ColumnEncoder {
  readonly width = 1;
  private readonly mean: number;
  private readonly scale: number;
  constructor(
    readonly spec: ColumnSpec,
    private readonly scaler: StandardScaler,
    private readonly impute: number | null,
  ) {
    this.mean = scaler.mean.values[0];
    this.scale = scaler.scale.values[0];
  }
  featureNames(): string[] {
    return [this.spec.name];
  }
  encode(cell: string, out: Float32Array, offset: number, at: CellContext): void {
    const value = present(cell, this.impute, this.spec, at);
    const n = typeof value === 'number' ? value : parseNumber(value);
    if (n === null) throw new TableError(`${at.source}, line ${at.line}: column '${this.spec.name}' must hold a number, got ${showCell(cell)}.`);
    if (Math.abs(n) > FLOAT32_MAX) {
      throw new TableError(
        `${at.source}, line ${at.line}: column '${this.spec.name}' holds ${showCell(cell)}, beyond the range of the 32-bit floats the network computes in (about ±${FLOAT32_MAX.toPrecision(2)}).`,
      );
    }
    this.encodeNumber(n, out, offset, at);
  }
  /** A present number, standardised. */
  encodeNumber(n: number, out: Float32Array, offset: number, at: CellContext): void {
    void at;
    out[offset] = (n - this.mean) / this.scale;
  }
  toJSON(): ColumnEncoderJSON {
    return { name: this.spec.name, kind: 'numeric', scaler: this.scaler.toJSON(), impute: this.impute };
  }
}

class BooleanColumn implements ColumnEncoder {
  readonly width = 1;
  constructor(
    readonly spec: ColumnSpec,
    private readonly trueRate: number,
    private readonly impute: 0 | 1 | null,
  ) {}
  featureNames(): string[] {
    return [this.spec.name];
  }
  encode(cell: string, out: Float32Array, offset: number, at: CellContext): void {
    const value = present(cell, this.impute, this.spec, at);
    const b = typeof value === 'number' ? value : parseBoolean(value);
    if (b !== null) out[offset] = b;
    else if (at.handleUnknown === 'ignore') out[offset] = this.trueRate;
    else
      throw new TableError(
        `${at.source}, line ${at.line}: column '${this.spec.name}' holds true/false values, got ${showCell(cell)}; pass --handle-unknown ignore to use the training average.`,
      );
  }
  toJSON(): ColumnEncoderJSON {
    return { name: this.spec.name, kind: 'boolean', trueRate: this.trueRate, impute: this.impute };
  }
}

class OrdinalColumn implements ColumnEncoder {
  readonly width = 1;
  private readonly codes: Map<string, number>;
  private readonly mean: number;
  private readonly scale: number;
  constructor(
    readonly spec: ColumnSpec,
    private readonly encoder: OrdinalEncoder,
    private readonly scaler: StandardScaler,
    private readonly impute: string | null,
  ) {
    this.codes = new Map(encoder.categories.map((c, i) => [String(c), i]));
    this.mean = scaler.mean.values[0];
    this.scale = scaler.scale.values[0];
  }
  featureNames(): string[] {
    return [this.spec.name];
  }
  encode(cell: string, out: Float32Array, offset: number, at: CellContext): void {
    const code = this.codes.get(categoryOf(present(cell, this.impute, this.spec, at)));
    if (code !== undefined) out[offset] = (code - this.mean) / this.scale;
    else if (at.handleUnknown === 'ignore') out[offset] = 0;
    else throw unknownCategory(this.spec, cell, [...this.codes.keys()], at, 'the training average');
  }
  toJSON(): ColumnEncoderJSON {
    return { name: this.spec.name, kind: 'ordinal', encoder: this.encoder.toJSON(), scaler: this.scaler.toJSON(), impute: this.impute };
  }
}

class NominalColumn implements ColumnEncoder {
  readonly width: number;
  private readonly codes: Map<string, number>;
  constructor(
    readonly spec: ColumnSpec,
    private readonly encoder: OneHotEncoder,
    private readonly impute: string | null,
  ) {
    this.codes = new Map(encoder.categories.map((c, i) => [String(c), i]));
    this.width = this.codes.size;
  }
  featureNames(): string[] {
    return this.encoder.featureNames(this.spec.name);
  }
  encode(cell: string, out: Float32Array, offset: number, at: CellContext): void {
    const code = this.codes.get(categoryOf(present(cell, this.impute, this.spec, at)));
    out.fill(0, offset, offset + this.width);
    if (code !== undefined) out[offset + code] = 1;
    else if (at.handleUnknown !== 'ignore') throw unknownCategory(this.spec, cell, [...this.codes.keys()], at, 'all zeros');
  }
  toJSON(): ColumnEncoderJSON {
    return { name: this.spec.name, kind: 'nominal', encoder: this.encoder.toJSON(), impute: this.impute };
  }
}

function unknownCategory(spec: ColumnSpec, cell: string, known: string[], at: CellContext, ignored: string): TableError {
  const shown = known.slice(0, 8).map(showCell).join(', ') + (known.length > 8 ? `, ... (${known.length} in all)` : '');
  return new TableError(
    `${at.source}, line ${at.line}: column '${spec.name}' has the category ${showCell(categoryOf(cell))}, never seen in training (known: ${shown}); pass --handle-unknown ignore to encode it as ${ignored}.`,
  );
}

/** The most frequent present category (ties: the first in sorted order, so the choice does not depend on row order). */
export function mode(categories: readonly string[], counts: readonly number[], missing: ArrayLike<number>): string {
  let best = '';
  let bestCount = -1;
  const order = categories.map((_, code) => code).sort((a, b) => (categories[a] < categories[b] ? -1 : categories[a] > categories[b] ? 1 : 0));
  for (const code of order) {
    if (!missing[code] && counts[code] > bestCount) {
      best = categories[code];
      bestCount = counts[code];
    }
  }
  return best;
}
