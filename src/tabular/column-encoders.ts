import { OneHotEncoder, type OneHotEncoderJSON } from '../data/one-hot-encoder.js';
import { OrdinalEncoder, type OrdinalEncoderJSON } from '../data/ordinal-encoder.js';
import { StandardScaler, type StandardScalerJSON } from '../data/standard-scaler.js';
import { Tensor } from '../tensor/tensor.js';
import type { ColumnSpec } from './column-kinds.js';
import { TableError } from './errors.js';
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
 * Fits the encoder of one column on its training cells. With `impute`, a missing cell takes the training
 * mean (numbers) or the most frequent value (categories); without it a missing cell is an error.
 */
export function fitColumn(spec: ColumnSpec, cells: readonly string[], impute: boolean): ColumnEncoder {
  const present = cells.filter((c) => !isMissing(c));
  if (present.length === 0) throw new TableError(`column '${spec.name}' has no values in the training rows.`);
  switch (spec.kind) {
    case 'numeric': {
      const values = present.map((c) => parseNumber(c)!);
      const scaler = new StandardScaler().fit(new Tensor(Float32Array.from(values), [values.length, 1]));
      return new NumericColumn(spec, scaler, impute ? scaler.mean.values[0] : null);
    }
    case 'boolean': {
      const ones = present.filter((c) => parseBoolean(c) === 1).length;
      return new BooleanColumn(spec, ones / present.length, impute ? (ones * 2 >= present.length ? 1 : 0) : null);
    }
    case 'ordinal': {
      const encoder = new OrdinalEncoder({ categories: spec.order! });
      const codes = encoder.transform(present.map(categoryOf));
      const scaler = new StandardScaler().fit(new Tensor(codes.values, [present.length, 1]));
      return new OrdinalColumn(spec, encoder, scaler, impute ? mode(present) : null);
    }
    case 'nominal':
      return new NominalColumn(spec, new OneHotEncoder().fit(present.map(categoryOf)), impute ? mode(present) : null);
  }
}

/** Rebuilds a column encoder saved with `toJSON()`. */
export function columnFromJSON(json: ColumnEncoderJSON): ColumnEncoder {
  switch (json.kind) {
    case 'numeric':
      return new NumericColumn({ name: json.name, kind: 'numeric' }, StandardScaler.fromJSON(json.scaler), json.impute);
    case 'boolean':
      return new BooleanColumn({ name: json.name, kind: 'boolean' }, json.trueRate, json.impute);
    case 'ordinal': {
      const encoder = OrdinalEncoder.fromJSON(json.encoder);
      return new OrdinalColumn({ name: json.name, kind: 'ordinal', order: encoder.categories.map(String) }, encoder, StandardScaler.fromJSON(json.scaler), json.impute);
    }
    case 'nominal':
      return new NominalColumn({ name: json.name, kind: 'nominal' }, OneHotEncoder.fromJSON(json.encoder), json.impute);
    default:
      throw new Error(`preprocessing: unknown column kind ${JSON.stringify((json as { kind?: unknown }).kind)}.`);
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
    else throw new TableError(`${at.source}, line ${at.line}: column '${this.spec.name}' holds true/false values, got ${showCell(cell)}; pass --handle-unknown ignore to use the training average.`);
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

/** The most frequent category (ties: the first in sorted order, so the choice does not depend on row order). */
export function mode(cells: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const c of cells) counts.set(categoryOf(c), (counts.get(categoryOf(c)) ?? 0) + 1);
  let best = '';
  let bestCount = -1;
  for (const [value, count] of [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (count > bestCount) {
      best = value;
      bestCount = count;
    }
  }
  return best;
}
