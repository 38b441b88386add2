import { random, randomStandardNormal } from '../tensor/rng.js';
import { formatShape, sizeOf } from '../tensor/shape.js';
import { unknownNameMessage } from './suggest.js';

// Weight initializers with Keras formulas and TF.js names. Every random draw comes from the global seeded
// generator, so `setSeed(n)` before building a model reproduces its initial weights.

/** Makes the initial values of a weight. */
export interface Initializer {
  /** The Keras class name, e.g. `'GlorotUniform'` (model files store it). */
  readonly className: string;
  /** Fresh values for a weight of `shape`, row-major. */
  generate(shape: readonly number[]): Float32Array;
  /** The constructor arguments (Keras names, camelCase). */
  getConfig(): Record<string, unknown>;
}

/** An initializer by name (`'heNormal'`) or as an object (`initializers.constant({ value: 0.1 })`). */
export type InitializerIdentifier = InitializerName | Initializer;

/**
 * Fan-in and fan-out of a weight, as Keras `compute_fans`: `[in, out]` for a Dense kernel; for a conv
 * kernel `[kh, kw, in, out]` both are multiplied by the receptive field `kh * kw`.
 *
 *     computeFans([3, 3, 16, 32]);  // { fanIn: 144, fanOut: 288 }
 */
export function computeFans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0], fanOut: shape[0] };
  if (shape.length === 2) return { fanIn: shape[0], fanOut: shape[1] };
  const receptive = sizeOf(shape.slice(0, -2));
  return { fanIn: shape[shape.length - 2] * receptive, fanOut: shape[shape.length - 1] * receptive };
}

function allocate(shape: readonly number[], who: string): Float32Array {
  if (!shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new Error(`${who}: a weight shape needs non-negative integer dimensions, got ${formatShape(shape)}.`);
  }
  return new Float32Array(sizeOf(shape));
}

function fillUniform(out: Float32Array, minval: number, maxval: number): Float32Array {
  for (let i = 0; i < out.length; i++) out[i] = minval + (maxval - minval) * random();
  return out;
}

function fillNormal(out: Float32Array, mean: number, stddev: number): Float32Array {
  for (let i = 0; i < out.length; i++) out[i] = mean + stddev * randomStandardNormal();
  return out;
}

/** Normal samples redrawn until within 2 standard deviations of the mean (like `tf.random.truncated_normal`). */
function fillTruncatedNormal(out: Float32Array, mean: number, stddev: number): Float32Array {
  for (let i = 0; i < out.length; i++) {
    let z = randomStandardNormal();
    while (z < -2 || z > 2) z = randomStandardNormal();
    out[i] = mean + stddev * z;
  }
  return out;
}

function checkFinite(who: string, values: Record<string, number>): void {
  for (const [key, v] of Object.entries(values)) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${who}: ${key} must be a finite number, got ${String(v)}.`);
  }
}

function checkStddev(who: string, stddev: number): void {
  checkFinite(who, { stddev });
  if (stddev < 0) throw new Error(`${who}: stddev must be >= 0, got ${stddev}.`);
}

export class Zeros implements Initializer {
  readonly className = 'Zeros';
  generate(shape: readonly number[]): Float32Array {
    return allocate(shape, this.className);
  }
  getConfig(): Record<string, unknown> {
    return {};
  }
}

export class Ones implements Initializer {
  readonly className = 'Ones';
  generate(shape: readonly number[]): Float32Array {
    return allocate(shape, this.className).fill(1);
  }
  getConfig(): Record<string, unknown> {
    return {};
  }
}

export class Constant implements Initializer {
  readonly className = 'Constant';
  readonly value: number;
  constructor({ value = 0 }: { value?: number } = {}) {
    checkFinite('Constant', { value });
    this.value = value;
  }
  generate(shape: readonly number[]): Float32Array {
    return allocate(shape, this.className).fill(this.value);
  }
  getConfig(): Record<string, unknown> {
    return { value: this.value };
  }
}

export class RandomNormal implements Initializer {
  readonly className = 'RandomNormal';
  readonly mean: number;
  readonly stddev: number;
  constructor({ mean = 0, stddev = 0.05 }: { mean?: number; stddev?: number } = {}) {
    checkFinite('RandomNormal', { mean });
    checkStddev('RandomNormal', stddev);
    this.mean = mean;
    this.stddev = stddev;
  }
  generate(shape: readonly number[]): Float32Array {
    return fillNormal(allocate(shape, this.className), this.mean, this.stddev);
  }
  getConfig(): Record<string, unknown> {
    return { mean: this.mean, stddev: this.stddev };
  }
}

export class RandomUniform implements Initializer {
  readonly className = 'RandomUniform';
  readonly minval: number;
  readonly maxval: number;
  constructor({ minval = -0.05, maxval = 0.05 }: { minval?: number; maxval?: number } = {}) {
    checkFinite('RandomUniform', { minval, maxval });
    if (maxval < minval) throw new Error(`RandomUniform: maxval (${maxval}) must be >= minval (${minval}).`);
    this.minval = minval;
    this.maxval = maxval;
  }
  generate(shape: readonly number[]): Float32Array {
    return fillUniform(allocate(shape, this.className), this.minval, this.maxval);
  }
  getConfig(): Record<string, unknown> {
    return { minval: this.minval, maxval: this.maxval };
  }
}

export class TruncatedNormal implements Initializer {
  readonly className = 'TruncatedNormal';
  readonly mean: number;
  readonly stddev: number;
  constructor({ mean = 0, stddev = 0.05 }: { mean?: number; stddev?: number } = {}) {
    checkFinite('TruncatedNormal', { mean });
    checkStddev('TruncatedNormal', stddev);
    this.mean = mean;
    this.stddev = stddev;
  }
  generate(shape: readonly number[]): Float32Array {
    return fillTruncatedNormal(allocate(shape, this.className), this.mean, this.stddev);
  }
  getConfig(): Record<string, unknown> {
    return { mean: this.mean, stddev: this.stddev };
  }
}

/**
 * A random orthogonal matrix times `gain` (Keras `Orthogonal`, the recurrent kernels' default): a standard normal
 * matrix of [max(rows, cols), min(rows, cols)] (rows: the product of all axes but the last), made orthonormal by a
 * QR decomposition with R's diagonal positive, transposed when there are fewer rows than columns. So a kernel
 * [units, 4 * units] has orthonormal rows, and repeated products with it neither blow up nor vanish.
 */
export class Orthogonal implements Initializer {
  readonly className = 'Orthogonal';
  readonly gain: number;
  constructor({ gain = 1 }: { gain?: number } = {}) {
    checkFinite('Orthogonal', { gain });
    this.gain = gain;
  }
  generate(shape: readonly number[]): Float32Array {
    const out = allocate(shape, this.className);
    if (shape.length < 2) throw new Error(`Orthogonal: needs a weight of rank >= 2, got shape ${formatShape(shape)}.`);
    const cols = shape[shape.length - 1];
    const rows = out.length / Math.max(1, cols);
    if (out.length === 0) return out;
    const long = Math.max(rows, cols);
    const short = Math.min(rows, cols);
    // q's columns, each of `long` values, drawn normal and orthonormalised in turn (modified Gram-Schmidt, in
    // double): the Q of a QR decomposition whose R has a positive diagonal, as Keras' q * sign(diag(r))
    const q = Array.from({ length: short }, () => Float64Array.from({ length: long }, () => randomStandardNormal()));
    for (let j = 0; j < short; j++) {
      const v = q[j];
      for (let i = 0; i < j; i++) {
        const u = q[i];
        let dot = 0;
        for (let k = 0; k < long; k++) dot += u[k] * v[k];
        for (let k = 0; k < long; k++) v[k] -= dot * u[k];
      }
      let norm = 0;
      for (let k = 0; k < long; k++) norm += v[k] * v[k];
      norm = Math.sqrt(norm);
      for (let k = 0; k < long; k++) v[k] /= norm;
    }
    // q is [long, short]: the weight as [rows, cols] is q itself when rows >= cols, else its transpose
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) out[r * cols + c] = this.gain * (rows >= cols ? q[c][r] : q[r][c]);
    }
    return out;
  }
  getConfig(): Record<string, unknown> {
    return { gain: this.gain };
  }
}

/** Which fan `VarianceScaling` divides by. */
export type FanMode = 'fanIn' | 'fanOut' | 'fanAvg';
/** How `VarianceScaling` draws: Keras `truncated_normal`, `untruncated_normal`, `uniform`. */
export type VarianceScalingDistribution = 'truncatedNormal' | 'untruncatedNormal' | 'uniform';

export interface VarianceScalingArgs {
  scale?: number;
  mode?: FanMode;
  distribution?: VarianceScalingDistribution;
}

const FAN_MODES: readonly FanMode[] = ['fanIn', 'fanOut', 'fanAvg'];
const DISTRIBUTIONS: readonly VarianceScalingDistribution[] = ['truncatedNormal', 'untruncatedNormal', 'uniform'];

// NOTE: the standard deviation of a unit normal truncated to [-2, 2]; dividing by it makes the truncated
// draws have exactly the variance asked for (Keras' constant).
const TRUNCATED_STDDEV = 0.87962566103423978;

/**
 * Samples with variance `scale / n`, n being fanIn, fanOut or their mean (Keras `VarianceScaling`). The
 * Glorot, He and LeCun initializers are instances of it with a fixed `className`.
 */
export class VarianceScaling implements Initializer {
  readonly className: string;
  readonly scale: number;
  readonly mode: FanMode;
  readonly distribution: VarianceScalingDistribution;

  constructor({ scale = 1, mode = 'fanIn', distribution = 'truncatedNormal' }: VarianceScalingArgs = {}, className = 'VarianceScaling') {
    checkFinite(className, { scale });
    if (!(scale > 0)) throw new Error(`${className}: scale must be positive, got ${scale}.`);
    if (!FAN_MODES.includes(mode)) throw new Error(unknownNameMessage('mode', String(mode), FAN_MODES));
    if (!DISTRIBUTIONS.includes(distribution)) throw new Error(unknownNameMessage('distribution', String(distribution), DISTRIBUTIONS));
    this.className = className;
    this.scale = scale;
    this.mode = mode;
    this.distribution = distribution;
  }

  generate(shape: readonly number[]): Float32Array {
    const out = allocate(shape, this.className);
    const { fanIn, fanOut } = computeFans(shape);
    const fan = this.mode === 'fanIn' ? fanIn : this.mode === 'fanOut' ? fanOut : (fanIn + fanOut) / 2;
    const variance = this.scale / Math.max(1, fan);
    if (this.distribution === 'uniform') {
      const limit = Math.sqrt(3 * variance);
      return fillUniform(out, -limit, limit);
    }
    if (this.distribution === 'untruncatedNormal') return fillNormal(out, 0, Math.sqrt(variance));
    return fillTruncatedNormal(out, 0, Math.sqrt(variance) / TRUNCATED_STDDEV);
  }

  getConfig(): Record<string, unknown> {
    return { scale: this.scale, mode: this.mode, distribution: this.distribution };
  }
}

/** All zeros (the default bias initializer). `initializers.zeros()` */
function zeros(): Initializer {
  return new Zeros();
}

/** All ones. `initializers.ones()` */
function ones(): Initializer {
  return new Ones();
}

/** Every value `value` (default 0). `initializers.constant({ value: 0.1 })` */
function constant(args: { value?: number } = {}): Initializer {
  return new Constant(args);
}

/** Normal with `mean` (0) and `stddev` (0.05). `initializers.randomNormal({ stddev: 0.01 })` */
function randomNormal(args: { mean?: number; stddev?: number } = {}): Initializer {
  return new RandomNormal(args);
}

/** Uniform in [`minval`, `maxval`) (default ±0.05). `initializers.randomUniform({ minval: -0.1, maxval: 0.1 })` */
function randomUniform(args: { minval?: number; maxval?: number } = {}): Initializer {
  return new RandomUniform(args);
}

/** Normal with `mean` (0) and `stddev` (0.05), redrawn beyond 2 stddev. `initializers.truncatedNormal()` */
function truncatedNormal(args: { mean?: number; stddev?: number } = {}): Initializer {
  return new TruncatedNormal(args);
}

/** Variance `scale / fan` (defaults: 1, `'fanIn'`, `'truncatedNormal'`). `initializers.varianceScaling({ scale: 2 })` */
function varianceScaling(args: VarianceScalingArgs = {}): Initializer {
  return new VarianceScaling(args);
}

/** Uniform in ±sqrt(6 / (fanIn + fanOut)) (the Dense and Conv default). `initializers.glorotUniform()` */
function glorotUniform(): Initializer {
  return new VarianceScaling({ scale: 1, mode: 'fanAvg', distribution: 'uniform' }, 'GlorotUniform');
}

/** Truncated normal with variance 2 / (fanIn + fanOut). `initializers.glorotNormal()` */
function glorotNormal(): Initializer {
  return new VarianceScaling({ scale: 1, mode: 'fanAvg', distribution: 'truncatedNormal' }, 'GlorotNormal');
}

/** Truncated normal with variance 2 / fanIn, for ReLU networks. `initializers.heNormal()` */
function heNormal(): Initializer {
  return new VarianceScaling({ scale: 2, mode: 'fanIn', distribution: 'truncatedNormal' }, 'HeNormal');
}

/** Uniform in ±sqrt(6 / fanIn). `initializers.heUniform()` */
function heUniform(): Initializer {
  return new VarianceScaling({ scale: 2, mode: 'fanIn', distribution: 'uniform' }, 'HeUniform');
}

/** Truncated normal with variance 1 / fanIn (for SELU networks). `initializers.lecunNormal()` */
function lecunNormal(): Initializer {
  return new VarianceScaling({ scale: 1, mode: 'fanIn', distribution: 'truncatedNormal' }, 'LecunNormal');
}

/** Uniform in ±sqrt(3 / fanIn). `initializers.lecunUniform()` */
function lecunUniform(): Initializer {
  return new VarianceScaling({ scale: 1, mode: 'fanIn', distribution: 'uniform' }, 'LecunUniform');
}

/** A random orthogonal matrix times `gain` (default 1); recurrent kernels' default. `initializers.orthogonal()` */
function orthogonal(args: { gain?: number } = {}): Initializer {
  return new Orthogonal(args);
}

/**
 * The initializer factories, as `tf.initializers`:
 *
 *     layers.dense({ units: 8, kernelInitializer: initializers.heNormal() });
 */
export const initializers = {
  zeros,
  ones,
  constant,
  randomNormal,
  randomUniform,
  truncatedNormal,
  varianceScaling,
  glorotUniform,
  glorotNormal,
  heNormal,
  heUniform,
  lecunNormal,
  lecunUniform,
  orthogonal,
} as const;

/** A number from a config, or undefined (the argument's default) for anything else. */
function numberOr(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

/** What dendrite knows of a built-in initializer, beside its class. */
interface InitializerEntry {
  /** The initializer from a config as its `getConfig` writes it; a value that is not a number takes its default. */
  fromConfig(config: Readonly<Record<string, unknown>>): Initializer;
  /**
   * How Keras and TF.js write its config in a model file: as it is, with `seed: null` (the random ones: TF.js
   * has a seed argument, dendrite draws from its global generator), or as a `VarianceScaling`, as Keras 2 and
   * TF.js write the Glorot / He / LeCun family.
   */
  readonly saved: 'asIs' | 'seeded' | 'varianceScaling';
  /** False when a name alone cannot ask for it (VarianceScaling needs its arguments). */
  readonly byName?: false;
}

/**
 * Every built-in initializer, by its TF.js name; its Keras class name, which model files hold, is the name
 * capitalised (`heNormal` -> `HeNormal`). The one table that names, model files and the loader derive from.
 */
export const INITIALIZERS = {
  zeros: { fromConfig: () => zeros(), saved: 'asIs' },
  ones: { fromConfig: () => ones(), saved: 'asIs' },
  constant: { fromConfig: (c) => constant({ value: numberOr(c.value) }), saved: 'asIs' },
  randomNormal: { fromConfig: (c) => randomNormal({ mean: numberOr(c.mean), stddev: numberOr(c.stddev) }), saved: 'seeded' },
  randomUniform: { fromConfig: (c) => randomUniform({ minval: numberOr(c.minval), maxval: numberOr(c.maxval) }), saved: 'seeded' },
  truncatedNormal: { fromConfig: (c) => truncatedNormal({ mean: numberOr(c.mean), stddev: numberOr(c.stddev) }), saved: 'seeded' },
  varianceScaling: {
    fromConfig: (c) =>
      varianceScaling({
        scale: numberOr(c.scale),
        mode: c.mode as FanMode | undefined,
        distribution: c.distribution as VarianceScalingDistribution | undefined,
      }),
    saved: 'varianceScaling',
    byName: false,
  },
  // the family's arguments are fixed: a config read back is theirs
  glorotUniform: { fromConfig: () => glorotUniform(), saved: 'varianceScaling' },
  glorotNormal: { fromConfig: () => glorotNormal(), saved: 'varianceScaling' },
  heNormal: { fromConfig: () => heNormal(), saved: 'varianceScaling' },
  heUniform: { fromConfig: () => heUniform(), saved: 'varianceScaling' },
  lecunNormal: { fromConfig: () => lecunNormal(), saved: 'varianceScaling' },
  lecunUniform: { fromConfig: () => lecunUniform(), saved: 'varianceScaling' },
  orthogonal: { fromConfig: (c) => orthogonal({ gain: numberOr(c.gain) }), saved: 'seeded' },
} as const satisfies Record<keyof typeof initializers, InitializerEntry>;

type Entries = typeof INITIALIZERS;

/** The initializers that can be named by a string (TF.js spelling; `getInitializer` also takes Keras snake_case and class names, as model files hold). */
export type InitializerName = { [K in keyof Entries]: Entries[K] extends { byName: false } ? never : K }[keyof Entries];

const NAMES = (Object.keys(INITIALIZERS) as (keyof Entries)[]).filter((n): n is InitializerName => (INITIALIZERS[n] as InitializerEntry).byName !== false);

function isInitializerName(name: string): name is InitializerName {
  return (NAMES as readonly string[]).includes(name);
}

/** The Keras class name of the initializer `name`: `'heNormal'` -> `'HeNormal'`. */
function className(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** The Keras class names of the built-in initializers, in table order (`'Zeros'`, ..., `'LecunUniform'`). */
export const INITIALIZER_CLASS_NAMES: readonly string[] = Object.keys(INITIALIZERS).map(className);

/** The table entry of a Keras class name exactly as model files write it (`'HeNormal'`); undefined for any other. */
export function initializerForClassName(name: string): InitializerEntry | undefined {
  const key = name.charAt(0).toLowerCase() + name.slice(1);
  return Object.hasOwn(INITIALIZERS, key) && className(key) === name ? INITIALIZERS[key as keyof Entries] : undefined;
}

/**
 * The initializer for a name or object. Names may also be written as in Keras (`'glorot_uniform'`) or as
 * class names (`'GlorotUniform'`); an unknown name throws with a suggestion.
 *
 *     getInitializer('heNormal').generate([784, 128]);
 */
export function getInitializer(id: InitializerIdentifier): Initializer {
  if (typeof id === 'object' && id !== null && typeof id.generate === 'function') return id;
  if (typeof id !== 'string') throw new Error(`An initializer must be a name or an Initializer object, got ${String(id)}.`);
  const name: string = id;
  if (isInitializerName(name)) return INITIALIZERS[name].fromConfig({});
  // Keras and class-name spellings differ from ours only in case and underscores
  const key = name.toLowerCase().replace(/_/g, '');
  const match = NAMES.find((n) => n.toLowerCase() === key);
  if (match) return INITIALIZERS[match].fromConfig({});
  throw new Error(unknownNameMessage('initializer', id, NAMES));
}

/** The `{ className, config }` form of an initializer that model files store. */
export function serializeInitializer(initializer: Initializer): { className: string; config: Record<string, unknown> } {
  return { className: initializer.className, config: initializer.getConfig() };
}
