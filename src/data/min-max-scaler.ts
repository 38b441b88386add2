import { Tensor } from '../tensor/tensor.js';
import { checkClassName, numberArray } from './json.js';
import { checkTable, vector } from './table.js';

export interface MinMaxScalerConfig {
  /** The range each column is mapped to. Default [0, 1]. */
  featureRange?: readonly [number, number];
  /** Clip transformed values to `featureRange` (new data can fall outside the fitted min and max). Default false. */
  clip?: boolean;
}

/** What `MinMaxScaler.toJSON()` writes. */
export interface MinMaxScalerJSON {
  className: 'MinMaxScaler';
  config: { featureRange: [number, number]; clip: boolean };
  dataMin: number[] | null;
  dataMax: number[] | null;
}

interface Stats {
  dataMin: Float64Array;
  dataMax: Float64Array;
  scale: Float64Array;
  min: Float64Array;
}

/**
 * Maps each column linearly so its fitted minimum and maximum land on `featureRange`, as
 * scikit-learn's `MinMaxScaler`: `x * scale + min`. A constant column gets range 1 instead of a
 * division by zero (it maps to the low end of the range).
 *
 *     const scaler = new MinMaxScaler({ featureRange: [-1, 1] }).fit(tensor([[0], [10]]));
 *     scaler.transform(tensor([[5]]));   // [[0]]
 */
export class MinMaxScaler {
  readonly featureRange: readonly [number, number];
  readonly clip: boolean;
  private stats: Stats | null = null;

  constructor(config: MinMaxScalerConfig = {}) {
    const range = config.featureRange ?? [0, 1];
    if (!Array.isArray(range) || range.length !== 2 || !range.every(Number.isFinite) || !(range[0] < range[1])) {
      throw new Error(`MinMaxScaler: featureRange must be [low, high] with finite low < high, got ${JSON.stringify(range)}.`);
    }
    this.featureRange = Object.freeze([range[0], range[1]]) as readonly [number, number];
    this.clip = config.clip ?? false;
  }

  /** Learns each column's minimum and maximum from a [N, F] tensor. Returns `this`. */
  fit(x: Tensor): this {
    const where = 'MinMaxScaler.fit()';
    const [n, f] = checkTable(x, where, null);
    if (n === 0) throw new Error(`${where}: x has no rows.`);
    const dataMin = new Float64Array(f).fill(Infinity);
    const dataMax = new Float64Array(f).fill(-Infinity);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < f; j++) {
        const a = x.values[i * f + j];
        if (!Number.isFinite(a)) throw new Error(`${where}: x has ${a} at row ${i}, column ${j}; fill or drop missing values first.`);
        if (a < dataMin[j]) dataMin[j] = a;
        if (a > dataMax[j]) dataMax[j] = a;
      }
    }
    this.stats = this.statsFrom(dataMin, dataMax);
    return this;
  }

  /** Per-column minimum seen in `fit`, shape [F]. */
  get dataMin(): Tensor {
    return vector(this.fitted('MinMaxScaler.dataMin').dataMin);
  }

  /** Per-column maximum seen in `fit`, shape [F]. */
  get dataMax(): Tensor {
    return vector(this.fitted('MinMaxScaler.dataMax').dataMax);
  }

  /** Per-column factor of `x * scale + min`, shape [F]. */
  get scale(): Tensor {
    return vector(this.fitted('MinMaxScaler.scale').scale);
  }

  /** Per-column offset of `x * scale + min`, shape [F]. */
  get min(): Tensor {
    return vector(this.fitted('MinMaxScaler.min').min);
  }

  /** `x * scale + min`, column by column (clipped to `featureRange` with `clip: true`). */
  transform(x: Tensor): Tensor {
    const s = this.fitted('MinMaxScaler.transform()');
    const [n, f] = checkTable(x, 'MinMaxScaler.transform()', s.scale.length);
    const [lo, hi] = this.featureRange;
    const out = new Float32Array(n * f);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < f; j++) {
        const a = x.values[i * f + j] * s.scale[j] + s.min[j];
        out[i * f + j] = this.clip ? Math.min(hi, Math.max(lo, a)) : a;
      }
    }
    return new Tensor(out, [n, f]);
  }

  /** `fit(x)` then `transform(x)`. */
  fitTransform(x: Tensor): Tensor {
    return this.fit(x).transform(x);
  }

  /** Undoes `transform`: `(x - min) / scale`. */
  inverseTransform(x: Tensor): Tensor {
    const s = this.fitted('MinMaxScaler.inverseTransform()');
    const [n, f] = checkTable(x, 'MinMaxScaler.inverseTransform()', s.scale.length);
    const out = new Float32Array(n * f);
    for (let i = 0; i < n; i++) for (let j = 0; j < f; j++) out[i * f + j] = (x.values[i * f + j] - s.min[j]) / s.scale[j];
    return new Tensor(out, [n, f]);
  }

  /** A plain object for `JSON.stringify`; restore it with `MinMaxScaler.fromJSON`. */
  toJSON(): MinMaxScalerJSON {
    const s = this.stats;
    return {
      className: 'MinMaxScaler',
      config: { featureRange: [...this.featureRange], clip: this.clip },
      dataMin: s ? [...s.dataMin] : null,
      dataMax: s ? [...s.dataMax] : null,
    };
  }

  /** Rebuilds a scaler saved with `toJSON()`. */
  static fromJSON(json: unknown): MinMaxScaler {
    const where = 'MinMaxScaler.fromJSON()';
    const obj = checkClassName(json, 'MinMaxScaler');
    const config = (obj.config ?? {}) as MinMaxScalerConfig;
    const scaler = new MinMaxScaler({ featureRange: config.featureRange, clip: config.clip });
    if (obj.dataMin !== null && obj.dataMin !== undefined) {
      const dataMin = Float64Array.from(numberArray(obj, 'dataMin', null, where));
      const dataMax = Float64Array.from(numberArray(obj, 'dataMax', dataMin.length, where));
      if (dataMin.some((a, j) => a > dataMax[j])) throw new Error(`${where}: 'dataMin' exceeds 'dataMax' in some column.`);
      scaler.stats = scaler.statsFrom(dataMin, dataMax);
    }
    return scaler;
  }

  private statsFrom(dataMin: Float64Array, dataMax: Float64Array): Stats {
    const [lo, hi] = this.featureRange;
    // A constant column has range 0; sklearn treats it as 1, so the column maps to `lo` everywhere.
    const scale = dataMin.map((m, j) => (hi - lo) / (dataMax[j] - m === 0 ? 1 : dataMax[j] - m));
    const min = dataMin.map((m, j) => lo - m * scale[j]);
    return { dataMin, dataMax, scale, min };
  }

  private fitted(where: string): Stats {
    if (!this.stats) throw new Error(`${where}: the scaler is not fitted yet; call fit(x) first.`);
    return this.stats;
  }
}
