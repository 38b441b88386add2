// Colour scales shared by every plot: orange for class 0 / negative values, blue for class 1 / positive.

export type RGB = readonly [number, number, number];

export const CLASS_COLORS: readonly RGB[] = [
  [230, 126, 34], // orange
  [31, 111, 178], // blue
  [27, 158, 119], // green
];
const NEUTRAL: RGB = [246, 246, 246];

export function css([r, g, b]: RGB, alpha = 1): string {
  return alpha === 1 ? `rgb(${r} ${g} ${b})` : `rgb(${r} ${g} ${b} / ${alpha})`;
}

function mix(a: RGB, b: RGB, t: number): [number, number, number] {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

/** v in [-1, 1]: orange below 0, near-white at 0, blue above; `strength` < 1 keeps the colours light for backgrounds. */
export function diverging(v: number, strength = 1): [number, number, number] {
  const t = Math.max(-1, Math.min(1, Number.isFinite(v) ? v : 0));
  return mix(NEUTRAL, t < 0 ? CLASS_COLORS[0] : CLASS_COLORS[1], Math.abs(t) * strength);
}

/** Class probabilities -> the probability-weighted class colour, faded towards white where the model is unsure. */
export function classMix(probs: ArrayLike<number>, strength = 1): [number, number, number] {
  const k = probs.length;
  let color: [number, number, number] = [0, 0, 0];
  let max = 0;
  for (let c = 0; c < k; c++) {
    const p = probs[c];
    max = Math.max(max, p);
    for (let j = 0; j < 3; j++) color[j] += p * CLASS_COLORS[c][j];
  }
  const confidence = Math.max(0, (max - 1 / k) / (1 - 1 / k));
  color = mix(NEUTRAL, color, confidence * strength);
  return color;
}

/** p in [0, 1] as class `c`'s own colour, near-white at 0 (a softmax unit drawn in its class colour). */
export function classShade(c: number, p: number, strength = 1): [number, number, number] {
  const t = Math.max(0, Math.min(1, Number.isFinite(p) ? p : 0));
  return mix(NEUTRAL, CLASS_COLORS[c % CLASS_COLORS.length], t * strength);
}

/** Grey levels for feature maps: 0 -> white, 1 -> near black (like ink on paper). */
export function ink(v: number): [number, number, number] {
  const t = Math.max(0, Math.min(1, v));
  const g = 255 - t * 235;
  return [g, g, g];
}
