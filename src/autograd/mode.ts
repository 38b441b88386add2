let gradEnabled = true;

/** Whether new operations are recorded on the tape. */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

/**
 * Runs `fn` without recording operations (inference, weight updates, metrics).
 *
 *     const y = noGrad(() => model.apply(x));
 */
export function noGrad<T>(fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

let differentiating = 0;

/**
 * Whether a gradient function (`grad`, `grads`, `valueAndGrad`, `valueAndGrads`) is evaluating its function now:
 * calls that skip the tape for speed (`model.predict`) record inside one, as TF.js' predict is differentiable.
 */
export function isDifferentiating(): boolean {
  return differentiating > 0;
}

/** Runs `fn` as a gradient function's body: see `isDifferentiating`. */
export function whileDifferentiating<T>(fn: () => T): T {
  differentiating++;
  try {
    return fn();
  } finally {
    differentiating--;
  }
}
