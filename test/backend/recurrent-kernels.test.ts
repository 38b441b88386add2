import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Backend, GruArgs, LstmArgs, RecurrentActivation } from '../../src/backend/backend.js';
import { jsBackend as js } from '../../src/backend/js/index.js';
import { configureNative, nativeBackend, nativeInfo } from '../../src/backend/native/index.js';
import { wasmBackend, wasmReady } from '../../src/backend/wasm/index.js';
import { poisoned, rand, randomArray } from './kernel-checks.js';

// The recurrent loop kernels (lstmForward / lstmBackward, gruForward / gruBackward, simpleRnnForward /
// simpleRnnBackward) of the native and wasm backends against the js reference, on random inputs with masks,
// goBackwards, a recurrent dropout mask, each activation and the one-slot (inference) buffers. The native loops
// compute in float through a polynomial exp where js uses double and Math.exp, so values agree to
// 2e-6 * (1 + |js|) (their differences are about 1e-7, growing over the steps).

const TOLERANCE = 2e-6;

function assertClose(actual: Float32Array, expected: Float32Array, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    if (!(Math.abs(actual[i] - e) <= TOLERANCE * (1 + Math.abs(e)))) assert.fail(`${what}: element ${i} is ${actual[i]}, js gives ${e}`);
  }
}

interface Case {
  label: string;
  batch: number;
  timesteps: number;
  units: number;
  activation?: RecurrentActivation;
  recurrentActivation?: RecurrentActivation;
  goBackwards?: boolean;
  masked?: boolean;
  dropout?: boolean;
}

const ACTIVATIONS: RecurrentActivation[] = ['linear', 'relu', 'sigmoid', 'tanh', 'hardSigmoid'];

const cases: Case[] = [
  { label: 'one sample, one step, one unit', batch: 1, timesteps: 1, units: 1 },
  { label: '5 x 6 steps of 8 units', batch: 5, timesteps: 6, units: 8 },
  { label: 'units past a vector width (33), goBackwards', batch: 4, timesteps: 7, units: 33, goBackwards: true },
  { label: 'a mask (padding first, last and inside)', batch: 6, timesteps: 8, units: 12, masked: true },
  { label: 'a mask, goBackwards', batch: 6, timesteps: 8, units: 12, masked: true, goBackwards: true },
  { label: 'recurrent dropout', batch: 5, timesteps: 6, units: 16, dropout: true },
  { label: 'mask, dropout, goBackwards, 32 x 128', batch: 32, timesteps: 5, units: 128, masked: true, dropout: true, goBackwards: true },
  ...ACTIVATIONS.map((a) => ({ label: `activation ${a}`, batch: 3, timesteps: 6, units: 10, activation: a, masked: true })),
  ...ACTIVATIONS.map((a) => ({ label: `recurrentActivation ${a}`, batch: 3, timesteps: 6, units: 10, recurrentActivation: a, dropout: true })),
];

/** [batch, timesteps] of 1 and 0: sample 0 pads its first step, sample 1 its last, the others at random (a quarter). */
function randomMask(batch: number, timesteps: number): Float32Array {
  const m = Float32Array.from({ length: batch * timesteps }, () => (rand() < 0.25 ? 0 : 1));
  m[0] = 0;
  if (batch > 1) m[timesteps * 2 - 1] = 0;
  return m;
}

function argsOf(c: Case, kept: number): LstmArgs {
  return {
    batch: c.batch,
    timesteps: c.timesteps,
    units: c.units,
    activation: c.activation ?? 'tanh',
    recurrentActivation: c.recurrentActivation ?? 'sigmoid',
    goBackwards: c.goBackwards ?? false,
    mask: c.masked ? randomMask(c.batch, c.timesteps) : null,
    // dropout at rate 0.3: 0 or 1 / 0.7
    dropout: c.dropout ? Float32Array.from({ length: c.batch * c.units }, () => (rand() < 0.3 ? 0 : 1 / 0.7)) : null,
    kept,
  };
}

interface Inputs {
  x: Float32Array;
  r: Float32Array;
  h0: Float32Array;
  c0: Float32Array;
  dy: Float32Array;
}

function forward(b: Backend, inp: Inputs, a: LstmArgs) {
  const { batch: N, timesteps: T, units: u, kept } = a;
  const out = poisoned(N * T * 2 * u);
  const hIn = poisoned(kept * N * u);
  const gates = poisoned(kept * N * 4 * u);
  // cellOut is written for real steps only (a padded step's is never read)
  const cellOut = new Float32Array(kept * N * u);
  b.lstmForward(inp.x, inp.r, inp.h0, inp.c0, out, hIn, gates, cellOut, a);
  return { out, hIn, gates, cellOut };
}

function backward(b: Backend, inp: Inputs, a: LstmArgs, f: ReturnType<typeof forward>) {
  const { batch: N, timesteps: T, units: u } = a;
  const dz = poisoned(N * T * 4 * u);
  const dh = new Float32Array(N * u);
  const dc = new Float32Array(N * u);
  b.lstmBackward(inp.dy, inp.r, inp.c0, f.out, f.gates, f.cellOut, dz, dh, dc, a);
  return { dz, dh, dc };
}

function describeLstm(name: string, backend: () => Backend | null, skip: string | false): void {
  describe(`${name} lstmForward / lstmBackward against js`, { skip }, () => {
    for (const c of cases) {
      test(c.label, () => {
        const b = backend()!;
        const { batch: N, timesteps: T, units: u } = c;
        const inp: Inputs = {
          x: randomArray(N * T * 4 * u),
          // a recurrent kernel of the scale of Keras' orthogonal one, so the states stay in range over the steps
          r: randomArray(u * 4 * u).map((v) => v / Math.sqrt(u)),
          h0: randomArray(N * u),
          c0: randomArray(N * u),
          dy: randomArray(N * T * 2 * u),
        };
        const a = argsOf(c, T);
        const e = forward(js, inp, a);
        const f = forward(b, inp, a);
        for (const key of ['out', 'hIn', 'gates', 'cellOut'] as const) assertClose(f[key], e[key], `forward ${key}`);
        const eb = backward(js, inp, a, e);
        const fb = backward(b, inp, a, e);
        for (const key of ['dz', 'dh', 'dc'] as const) assertClose(fb[key], eb[key], `backward ${key}`);
        // inference: one slot of saved values, reused; the same outputs, the last step's values in the slot
        const one = forward(b, inp, { ...a, kept: 1 });
        assertClose(one.out, e.out, 'forward out (kept 1)');
        assertClose(one.gates, e.gates.subarray((T - 1) * N * 4 * u), 'forward gates (kept 1)');
      });
    }
  });
}

interface GruCase extends Case {
  resetAfter: boolean;
  bias?: boolean;
}

const gruCases: GruCase[] = [
  { label: 'resetAfter, a recurrent bias, one step of one unit', batch: 1, timesteps: 1, units: 1, resetAfter: true, bias: true },
  { label: 'resetAfter, a recurrent bias', batch: 5, timesteps: 6, units: 8, resetAfter: true, bias: true },
  { label: 'resetAfter, no bias, goBackwards, 33 units', batch: 4, timesteps: 7, units: 33, resetAfter: true, goBackwards: true },
  { label: 'reset before (TF.js)', batch: 5, timesteps: 6, units: 8, resetAfter: false },
  { label: 'reset before, a mask, goBackwards', batch: 6, timesteps: 8, units: 12, resetAfter: false, masked: true, goBackwards: true },
  { label: 'resetAfter, a mask and dropout', batch: 6, timesteps: 8, units: 12, resetAfter: true, bias: true, masked: true, dropout: true },
  { label: 'reset before, dropout, 32 x 128', batch: 32, timesteps: 4, units: 128, resetAfter: false, masked: true, dropout: true },
  { label: 'resetAfter, 32 x 128', batch: 32, timesteps: 4, units: 128, resetAfter: true, bias: true, masked: true, dropout: true },
  ...ACTIVATIONS.map((a) => ({ label: `activation ${a}`, batch: 3, timesteps: 6, units: 10, activation: a, resetAfter: true, bias: true, masked: true })),
  ...ACTIVATIONS.map((a) => ({
    label: `recurrentActivation ${a}`,
    batch: 3,
    // linear gates let the states (and the roundings' differences) grow step after step: fewer steps
    timesteps: a === 'linear' ? 3 : 6,
    units: 10,
    recurrentActivation: a,
    resetAfter: false,
    dropout: true,
  })),
];

function gruRun(b: Backend, c: GruCase, inp: Inputs & { rb: Float32Array | null }, a: GruArgs) {
  const { batch: N, timesteps: T, units: u, kept } = a;
  const G = 3 * u;
  const out = poisoned(N * T * u);
  const hIn = poisoned(kept * N * u);
  const gates = poisoned(kept * N * G);
  const extra = poisoned(kept * N * u);
  b.gruForward(inp.x, inp.r, inp.rb, inp.h0, out, hIn, gates, extra, a);
  if (kept !== T) return { out, hIn, gates, extra };
  const recWidth = c.resetAfter ? G : 2 * u;
  const dx = new Float32Array(T * N * G);
  const dRec = new Float32Array(T * N * recWidth);
  const dCand = c.resetAfter ? dRec : new Float32Array(T * N * u);
  const dh = new Float32Array(N * u);
  b.gruBackward(inp.dy.subarray(0, N * T * u), inp.r, inp.h0, out, gates, hIn, extra, dx, dRec, dCand, dh, a);
  return { out, hIn, gates, extra, dx, dRec, dCand, dh };
}

function describeGru(name: string, backend: () => Backend | null, skip: string | false): void {
  describe(`${name} gruForward / gruBackward against js`, { skip }, () => {
    for (const c of gruCases) {
      test(c.label, () => {
        const b = backend()!;
        const { batch: N, timesteps: T, units: u } = c;
        const inp = {
          x: randomArray(N * T * 3 * u),
          r: randomArray(u * 3 * u).map((v) => v / Math.sqrt(u)),
          rb: c.bias ? randomArray(3 * u) : null,
          h0: randomArray(N * u),
          c0: new Float32Array(0),
          dy: randomArray(N * T * u),
        };
        const a: GruArgs = { ...argsOf(c, T), resetAfter: c.resetAfter };
        const e = gruRun(js, c, inp, a);
        const f = gruRun(b, c, inp, a);
        for (const key of ['out', 'hIn', 'gates', 'extra', 'dx', 'dRec', 'dCand', 'dh'] as const) assertClose(f[key]!, e[key]!, key);
        const one = gruRun(b, c, inp, { ...a, kept: 1 });
        assertClose(one.out, e.out, 'out (kept 1)');
        assertClose(one.gates, e.gates.subarray((T - 1) * N * 3 * u), 'gates (kept 1)');
      });
    }
  });
}

const simpleCases: Case[] = [
  { label: 'one step of one unit', batch: 1, timesteps: 1, units: 1 },
  { label: 'a mask, goBackwards, 33 units', batch: 6, timesteps: 8, units: 33, masked: true, goBackwards: true },
  { label: 'a mask and dropout, 32 x 128', batch: 32, timesteps: 5, units: 128, masked: true, dropout: true },
  ...ACTIVATIONS.map((a) => ({ label: `activation ${a}`, batch: 3, timesteps: 6, units: 10, activation: a, masked: true, dropout: true })),
];

function simpleRun(b: Backend, inp: Inputs, a: LstmArgs) {
  const { batch: N, timesteps: T, units: u, kept } = a;
  const out = poisoned(N * T * u);
  const hIn = poisoned(kept * N * u);
  b.simpleRnnForward(inp.x, inp.r, inp.h0, out, hIn, a);
  if (kept !== T) return { out, hIn };
  const dA = new Float32Array(T * N * u);
  const dh = new Float32Array(N * u);
  b.simpleRnnBackward(inp.dy, inp.r, out, dA, dh, a);
  return { out, hIn, dA, dh };
}

function describeSimpleRnn(name: string, backend: () => Backend | null, skip: string | false): void {
  describe(`${name} simpleRnnForward / simpleRnnBackward against js`, { skip }, () => {
    for (const c of simpleCases) {
      test(c.label, () => {
        const b = backend()!;
        const { batch: N, timesteps: T, units: u } = c;
        const inp: Inputs = {
          x: randomArray(N * T * u),
          r: randomArray(u * u).map((v) => v / Math.sqrt(u)),
          h0: randomArray(N * u),
          c0: new Float32Array(0),
          dy: randomArray(N * T * u),
        };
        const a = argsOf(c, T);
        const e = simpleRun(js, inp, a);
        const f = simpleRun(b, inp, a);
        for (const key of ['out', 'hIn', 'dA', 'dh'] as const) assertClose(f[key]!, e[key]!, key);
        assertClose(simpleRun(b, inp, { ...a, kept: 1 }).out, e.out, 'out (kept 1)');
      });
    }
  });
}

describe('recurrent kernels', () => {
  before(async () => {
    await wasmReady;
  });
  describeLstm('native', () => nativeBackend, nativeBackend ? false : 'the native addon is not built here (npm run build:native)');
  describeLstm('wasm', () => wasmBackend, wasmBackend ? false : 'WebAssembly SIMD is not available in this runtime');
  describeGru('native', () => nativeBackend, nativeBackend ? false : 'the native addon is not built here (npm run build:native)');
  describeGru('wasm', () => wasmBackend, wasmBackend ? false : 'WebAssembly SIMD is not available in this runtime');
  describeSimpleRnn('native', () => nativeBackend, nativeBackend ? false : 'the native addon is not built here (npm run build:native)');
  describeSimpleRnn('wasm', () => wasmBackend, wasmBackend ? false : 'WebAssembly SIMD is not available in this runtime');

  test("native: the steps' products split over threads (by columns) or not, bit for bit the same", { skip: nativeBackend ? false : 'no native addon' }, () => {
    const c: Case = { label: '', batch: 9, timesteps: 4, units: 128, masked: true, dropout: true };
    const { batch: N, timesteps: T, units: u } = c;
    const inp: Inputs = {
      x: randomArray(N * T * 4 * u),
      r: randomArray(u * 4 * u).map((v) => v / Math.sqrt(u)),
      h0: randomArray(N * u),
      c0: randomArray(N * u),
      dy: randomArray(N * T * 2 * u),
    };
    const a = argsOf(c, T);
    const saved = nativeInfo()!.parallelThreshold;
    const run = (threshold: number) => {
      configureNative({ parallelThreshold: threshold });
      try {
        const f = forward(nativeBackend!, inp, a);
        return { ...f, ...backward(nativeBackend!, inp, a, f) };
      } finally {
        configureNative({ parallelThreshold: saved });
      }
    };
    const split = run(0);
    const serial = run(Number.POSITIVE_INFINITY);
    for (const key of ['out', 'gates', 'dz', 'dh', 'dc'] as const) assert.deepEqual(split[key], serial[key], key);
  });

  test('native: every instruction-set build of the loops (AVX-512, AVX2, baseline) against js', { skip: nativeBackend ? false : 'no native addon' }, () => {
    const initial = nativeInfo()!.isa;
    const lstmCase = cases.find((c) => c.units === 128)!;
    const gru = gruCases.filter((c) => c.units === 128);
    const simple = simpleCases.find((c) => c.units === 128)!;
    try {
      for (const isa of nativeInfo()!.isas) {
        configureNative({ isa });
        assert.equal(nativeInfo()!.isa, isa);
        const { batch: N, timesteps: T, units: u } = lstmCase;
        const inp: Inputs = {
          x: randomArray(N * T * 4 * u),
          r: randomArray(u * 4 * u).map((v) => v / Math.sqrt(u)),
          h0: randomArray(N * u),
          c0: randomArray(N * u),
          dy: randomArray(N * T * 2 * u),
        };
        const a = argsOf(lstmCase, T);
        const e = forward(js, inp, a);
        const f = forward(nativeBackend!, inp, a);
        assertClose(f.out, e.out, `${isa}: lstm out`);
        const eb = backward(js, inp, a, e);
        const fb = backward(nativeBackend!, inp, a, e);
        for (const key of ['dz', 'dh', 'dc'] as const) assertClose(fb[key], eb[key], `${isa}: lstm ${key}`);
        for (const c of gru) {
          const gi = { ...inp, x: inp.x.subarray(0, N * T * 3 * u), r: inp.r.subarray(0, u * 3 * u), rb: c.bias ? randomArray(3 * u) : null };
          const ga: GruArgs = { ...argsOf(c, c.timesteps), resetAfter: c.resetAfter };
          const ge = gruRun(js, c, gi, ga);
          const gf = gruRun(nativeBackend!, c, gi, ga);
          for (const key of ['out', 'dx', 'dRec', 'dCand', 'dh'] as const) assertClose(gf[key]!, ge[key]!, `${isa}: gru ${key}`);
        }
        const si = { ...inp, x: inp.x.subarray(0, N * simple.timesteps * u), r: inp.r.subarray(0, u * u), dy: inp.dy.subarray(0, N * simple.timesteps * u) };
        const sa = argsOf(simple, simple.timesteps);
        const se = simpleRun(js, si, sa);
        const sf = simpleRun(nativeBackend!, si, sa);
        for (const key of ['out', 'dA', 'dh'] as const) assertClose(sf[key]!, se[key]!, `${isa}: simpleRNN ${key}`);
      }
    } finally {
      configureNative({ isa: initial });
    }
  });

  test('a padded step repeats the previous states exactly, on every backend; the comparison catches a changed value', () => {
    const c: Case = { label: '', batch: 2, timesteps: 3, units: 4, masked: true };
    const a = argsOf(c, 3);
    a.mask = Float32Array.of(1, 0, 1, 1, 1, 0);
    const inp: Inputs = { x: randomArray(2 * 3 * 16), r: randomArray(64), h0: randomArray(8), c0: randomArray(8), dy: randomArray(2 * 3 * 8) };
    for (const b of [js, nativeBackend, wasmBackend]) {
      if (!b) continue;
      const { out } = forward(b, inp, a);
      // sample 0, step 1 (padded) repeats step 0; sample 1, step 2 repeats step 1
      assert.deepEqual(out.subarray(8, 16), out.subarray(0, 8), `${b.name}: sample 0`);
      assert.deepEqual(out.subarray(24 + 16, 24 + 24), out.subarray(24 + 8, 24 + 16), `${b.name}: sample 1`);
      const changed = out.slice();
      changed[5] += 1e-3;
      assert.throws(() => assertClose(changed, out, 'a changed element'));
    }
  });
});
