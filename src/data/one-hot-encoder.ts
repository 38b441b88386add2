import { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../tensor/shape.js';
import { CategoryIndex, sortedUnique, type Category } from './categories.js';
import { checkClassName } from './json.js';

/** What to do with a value not seen in `fit`: throw, or encode it as a row of zeros. */
export type OneHotHandleUnknown = 'error' | 'ignore';

export interface OneHotEncoderConfig {
  /** `'error'` (default) throws on an unseen value; `'ignore'` gives it an all-zeros row. */
  handleUnknown?: OneHotHandleUnknown;
  /** `'auto'` (default) learns the sorted categories in `fit`; a list fixes them and their column order. */
  categories?: readonly Category[] | 'auto';
}

/** What `OneHotEncoder.toJSON()` writes. */
export interface OneHotEncoderJSON {
  className: 'OneHotEncoder';
  config: { handleUnknown: OneHotHandleUnknown; categories: Category[] | 'auto' };
  categories: Category[] | null;
}

/**
 * Turns a column of categories into one indicator column per category: [N] values -> [N, k] tensor.
 * The usual input encoding for a categorical feature (a country, a colour) fed to a network.
 *
 *     const enc = new OneHotEncoder({ handleUnknown: 'ignore' }).fit(['France', 'Chile', 'France']);
 *     enc.transform(['France', 'Peru']);   // [[0, 1], [0, 0]]
 *     enc.featureNames('country');         // ['country_Chile', 'country_France']
 */
export class OneHotEncoder {
  readonly handleUnknown: OneHotHandleUnknown;
  private readonly configured: readonly Category[] | 'auto';
  private index: CategoryIndex | null = null;

  constructor(config: OneHotEncoderConfig = {}) {
    const { handleUnknown = 'error', categories = 'auto' } = config;
    if (handleUnknown !== 'error' && handleUnknown !== 'ignore') {
      throw new Error(`OneHotEncoder: handleUnknown must be 'error' or 'ignore', got ${String(handleUnknown)}.`);
    }
    if (categories !== 'auto' && !Array.isArray(categories)) {
      throw new Error("OneHotEncoder: categories must be 'auto' or an array of categories.");
    }
    this.handleUnknown = handleUnknown;
    this.configured = categories === 'auto' ? 'auto' : Object.freeze([...categories]);
    if (categories !== 'auto') this.index = new CategoryIndex(categories, 'OneHotEncoder');
  }

  /**
   * Learns the sorted categories, or with explicit categories (ready without `fit`) checks the data against them
   * (unknowns are an error unless `handleUnknown` is `'ignore'`). Returns `this`.
   */
  fit(values: readonly Category[]): this {
    const where = 'OneHotEncoder.fit()';
    if (this.configured === 'auto') {
      this.index = new CategoryIndex(sortedUnique(values, where), where);
      return this;
    }
    const index = this.fitted(where);
    if (this.handleUnknown === 'error') {
      values.forEach((v, i) => {
        if (index.codeOf(v) < 0) throw index.unknownError(where, v, i);
      });
    }
    return this;
  }

  /** The categories in column order. */
  get categories(): readonly Category[] {
    return this.fitted('OneHotEncoder.categories').categories;
  }

  /** A [N, k] float32 tensor with a single 1 per row (no 1 for an ignored unknown value). */
  transform(values: readonly Category[]): Tensor {
    const where = 'OneHotEncoder.transform()';
    const index = this.fitted(where);
    const k = index.size;
    const out = new Float32Array(values.length * k);
    for (let i = 0; i < values.length; i++) {
      const code = index.codeOf(values[i]);
      if (code >= 0) out[i * k + code] = 1;
      else if (this.handleUnknown === 'error') throw index.unknownError(where, values[i], i);
    }
    return new Tensor(out, [values.length, k]);
  }

  /** `fit(values)` then `transform(values)`. */
  fitTransform(values: readonly Category[]): Tensor {
    return this.fit(values).transform(values);
  }

  /**
   * The category of each row of a [N, k] tensor: the column of its largest entry, so predicted
   * probabilities decode too. An all-zeros row gives `null` with `handleUnknown: 'ignore'`.
   */
  inverseTransform(x: Tensor): (Category | null)[] {
    const where = 'OneHotEncoder.inverseTransform()';
    const index = this.fitted(where);
    const k = index.size;
    if (x.rank !== 2 || x.shape[1] !== k) {
      throw new Error(`${where}: expected a tensor of shape [N, ${k}] (one column per category), got ${formatShape(x.shape)}.`);
    }
    const out: (Category | null)[] = [];
    for (let i = 0; i < x.shape[0]; i++) {
      let best = 0;
      let allZero = true;
      for (let j = 0; j < k; j++) {
        const v = x.values[i * k + j];
        if (v !== 0) allZero = false;
        if (v > x.values[i * k + best]) best = j;
      }
      if (!allZero) out.push(index.categories[best]);
      else if (this.handleUnknown === 'ignore') out.push(null);
      else throw new Error(`${where}: row ${i} is all zeros, which only encodes an unknown value with handleUnknown 'ignore'.`);
    }
    return out;
  }

  /** Column names as `${prefix}_${category}`, like scikit-learn's `get_feature_names_out`. */
  featureNames(prefix = 'x0'): string[] {
    return this.fitted('OneHotEncoder.featureNames()').categories.map((c) => `${prefix}_${String(c)}`);
  }

  /** A plain object for `JSON.stringify`; restore it with `OneHotEncoder.fromJSON`. */
  toJSON(): OneHotEncoderJSON {
    return {
      className: 'OneHotEncoder',
      config: { handleUnknown: this.handleUnknown, categories: this.configured === 'auto' ? 'auto' : [...this.configured] },
      categories: this.index ? [...this.index.categories] : null,
    };
  }

  /** Rebuilds an encoder saved with `toJSON()`. */
  static fromJSON(json: unknown): OneHotEncoder {
    const obj = checkClassName(json, 'OneHotEncoder');
    const config = obj.config as OneHotEncoderJSON['config'] | undefined;
    if (typeof config !== 'object' || config === null) throw new Error("OneHotEncoder.fromJSON(): missing field 'config'.");
    const enc = new OneHotEncoder(config);
    if (obj.categories !== null && obj.categories !== undefined) {
      if (!Array.isArray(obj.categories)) throw new Error("OneHotEncoder.fromJSON(): field 'categories' must be an array or null.");
      enc.index = new CategoryIndex(obj.categories as Category[], 'OneHotEncoder.fromJSON()');
    }
    return enc;
  }

  private fitted(where: string): CategoryIndex {
    if (!this.index) throw new Error(`${where}: the encoder is not fitted yet; call fit(values) first or pass explicit categories.`);
    return this.index;
  }
}
