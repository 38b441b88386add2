// The recurrent layers (LSTM, GRU, SimpleRNN) and their Bidirectional wrapper as ONNX's LSTM, GRU and RNN
// operators. Keras' kernels [features, gates * units] become ONNX's W [directions, gates * units, features] with the
// gates reordered (Keras' LSTM i, f, c, o is ONNX's i, o, f, c; GRU's z, r, h is the same in both), the bias is
// ONNX's Wb (Rb zero, except GRU with resetAfter: its second row), and GRU's resetAfter is linear_before_reset.
// ONNX Runtime runs these operators time-major only (layout 0), so the input is transposed to [T, N, F].
//
// goBackwards is direction 'reverse' (ONNX keeps its outputs in input order; Keras gives them in processing order,
// so a returned sequence is flipped). A Keras mask skips any steps, where ONNX's sequence_lens only ends a sequence
// early; so a masked sequence is first compacted, its real steps moved to the front in order (a permutation computed
// from the mask), run with sequence_lens = the number of real steps, and each step's output gathered back from the
// compacted one, exactly as dendrite computes it, whatever the padding (masks.ts says where masks come from).
import type { ActivationFunction } from '../../nn/activations.js';
import { isBuiltInActivation } from '../../nn/activations.js';
import type { Layer } from '../../nn/layer.js';
import type { RNN } from '../../nn/layers/rnn.js';
import type { GraphBuilder } from './graph.js';
import { toNhwc, type Value, type ValueMask } from './layout.js';
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

/** The values of the rank-3 [N, T, F] input's compaction: see `compaction`. */
interface Compaction {
  /** The input with each sequence's real steps first, in order, time-major [T, N, F]. */
  readonly x: string;
  /** The number of real steps per sequence, at least 1 (ONNX's sequence_lens, int32 [N]). */
  readonly lengths: string;
  /** The mask's running count of real steps (float [N, T]), with and without the step itself, and the count [N, 1]. */
  readonly counted: string;
  readonly before: string;
  readonly count: string;
}

/**
 * The masked sequence compacted: step t of sequence n goes to position count(t) - 1 when real (count: real steps
 * up to t), else to (real steps) + (padded steps before t), so the real steps come first in order and the padding
 * after; a permutation, applied with ScatterElements. All in float (exact: counts below 2^24), then cast.
 */
function compaction(g: GraphBuilder, base: string, x: Value, mask: ValueMask): Compaction {
  const m = mask.name as string;
  const counted = g.node('CumSum', [m, g.int64Tensor(`${base}/time_axis`, [1])], `${base}/mask_count`);
  const before = g.node('Sub', [counted, m], `${base}/mask_count_before`);
  const count = g.node('ReduceSum', [m, g.int64Tensor(`${base}/time_axes`, [1])], `${base}/mask_length`, { keepdims: 1 });
  const one = g.scalar(1);
  const step = g.node(
    'Sub',
    [
      g.node(
        'CumSum',
        [g.node('Add', [g.node('Mul', [m, g.scalar(0)], `${base}/zeros`), one], `${base}/ones`), g.int64Tensor(`${base}/time_axis`, [1])],
        `${base}/steps_1`,
      ),
      one,
    ],
    `${base}/steps`,
  );
  const realAt = g.node('Sub', [counted, one], `${base}/real_position`);
  const padAt = g.node('Add', [count, g.node('Sub', [step, counted], `${base}/padded_before`)], `${base}/padded_position`);
  const position = g.node('Where', [g.node('Cast', [m], `${base}/is_real`, { to: BOOL }), realAt, padAt], `${base}/position`);
  const input = toNhwc(g, x, base);
  const indices = g.node(
    'Expand',
    [
      g.node(
        'Unsqueeze',
        [g.node('Cast', [position], `${base}/position_int`, { to: INT64 }), g.int64Tensor(`${base}/feature_axis`, [2])],
        `${base}/position_3d`,
      ),
      g.node('Shape', [input.name], `${base}/input_shape`),
    ],
    `${base}/positions`,
  );
  const compacted = g.node('ScatterElements', [input.name, indices, input.name], `${base}/compacted`, { axis: 1 });
  const lengths = g.node(
    'Cast',
    [g.node('Max', [g.node('Squeeze', [count, g.int64Tensor(`${base}/time_axes`, [1])], `${base}/mask_length_1d`), one], `${base}/length_at_least_1`)],
    `${base}/sequence_lens`,
    { to: INT32 },
  );
  return { x: g.node('Transpose', [compacted], `${base}/time_major`, { perm: [1, 0, 2] }), lengths, counted, before, count };
}

const INT32 = 6;
const INT64 = 7;
const BOOL = 9;

/** What a recurrent operator gives back, per direction: the output of each step aligned with the input's steps [N, T, H] (on demand), and the final states [N, H]. */
interface DirectionResult {
  readonly sequence: () => string;
  readonly states: readonly string[];
}

/**
 * Runs one ONNX recurrent operator over `x` [N, T, F] (`initial`: the states given, by direction, each [N, H] or
 * absent). Each direction's outputs are aligned with the input's steps: output t is the state after the steps the
 * direction has read up to t (forward: steps 0..t; reverse: steps t..T-1), or the initial state where it has read
 * no real step yet; the final states are those after the last real step.
 */
function runRecurrent(
  g: GraphBuilder,
  base: string,
  dirs: Directions,
  x: Value,
  initial: readonly (readonly string[])[],
  mask: ValueMask | null,
): DirectionResult[] {
  const first = dirs.layers[0];
  const kind = kindOf(first);
  const { op, states: stateCount } = KINDS[kind];
  const units = first.units;
  const weights = dirs.layers.map(onnxWeights);
  const d = dirs.layers.length;
  const features = first.kernel!.shape[0];
  const width = KINDS[kind].order.length * units;
  const stack = (parts: Float32Array[], size: number) => {
    const out = new Float32Array(parts.length * size);
    for (const [i, p] of parts.entries()) out.set(p, i * size);
    return out;
  };
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
  const b = weights.some((p) => p.b)
    ? g.floatTensor(
        `${base}/B`,
        stack(
          weights.map((p) => p.b ?? new Float32Array(2 * width)),
          2 * width,
        ),
        [d, 2 * width],
      )
    : '';
  const compact = mask ? compaction(g, base, x, mask) : null;
  const xt = compact ? compact.x : g.node('Transpose', [toNhwc(g, x, base).name], `${base}/time_major`, { perm: [1, 0, 2] });
  // the initial states as ONNX takes them: [directions, N, H], '' where none is given (zeros)
  const initialInputs = Array.from({ length: stateCount }, (_, s) => {
    const given = initial.map((states) => states[s]);
    if (given.every((v) => v === undefined)) return '';
    const parts = given.map((v, i) => {
      if (v === undefined) throw new Error(`ONNX export: ${describe(dirs.layers[i])} has initial states for one direction only.`);
      return g.node('Unsqueeze', [v, g.int64Tensor(`${base}/direction_axis`, [0])], `${base}/initial_${s}_${i}`);
    });
    return parts.length === 1 ? parts[0] : g.node('Concat', parts, `${base}/initial_${s}`, { axis: 0 });
  });
  const acts = dirs.layers.flatMap((l) => layerActivations(l).map((a) => onnxActivation(a.fn) as OnnxActivation));
  const alphas = acts.flatMap((a) => (a.alpha === undefined ? [] : [a.alpha]));
  const betas = acts.flatMap((a) => (a.beta === undefined ? [] : [a.beta]));
  const inputs = [xt, w, r, b, compact ? compact.lengths : '', ...initialInputs];
  while (inputs[inputs.length - 1] === '') inputs.pop();
  const [y, yh, yc] = g.nodeOutputs(op, inputs, [`${base}/Y`, `${base}/Y_h`, ...(stateCount === 2 ? [`${base}/Y_c`] : [])], {
    hidden_size: units,
    direction: dirs.direction,
    activations: { strings: acts.map((a) => a.name) },
    activation_alpha: alphas.length > 0 ? { floats: alphas } : undefined,
    activation_beta: betas.length > 0 ? { floats: betas } : undefined,
    linear_before_reset: kind === 'GRU' ? (first.resetAfter ? 1 : 0) : undefined,
  });
  const finals = [yh, ...(yc ? [yc] : [])];
  return dirs.layers.map((_layer, i) => {
    const tag = d === 1 ? '' : i === 0 ? '/forward' : '/backward';
    const pick = (v: string, axis: number, name: string) => {
      if (d === 1) return g.node('Squeeze', [v, g.int64Tensor(`${base}/direction_axes`, [axis])], name);
      const one = g.node(
        'Slice',
        [v, g.int64Tensor(`${base}/start_${i}`, [i]), g.int64Tensor(`${base}/end_${i}`, [i + 1]), g.int64Tensor(`${base}/axes_${axis}`, [axis])],
        `${name}_slice`,
      );
      return g.node('Squeeze', [one, g.int64Tensor(`${base}/direction_axes_${axis}`, [axis])], name);
    };
    const reverse = dirs.direction === 'reverse' || i === 1;
    const initialOf = (s: number) => initial[i]?.[s];
    let states = finals.map((v, s) => pick(v, 0, `${base}${tag}/state_${s}`));
    if (compact) {
      // a sequence with no real step keeps its initial state (ONNX Runtime gives zeros for a length of 0)
      const any = g.node('Cast', [g.node('Min', [compact.count, g.scalar(1)], `${base}/has_steps_f`)], `${base}/has_steps`, { to: BOOL });
      states = states.map((v, s) => g.node('Where', [any, v, initialOf(s) ?? g.scalar(0)], `${base}${tag}/final_state_${s}`));
    }
    const sequence = () => {
      const batchMajor = g.node('Transpose', [pick(y, 1, `${base}${tag}/Y_steps`)], `${base}${tag}/sequence_compact`, { perm: [1, 0, 2] });
      if (!compact) return batchMajor;
      // forward: the output after count(t) real steps, at compacted position count(t) - 1 (none read yet: count 0);
      // reverse: after the real steps from t on, at compacted position before(t) (none: before(t) = count)
      const index = reverse
        ? compact.before
        : g.node('Relu', [g.node('Sub', [compact.counted, g.scalar(1)], `${base}${tag}/last_read`)], `${base}${tag}/gather_at`);
      const read = reverse
        ? g.node('Less', [compact.before, compact.count], `${base}${tag}/has_read`)
        : g.node('Greater', [compact.counted, g.scalar(0)], `${base}${tag}/has_read`);
      const indices = g.node(
        'Expand',
        [
          g.node(
            'Unsqueeze',
            [g.node('Cast', [index], `${base}${tag}/gather_index`, { to: INT64 }), g.int64Tensor(`${base}/feature_axis`, [2])],
            `${base}${tag}/gather_index_3d`,
          ),
          g.node('Shape', [batchMajor], `${base}${tag}/sequence_shape`),
        ],
        `${base}${tag}/gather_indices`,
      );
      const gathered = g.node('GatherElements', [batchMajor, indices], `${base}${tag}/gathered`, { axis: 1 });
      const h0 = initialOf(0);
      const fallback = h0 ? g.node('Unsqueeze', [h0, g.int64Tensor(`${base}/time_axis`, [1])], `${base}${tag}/initial_step`) : g.scalar(0);
      const readAxis = g.node('Unsqueeze', [read, g.int64Tensor(`${base}/feature_axis`, [2])], `${base}${tag}/has_read_3d`);
      return g.node('Where', [readAxis, gathered, fallback], `${base}${tag}/sequence`);
    };
    return { sequence, states };
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
  const [result] = runRecurrent(g, base, { layers: [rnn], direction: rnn.goBackwards ? 'reverse' : 'forward' }, x, [states], mask);
  const stateShape = [x.shape[0], rnn.units];
  let output: Value;
  if (rnn.returnSequences) {
    const aligned = result.sequence();
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
  const results = oneOperator(b)
    ? runRecurrent(g, base, { layers: [f, r], direction: 'bidirectional' }, x, initial, mask)
    : [f, r].flatMap((l, i) =>
        runRecurrent(
          g,
          `${base}/${i === 0 ? 'forward' : 'backward'}`,
          { layers: [l], direction: l.goBackwards ? 'reverse' : 'forward' },
          x,
          [initial[i]],
          mask,
        ),
      );
  let outputs: Value[];
  if (b.returnSequences) {
    // aligned with the input: the forward layer's own order unless it reads backwards; the backward layer's
    // sequence is flipped by Keras after its own (reversed) order, which gives the aligned one back
    let fwd = f.goBackwards ? flipTime(g, results[0].sequence(), `${base}/forward`) : results[0].sequence();
    let bwd = r.goBackwards ? results[1].sequence() : flipTime(g, results[1].sequence(), `${base}/backward`);
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
