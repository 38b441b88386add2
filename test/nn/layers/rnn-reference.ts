// Float64 references of the recurrent layers (SimpleRNN, LSTM, GRU with reset_after on and off), written from
// Keras' formulas step by step in plain loops, for finite-difference gradient checks and value checks: masks
// (a padded step carries the states over and outputs the previous output), go_backwards (outputs in processing
// order), initial states, dropout masks given as values. And TF.js' layers run with given weights and states.
import type { RNN } from '../../../src/nn/layers/rnn.js';
import type { Tensor } from '../../../src/tensor/tensor.js';
import { nd, type ND } from '../../gradcheck.js';
import { randomTensor } from './layer-checks.js';
import { tf } from './tfjs-reference.js';

export type RefActivation = 'tanh' | 'sigmoid' | 'hardSigmoid' | 'relu' | 'linear';

const ACT: Record<RefActivation, (x: number) => number> = {
  tanh: Math.tanh,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  hardSigmoid: (x) => Math.min(1, Math.max(0, 0.2 * x + 0.5)),
  relu: (x) => Math.max(0, x),
  linear: (x) => x,
};

export interface RefOptions {
  cell: 'simple' | 'lstm' | 'gru';
  units: number;
  activation?: RefActivation;
  recurrentActivation?: RefActivation;
  /** GRU: Keras 3's variant (bias [2, 3 units], reset gate after the recurrent product). */
  resetAfter?: boolean;
  goBackwards?: boolean;
  returnSequences?: boolean;
  /** [batch, timesteps] of 1 / 0. */
  mask?: ND;
  /** The initial states, each [batch, units] (zeros when absent). */
  initialState?: ND[];
  /** Dropout masks as values: on the input features [batch, features], on the recurrent state [batch, units]. */
  inputMask?: ND;
  recurrentMask?: ND;
}

/** The layer's outputs: the output (last or all steps) and the final states, as a layer with `returnState` gives them. */
export function rnnReference(x: ND, kernel: ND, recurrentKernel: ND, bias: ND | null, o: RefOptions): { output: ND; states: ND[] } {
  const [batch, timesteps, features] = x.shape;
  const u = o.units;
  const g = o.cell === 'lstm' ? 4 : o.cell === 'gru' ? 3 : 1;
  const act = ACT[o.activation ?? 'tanh'];
  const ract = ACT[o.recurrentActivation ?? 'sigmoid'];
  const stateCount = o.cell === 'lstm' ? 2 : 1;
  const outputs: number[][][] = [];
  const finals: number[][][] = Array.from({ length: stateCount }, () => []);
  const W = (f: number, j: number) => kernel.data[f * g * u + j];
  const R = (k: number, j: number) => recurrentKernel.data[k * g * u + j];
  const inputBias = (j: number) => (bias ? bias.data[j] : 0);
  const recurrentBias = (j: number) => (bias && o.resetAfter ? bias.data[g * u + j] : 0);
  for (let n = 0; n < batch; n++) {
    let states = Array.from({ length: stateCount }, (_, s) => Array.from({ length: u }, (_, k) => o.initialState?.[s].data[n * u + k] ?? 0));
    const seq: number[][] = [];
    for (let step = 0; step < timesteps; step++) {
      const t = o.goBackwards ? timesteps - 1 - step : step;
      const xt = Array.from(
        { length: features },
        (_, f) => x.data[(n * timesteps + t) * features + f] * (o.inputMask ? o.inputMask.data[n * features + f] : 1),
      );
      const h = states[0];
      const hIn = h.map((v, k) => v * (o.recurrentMask ? o.recurrentMask.data[n * u + k] : 1));
      const xProj = Array.from({ length: g * u }, (_, j) => xt.reduce((s, v, f) => s + v * W(f, j), 0) + inputBias(j));
      const rec = (vec: number[], j: number) => vec.reduce((s, v, k) => s + v * R(k, j), 0);
      let next: number[][];
      if (o.cell === 'simple') {
        next = [Array.from({ length: u }, (_, j) => act(xProj[j] + rec(hIn, j)))];
      } else if (o.cell === 'lstm') {
        const z = xProj.map((v, j) => v + rec(hIn, j));
        const c = Array.from({ length: u }, (_, j) => ract(z[u + j]) * states[1][j] + ract(z[j]) * act(z[2 * u + j]));
        next = [c.map((cj, j) => ract(z[3 * u + j]) * act(cj)), c];
      } else {
        const z = Array.from({ length: u }, (_, j) => ract(xProj[j] + rec(hIn, j) + recurrentBias(j)));
        const r = Array.from({ length: u }, (_, j) => ract(xProj[u + j] + rec(hIn, u + j) + recurrentBias(u + j)));
        const hh = Array.from({ length: u }, (_, j) =>
          act(
            xProj[2 * u + j] +
              (o.resetAfter
                ? r[j] * (rec(hIn, 2 * u + j) + recurrentBias(2 * u + j))
                : rec(
                    hIn.map((v, k) => v * r[k]),
                    2 * u + j,
                  )),
          ),
        );
        next = [Array.from({ length: u }, (_, j) => z[j] * h[j] + (1 - z[j]) * hh[j])];
      }
      if (o.mask?.data[n * timesteps + t] !== 0) states = next;
      seq.push([...states[0]]);
    }
    outputs.push(seq);
    states.forEach((s, i) => {
      finals[i].push(s);
    });
  }
  const output = o.returnSequences
    ? nd([batch, timesteps, u], outputs.flat(2))
    : nd(
        [batch, u],
        outputs.flatMap((seq) => seq[timesteps - 1]),
      );
  return { output, states: finals.map((f) => nd([batch, u], f.flat())) };
}

/**
 * The outputs of TF.js' layer (its cpu backend) on `x`, with `weights` set in TF.js' order once it is built and the
 * initial states if given: one array per output (`[output, ...states]` with returnState).
 */
export async function tfjsRecurrent(layer: tf.layers.Layer, x: Tensor, weights: readonly Tensor[], initialState?: readonly Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend('cpu');
  const input = tf.tensor(x.values, [...x.shape]);
  const kwargs = initialState ? { initialState: initialState.map((s) => tf.tensor(s.values, [...s.shape])) } : {};
  layer.apply(input, kwargs);
  layer.setWeights(weights.map((w) => tf.tensor(w.values, [...w.shape])));
  const out = layer.apply(input, kwargs) as tf.Tensor | tf.Tensor[];
  return (Array.isArray(out) ? out : [out]).map((t) => t.dataSync() as Float32Array);
}

/** A float64 view of a tensor's values. */
export function toND(t: Tensor): ND {
  return nd([...t.shape], [...t.values]);
}

/** Our outputs (a list) for a recurrent layer whose weights are set to `weights` once built. */
export function runWithWeights(layer: RNN<boolean>, x: Tensor, weights: readonly Tensor[], initialState?: readonly Tensor[]): Tensor[] {
  layer.apply(x);
  layer.setWeights(weights);
  const out = layer.apply(x, initialState ? { initialState: [...initialState] } : {});
  return Array.isArray(out) ? out : [out];
}

/** Random weights in [-1, 1) of the given shapes, each from its own seed. */
export function randomWeights(shapes: readonly (readonly number[])[], seed: number): Tensor[] {
  return shapes.map((s, i) => randomTensor(s, seed + i));
}
