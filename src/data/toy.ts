import { random, randomStandardNormal, shuffleInPlace } from '../tensor/rng.js';
import { Tensor } from '../tensor/tensor.js';
import { withSeed } from './seeded.js';

/** A toy data set: inputs `x` [N, features] and `y` [N, 1] (class labels or regression targets). */
export interface ToyData {
  x: Tensor;
  y: Tensor;
}

/**
 * The four XOR points, the classic problem a single neuron cannot solve: x [4, 2], y [4, 1].
 *
 *     const { x, y } = xorData();   // x [[0,0],[0,1],[1,0],[1,1]], y [[0],[1],[1],[0]]
 */
export function xorData(): ToyData {
  return {
    x: new Tensor(Float32Array.of(0, 0, 0, 1, 1, 0, 1, 1), [4, 2]),
    y: new Tensor(Float32Array.of(0, 1, 1, 0), [4, 1]),
  };
}

export interface CirclesOptions {
  /** Number of points; the outer circle gets `floor(n / 2)`. Default 100. */
  n?: number;
  /** Std of Gaussian noise added to each coordinate. Default 0. */
  noise?: number;
  /** Inner radius over outer radius (the outer radius is 1), in [0, 1). Default 0.8. */
  factor?: number;
  /** Shuffle the rows (otherwise the outer circle comes first). Default true. */
  shuffle?: boolean;
  /** Seeds this data set alone; otherwise it draws from the global generator. */
  seed?: number;
}

/**
 * Two concentric circles, like scikit-learn's `make_circles`: label 0 on the outer circle (radius 1),
 * label 1 on the inner one (radius `factor`). Not linearly separable; a hidden layer solves it.
 *
 *     const { x, y } = circles({ n: 200, noise: 0.05, factor: 0.5, seed: 1 });   // x [200, 2], y [200, 1]
 */
export function circles(options: CirclesOptions = {}): ToyData {
  const { n = 100, noise = 0, factor = 0.8, shuffle = true, seed } = options;
  checkCount('circles', n);
  checkNoise('circles', noise);
  if (!(factor >= 0 && factor < 1)) throw new Error(`circles(): factor must be in [0, 1), got ${factor}.`);
  const nOuter = Math.floor(n / 2);
  const nInner = n - nOuter;
  return withSeed(seed, () => {
    const points: number[][] = [];
    // Evenly spaced angles (no endpoint) as scikit-learn does, so the circles are evenly covered.
    for (let i = 0; i < nOuter; i++) points.push(onCircle(1, (2 * Math.PI * i) / nOuter, 0));
    for (let i = 0; i < nInner; i++) points.push(onCircle(factor, (2 * Math.PI * i) / nInner, 1));
    return build(points, 2, noise, shuffle);
  });
}

export interface SpiralsOptions {
  /** Number of points; the first spiral gets `floor(n / 2)`. Default 100. */
  n?: number;
  /** Std of Gaussian noise added to each coordinate. Default 0. */
  noise?: number;
  /** How many times each spiral winds around the origin. Default 1.75 (as in the TensorFlow playground). */
  turns?: number;
  /** Shuffle the rows (otherwise spiral 0 comes first). Default true. */
  shuffle?: boolean;
  /** Seeds this data set alone; otherwise it draws from the global generator. */
  seed?: number;
}

/**
 * Two interleaved spirals, labels 0 and 1, one the other turned by half a circle; radii grow to 1.
 * The hardest of the toy sets: it takes a few hidden layers (or good features) to separate.
 *
 *     const { x, y } = spirals({ n: 300, noise: 0.02, seed: 7 });   // x [300, 2], y [300, 1]
 */
export function spirals(options: SpiralsOptions = {}): ToyData {
  const { n = 100, noise = 0, turns = 1.75, shuffle = true, seed } = options;
  checkCount('spirals', n);
  checkNoise('spirals', noise);
  if (!(turns > 0 && Number.isFinite(turns))) throw new Error(`spirals(): turns must be a positive number, got ${turns}.`);
  const sizes = [Math.floor(n / 2), n - Math.floor(n / 2)];
  return withSeed(seed, () => {
    const points: number[][] = [];
    sizes.forEach((m, label) => {
      for (let i = 0; i < m; i++) {
        // Radius from 1/m to 1: no point at the origin, where the two spirals would meet.
        const r = (i + 1) / m;
        points.push(onCircle(r, 2 * Math.PI * turns * r + label * Math.PI, label));
      }
    });
    return build(points, 2, noise, shuffle);
  });
}

export interface BlobsOptions {
  /** Number of points, split as evenly as possible among the centers. Default 100. */
  n?: number;
  /** How many centers to draw at random in `centerBox`, or their coordinates. Default 3. */
  centers?: number | readonly (readonly number[])[];
  /** Std of each blob, one for all or one per center. Default 1. */
  std?: number | readonly number[];
  /** Box the random centers are drawn from. Default [-10, 10]. */
  centerBox?: readonly [number, number];
  /** Dimensions of random centers. Default 2. */
  nFeatures?: number;
  /** Shuffle the rows (otherwise blob 0 comes first). Default true. */
  shuffle?: boolean;
  /** Seeds this data set alone; otherwise it draws from the global generator. */
  seed?: number;
}

/**
 * Gaussian blobs for clustering and multi-class demos, like scikit-learn's `make_blobs`; label i is
 * blob i. Also returns the centers used.
 *
 *     const { x, y } = blobs({ n: 150, centers: [[0, 0], [4, 4], [0, 4]], std: 0.5, seed: 3 });
 */
export function blobs(options: BlobsOptions = {}): ToyData & { centers: Tensor } {
  const { n = 100, centers = 3, std = 1, centerBox = [-10, 10], nFeatures = 2, shuffle = true, seed } = options;
  checkCount('blobs', n);
  return withSeed(seed, () => {
    let coords: number[][];
    if (typeof centers === 'number') {
      if (!Number.isInteger(centers) || centers < 1) throw new Error(`blobs(): centers must be a positive integer or a list of points, got ${centers}.`);
      if (!Number.isInteger(nFeatures) || nFeatures < 1) throw new Error(`blobs(): nFeatures must be a positive integer, got ${nFeatures}.`);
      const [lo, hi] = centerBox;
      coords = Array.from({ length: centers }, () => Array.from({ length: nFeatures }, () => lo + (hi - lo) * random()));
    } else {
      coords = centers.map((c) => [...c]);
      const d = coords[0]?.length ?? 0;
      if (d === 0 || coords.some((c) => c.length !== d))
        throw new Error('blobs(): centers must be a non-empty list of points with the same number of coordinates.');
    }
    const k = coords.length;
    const stds = typeof std === 'number' ? new Array<number>(k).fill(std) : [...std];
    if (stds.length !== k) throw new Error(`blobs(): std has ${stds.length} entries for ${k} centers.`);
    stds.forEach((s) => {
      checkNoise('blobs', s, 'std');
    });
    const points: number[][] = [];
    for (let c = 0; c < k; c++) {
      // The first n % k blobs get one extra point, as scikit-learn does.
      const m = Math.floor(n / k) + (c < n % k ? 1 : 0);
      for (let i = 0; i < m; i++) points.push([...coords[c].map((v) => v + stds[c] * randomStandardNormal()), c]);
    }
    const d = coords[0].length;
    return { ...build(points, d, 0, shuffle), centers: new Tensor(Float32Array.from(coords.flat()), [k, d]) };
  });
}

export interface SineWaveOptions {
  /** Number of points. Default 100. */
  n?: number;
  /** Std of Gaussian noise added to the targets. Default 0. */
  noise?: number;
  /** Interval x is drawn from, uniformly. Default [-π, π]. */
  xRange?: readonly [number, number];
  /** Seeds this data set alone; otherwise it draws from the global generator. */
  seed?: number;
}

/**
 * A 1-D regression set: x uniform in `xRange`, y = sin(x) + noise; x [N, 1], y [N, 1].
 * The x are in random order, so a plain `validationSplit` still samples the whole range.
 *
 *     const { x, y } = sineWave({ n: 200, noise: 0.1, seed: 0 });
 */
export function sineWave(options: SineWaveOptions = {}): ToyData {
  const { n = 100, noise = 0, xRange = [-Math.PI, Math.PI], seed } = options;
  checkCount('sineWave', n);
  checkNoise('sineWave', noise);
  const [lo, hi] = xRange;
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi))
    throw new Error(`sineWave(): xRange must be [low, high] with low < high, got ${JSON.stringify(xRange)}.`);
  return withSeed(seed, () => {
    const x = new Float32Array(n);
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = lo + (hi - lo) * random();
      y[i] = Math.sin(x[i]) + (noise > 0 ? noise * randomStandardNormal() : 0);
    }
    return { x: new Tensor(x, [n, 1]), y: new Tensor(y, [n, 1]) };
  });
}

function onCircle(r: number, angle: number, label: number): number[] {
  return [r * Math.cos(angle), r * Math.sin(angle), label];
}

/** Rows of `[...coords, label]` -> x [N, d] (plus noise) and y [N, 1], shuffled when asked. */
function build(points: number[][], d: number, noise: number, shuffle: boolean): ToyData {
  if (shuffle) shuffleInPlace(points);
  const n = points.length;
  const x = new Float32Array(n * d);
  const y = new Float32Array(n);
  points.forEach((p, i) => {
    for (let j = 0; j < d; j++) x[i * d + j] = p[j] + (noise > 0 ? noise * randomStandardNormal() : 0);
    y[i] = p[d];
  });
  return { x: new Tensor(x, [n, d]), y: new Tensor(y, [n, 1]) };
}

function checkCount(fn: string, n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new Error(`${fn}(): n must be a positive integer, got ${n}.`);
}

function checkNoise(fn: string, noise: number, name = 'noise'): void {
  if (!(noise >= 0 && Number.isFinite(noise))) throw new Error(`${fn}(): ${name} must be a non-negative number, got ${noise}.`);
}
