import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { grad } from '../../../src/autograd/functional.js';
import { SpatialDropout2D, spatialDropout2d } from '../../../src/nn/layers/spatial-dropout2d.js';
import { sum } from '../../../src/ops/reduce.js';
import { ones } from '../../../src/tensor/create.js';
import { setSeed } from '../../../src/tensor/rng.js';
import { randomTensor } from './layer-checks.js';

/** The kept fraction of each (image, channel) pair and whether every pair is all dropped or all kept at one scale. */
function channelStats(y: Float32Array, [n, h, w, c]: readonly number[], scale: number): { kept: number; whole: boolean } {
  let kept = 0;
  let whole = true;
  for (let b = 0; b < n; b++)
    for (let ch = 0; ch < c; ch++) {
      const values = new Set<number>();
      for (let p = 0; p < h * w; p++) values.add(y[(b * h * w + p) * c + ch]);
      whole &&= values.size === 1 && (values.has(0) || values.has(Math.fround(scale)));
      if (!values.has(0)) kept++;
    }
  return { kept: kept / (n * c), whole };
}

describe('SpatialDropout2D', () => {
  test('is the identity at inference', () => {
    const x = randomTensor([2, 3, 3, 4], 1);
    const layer = spatialDropout2d({ rate: 0.5 });
    assert.equal(layer.apply(x), x);
    assert.equal(layer.apply(x, { training: false }), x);
    assert.equal(spatialDropout2d({ rate: 0 }).apply(x, { training: true }), x);
    assert.match(layer.name, /^spatial_dropout2d(_\d+)?$/);
  });

  for (const rate of [0.2, 0.5]) {
    test(`rate ${rate} in training: drops whole channels (all pixels of one image's channel), ~rate of them, scales the rest by 1/(1-rate)`, () => {
      setSeed(rate * 10);
      const shape = [40, 3, 4, 50];
      const y = spatialDropout2d({ rate }).apply(ones(shape), { training: true });
      const stats = channelStats(y.values, shape, 1 / (1 - rate));
      assert.ok(stats.whole, 'every channel of every image is dropped or kept as a whole');
      assert.ok(Math.abs(stats.kept - (1 - rate)) < 0.04, `kept fraction ${stats.kept}`);
    });
  }

  test('the gradient is the same mask; a seed gives the layer its own stream', () => {
    const x = randomTensor([3, 2, 2, 6], 2);
    const a = spatialDropout2d({ rate: 0.5, seed: 7 });
    const b = spatialDropout2d({ rate: 0.5, seed: 7 });
    setSeed(1);
    const ya = a.apply(x, { training: true });
    setSeed(99);
    const g = grad((t) => sum(b.apply(t, { training: true })))(x);
    // same seed, same mask: y = x * mask, dy/dx = mask
    assert.deepEqual(
      [...g.values].map((m, i) => Math.fround(m * x.values[i])),
      [...ya.values],
    );
    // each call moves the layer's own stream on
    assert.notDeepEqual([...a.apply(x, { training: true }).values], [...ya.values]);
  });

  test('errors name the layer; config', () => {
    assert.throws(
      () => spatialDropout2d({ rate: 1, name: 'sd0' }),
      /Layer 'sd0' \(SpatialDropout2D\): rate must be in \[0, 1\) \(the fraction of channels to drop\), got 1\./,
    );
    assert.throws(() => spatialDropout2d({ rate: 0.1, name: 'sd1' }).ensureBuilt([null, 10]), /Layer 'sd1' \(SpatialDropout2D\) expects inputs of rank 4/);
    assert.deepEqual(spatialDropout2d({ rate: 0.3, name: 'sd2' }).getConfig(), { name: 'sd2', trainable: true, rate: 0.3, dataFormat: 'channelsLast' });
    const back = SpatialDropout2D.fromConfig({ rate: 0.25, seed: 3, dataFormat: 'channelsLast', noiseShape: null });
    assert.deepEqual([back.rate, back.seed], [0.25, 3]);
    assert.throws(() => SpatialDropout2D.fromConfig({ rate: 0.25, dataFormat: 'channelsFirst' }), /data_format 'channelsFirst' is not supported/);
  });
});
