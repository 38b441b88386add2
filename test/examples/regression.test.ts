import assert from 'node:assert/strict';
import { test } from 'node:test';
import { run } from '../../examples/regression.js';

test('regression: a shallow network fits sin(x) far better than a line, down near the noise floor', async () => {
  const r = await run();
  // Measured (seed 0): linear 0.186, network 0.0165, ratio 0.089; over seeds 0-7 the ratio stayed below
  // 0.1. Asserting 0.2 leaves a 2x margin while still saying "a wide margin" (the spec's 0.35 is looser).
  assert.ok(r.networkTestMse < 0.2 * r.linearTestMse, `network ${r.networkTestMse} vs linear ${r.linearTestMse}`);
  // The floor is noise² = 0.01; the network stays within 2x of it plus 0.01 (measured 0.0165; at most 0.02 over seeds 0-7).
  assert.ok(r.networkTestMse < 2 * r.noiseVariance + 0.01, `network test MSE ${r.networkTestMse}`);
  // The best line leaves 1/2 - 3/π² ≈ 0.196 plus the noise: linear regression cannot do much better.
  assert.ok(r.linearTestMse > 0.15, `linear test MSE ${r.linearTestMse}`);
  for (const s of r.samples) assert.ok(Math.abs(s.network - s.sin) < 0.2, `network at x=${s.x}: ${s.network} vs sin ${s.sin}`);
});
