import type { AdadeltaStep, AdagradStep, AdamaxStep, AdamStep, MomentumStep, RmspropStep, SgdStep } from '../backend.js';

// Optimizer updates, one pass over a variable and its slots. Faster backends repeat these formulas operation
// for operation, so all backends give the same weights bit for bit. Adam computes in float32, as Keras and
// PyTorch do (Math.fround after each operation gives float32's result exactly: a double holds enough bits
// that rounding twice rounds the same); the others compute in double (JavaScript numbers) and round to
// float32 where they store.

/**
 * Adam (with AdamW's decay first), in float32: `m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
 * p -= (lr c1) m / (sqrt(v c2) + eps)`.
 */
export function adamUpdate(p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, s: AdamStep): void {
  const f = Math.fround;
  // NOTE: in float32, a square root and a division per weight cost a quarter of double's (they are the
  // update's main cost); the constants round to float32 once, here, as the native build rounds them.
  const b1 = f(s.beta1);
  const c1m = f(1 - s.beta1);
  const b2 = f(s.beta2);
  const c2m = f(1 - s.beta2);
  const eps = f(s.epsilon);
  const c2 = f(s.correction2);
  const stepSize = f(s.learningRate * s.correction1);
  const n = p.length;
  if (s.decay !== 1) {
    const keep = f(s.decay);
    for (let i = 0; i < n; i++) p[i] *= keep;
  }
  for (let i = 0; i < n; i++) {
    const gi = g[i];
    const mi = f(f(b1 * m[i]) + f(c1m * gi));
    const vi = f(f(b2 * v[i]) + f(f(c2m * gi) * gi));
    m[i] = mi;
    v[i] = vi;
    p[i] -= f(f(stepSize * mi) / f(f(Math.sqrt(f(vi * c2))) + eps));
  }
}

/** SGD: `p -= lr g`; with momentum `v = momentum v - lr g; p += v` (Nesterov: `p += momentum v - lr g`). */
export function sgdUpdate(p: Float32Array, g: Float32Array, velocity: Float32Array | null, s: SgdStep): void {
  const lr = s.learningRate;
  const n = p.length;
  if (!velocity) {
    for (let i = 0; i < n; i++) p[i] -= lr * g[i];
    return;
  }
  const m = s.momentum;
  const v = velocity;
  if (s.nesterov) {
    for (let i = 0; i < n; i++) {
      const step = lr * g[i];
      const vi = m * v[i] - step;
      v[i] = vi;
      p[i] += m * vi - step;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const vi = m * v[i] - lr * g[i];
      v[i] = vi;
      p[i] += vi;
    }
  }
}

/**
 * RMSprop: `a = rho a + (1-rho) g^2; p -= lr g / (sqrt(a) + eps)`, optionally centred and with momentum;
 * TF.js' formula: `lr g / sqrt(a + eps)`, centred `lr g / sqrt(a - mg^2 - eps)`.
 */
export function rmspropUpdate(p: Float32Array, g: Float32Array, a: Float32Array, mom: Float32Array | null, avg: Float32Array | null, s: RmspropStep): void {
  const { learningRate: lr, rho, epsilon: eps, momentum: m } = s;
  const tfjs = s.formula === 'tfjs';
  for (let i = 0, n = p.length; i < n; i++) {
    const gi = g[i];
    const ai = rho * a[i] + (1 - rho) * gi * gi;
    a[i] = ai;
    let denom = ai;
    if (avg) {
      const mg = rho * avg[i] + (1 - rho) * gi;
      avg[i] = mg;
      // NOTE: a - mean^2 is a variance estimate; clamp the rounding error that can make it slightly negative.
      // TF.js subtracts epsilon too and clamps nothing: a root of a negative number is its NaN, kept as it is.
      denom = tfjs ? ai - mg * mg - eps : Math.max(ai - mg * mg, 0);
    } else if (tfjs) {
      denom = ai + eps;
    }
    // NOTE: eps outside the square root (the fixtures' primary form); Keras 3 and TF.js add it inside.
    const stepSize = tfjs ? (lr * gi) / Math.sqrt(denom) : (lr * gi) / (Math.sqrt(denom) + eps);
    if (mom) {
      const mi = m * mom[i] + stepSize;
      mom[i] = mi;
      p[i] -= mi;
    } else {
      p[i] -= stepSize;
    }
  }
}

/** Adagrad: `a += g^2; p -= lr g / (sqrt(a) + eps)`; TF.js' formula: `lr g / sqrt(a + eps)`. */
export function adagradUpdate(p: Float32Array, g: Float32Array, a: Float32Array, s: AdagradStep): void {
  const { learningRate: lr, epsilon: eps } = s;
  const tfjs = s.formula === 'tfjs';
  for (let i = 0, n = p.length; i < n; i++) {
    const gi = g[i];
    const ai = a[i] + gi * gi;
    a[i] = ai;
    // NOTE: eps outside the square root, as in RMSprop (TF.js: inside).
    p[i] -= tfjs ? (lr * gi) / Math.sqrt(ai + eps) : (lr * gi) / (Math.sqrt(ai) + eps);
  }
}

/** Adamax: `m = b1 m + (1-b1) g; u = max(b2 u, |g|); p -= lr m c1 / (u + eps)` (Keras and TF.js alike). */
export function adamaxUpdate(p: Float32Array, g: Float32Array, m: Float32Array, u: Float32Array, s: AdamaxStep): void {
  const { learningRate: lr, beta1: b1, beta2: b2, epsilon: eps, correction1: c1 } = s;
  for (let i = 0, n = p.length; i < n; i++) {
    const gi = g[i];
    const mi = b1 * m[i] + (1 - b1) * gi;
    const ui = Math.max(b2 * u[i], Math.abs(gi));
    m[i] = mi;
    u[i] = ui;
    p[i] -= (lr * c1 * mi) / (ui + eps);
  }
}

/**
 * Adadelta: `ag = rho ag + (1-rho) g^2; d = g sqrt(ad + eps) / sqrt(ag + eps); ad = rho ad + (1-rho) d^2;
 * p -= lr d`. TF.js' formula divides by the root of `ag` from before the update.
 */
export function adadeltaUpdate(p: Float32Array, g: Float32Array, ag: Float32Array, ad: Float32Array, s: AdadeltaStep): void {
  const { learningRate: lr, rho, epsilon: eps } = s;
  const tfjs = s.formula === 'tfjs';
  for (let i = 0, n = p.length; i < n; i++) {
    const gi = g[i];
    const previous = ag[i];
    const agi = rho * previous + (1 - rho) * gi * gi;
    ag[i] = agi;
    // NOTE: TF.js reads the accumulator before assigning its new value, so its first step is lr * g.
    const d = (gi * Math.sqrt(ad[i] + eps)) / Math.sqrt((tfjs ? previous : agi) + eps);
    ad[i] = rho * ad[i] + (1 - rho) * d * d;
    p[i] -= lr * d;
  }
}

/** TF.js' momentum: `acc = m acc + g; p -= lr acc` (Nesterov: `p -= lr (g + m acc)`). */
export function momentumUpdate(p: Float32Array, g: Float32Array, acc: Float32Array, s: MomentumStep): void {
  const { learningRate: lr, momentum: m, nesterov } = s;
  for (let i = 0, n = p.length; i < n; i++) {
    const gi = g[i];
    const ai = m * acc[i] + gi;
    acc[i] = ai;
    p[i] -= nesterov ? lr * (gi + m * ai) : lr * ai;
  }
}
