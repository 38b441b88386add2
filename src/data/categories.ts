/**
 * Categories: the shared core of the label, ordinal and one-hot encoders. An ordered list of distinct
 * values with a lookup from value to position, plus the checks that make their errors readable.
 */

/** A categorical value as it appears in a table: a string, a number or a boolean. */
export type Category = string | number | boolean;

/** Quotes strings so `'1'` and `1` read differently in error messages. */
export function describeCategory(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function checkCategory(value: unknown, where: string, position: number): asserts value is Category {
  const ok = typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
  if (!ok) {
    throw new Error(`${where}: value ${describeCategory(value)} at position ${position} is not a category; use strings, finite numbers or booleans.`);
  }
}

/**
 * The distinct values in scikit-learn's order (numpy `unique`): numbers ascending, strings by code unit,
 * `false` before `true`. Mixed types have no natural order, so they are refused rather than guessed.
 */
export function sortedUnique(values: readonly Category[], where: string): Category[] {
  const seen = new Set<Category>();
  for (let i = 0; i < values.length; i++) {
    checkCategory(values[i], where, i);
    seen.add(values[i]);
  }
  const unique = [...seen];
  const types = new Set(unique.map((v) => typeof v));
  if (types.size > 1) {
    throw new Error(
      `${where}: the values mix ${[...types].join(' and ')}s, which have no natural order; convert them to one type or pass the categories explicitly.`,
    );
  }
  if (typeof unique[0] === 'number') return (unique as number[]).sort((a, b) => a - b);
  if (typeof unique[0] === 'boolean') return (unique as boolean[]).sort((a, b) => Number(a) - Number(b));
  return (unique as string[]).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** An ordered list of distinct categories and the code (position) of each. */
export class CategoryIndex {
  readonly categories: readonly Category[];
  private readonly codes: Map<Category, number>;

  constructor(categories: readonly Category[], where: string) {
    const codes = new Map<Category, number>();
    categories.forEach((c, i) => {
      checkCategory(c, where, i);
      if (codes.has(c)) throw new Error(`${where}: category ${describeCategory(c)} is listed twice (positions ${codes.get(c)} and ${i}).`);
      codes.set(c, i);
    });
    if (codes.size === 0) throw new Error(`${where}: there are no categories; fit on at least one value.`);
    this.categories = Object.freeze([...categories]);
    this.codes = codes;
  }

  get size(): number {
    return this.categories.length;
  }

  /** The code of `value`, or -1 when it is not a known category. */
  codeOf(value: Category): number {
    return this.codes.get(value) ?? -1;
  }

  /** An error for an unseen value that says where it was and what was expected. */
  unknownError(where: string, value: unknown, position: number): Error {
    const shown = this.categories.slice(0, 10).map(describeCategory).join(', ');
    const more = this.size > 10 ? `, ... (${this.size} in all)` : '';
    return new Error(`${where}: unknown category ${describeCategory(value)} at position ${position}; known categories are ${shown}${more}.`);
  }

  /** The category with code `code`; throws for anything but an integer in 0..k-1. */
  categoryAt(code: number, where: string, position: number): Category {
    if (!Number.isInteger(code) || code < 0 || code >= this.size) {
      throw new Error(`${where}: code ${code} at position ${position} is not an integer in 0..${this.size - 1}.`);
    }
    return this.categories[code];
  }
}

/** Reads a list of codes from a tensor or plain array (any shape; flattened in row-major order). */
export function codesOf(codes: { readonly values: Float32Array } | readonly number[]): ArrayLike<number> {
  return Array.isArray(codes) ? codes : (codes as { readonly values: Float32Array }).values;
}
