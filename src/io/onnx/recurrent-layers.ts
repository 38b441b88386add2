// The recurrent layers (LSTM, GRU, SimpleRNN) and their Bidirectional wrapper as ONNX's LSTM, GRU and RNN
// operators. Keras' kernels [features, gates * units] become ONNX's W [directions, gates * units, features] with the
// gates reordered (Keras' LSTM i, f, c, o is ONNX's i, o, f, c; GRU's z, r, h is the same in both), the bias is
// ONNX's Wb (Rb zero, except GRU with resetAfter: its second row), and GRU's resetAfter is linear_before_reset.
// ONNX Runtime runs these operators time-major only (layout 0), so the input is transposed to [T, N, F].
//
// goBackwards is direction 'reverse' (ONNX keeps its outputs in input order; Keras gives them in processing order,
// so a returned sequence is flipped). A masked sequence goes through masked-sequences.ts, exact for any padding.
import type { ActivationFunction } from '../../nn/activations.js';
import { isBuiltInActivation } from '../../nn/activations.js';
import type { Layer } from '../../nn/layer.js';
import type { RNN } from '../../nn/layers/rnn.js';
import type { GraphBuilder } from './graph.js';
import { toNhwc, type Value, type ValueMask } from './layout.js';
import { compact, expandSequence, finalState } from './masked-sequences.js';
import { describe, readMask, type MaskRule } from './masks.js';

/** The recurrent layers' classes: ONNX operator, Keras gate index of each ONNX gate, and the activations ONNX lists. */
const KINDS = {
  LSTM: { op: 'LSTM', order: [0, 3, 1, 2], states: 2 },
  GRU: { op: 'GRU', order: [0, 1, 2], states: 1 },
  SimpleRNN: { op: 'RNN', order: [0], states: 1 },
} as const;

type Kind = keyof typeof KINDS;

/** What the export reads of a recurrent layer: the RNN base, and the fields of LSTM and GRU. */
type Recurrent = RNN & { readonly recurrentActivation?: ActivationFunction; readonly resetAfter?: boolean };

/** What the export reads of a Bidirectional wrapper. */
interface BidirectionalLike extends Layer {
  readonly forwardLayer: Recurrent;
  readonly backwardLayer: Recurrent;
  readonly mergeMode: 'concat' | 'sum' | 'mul' | 'ave' | null;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  /** Keras' zero_output_for_mask: a padded step outputs zeros (with returnSequences). */
  readonly zeroOutputForMask: boolean;
}

function kindOf(layer: Recurrent): Kind {
  const kind = layer.className;
  if (kind !== 'LSTM' && kind !== 'GRU' && kind !== 'SimpleRNN') throw new Error(`ONNX export: ${describe(layer)} is not a recurrent layer ONNX has.`);
  return kind;
}

/** One activation function of an ONNX recurrent operator, with the parameters it takes (ONNX Runtime reads alpha and beta only for these). */
interface OnnxActivation {
  readonly name: string;
  readonly alpha?: number;
  readonly beta?: number;
}

/** The ONNX form of a built-in activation inside a recurrent operator, or null where ONNX's list has none. */
function onnxActivation(a: ActivationFunction): OnnxActivation | null {
  if (a.layer) {
    if (a.layer.className === 'LeakyReLU') return { name: 'LeakyRelu', alpha: a.layer.config.alpha };
    if (a.layer.className === 'ELU') return { name: 'Elu', alpha: a.layer.config.alpha };
    return null;
  }
  if (!isBuiltInActivation(a)) return null;
  switch (a.name) {
    case 'tanh':
      return { name: 'Tanh' };
    case 'sigmoid':
      return { name: 'Sigmoid' };
    case 'relu':
      return { name: 'Relu' };
    case 'linear':
      return { name: 'Affine', alpha: 1, beta: 0 };
    // dendrite's (TF.js', Keras 2's) hard sigmoid: clip(0.2 x + 0.5, 0, 1)
    case 'hardSigmoid':
      return { name: 'HardSigmoid', alpha: 0.2, beta: 0.5 };
    case 'leakyRelu':
      return { name: 'LeakyRelu', alpha: 0.2 };
    case 'elu':
      return { name: 'Elu', alpha: 1 };
    case 'softsign':
      return { name: 'Softsign' };
    case 'softplus':
      return { name: 'Softplus' };
    default:
      return null;
  }
}

/** The activations a layer's operator lists: LSTM f, g, h; GRU f, g; RNN f (f the gates', g the candidate's, h the cell output's). */
function layerActivations(layer: Recurrent): { label: string; fn: ActivationFunction }[] {
  const main = { label: 'activation', fn: layer.activation };
  const gates = { label: 'recurrentActivation', fn: layer.recurrentActivation as ActivationFunction };
  switch (kindOf(layer)) {
    case 'LSTM':
      return [gates, main, main];
    case 'GRU':
      return [gates, main];
    case 'SimpleRNN':
      return [main];
  }
}

/** Why a recurrent layer cannot be exported (an activation outside ONNX's list), or null. */
export function recurrentReason(layer: Layer): string | null {
  return activationReason(layer as Recurrent);
}

function activationReason(r: Recurrent): string | null {
  for (const { label, fn } of layerActivations(r)) {
    if (!onnxActivation(fn)) {
      return `${describe(r)} with the ${label} '${fn.name}', which ONNX's ${KINDS[kindOf(r)].op} operator cannot apply (it takes tanh, sigmoid, relu, linear, hardSigmoid, leakyRelu, elu, softsign and softplus)`;
    }
  }
  return null;
}

/** Why a Bidirectional wrapper cannot be exported, or null. */
export function bidirectionalReason(layer: Layer): string | null {
  const b = layer as BidirectionalLike;
  for (const inner of [b.forwardLayer, b.backwardLayer]) {
    if (!(inner.className in KINDS)) return `${describe(layer)} around ${describe(inner)}, which has no ONNX operator`;
    const reason = activationReason(inner);
    if (reason) return `${describe(layer)} around ${reason}`;
  }
  return null;
}

/** Keras' [rows, gates * units] as ONNX's [gates * units, rows], the gate blocks in ONNX's order. */
function gateMatrix(values: Float32Array, rows: number, units: number, order: readonly number[]): Float32Array {
  const width = order.length * units;
  const out = new Float32Array(width * rows);
  order.forEach((k, g) => {
    for (let j = 0; j < units; j++) {
      const dst = (g * units + j) * rows;
      const src = k * units + j;
      for (let r = 0; r < rows; r++) out[dst + r] = values[r * width + src];
    }
  });
  return out;
}

/** A [gates * units] bias row in ONNX's gate order. */
function gateRow(values: Float32Array, offset: number, units: number, order: readonly number[]): Float32Array {
  const out = new Float32Array(order.length * units);
  for (const [g, k] of order.entries()) out.set(values.subarray(offset + k * units, offset + (k + 1) * units), g * units);
  return out;
}

/** One direction's weights in ONNX's layout: W [G*H, F], R [G*H, H], B [2*G*H] (Wb then Rb; null without a bias). */
function onnxWeights(layer: Recurrent): { w: Float32Array; r: Float32Array; b: Float32Array | null } {
  const { order } = KINDS[kindOf(layer)];
  const units = layer.units;
  const kernel = layer.kernel!;
  const w = gateMatrix(kernel.values, kernel.shape[0], units, order);
  const r = gateMatrix(layer.recurrentKernel!.values, units, units, order);
  const bias = layer.bias;
  if (!bias) return { w, r, b: null };
  const width = order.length * units;
  const b = new Float32Array(2 * width);
  b.set(gateRow(bias.values, 0, units, order), 0);
  // GRU with resetAfter: [2, 3 * units], the input bias then the recurrent one
  if (bias.shape.length === 2) b.set(gateRow(bias.values, width, units, order), width);
  return { w, r, b };
}

/** The directions ONNX runs, each a layer's weights: one (forward or reverse), or two (bidirectional). */
interface Directions {
  readonly layers: readonly Recurrent[];
  readonly direction: 'forward' | 'reverse' | 'bidirectional';
}

/** What a recurrent operator gives back for one direction: its outputs aligned with the input's steps [N, T, H] (when asked for), and its final states [N, H]. */
interface DirectionResult {
  readonly sequence: string | null;
  readonly states: readonly string[];
}

/** `values` stacked: [parts.length * size]. */
function stack(parts: readonly Float32Array[], size: number): Float32Array {
  const out = new Float32Array(parts.length * size);
  for (const [i, p] of parts.entries()) out.set(p, i * size);
  return out;
}

/**
 * Runs one ONNX recurrent operator over `x` [N, T, F]; `initial` holds the states given, per direction ([N, H]
 * each, or none). Each direction's outputs (with `sequences`) are aligned with the input's steps: output t is the
 * state after the steps the direction has read up to t (forward: 0..t, reverse: t..T-1). A masked sequence goes
 * through masked-sequences.ts, whose outputs are the same with the padded steps skipped.
 */
function runRecurrent(
  g: GraphBuilder,
  base: string,
  dirs: Directions,
  x: Value,
  initial: readonly (readonly string[])[],
  mask: ValueMask | null,
  sequences: boolean,
): DirectionResult[] {
  const first = dirs.layers[0];
  const kind = kindOf(first);
  const { op, order, states: stateCount } = KINDS[kind];
  const [d, units, features] = [dirs.layers.length, first.units, first.kernel!.shape[0]];
  const width = order.length * units;
  const weights = dirs.layers.map(onnxWeights);
  const w = g.floatTensor(
    `${base}/W`,
    stack(
      weights.map((p) => p.w),
      width * features,
    ),
    [d, width, features],
  );
  const r = g.floatTensor(
    `${base}/R`,
    stack(
      weights.map((p) => p.r),
      width * units,
    ),
    [d, width, units],
  );
  const hasBias = weights.some((p) => p.b);
  const b = hasBias
    ? g.floatTensor(
        `${base}/B`,
        stack(
          weights.map((p) => p.b ?? new Float32Array(2 * width)),
          2 * width,
        ),
        [d, 2 * width],
      )
    : '';
  const input = toNhwc(g, x, base).name;
  const compacted = mask ? compact(g, base, input, mask.name as string) : null;
  const timeMajor = g.node('Transpose', [compacted ? compacted.x : input], `${base}/time_major`, { perm: [1, 0, 2] });
  // the initial states as ONNX takes them, [directions, N, H]; '' where none is given (zeros)
  const directionAxis = g.int64Tensor(`${base}/direction_axis`, [0]);
  const initialInputs = Array.from({ length: stateCount }, (_, s) => {
    const given = initial.map((states) => states[s]);
    if (given.every((v) => v === undefined)) return '';
    const parts = given.map((v, i) => {
      if (v === undefined) throw new Error(`ONNX export: ${describe(dirs.layers[i])} has initial states for one direction only.`);
      return d === 1 ? v : g.node('Unsqueeze', [v, directionAxis], `${base}/initial_${s}_${i}`);
    });
    return d === 1 ? g.node('Unsqueeze', [parts[0], directionAxis], `${base}/initial_${s}`) : g.node('Concat', parts, `${base}/initial_${s}`, { axis: 0 });
  });
  const acts = dirs.layers.flatMap((l) => layerActivations(l).map((a) => onnxActivation(a.fn) as OnnxActivation));
  const alphas = acts.flatMap((a) => (a.alpha === undefined ? [] : [a.alpha]));
  const betas = acts.flatMap((a) => (a.beta === undefined ? [] : [a.beta]));
  const inputs = [timeMajor, w, r, b, compacted ? compacted.lengths : '', ...initialInputs];
  while (inputs[inputs.length - 1] === '') inputs.pop();
  const outputs = [sequences ? `${base}/Y` : null, `${base}/Y_h`, ...(stateCount === 2 ? [`${base}/Y_c`] : [])];
  const [y, ...finals] = g.nodeOutputs(op, inputs, outputs, {
    hidden_size: units,
    direction: dirs.direction,
    activations: { strings: acts.map((a) => a.name) },
    activation_alpha: alphas.length > 0 ? { floats: alphas } : undefined,
    activation_beta: betas.length > 0 ? { floats: betas } : undefined,
    linear_before_reset: kind === 'GRU' ? (first.resetAfter ? 1 : 0) : undefined,
  });
  const tags = d === 1 ? [''] : ['/forward', '/backward'];
  // each direction's part of an output that holds them on `axis`
  const perDirection = (v: string, axis: number, name: string): string[] => {
    const axes = g.int64Tensor(`${base}/direction_axes_${axis}`, [axis]);
    const parts =
      d === 1
        ? [v]
        : g.nodeOutputs(
            'Split',
            [v],
            tags.map((t) => `${base}${t}/${name}_split`),
            { axis },
          );
    return parts.map((part, i) => g.node('Squeeze', [part, axes], `${base}${tags[i]}/${name}`));
  };
  // Y [T, directions, N, H]; Y_h and Y_c [directions, N, H]
  const ys = sequences ? perDirection(y, 1, 'steps') : [];
  const states = finals.map((v, s) => perDirection(v, 0, `state_${s}`));
  return tags.map((tag, i) => {
    const initialOf = (s: number): string | undefined => initial[i]?.[s];
    const reverse = dirs.direction === 'reverse' || i === 1;
    let sequence: string | null = null;
    if (sequences) {
      const batchMajor = g.node('Transpose', [ys[i]], `${base}${tag}/steps_batch_major`, { perm: [1, 0, 2] });
      sequence = compacted ? expandSequence(g, `${base}${tag}`, compacted, batchMajor, reverse, initialOf(0)) : batchMajor;
    }
    const own = states.map((perDir) => perDir[i]);
    return {
      sequence,
      states: compacted ? own.map((v, s) => finalState(g, `${base}${tag}/final_state_${s}`, compacted, v, initialOf(s))) : own,
    };
  });
}

/** The sequence [N, T, H] with its time axis reversed (Keras' processing order for goBackwards). */
function flipTime(g: GraphBuilder, v: string, base: string): string {
  const inputs = [
    v,
    g.int64Tensor(`${base}/flip_start`, [-1]),
    g.int64Tensor(`${base}/flip_end`, [Number.MIN_SAFE_INTEGER]),
    g.int64Tensor(`${base}/time_axes`, [1]),
    g.int64Tensor(`${base}/flip_step`, [-1]),
  ];
  return g.node('Slice', inputs, `${base}/reversed`);
}

/** The sequence input, its mask (or null) and the initial states given after it (`apply([x, ...states])`). */
function splitInputs(g: GraphBuilder, layer: Layer, inputs: readonly Value[]): { x: Value; mask: ValueMask | null; states: string[] } {
  const [x, ...states] = inputs;
  if (x.shape.length !== 3) throw new Error(`ONNX export: ${describe(layer)} expects [batch, timesteps, features], got rank ${x.shape.length}.`);
  return { x, mask: readMask(layer, x), states: states.map((s) => toNhwc(g, s, layer.name).name) };
}

/** LSTM, GRU or SimpleRNN: `[output]`, or `[output, ...states]` with returnState. */
export function exportRecurrent(g: GraphBuilder, layer: Layer, inputs: readonly Value[]): Value[] {
  const rnn = layer as Recurrent;
  const base = layer.name;
  const { x, mask, states } = splitInputs(g, layer, inputs);
  const [result] = runRecurrent(g, base, { layers: [rnn], direction: rnn.goBackwards ? 'reverse' : 'forward' }, x, [states], mask, rnn.returnSequences);
  const stateShape = [x.shape[0], rnn.units];
  let output: Value;
  if (rnn.returnSequences) {
    const aligned = result.sequence as string;
    output = { name: rnn.goBackwards ? flipTime(g, aligned, base) : aligned, shape: [x.shape[0], x.shape[1], rnn.units], layout: 'nhwc' };
  } else {
    output = { name: result.states[0], shape: stateShape, layout: 'nhwc' };
  }
  if (!rnn.returnState) return [output];
  return [output, ...result.states.map((name): Value => ({ name, shape: stateShape, layout: 'nhwc' }))];
}

/**
 * The recurrent layers' masks: the input's for the output with returnSequences (both outputs of a Bidirectional
 * with mergeMode null), none for the states (RNN.computeMask, Bidirectional.computeMask).
 */
export const recurrentMask: MaskRule = (_g, layer, inputs, outputs) => {
  const sequences = (layer as Recurrent | BidirectionalLike).returnSequences;
  const mask = sequences ? (inputs[0].mask ?? null) : null;
  const withMask = layer.className === 'Bidirectional' && (layer as BidirectionalLike).mergeMode === null ? 2 : 1;
  return outputs.map((_, i) => (i < withMask ? mask : null));
};

/** Whether a Bidirectional's two layers fit one ONNX operator with direction 'bidirectional'. */
function oneOperator(b: BidirectionalLike): boolean {
  const [f, r] = [b.forwardLayer, b.backwardLayer];
  return f.className === r.className && f.units === r.units && !f.goBackwards && r.goBackwards && (f.resetAfter ?? false) === (r.resetAfter ?? false);
}

/** The two layers' outputs [N, ..., H] merged as Keras' Bidirectional does ('concat' on the last axis, 'sum', 'mul', 'ave', or both). */
function merge(g: GraphBuilder, b: BidirectionalLike, forward: string, backward: string, lead: readonly (number | null)[]): Value[] {
  const base = b.name;
  const [fu, bu] = [b.forwardLayer.units, b.backwardLayer.units];
  const at = (name: string, last: number): Value => ({ name, shape: [...lead, last], layout: 'nhwc' });
  switch (b.mergeMode) {
    case 'concat':
      return [at(g.node('Concat', [forward, backward], `${base}/concat`, { axis: -1 }), fu + bu)];
    case 'sum':
      return [at(g.node('Add', [forward, backward], `${base}/sum`), fu)];
    case 'mul':
      return [at(g.node('Mul', [forward, backward], `${base}/mul`), fu)];
    case 'ave':
      return [at(g.node('Mul', [g.node('Add', [forward, backward], `${base}/sum`), g.scalar(0.5)], `${base}/ave`), fu)];
    case null:
      return [at(forward, fu), at(backward, bu)];
  }
}

/**
 * Bidirectional: one operator with direction 'bidirectional' when the backward layer is the forward one read
 * backwards (as Keras builds it), else one operator per layer. The backward layer's sequence is flipped back into
 * the input's order, as Keras does, before the merge; the states follow the outputs, the forward layer's first.
 */
export function exportBidirectional(g: GraphBuilder, layer: Layer, inputs: readonly Value[]): Value[] {
  const b = layer as BidirectionalLike;
  const base = layer.name;
  const { x, mask, states } = splitInputs(g, layer, inputs);
  const [f, r] = [b.forwardLayer, b.backwardLayer];
  const count = KINDS[kindOf(f)].states;
  if (states.length !== 0 && states.length !== 2 * count)
    throw new Error(`ONNX export: ${describe(layer)} takes ${2 * count} initial states, got ${states.length}.`);
  const initial = [states.slice(0, count), states.slice(count)];
  const sequences = b.returnSequences;
  const results = oneOperator(b)
    ? runRecurrent(g, base, { layers: [f, r], direction: 'bidirectional' }, x, initial, mask, sequences)
    : [f, r].flatMap((l, i) => {
        const direction = l.goBackwards ? 'reverse' : 'forward';
        return runRecurrent(g, `${base}/${i === 0 ? 'forward' : 'backward'}`, { layers: [l], direction }, x, [initial[i]], mask, sequences);
      });
  let outputs: Value[];
  if (b.returnSequences) {
    // aligned with the input: the forward layer's own order unless it reads backwards; the backward layer's
    // sequence is flipped by Keras after its own (reversed) order, which gives the aligned one back
    const [forward, backward] = results.map((res) => res.sequence as string);
    let fwd = f.goBackwards ? flipTime(g, forward, `${base}/forward`) : forward;
    let bwd = r.goBackwards ? backward : flipTime(g, backward, `${base}/backward`);
    if (mask && b.zeroOutputForMask) {
      // as dendrite and Keras: a padded step outputs zeros, the mask applied in the input's order to both
      const keep = g.node('Unsqueeze', [mask.name as string, g.int64Tensor(`${base}/feature_axis`, [2])], `${base}/keep`);
      fwd = g.node('Mul', [fwd, keep], `${base}/forward/zeroed`);
      bwd = g.node('Mul', [bwd, keep], `${base}/backward/zeroed`);
    }
    outputs = merge(g, b, fwd, bwd, [x.shape[0], x.shape[1]]);
  } else {
    outputs = merge(g, b, results[0].states[0], results[1].states[0], [x.shape[0]]);
  }
  if (!b.returnState) return outputs;
  const stateValues = results.flatMap((res, i) => res.states.map((name): Value => ({ name, shape: [x.shape[0], [f, r][i].units], layout: 'nhwc' })));
  return [...outputs, ...stateValues];
}
