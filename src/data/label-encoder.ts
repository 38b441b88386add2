import { Tensor } from '../tensor/tensor.js';
import { CategoryIndex, codesOf, sortedUnique, type Category } from './categories.js';
import { checkClassName } from './json.js';

/** What `LabelEncoder.toJSON()` writes: the classes in code order. */
export interface LabelEncoderJSON {
  className: 'LabelEncoder';
  classes: Category[] | null;
}

/**
 * Maps class labels to integer codes 0..k-1, with the classes sorted as scikit-learn sorts them
 * (numbers ascending, strings alphabetically). Use it for targets; for ordered features see
 * `OrdinalEncoder`, for inputs to a network see `OneHotEncoder`.
 *
 *     const enc = new LabelEncoder().fit(['cat', 'dog', 'cat', 'bird']);
 *     enc.classes;                      // ['bird', 'cat', 'dog']
 *     enc.transform(['dog', 'bird']);   // tensor [2, 0]
 *     enc.inverseTransform([1]);        // ['cat']
 */
export class LabelEncoder {
  private index: CategoryIndex | null = null;

  /** Learns the sorted distinct labels. Returns `this`. */
  fit(values: readonly Category[]): this {
    const where = 'LabelEncoder.fit()';
    this.index = new CategoryIndex(sortedUnique(values, where), where);
    return this;
  }

  /** The known classes; position i is the label of code i. */
  get classes(): readonly Category[] {
    return this.fitted('classes').categories;
  }

  /** Codes of `values` as a float32 tensor of shape [N]. Throws on a label not seen in `fit`. */
  transform(values: readonly Category[]): Tensor {
    const where = 'LabelEncoder.transform()';
    const index = this.fitted('transform()');
    const out = new Float32Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const code = index.codeOf(values[i]);
      if (code < 0) throw index.unknownError(where, values[i], i);
      out[i] = code;
    }
    return new Tensor(out, [values.length]);
  }

  /** `fit(values)` then `transform(values)`. */
  fitTransform(values: readonly Category[]): Tensor {
    return this.fit(values).transform(values);
  }

  /** The labels of integer codes (a tensor of any shape is read in row-major order). */
  inverseTransform(codes: Tensor | readonly number[]): Category[] {
    const index = this.fitted('inverseTransform()');
    const list = codesOf(codes);
    return Array.from({ length: list.length }, (_, i) => index.categoryAt(list[i], 'LabelEncoder.inverseTransform()', i));
  }

  /** A plain object for `JSON.stringify`; restore it with `LabelEncoder.fromJSON`. */
  toJSON(): LabelEncoderJSON {
    return { className: 'LabelEncoder', classes: this.index ? [...this.index.categories] : null };
  }

  /** Rebuilds an encoder saved with `toJSON()`. */
  static fromJSON(json: unknown): LabelEncoder {
    const obj = checkClassName(json, 'LabelEncoder');
    const enc = new LabelEncoder();
    if (obj.classes !== null) {
      if (!Array.isArray(obj.classes)) throw new Error("LabelEncoder.fromJSON(): field 'classes' must be an array or null.");
      enc.index = new CategoryIndex(obj.classes as Category[], 'LabelEncoder.fromJSON()');
    }
    return enc;
  }

  private fitted(what: string): CategoryIndex {
    if (!this.index) throw new Error(`LabelEncoder.${what}: the encoder is not fitted yet; call fit(labels) first.`);
    return this.index;
  }
}
