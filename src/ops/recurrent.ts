// The recurrent layers' loops over time as single ops, forward and backward side by side: LSTM, GRU (both reset
// variants) and SimpleRNN. Each takes the inputs already projected by the kernel for every step ([batch, timesteps,
// gates * units], one product before the loop) and runs the steps: one GEMM of the state by the recurrent kernel
// per step on the backend (all gates at once), the gate arithmetic in plain loops. The backward walks the steps in
// reverse with one GEMM per step for the state's gradient, and forms the recurrent kernel's gradient in one GEMM
// over all steps at the end. The LSTM's and GRU's loops are backend kernels (Backend.lstmForward / lstmBackward,
// gruForward / gruBackward: C++ on native, backend/js/recurrent.ts elsewhere); SimpleRNN's runs here. Recorded as
// one op each, so the tape holds one node per layer call instead of a dozen per step. The composed version
// (nn/layers/rnn.ts with `withComposedRecurrence`) is the reference they are tested against.
//
// Layouts: steps are numbered in processing order s (time t = s, or T-1-s going backwards); the outputs are in
// processing order too, as Keras returns them. A padded step (mask 0) carries the states over unchanged.
import { isGradEnabled } from '../autograd/mode.js';
import type { GruArgs, LstmArgs, RecurrentActivation } from '../backend/backend.js';
import { backend } from '../backend/registry.js';
import { takeBuffer } from '../tensor/buffer-pool.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { allocate, record } from './op.js';

export type { RecurrentActivation };
export const RECURRENT_ACTIVATIONS: readonly RecurrentActivation[] = ['linear', 'relu', 'sigmoid', 'tanh', 'hardSigmoid'];

export interface RecurrenceOptions {
  /** The candidate's (and LSTM's cell output's) activation. */
  activation: RecurrentActivation;
  /** The gates' activation (LSTM, GRU). */
  recurrentActivation: RecurrentActivation;
  goBackwards: boolean;
  /** [batch, timesteps] of 1 (a step) and 0 (padding), or none. */
  mask: Tensor | null;
  /** Recurrent dropout: [batch, units], multiplying the state before the recurrent product, or none. */
  recurrentMask: Tensor | null;
}

/** `out = op(a) . op(b)` on the backend ([m, k] . [k, n]); the arrays may be views into larger buffers. */
function gemm(a: Float32Array, b: Float32Array, out: Float32Array, m: number, k: number, n: number, transposeA = false, transposeB = false): void {
  backend().matmul(a, b, out, { m, k, n, transposeA, transposeB, aOffsets: [0], bOffsets: [0] });
}

/**
 * How many steps' intermediate values to keep: all of them when the op is recorded for a backward (as `record`
 * decides), else one, reused from step to step (inference keeps no [timesteps, batch, ...] buffers).
 */
function saved(timesteps: number, inputs: readonly Tensor[]): { kept: number } {
  const recording = isGradEnabled() && inputs.some((t) => t.requiresGrad);
  return { kept: recording ? timesteps : 1 };
}

/** What every loop needs to know: sizes, time order and the recurrent dropout mask (the mask is checked here). */
class Steps {
  readonly batch: number;
  readonly timesteps: number;
  readonly units: number;
  readonly width: number;
  readonly dropout: Float32Array | null;
  private readonly goBackwards: boolean;

  constructor(name: string, xProj: Tensor, recurrentKernel: Tensor, gates: number, states: readonly Tensor[], o: RecurrenceOptions) {
    const [batch, timesteps, width] = xProj.shape;
    const units = width / gates;
    const bad = (what: string, t: Tensor) => {
      throw new Error(
        `${name}(): ${what} has shape ${formatShape(t.shape)}; projected inputs ${formatShape(xProj.shape)} need ${gates} gates of ${units} units.`,
      );
    };
    if (xProj.rank !== 3 || !Number.isInteger(units)) bad('the projected input', xProj);
    if (recurrentKernel.rank !== 2 || recurrentKernel.shape[0] !== units || recurrentKernel.shape[1] !== width) bad('the recurrent kernel', recurrentKernel);
    for (const s of states) if (s.rank !== 2 || s.shape[0] !== batch || s.shape[1] !== units) bad('a state', s);
    if (o.mask && (o.mask.rank !== 2 || o.mask.shape[0] !== batch || o.mask.shape[1] !== timesteps)) bad('the mask', o.mask);
    if (o.recurrentMask && (o.recurrentMask.shape[0] !== batch || o.recurrentMask.shape[1] !== units)) bad('the recurrent mask', o.recurrentMask);
    this.batch = batch;
    this.timesteps = timesteps;
    this.units = units;
    this.width = width;
    this.dropout = o.recurrentMask ? o.recurrentMask.values : null;
    this.goBackwards = o.goBackwards;
  }

  /** The time index of processing step s. */
  time(s: number): number {
    return this.goBackwards ? this.timesteps - 1 - s : s;
  }
}

/**
 * The gradient of the projected inputs from the per-step pre-activation gradients `dz` ([timesteps (processing
 * order), batch, width]): back to [batch, timesteps (time), width].
 */
function projectedGradient(p: Steps, dz: Float32Array): Tensor {
  const { batch, timesteps, width } = p;
  const dx = allocate([batch, timesteps, width], false);
  for (let s = 0; s < timesteps; s++) {
    const t = p.time(s);
    for (let n = 0; n < batch; n++) dx.values.set(dz.subarray((s * batch + n) * width, (s * batch + n + 1) * width), (n * timesteps + t) * width);
  }
  return dx;
}

/** The gradient of the recurrent kernel, `sum over steps of input^T . dz`, in one product over all steps. */
function kernelGradient(inputs: Float32Array, dz: Float32Array, rows: number, units: number, width: number): Tensor {
  const dR = allocate([units, width], false);
  gemm(inputs, dz, dR.values, units, rows, width, true, false);
  return dR;
}

/**
 * The LSTM's loop (Keras' gate order i, f, c, o): xProj [batch, timesteps, 4u], recurrentKernel [u, 4u], initial h0
 * and c0 [batch, u]. Returns [batch, timesteps, 2u]: h then c after each step, in processing order.
 *
 *     lstmSequence(projected, recurrentKernel, h0, c0, { activation: 'tanh', recurrentActivation: 'sigmoid', ... });
 */
export function lstmSequence(xProj: Tensor, recurrentKernel: Tensor, h0: Tensor, c0: Tensor, o: RecurrenceOptions): Tensor {
  const p = new Steps('lstmSequence', xProj, recurrentKernel, 4, [h0, c0], o);
  const { batch: N, timesteps: T, units: u, width: G } = p;
  const out = allocate([N, T, 2 * u], false);
  const { kept } = saved(T, [xProj, recurrentKernel, h0, c0]);
  const args: LstmArgs = {
    batch: N,
    timesteps: T,
    units: u,
    activation: o.activation,
    recurrentActivation: o.recurrentActivation,
    goBackwards: o.goBackwards,
    mask: o.mask ? o.mask.values : null,
    dropout: p.dropout,
    kept,
  };
  // saved for the backward: the recurrent product's input (by time), the activated gates and activation(c) of
  // every step
  const hIn = takeBuffer(kept * N * u, false);
  const gates = takeBuffer(kept * N * G, false);
  const cellOut = takeBuffer(kept * N * u, false);
  backend().lstmForward(xProj.values, recurrentKernel.values, h0.values, c0.values, out.values, hIn, gates, cellOut, args);
  return record(out, 'lstmSequence', [xProj, recurrentKernel, h0, c0], (dy, needs) => {
    // the pre-activation gradients by time: the projected inputs' gradient, and with hIn the recurrent kernel's
    const dz = allocate([N, T, G], false);
    const dh = new Float32Array(N * u);
    const dc = new Float32Array(N * u);
    backend().lstmBackward(dy.values, recurrentKernel.values, c0.values, out.values, gates, cellOut, dz.values, dh, dc, args);
    const dR = needs[1] ? kernelGradient(hIn, dz.values, T * N, u, G) : null;
    return [needs[0] ? dz : null, dR, needs[2] ? stateTensor(dh, N, u) : null, needs[3] ? stateTensor(dc, N, u) : null];
  });
}

/** A [batch, units] tensor of `values`. */
function stateTensor(values: Float32Array, batch: number, units: number): Tensor {
  const t = allocate([batch, units], false);
  t.values.set(values);
  return t;
}

/**
 * The GRU's loop (Keras' gate order z, r, h): xProj [batch, timesteps, 3u] (with the input bias), recurrentKernel
 * [u, 3u], h0 [batch, u]. `resetAfter` (Keras 3): the candidate is `activation(x_h + r * (h.R_h + recurrentBias_h))`
 * and `recurrentBias` [3u] (or null) is added to the whole recurrent product; otherwise (TF.js) it is
 * `activation(x_h + (r * h).R_h)` and there is no recurrent bias. Returns h after each step, [batch, timesteps, u].
 */
export function gruSequence(
  xProj: Tensor,
  recurrentKernel: Tensor,
  recurrentBias: Tensor | null,
  h0: Tensor,
  o: RecurrenceOptions & { resetAfter: boolean },
): Tensor {
  const p = new Steps('gruSequence', xProj, recurrentKernel, 3, [h0], o);
  const { batch: N, timesteps: T, units: u, width: G } = p;
  const { resetAfter } = o;
  if (recurrentBias && (!resetAfter || recurrentBias.size !== G)) {
    throw new Error(`gruSequence(): a recurrent bias (shape ${formatShape(recurrentBias.shape)}) needs resetAfter and ${G} values.`);
  }
  const out = allocate([N, T, u], false);
  const inputs = recurrentBias ? [xProj, recurrentKernel, h0, recurrentBias] : [xProj, recurrentKernel, h0];
  const { kept } = saved(T, inputs);
  const args: GruArgs = {
    batch: N,
    timesteps: T,
    units: u,
    activation: o.activation,
    recurrentActivation: o.recurrentActivation,
    goBackwards: o.goBackwards,
    mask: o.mask ? o.mask.values : null,
    dropout: p.dropout,
    kept,
    resetAfter,
  };
  // saved for the backward: the recurrent product's input, the activated z, r and candidate, and per unit the
  // candidate's recurrent term before the reset gate (resetAfter) or the candidate product's input r * h (not)
  const hIn = takeBuffer(kept * N * u, false);
  const gates = takeBuffer(kept * N * G, false);
  const extra = takeBuffer(kept * N * u, false);
  const R = recurrentKernel.values;
  backend().gruForward(xProj.values, R, recurrentBias ? recurrentBias.values : null, h0.values, out.values, hIn, gates, extra, args);
  return record(out, 'gruSequence', inputs, (dy, needs) => {
    // the pre-activation gradients: of the projected inputs [z, r, h]; of the recurrent product's outputs
    // (resetAfter: [z, r, h * r], one product; else [z, r] and the candidate's product apart)
    const recWidth = resetAfter ? G : 2 * u;
    const dx = takeBuffer(T * N * G, true);
    const dRec = takeBuffer(T * N * recWidth, true);
    const dCand = resetAfter ? dRec : takeBuffer(T * N * u, true);
    const dh = new Float32Array(N * u);
    backend().gruBackward(dy.values, R, h0.values, out.values, gates, hIn, extra, dx, dRec, dCand, dh, args);
    let dR: Tensor | null = null;
    if (needs[1]) {
      if (resetAfter) {
        dR = kernelGradient(hIn, dRec, T * N, u, G);
      } else {
        const dRzr = kernelGradient(hIn, dRec, T * N, u, 2 * u);
        const dRh = kernelGradient(extra, dCand, T * N, u, u);
        dR = allocate([u, G], false);
        for (let k = 0; k < u; k++) {
          dR.values.set(dRzr.values.subarray(k * 2 * u, (k + 1) * 2 * u), k * G);
          dR.values.set(dRh.values.subarray(k * u, (k + 1) * u), k * G + 2 * u);
        }
      }
    }
    let dB: Tensor | null = null;
    if (recurrentBias && needs[3]) {
      dB = allocate([...recurrentBias.shape]);
      for (let row = 0; row < T * N; row++) for (let j = 0; j < G; j++) dB.values[j] += dRec[row * G + j];
    }
    return [needs[0] ? projectedGradient(p, dx) : null, dR, needs[2] ? stateTensor(dh, N, u) : null, dB];
  });
}

/**
 * SimpleRNN's loop: xProj [batch, timesteps, u] (with the bias), recurrentKernel [u, u], h0 [batch, u]; per step
 * `h = activation(xProj_t + h.R)`. Returns h after each step, [batch, timesteps, u].
 */
export function simpleRnnSequence(xProj: Tensor, recurrentKernel: Tensor, h0: Tensor, o: RecurrenceOptions): Tensor {
  const p = new Steps('simpleRnnSequence', xProj, recurrentKernel, 1, [h0], o);
  const { batch: N, timesteps: T, units: u } = p;
  const out = allocate([N, T, u], false);
  const { kept } = saved(T, [xProj, recurrentKernel, h0]);
  const args: LstmArgs = {
    batch: N,
    timesteps: T,
    units: u,
    activation: o.activation,
    recurrentActivation: o.recurrentActivation,
    goBackwards: o.goBackwards,
    mask: o.mask ? o.mask.values : null,
    dropout: p.dropout,
    kept,
  };
  const hIn = takeBuffer(kept * N * u, false);
  backend().simpleRnnForward(xProj.values, recurrentKernel.values, h0.values, out.values, hIn, args);
  return record(out, 'simpleRnnSequence', [xProj, recurrentKernel, h0], (dy, needs) => {
    const dA = takeBuffer(T * N * u, true);
    const dh = new Float32Array(N * u);
    backend().simpleRnnBackward(dy.values, recurrentKernel.values, out.values, dA, dh, args);
    return [needs[0] ? projectedGradient(p, dA) : null, needs[1] ? kernelGradient(hIn, dA, T * N, u, u) : null, needs[2] ? stateTensor(dh, N, u) : null];
  });
}
