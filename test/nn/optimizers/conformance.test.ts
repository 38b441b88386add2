import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { adagrad, adam, adamw, type Optimizer, rmsprop, sgd } from '../../../src/nn/optimizers/index.js';
import { tensor } from '../../../src/tensor/create.js';
import { Variable } from '../../../src/tensor/tensor.js';
import type { Fixture, FixtureTensor } from '../../conformance/fixture.js';
import { conformanceFixtures } from '../../fixtures/conformance.js';

// Every `optimizer_steps` fixture in the conformance folder, dispatched on params only (never the name): build
// the optimizer from its hyper-parameters, feed it g1, g2, ... and compare p after every step.

/** The optimizer a fixture's params describe (Keras snake_case -> our camelCase). */
function optimizerFor(params: Record<string, unknown>): Optimizer {
  const num = (key: string) => (params[key] === undefined || params[key] === null ? undefined : Number(params[key]));
  const learningRate = num('learning_rate');
  switch (params.optimizer) {
    case 'sgd':
      return sgd({ learningRate, momentum: num('momentum'), nesterov: params.nesterov === undefined ? undefined : Boolean(params.nesterov) });
    case 'adam':
    case 'adamw': {
      if (params.amsgrad) throw new Error('amsgrad is not implemented');
      const args = { learningRate, beta1: num('beta_1'), beta2: num('beta_2'), epsilon: num('epsilon') };
      return params.optimizer === 'adam' ? adam(args) : adamw({ ...args, weightDecay: num('weight_decay') });
    }
    case 'rmsprop':
      return rmsprop({
        learningRate,
        rho: num('rho'),
        momentum: num('momentum'),
        epsilon: num('epsilon'),
        centered: params.centered === undefined ? undefined : Boolean(params.centered),
      });
    case 'adagrad':
      return adagrad({ learningRate, initialAccumulatorValue: num('initial_accumulator_value'), epsilon: num('epsilon') });
    default:
      throw new Error(`no optimizer '${String(params.optimizer)}'`);
  }
}

function misses(got: Float32Array, want: FixtureTensor, tol: { rtol: number; atol: number }): string | null {
  for (let i = 0; i < want.data.length; i++) {
    if (!(Math.abs(got[i] - want.data[i]) <= tol.atol + tol.rtol * Math.abs(want.data[i]))) return `element ${i}: got ${got[i]}, want ${want.data[i]}`;
  }
  return got.length === want.data.length ? null : `length ${got.length} vs ${want.data.length}`;
}

function run(f: Fixture): string {
  const p = f.inputs.p;
  const variable = new Variable(Float32Array.from(p.data), p.shape, 'p');
  const opt = optimizerFor(f.params);
  const steps: Record<string, Float32Array> = {};
  const gradNames = f.input_order.filter((n) => n !== 'p');
  gradNames.forEach((name, k) => {
    const g = f.inputs[name];
    opt.applyGradients([[tensor(Float32Array.from(g.data), g.shape), variable]]);
    steps[`p_step${k + 1}`] = variable.values.slice();
  });
  const check = (output: FixtureTensor, extra: Record<string, FixtureTensor>): string[] => {
    const errors: string[] = [];
    const e = misses(variable.values, output, f.tolerance);
    if (e) errors.push(`output ${e}`);
    for (const [key, want] of Object.entries(extra)) {
      if (!steps[key]) errors.push(`no value for ${key}`);
      else {
        const m = misses(steps[key], want, f.tolerance);
        if (m) errors.push(`${key} ${m}`);
      }
    }
    return errors;
  };
  const primary = check(f.output, f.extra_outputs ?? {});
  if (primary.length === 0) return 'primary';
  if (f.alt) {
    const alt = check(f.alt.output ?? f.output, { ...(f.extra_outputs ?? {}), ...(f.alt.extra_outputs ?? {}) });
    if (alt.length === 0) return 'alt';
    assert.fail(`${f.name}: primary: ${primary.join('; ')} | alt: ${alt.join('; ')}`);
  }
  assert.fail(`${f.name}: ${primary.join('; ')}`);
}

describe('optimizers: conformance fixtures', () => {
  const fixtures = conformanceFixtures().filter(({ fixture }) => fixture.op === 'optimizer_steps');
  it('has optimizer fixtures', () => assert.ok(fixtures.length > 0));
  for (const { file, fixture } of fixtures) {
    it(file, (t) => t.diagnostic(`${fixture.name}: ${run(fixture)} values matched`));
  }
});
