// The largest value of an array and where it is, by a loop: `Math.max(...values)` passes every value as an
// argument and overflows the call stack for arrays of a few hundred thousand values.

/** The largest of `values` (at least `floor`; -Infinity for none). NaN values are skipped. */
export function maxOf(values: ArrayLike<number>, floor = -Infinity): number {
  let max = floor;
  for (let i = 0; i < values.length; i++) if (values[i] > max) max = values[i];
  return max;
}

/** The position of the largest of `values` (the first on a tie), or -1 when there is none or a value is NaN. */
export function indexOfMax(values: ArrayLike<number>): number {
  let best = -1;
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i])) return -1;
    if (best < 0 || values[i] > values[best]) best = i;
  }
  return best;
}
