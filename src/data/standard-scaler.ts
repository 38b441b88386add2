import { Tensor } from '../tensor/tensor.js';
import { checkClassName, numberArray } from './json.js';
import { checkTable, vector } from './table.js';

export interface StandardScalerConfig {
  /** Subtract each column's mean. Default true. */
  withMean?: boolean;
  /** Divide by each column's standard deviation. Default true. */
  withStd?: boolean;
}

/** What `StandardScaler.toJSON()` writes. */
export interface StandardScalerJSON {
  className: 'StandardScaler';
  config: { withMean: boolean; withStd: boolean };
  mean: number[] | null;
  variance: number[] | null;
  nSamplesSeen: number | null;
}

interface Stats {
  mean: Float64Array;
  variance: Float64Array;
  scale: Float64Array;
  nSamplesSeen: number;
}

/**
 * Standardises each column to mean 0 and standard deviation 1, as scikit-learn's `StandardScaler`:
 * `(x - mean) / std` with the population std (divide by N). A constant column gets scale 1, so it maps
 * to zeros instead of dividing by zero. Fit on the training set only, then transform every split.
 *
 *     const scaler = new StandardScaler().fit(tensor([[0, 10], [2, 10]]));
 *     scaler.transform(tensor([[1, 10]]));   // [[0, 0]]  (mean [1, 10], scale [1, 1])
 */
export class StandardScaler {
  readonly withMean: boolean;
  readonly withStd: boolean;
  private stats: Stats | null = null;

  constructor(config: StandardScalerConfig = {}) {
    this.withMean = config.withMean ?? true;
    this.withStd = config.withStd ?? true;
  }

  /** Learns each column's mean and standard deviation from a [N, F] tensor. Returns `this`. */
  fit(x: Tensor): this {
    const where = 'StandardScaler.fit()';
    const [n, f] = checkTable(x, where, null);
    if (n === 0) throw new Error(`${where}: x has no rows.`);
    const v = x.values;
    const mean = new Float64Array(f);
    // NOTE: two passes in float64: exact for a constant column, and no cancellation as in E[x²] - E[x]².
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < f; j++) {
        const a = v[i * f + j];
        if (!Number.isFinite(a)) throw new Error(`${where}: x has ${a} at row ${i}, column ${j}; fill or drop missing values first.`);
        mean[j] += a;
      }
    }
    for (let j = 0; j < f; j++) mean[j] /= n;
    const variance = new Float64Array(f);
    for (let i = 0; i < n; i++) for (let j = 0; j < f; j++) variance[j] += (v[i * f + j] - mean[j]) ** 2;
    for (let j = 0; j < f; j++) variance[j] /= n;
    this.stats = { mean, variance, scale: scaleOf(variance), nSamplesSeen: n };
    return this;
  }

  /** Per-column means, shape [F]. */
  get mean(): Tensor {
    return vector(this.fitted('StandardScaler.mean').mean);
  }

  /** Per-column population variances, shape [F]. */
  get variance(): Tensor {
    return vector(this.fitted('StandardScaler.variance').variance);
  }

  /** Per-column divisors, shape [F]: the std, or 1 for a constant column (or everywhere with `withStd: false`). */
  get scale(): Tensor {
    const s = this.fitted('StandardScaler.scale');
    return vector(this.withStd ? s.scale : new Float64Array(s.scale.length).fill(1));
  }

  /** `(x - mean) / scale`, column by column; shape [N, F] in and out. */
  transform(x: Tensor): Tensor {
    const s = this.fitted('StandardScaler.transform()');
    const [n, f] = checkTable(x, 'StandardScaler.transform()', s.mean.length);
    const out = new Float32Array(n * f);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < f; j++) {
        let a = x.values[i * f + j];
        if (this.withMean) a -= s.mean[j];
        if (this.withStd) a /= s.scale[j];
        out[i * f + j] = a;
      }
    }
    return new Tensor(out, [n, f]);
  }

  /** `fit(x)` then `transform(x)`. */
  fitTransform(x: Tensor): Tensor {
    return this.fit(x).transform(x);
  }

  /** Undoes `transform`: `x * scale + mean`. */
  inverseTransform(x: Tensor): Tensor {
    const s = this.fitted('StandardScaler.inverseTransform()');
    const [n, f] = checkTable(x, 'StandardScaler.inverseTransform()', s.mean.length);
    const out = new Float32Array(n * f);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < f; j++) {
        let a = x.values[i * f + j];
        if (this.withStd) a *= s.scale[j];
        if (this.withMean) a += s.mean[j];
        out[i * f + j] = a;
      }
    }
    return new Tensor(out, [n, f]);
  }

  /** A plain object for `JSON.stringify`; restore it with `StandardScaler.fromJSON`. */
  toJSON(): StandardScalerJSON {
    const s = this.stats;
    return {
      className: 'StandardScaler',
      config: { withMean: this.withMean, withStd: this.withStd },
      mean: s ? [...s.mean] : null,
      variance: s ? [...s.variance] : null,
      nSamplesSeen: s ? s.nSamplesSeen : null,
    };
  }

  /** Rebuilds a scaler saved with `toJSON()`. */
  static fromJSON(json: unknown): StandardScaler {
    const where = 'StandardScaler.fromJSON()';
    const obj = checkClassName(json, 'StandardScaler');
    const config = (obj.config ?? {}) as StandardScalerConfig;
    const scaler = new StandardScaler({ withMean: config.withMean, withStd: config.withStd });
    if (obj.mean !== null && obj.mean !== undefined) {
      const mean = Float64Array.from(numberArray(obj, 'mean', null, where));
      const variance = Float64Array.from(numberArray(obj, 'variance', mean.length, where));
      if (variance.some((a) => a < 0)) throw new Error(`${where}: field 'variance' has a negative entry.`);
      scaler.stats = { mean, variance, scale: scaleOf(variance), nSamplesSeen: Number(obj.nSamplesSeen ?? 0) };
    }
    return scaler;
  }

  private fitted(where: string): Stats {
    if (!this.stats) throw new Error(`${where}: the scaler is not fitted yet; call fit(x) first.`);
    return this.stats;
  }
}

/** The std of each column, with 1 for a constant column so it is centred but not blown up. */
function scaleOf(variance: Float64Array): Float64Array {
  return variance.map((v) => (v === 0 ? 1 : Math.sqrt(v)));
}
