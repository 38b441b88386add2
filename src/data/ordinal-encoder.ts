import { Tensor } from '../tensor/tensor.js';
import { CategoryIndex, codesOf, sortedUnique, type Category } from './categories.js';
import { checkClassName } from './json.js';

/** What to do with a value that is not among the categories. */
export type OrdinalHandleUnknown = 'error' | 'useEncodedValue';

export interface OrdinalEncoderConfig {
  /**
   * The categories in their meaningful order, lowest first (e.g. `['F', 'D', 'C', 'B', 'A']`), or
   * `'auto'` to learn them sorted in `fit`. Default `'auto'`; an explicit order is the point of this encoder.
   */
  categories?: readonly Category[] | 'auto';
  /** `'error'` (default) throws on an unknown value; `'useEncodedValue'` codes it as `unknownValue`. */
  handleUnknown?: OrdinalHandleUnknown;
  /** The code for unknown values with `handleUnknown: 'useEncodedValue'`, e.g. -1 or NaN. */
  unknownValue?: number;
}

/** What `OrdinalEncoder.toJSON()` writes. */
export interface OrdinalEncoderJSON {
  className: 'OrdinalEncoder';
  config: { categories: Category[] | 'auto'; handleUnknown: OrdinalHandleUnknown; unknownValue: number | null };
  categories: Category[] | null;
}

/**
 * Codes ordered categories as 0..k-1 in the order you give, so the numbers keep their meaning
 * ("B" > "C"). With explicit categories it is ready at once; `fit` then only checks the data.
 *
 *     const grades = new OrdinalEncoder({ categories: ['F', 'D', 'C', 'B', 'A'] });
 *     grades.transform(['A', 'C', 'F']);   // tensor [4, 2, 0]
 */
export class OrdinalEncoder {
  readonly handleUnknown: OrdinalHandleUnknown;
  readonly unknownValue: number | null;
  private readonly configured: readonly Category[] | 'auto';
  private index: CategoryIndex | null = null;

  constructor(config: OrdinalEncoderConfig = {}) {
    const { categories = 'auto', handleUnknown = 'error', unknownValue } = config;
    if (handleUnknown !== 'error' && handleUnknown !== 'useEncodedValue') {
      throw new Error(`OrdinalEncoder: handleUnknown must be 'error' or 'useEncodedValue', got ${String(handleUnknown)}.`);
    }
    if (handleUnknown === 'useEncodedValue' && typeof unknownValue !== 'number') {
      throw new Error("OrdinalEncoder: handleUnknown 'useEncodedValue' needs a numeric unknownValue, e.g. -1 or NaN.");
    }
    if (categories !== 'auto' && !Array.isArray(categories)) {
      throw new Error("OrdinalEncoder: categories must be 'auto' or an array of categories in their order.");
    }
    this.handleUnknown = handleUnknown;
    this.unknownValue = handleUnknown === 'useEncodedValue' ? (unknownValue as number) : null;
    this.configured = categories === 'auto' ? 'auto' : Object.freeze([...categories]);
    if (categories !== 'auto') this.setIndex(new CategoryIndex(categories, 'OrdinalEncoder'));
  }

  /**
   * Learns the sorted categories (`'auto'`), or checks that the data holds no value outside the
   * explicit ones (unless unknowns are allowed). Returns `this`.
   */
  fit(values: readonly Category[]): this {
    const where = 'OrdinalEncoder.fit()';
    if (this.configured === 'auto') {
      this.setIndex(new CategoryIndex(sortedUnique(values, where), where));
    } else if (this.handleUnknown === 'error') {
      const index = this.fitted(where);
      values.forEach((v, i) => {
        if (index.codeOf(v) < 0) throw index.unknownError(where, v, i);
      });
    }
    return this;
  }

  /** The categories in code order. */
  get categories(): readonly Category[] {
    return this.fitted('OrdinalEncoder.categories').categories;
  }

  /** Codes of `values` as a float32 tensor of shape [N]. */
  transform(values: readonly Category[]): Tensor {
    const where = 'OrdinalEncoder.transform()';
    const index = this.fitted(where);
    const out = new Float32Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const code = index.codeOf(values[i]);
      if (code >= 0) out[i] = code;
      else if (this.unknownValue !== null) out[i] = this.unknownValue;
      else throw index.unknownError(where, values[i], i);
    }
    return new Tensor(out, [values.length]);
  }

  /** `fit(values)` then `transform(values)`. */
  fitTransform(values: readonly Category[]): Tensor {
    return this.fit(values).transform(values);
  }

  /** The categories of codes; a code equal to `unknownValue` gives `null` (as scikit-learn's `None`). */
  inverseTransform(codes: Tensor | readonly number[]): (Category | null)[] {
    const where = 'OrdinalEncoder.inverseTransform()';
    const index = this.fitted(where);
    const list = codesOf(codes);
    const unknown = this.unknownValue;
    return Array.from({ length: list.length }, (_, i) => {
      const c = list[i];
      if (unknown !== null && (c === unknown || (Number.isNaN(c) && Number.isNaN(unknown)))) return null;
      return index.categoryAt(c, where, i);
    });
  }

  /** A plain object for `JSON.stringify`; restore it with `OrdinalEncoder.fromJSON`. */
  toJSON(): OrdinalEncoderJSON {
    // NOTE: JSON has no NaN, so a NaN unknownValue is written as null and read back as NaN.
    const unknownValue = this.unknownValue === null || Number.isNaN(this.unknownValue) ? null : this.unknownValue;
    return {
      className: 'OrdinalEncoder',
      config: { categories: this.configured === 'auto' ? 'auto' : [...this.configured], handleUnknown: this.handleUnknown, unknownValue },
      categories: this.index ? [...this.index.categories] : null,
    };
  }

  /** Rebuilds an encoder saved with `toJSON()`. */
  static fromJSON(json: unknown): OrdinalEncoder {
    const obj = checkClassName(json, 'OrdinalEncoder');
    const config = obj.config as OrdinalEncoderJSON['config'] | undefined;
    if (typeof config !== 'object' || config === null) throw new Error("OrdinalEncoder.fromJSON(): missing field 'config'.");
    const handleUnknown = config.handleUnknown;
    const unknownValue = handleUnknown === 'useEncodedValue' ? (config.unknownValue ?? NaN) : undefined;
    const enc = new OrdinalEncoder({ categories: config.categories, handleUnknown, unknownValue });
    if (obj.categories !== null && obj.categories !== undefined) {
      if (!Array.isArray(obj.categories)) throw new Error("OrdinalEncoder.fromJSON(): field 'categories' must be an array or null.");
      enc.setIndex(new CategoryIndex(obj.categories as Category[], 'OrdinalEncoder.fromJSON()'));
    }
    return enc;
  }

  private setIndex(index: CategoryIndex): void {
    const u = this.unknownValue;
    // An unknownValue that is also a real code would make unknowns indistinguishable from that category.
    if (u !== null && Number.isInteger(u) && u >= 0 && u < index.size) {
      throw new Error(
        `OrdinalEncoder: unknownValue ${u} is the code of category ${JSON.stringify(index.categories[u])}; use a value outside 0..${index.size - 1}, e.g. -1.`,
      );
    }
    this.index = index;
  }

  private fitted(where: string): CategoryIndex {
    if (!this.index) throw new Error(`${where}: the encoder is not fitted yet; call fit(values) first or pass explicit categories.`);
    return this.index;
  }
}
