// The check every optimizer's test makes: the optimizer (float32, through applyGradients) and a float64
// reference loop of its formula, on the same random gradients, agree at every step.
import { tensor } from '../../../src/tensor/create.js';
import type { Optimizer } from '../../../src/nn/optimizers/optimizer.js';
import { Variable } from '../../../src/tensor/tensor.js';
import { makeRng } from '../../gradcheck.js';
import { assertClose } from '../../helpers.js';

export interface ReferenceRun {
  /** The random stream of the start values and gradients (each test file has its own). */
  seed: number;
  /** Default 25. */
  steps?: number;
  /** Every `zeroEvery`-th gradient is all zeros, where only epsilon keeps the step finite (0: none). */
  zeroEvery?: number;
  /** Called before step t, e.g. to change the learning rate. */
  retune?: (t: number) => void;
}

/** Runs `opt` and `refStep` (the formula, on number arrays) side by side on a [3, 4] weight. */
export function agreesWithReference(opt: Optimizer, refStep: (p: number[], g: number[], t: number) => void, run: ReferenceRun): void {
  const { seed, steps = 25, zeroEvery = 0, retune } = run;
  const rand = makeRng(seed);
  const draw = () => Array.from({ length: 12 }, () => Math.fround(rand() * 2 - 1));
  const p = draw();
  const v = new Variable(Float32Array.from(p), [3, 4], 'w');
  for (let t = 1; t <= steps; t++) {
    retune?.(t);
    const g = zeroEvery && t % zeroEvery === 0 ? new Array(12).fill(0) : draw();
    opt.applyGradients([[tensor(g, [3, 4]), v]]);
    refStep(p, g, t);
    assertClose(v.values, p, { rtol: 1e-5, atol: 1e-6 });
  }
}
