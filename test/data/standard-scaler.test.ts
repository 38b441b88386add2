import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StandardScaler } from '../../src/data/standard-scaler.js';
import { tensor } from '../../src/tensor/create.js';
import { assertClose } from '../helpers.js';

// Columns: [1, 2, 3, 4] (mean 2.5, population var 1.25), constant 5, [0, 0, 0, 8] (mean 2, var 12).
const x = tensor([
  [1, 5, 0],
  [2, 5, 0],
  [3, 5, 0],
  [4, 5, 8],
]);

test('StandardScaler learns per-column mean and population std', () => {
  const scaler = new StandardScaler().fit(x);
  assertClose(scaler.mean, [2.5, 5, 2], { shape: [3] });
  assertClose(scaler.variance, [1.25, 0, 12], { shape: [3] });
  // The constant column gets scale 1, not 0.
  assertClose(scaler.scale, [Math.sqrt(1.25), 1, Math.sqrt(12)], { shape: [3] });
});

test('StandardScaler transform matches hand-computed values and inverts', () => {
  const scaler = new StandardScaler();
  const z = scaler.fitTransform(x);
  const s = Math.sqrt(1.25);
  const t = Math.sqrt(12);
  assertClose(z, [-1.5 / s, 0, -2 / t, -0.5 / s, 0, -2 / t, 0.5 / s, 0, -2 / t, 1.5 / s, 0, 6 / t], { shape: [4, 3] });
  // Standardised columns have mean 0 and std 1 (the constant one stays 0).
  for (let j = 0; j < 3; j++) {
    const col = [0, 1, 2, 3].map((i) => z.values[i * 3 + j]);
    const mean = col.reduce((a, b) => a + b) / 4;
    const variance = col.reduce((a, b) => a + (b - mean) ** 2, 0) / 4;
    assert.ok(Math.abs(mean) < 1e-6);
    assert.ok(Math.abs(variance - (j === 1 ? 0 : 1)) < 1e-5);
  }
  assertClose(scaler.inverseTransform(z), x.values, { shape: [4, 3], atol: 1e-5 });
});

test('StandardScaler withMean / withStd switches', () => {
  const centred = new StandardScaler({ withStd: false }).fitTransform(tensor([[1], [3]]));
  assertClose(centred, [-1, 1]);
  const scaled = new StandardScaler({ withMean: false }).fit(tensor([[1], [3]]));
  assertClose(scaled.transform(tensor([[2]])), [2]);
  assertClose(scaled.inverseTransform(tensor([[2]])), [2]);
});

test('StandardScaler checks shapes and data', () => {
  const scaler = new StandardScaler().fit(x);
  assert.throws(() => scaler.transform(tensor([[1, 2]])), /fitted on 3 features.*\[1, 2\]/);
  assert.throws(() => new StandardScaler().fit(tensor([1, 2, 3])), /rank 2.*reshape it to \[N, 1\]/);
  assert.throws(() => new StandardScaler().fit(tensor([[1], [NaN]])), /NaN at row 1, column 0/);
  assert.throws(() => new StandardScaler().transform(x), /not fitted/);
});

test('StandardScaler JSON round trip', () => {
  const scaler = new StandardScaler().fit(x);
  const back = StandardScaler.fromJSON(JSON.parse(JSON.stringify(scaler)));
  assertClose(back.transform(x), scaler.transform(x).values, { shape: [4, 3] });
  assertClose(back.scale, scaler.scale.values);
  const cfg = StandardScaler.fromJSON(JSON.parse(JSON.stringify(new StandardScaler({ withMean: false }))));
  assert.equal(cfg.withMean, false);
  assert.throws(() => cfg.mean, /not fitted/);
  assert.throws(() => StandardScaler.fromJSON({ className: 'StandardScaler', mean: [1, 2], variance: [1] }), /'variance' has 1 entries, expected 2/);
});
