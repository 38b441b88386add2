/**
 * The one seeded random number generator behind initialisers, dropout and shuffling (sfc32, seeded by
 * splitmix32). `setSeed(n)` makes a whole run reproducible.
 */
let state = new Uint32Array(4);
let spareNormal: number | null = null;

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Seed the global generator. The same seed gives the same initial weights, dropout masks and shuffles. */
export function setSeed(seed: number): void {
  if (!Number.isFinite(seed)) throw new Error(`setSeed expects a finite number, got ${seed}.`);
  const next = splitmix32(Math.floor(seed));
  state = new Uint32Array([next(), next(), next(), next()]);
  spareNormal = null;
  for (let i = 0; i < 12; i++) nextUint32();
}

function nextUint32(): number {
  const s = state;
  const t = (((s[0] + s[1]) >>> 0) + s[3]) >>> 0;
  s[3] = (s[3] + 1) >>> 0;
  s[0] = s[1] ^ (s[1] >>> 9);
  s[1] = (s[2] + (s[2] << 3)) >>> 0;
  s[2] = ((s[2] << 21) | (s[2] >>> 11)) >>> 0;
  s[2] = (s[2] + t) >>> 0;
  return t;
}

/** Uniform in [0, 1). */
export function random(): number {
  return nextUint32() / 4294967296;
}

/** Draws a dropout mask into `out` from a generator state, advancing it in place (see fillBernoulliMask). */
export type BernoulliMaskKernel = (out: Float32Array, state: Uint32Array, keep: number, scale: number) => void;

/**
 * The js kernel of fillBernoulliMask. Consumes and yields exactly what `out.length` calls of `random() < keep`
 * would (t / 2^32 < keep and t < keep * 2^32 are the same test: both sides are exact doubles), with the
 * generator's state in locals, so it is several times faster.
 */
export function bernoulliMaskJs(out: Float32Array, s: Uint32Array, keep: number, scale: number): void {
  const threshold = keep * 4294967296;
  // NOTE: the same bits as nextUint32 in int32 arithmetic (`| 0`), which V8 keeps in registers
  let s0 = s[0] | 0;
  let s1 = s[1] | 0;
  let s2 = s[2] | 0;
  let s3 = s[3] | 0;
  for (let i = 0; i < out.length; i++) {
    const t = (((s0 + s1) | 0) + s3) | 0;
    s3 = (s3 + 1) | 0;
    s0 = s1 ^ (s1 >>> 9);
    s1 = (s2 + (s2 << 3)) | 0;
    s2 = (s2 << 21) | (s2 >>> 11);
    s2 = (s2 + t) | 0;
    out[i] = t >>> 0 < threshold ? scale : 0;
  }
  s[0] = s0;
  s[1] = s1;
  s[2] = s2;
  s[3] = s3;
}

/**
 * Fills `out` with `scale` where a uniform draw is below `keep` and 0 elsewhere: a dropout mask, drawn from the
 * global generator by `kernel` (a backend's bernoulliMask: the same bits, faster).
 */
export function fillBernoulliMask(out: Float32Array, keep: number, scale: number, kernel: BernoulliMaskKernel = bernoulliMaskJs): void {
  kernel(out, state, keep, scale);
}

/** Standard normal (Box-Muller, caching the second value). */
export function randomStandardNormal(): number {
  if (spareNormal !== null) {
    const v = spareNormal;
    spareNormal = null;
    return v;
  }
  let u = 0;
  while (u === 0) u = random();
  const v = random();
  const r = Math.sqrt(-2 * Math.log(u));
  spareNormal = r * Math.sin(2 * Math.PI * v);
  return r * Math.cos(2 * Math.PI * v);
}

/** Integer in [0, n). */
export function randomInt(n: number): number {
  return Math.floor(random() * n);
}

/** Fisher-Yates shuffle in place, driven by the global generator. */
export function shuffleInPlace<T>(items: { length: number; [i: number]: T }): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    const t = items[i];
    items[i] = items[j];
    items[j] = t;
  }
}

/** The generator's full state, so a checkpoint can resume the exact random stream. */
export function getRngState(): (number | null)[] {
  return [...state, spareNormal];
}

export function setRngState(saved: readonly (number | null)[]): void {
  if (saved.length !== 5) throw new Error(`Random state must have 5 entries, got ${saved.length}.`);
  state = new Uint32Array(saved.slice(0, 4).map((v) => Number(v)));
  spareNormal = saved[4] ?? null;
}

setSeed((Math.random() * 2 ** 32) >>> 0);
