import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MinMaxScaler } from '../../src/data/min-max-scaler.js';
import { tensor } from '../../src/tensor/create.js';
import { assertClose } from '../helpers.js';

// Columns: [0, 5, 10] and constant 7.
const x = tensor([
  [0, 7],
  [5, 7],
  [10, 7],
]);

test('MinMaxScaler maps each column onto [0, 1]', () => {
  const scaler = new MinMaxScaler();
  assertClose(scaler.fitTransform(x), [0, 0, 0.5, 0, 1, 0], { shape: [3, 2] });
  assertClose(scaler.dataMin, [0, 7]);
  assertClose(scaler.dataMax, [10, 7]);
  // The constant column gets range 1: scale 1, min -7, so it maps to 0.
  assertClose(scaler.scale, [0.1, 1]);
  assertClose(scaler.min, [0, -7]);
  assertClose(scaler.inverseTransform(scaler.transform(x)), x.values, { atol: 1e-5 });
});

test('MinMaxScaler honours featureRange and clip', () => {
  const scaler = new MinMaxScaler({ featureRange: [-1, 1] }).fit(x);
  // Column 0: 20 * 0.2 - 1 = 3 (outside the range: new data is not clipped by default).
  // The constant column has range 1, so scale 2 and 8 lands at -1 + 2 * (8 - 7) = 1.
  assertClose(
    scaler.transform(
      tensor([
        [5, 7],
        [20, 8],
      ]),
    ),
    [0, -1, 3, 1],
  );
  const clipped = new MinMaxScaler({ featureRange: [-1, 1], clip: true }).fit(x);
  assertClose(
    clipped.transform(
      tensor([
        [20, 8],
        [-10, 6],
      ]),
    ),
    [1, 1, -1, -1],
  );
  assert.throws(() => new MinMaxScaler({ featureRange: [1, 1] }), /low < high/);
});

test('MinMaxScaler checks shapes', () => {
  const scaler = new MinMaxScaler().fit(x);
  assert.throws(() => scaler.transform(tensor([[1, 2, 3]])), /fitted on 2 features/);
  assert.throws(() => new MinMaxScaler().fit(tensor([[Infinity]])), /Infinity at row 0, column 0/);
  assert.throws(() => new MinMaxScaler().inverseTransform(x), /not fitted/);
});

test('MinMaxScaler JSON round trip', () => {
  const scaler = new MinMaxScaler({ featureRange: [-1, 1], clip: true }).fit(x);
  const back = MinMaxScaler.fromJSON(JSON.parse(JSON.stringify(scaler)));
  assert.deepEqual(back.featureRange, [-1, 1]);
  assert.equal(back.clip, true);
  const probe = tensor([
    [2.5, 7],
    [30, 0],
  ]);
  assertClose(back.transform(probe), scaler.transform(probe).values);
  assert.throws(() => MinMaxScaler.fromJSON({ className: 'StandardScaler' }), /className 'MinMaxScaler'/);
});
