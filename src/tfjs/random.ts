// TF.js' random tensors with its argument order (shape, mean or min, stdDev or max, dtype, seed), drawn from
// dendrite's one seeded generator (src/tensor/rng.ts): `tf.randomNormal`, `tf.randomUniform`, `tf.truncatedNormal`
// and `tf.multinomial`. A `seed` gives the same values on every call with that seed (the generator's state is put
// back afterwards, so other draws are not disturbed); without one, the values follow `setSeed`. The streams are
// dendrite's, not TF.js' (its Alea generator), so a seeded call draws other numbers than TF.js does.
import { TruncatedNormal } from '../nn/initializers.js';
import * as ops from '../ops/index.js';
import { randomNormal as ddRandomNormal, randomUniform as ddRandomUniform } from '../tensor/create.js';
import { getRngState, random, setRngState, setSeed } from '../tensor/rng.js';
import { Tensor } from '../tensor/tensor.js';
import { convertToTensor } from './convert.js';
import { computedAs, type DataType, type TensorLike, withDtype } from './dtype.js';

/** Runs `draw` on the generator seeded with `seed` (a number or a string), leaving the global stream as it was. */
function seeded<T>(seed: number | string | undefined, draw: () => T): T {
  if (seed == null) return draw();
  let n = 0;
  if (typeof seed === 'number') n = seed;
  else for (let i = 0; i < seed.length; i++) n = (Math.imul(n, 31) + seed.charCodeAt(i)) | 0;
  const saved = getRngState();
  setSeed(Number.isFinite(n) ? n : 0);
  try {
    return draw();
  } finally {
    setRngState(saved);
  }
}

function checkShape(shape: readonly number[]): void {
  for (const d of shape) {
    if (!(Number.isInteger(d) && d >= 0)) throw new Error(`Tensor must have a shape comprised of positive integers but got shape [${shape}].`);
  }
}

/** TF.js rounds draws for an integer dtype to the nearest integer (Math.round). */
function inDtype(t: Tensor, dtype: DataType | undefined): Tensor {
  return dtype == null || dtype === 'float32' ? t : withDtype(ops.round(t), dtype);
}

/** tf.randomNormal(shape, mean = 0, stdDev = 1, dtype?, seed?): 'float32' or 'int32' (rounded). */
export function randomNormal(shape: readonly number[], mean = 0, stdDev = 1, dtype?: 'float32' | 'int32', seed?: number | string): Tensor {
  checkShape(shape);
  if ((dtype as string) === 'bool') throw new Error(`Unsupported data type ${dtype}`);
  return inDtype(
    seeded(seed, () => ddRandomNormal(shape, mean, stdDev)),
    dtype,
  );
}

/** tf.truncatedNormal(shape, mean = 0, stdDev = 1, dtype?, seed?): normal draws redrawn beyond 2 stdDev. */
export function truncatedNormal(shape: readonly number[], mean = 0, stdDev = 1, dtype?: 'float32' | 'int32', seed?: number | string): Tensor {
  checkShape(shape);
  if ((dtype as string) === 'bool') throw new Error(`Unsupported data type ${dtype}`);
  const values = seeded(seed, () => new TruncatedNormal({ mean, stddev: stdDev }).generate(shape));
  return inDtype(new Tensor(values, shape), dtype);
}

/** tf.randomUniform(shape, minval = 0, maxval = 1, dtype = 'float32', seed?): in [minval, maxval); integer dtypes truncate the draws, as TF.js stores them. */
export function randomUniform(shape: readonly number[], minval = 0, maxval = 1, dtype: DataType = 'float32', seed?: number | string): Tensor {
  checkShape(shape);
  const t = seeded(seed, () => ddRandomUniform(shape, minval, maxval));
  return dtype === 'float32' ? t : computedAs(t, dtype);
}

/**
 * tf.multinomial(logits, numSamples, seed?, normalized = false): int32 class indices drawn from each row of
 * `logits` (probabilities when `normalized`), [batch, numSamples], or [numSamples] for one row, as TF.js draws
 * them (a uniform draw against the running sum of the probabilities; the last class when none is reached).
 */
export function multinomial(logits: Tensor | TensorLike, numSamples: number, seed?: number, normalized = false): Tensor {
  const t = convertToTensor(logits, 'logits', 'multinomial');
  if (t.size < 2) throw new Error(`Error in multinomial: you need at least 2 outcomes, but got ${t.size}.`);
  if (t.rank > 2) throw new Error(`Rank of probabilities must be 1 or 2, but is ${t.rank}`);
  const rows = t.rank === 1 ? ops.reshape(t, [1, -1]) : t;
  const probs = normalized ? rows : ops.softmax(rows, -1);
  const [batch, events] = probs.shape;
  const out = new Float32Array(batch * numSamples);
  seeded(seed, () => {
    for (let b = 0; b < batch; b++) {
      let running = 0;
      const cdf = new Float32Array(events - 1);
      for (let e = 0; e < events - 1; e++) cdf[e] = running += probs.values[b * events + e];
      for (let s = 0; s < numSamples; s++) {
        const r = random();
        let pick = events - 1;
        for (let e = 0; e < events - 1; e++) {
          if (r < cdf[e]) {
            pick = e;
            break;
          }
        }
        out[b * numSamples + s] = pick;
      }
    }
  });
  return new Tensor(out, t.rank === 1 ? [numSamples] : [batch, numSamples], 'int32');
}
