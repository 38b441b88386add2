import { maxOf } from '../tensor/extremes.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * Counts of (true class, predicted class) pairs: `matrix[t][p]`. Labels are integer class ids.
 *
 *     confusionMatrix(yTest, model.predict(xTest).argMax(-1), 10);
 */
export function confusionMatrix(labels: Tensor | ArrayLike<number>, predictions: Tensor | ArrayLike<number>, numClasses: number): number[][] {
  // NOTE: not `'values' in x`: plain and typed arrays have a values() method too
  const t = labels instanceof Tensor ? labels.values : labels;
  const p = predictions instanceof Tensor ? predictions.values : predictions;
  if (t.length !== p.length) throw new Error(`confusionMatrix(): ${t.length} labels but ${p.length} predictions.`);
  const m = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < t.length; i++) {
    const a = t[i];
    const b = p[i];
    if (!Number.isInteger(a) || a < 0 || a >= numClasses || !Number.isInteger(b) || b < 0 || b >= numClasses) {
      throw new Error(`confusionMatrix(): pair ${i} (${a}, ${b}) is not a pair of class ids in 0..${numClasses - 1}.`);
    }
    m[a][b]++;
  }
  return m;
}

/** The matrix as an aligned text table with row (true) and column (predicted) headers. */
export function formatConfusionMatrix(matrix: readonly (readonly number[])[], classNames?: readonly string[]): string {
  const names = classNames ?? matrix.map((_, i) => String(i));
  const width = Math.max(maxOf(matrix.map((row) => maxOf(row.map((v) => String(v).length)))), maxOf(names.map((n) => n.length))) + 1;
  const corner = 'true\\pred';
  const label = maxOf(
    names.map((n) => n.length),
    corner.length,
  );
  const header = `${corner.padEnd(label)}${names.map((n) => n.padStart(width)).join('')}`;
  const rows = matrix.map((row, i) => `${names[i].padEnd(label)}${row.map((v) => String(v).padStart(width)).join('')}`);
  return [header, ...rows].join('\n');
}
