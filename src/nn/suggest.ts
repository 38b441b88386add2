// Suggestions for mistyped names (activations, initializers, losses, optimizers, ...).

/** Lower case without `_`, `-` or spaces, so `leaky_relu`, `LeakyReLU` and `leakyRelu` compare equal. */
function normalize(name: string): string {
  return String(name)
    .toLowerCase()
    .replace(/[_\-\s]/g, '');
}

/** Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of neighbours cost 1. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * The option closest to `name`, or `null` when none is close enough to be a plausible typo. Case, `_` and
 * `-` are ignored; a name that starts an option (`glorot` -> `glorotUniform`) also counts as close.
 *
 *     closestName('relux', ['relu', 'elu', 'tanh']);  // 'relu'
 */
export function closestName(name: string, options: readonly string[]): string | null {
  const target = normalize(name);
  if (target.length === 0) return null;
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const option of options) {
    const candidate = normalize(option);
    const distance = editDistance(target, candidate);
    if (distance < bestDistance) {
      best = option;
      bestDistance = distance;
    }
  }
  // a third of the name's length (at least 2) keeps 'relux' -> 'relu' but rejects 'foo' -> 'tanh'
  const limit = Math.max(2, Math.floor(target.length / 3));
  if (best !== null && bestDistance <= limit && bestDistance < target.length) return best;
  if (target.length >= 3) return options.find((o) => normalize(o).startsWith(target)) ?? null;
  return null;
}

/**
 * A hint to append to an error about an unknown name: `"did you mean 'relu'?"`, or `''` when no option is
 * close.
 *
 *     throw new Error(`Unknown loss 'mse2' — ${didYouMean('mse2', names)}`);
 */
export function didYouMean(name: string, options: readonly string[]): string {
  const best = closestName(name, options);
  return best === null ? '' : `did you mean '${best}'?`;
}

/**
 * The standard message for an unknown name of some `kind`, with a suggestion and the valid names.
 *
 *     unknownNameMessage('activation', 'relux', ['relu', 'tanh']);
 *     // "Unknown activation 'relux' — did you mean 'relu'? Valid activations: 'relu', 'tanh'."
 */
export function unknownNameMessage(kind: string, name: string, options: readonly string[]): string {
  const hint = didYouMean(name, options);
  const valid = options.map((o) => `'${o}'`).join(', ');
  return `Unknown ${kind} '${name}'${hint ? ` — ${hint}` : '.'} Valid ${kind}s: ${valid}.`;
}
