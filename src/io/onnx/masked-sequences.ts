// A Keras mask through ONNX's recurrent operators. dendrite's recurrent layers skip the masked steps of a sequence
// wherever they are: the states are carried over them and the previous output repeated. ONNX's sequence_lens only
// ends a sequence early. So a masked sequence is compacted first, its real steps moved to the front in order (a
// permutation computed from the mask), the operator runs with sequence_lens = the number of real steps, and each
// step's output is read back from the compacted outputs: exact whatever the padding, at the end, the start or
// in between. All counting is in float32 on the 0 / 1 mask, exact for sequences under 2^24 steps.
import type { GraphBuilder } from './graph.js';

const INT32 = 6;
const INT64 = 7;
const BOOL = 9;

/** A masked sequence compacted, and the counts its outputs are read back by. */
export interface Compaction {
  /** The input [N, T, F] with each sequence's real steps first, in order, then its padded steps. */
  readonly x: string;
  /** ONNX's sequence_lens: the number of real steps per sequence, at least 1 (int32 [N]). */
  readonly lengths: string;
  /** Whether the sequence has a real step at all (bool [N, 1]). */
  readonly hasSteps: string;
  /** The real steps up to step t, that step included (float [N, T]); and before it. */
  readonly upTo: string;
  readonly before: string;
  /** The real steps of the whole sequence (float [N, 1]). */
  readonly count: string;
}

/** `values` [N, T] as int64 indices [N, T, 1] broadcast to the shape of `like` [N, T, F]. */
function perStep(g: GraphBuilder, base: string, values: string, like: string): string {
  const index = g.node('Cast', [values], `${base}_int`, { to: INT64 });
  const column = g.node('Unsqueeze', [index, g.int64Tensor(`${base}_axis`, [2])], `${base}_3d`);
  return g.node('Expand', [column, g.node('Shape', [like], `${base}_shape`)], base);
}

/**
 * The sequence `x` [N, T, F] compacted by its `mask` [N, T]: a real step t goes to position upTo(t) - 1, a padded
 * one to count + (padded steps before t), a permutation applied with ScatterElements.
 */
export function compact(g: GraphBuilder, base: string, x: string, mask: string): Compaction {
  const timeAxis = g.int64Tensor(`${base}/time_axis`, [1]);
  const one = g.scalar(1);
  const upTo = g.node('CumSum', [mask, timeAxis], `${base}/real_up_to`);
  const before = g.node('Sub', [upTo, mask], `${base}/real_before`);
  const count = g.node('ReduceSum', [mask, timeAxis], `${base}/real_count`, { keepdims: 1 });
  // the step's own index t: a running count of ones
  const ones = g.node('Add', [g.node('Mul', [mask, g.scalar(0)], `${base}/zeros`), one], `${base}/ones`);
  const step = g.node('Sub', [g.node('CumSum', [ones, timeAxis], `${base}/steps_from_1`), one], `${base}/steps`);
  const realAt = g.node('Sub', [upTo, one], `${base}/real_position`);
  const paddedAt = g.node('Add', [count, g.node('Sub', [step, upTo], `${base}/padded_before`)], `${base}/padded_position`);
  const isReal = g.node('Cast', [mask], `${base}/is_real`, { to: BOOL });
  const position = g.node('Where', [isReal, realAt, paddedAt], `${base}/position`);
  const compacted = g.node('ScatterElements', [x, perStep(g, `${base}/positions`, position, x), x], `${base}/compacted`, { axis: 1 });
  const count1d = g.node('Squeeze', [count, timeAxis], `${base}/real_count_1d`);
  // ONNX Runtime takes a length of 0, but the spec does not say so: the outputs of such a sequence are not read
  const lengths = g.node('Cast', [g.node('Max', [count1d, one], `${base}/length_at_least_1`)], `${base}/sequence_lens`, { to: INT32 });
  const hasSteps = g.node('Cast', [g.node('Min', [count, one], `${base}/has_steps_f`)], `${base}/has_steps`, { to: BOOL });
  return { x: compacted, lengths, hasSteps, upTo, before, count };
}

/**
 * One direction's outputs for every step of the input, from its outputs `y` [N, T, H] on the compacted sequence:
 * the state after the real steps read up to step t, which forwards (steps 0..t) sits at compacted position
 * upTo(t) - 1 and backwards (steps t..T-1) at before(t); where no real step has been read yet, the initial state
 * (`initial` [N, H], or zeros).
 */
export function expandSequence(g: GraphBuilder, base: string, c: Compaction, y: string, reverse: boolean, initial: string | undefined): string {
  const position = reverse ? c.before : g.node('Relu', [g.node('Sub', [c.upTo, g.scalar(1)], `${base}/last_read`)], `${base}/read_position`);
  const read = reverse ? g.node('Less', [c.before, c.count], `${base}/has_read`) : g.node('Greater', [c.upTo, g.scalar(0)], `${base}/has_read`);
  const gathered = g.node('GatherElements', [y, perStep(g, `${base}/read_positions`, position, y)], `${base}/read`, { axis: 1 });
  const fallback = initial ? g.node('Unsqueeze', [initial, g.int64Tensor(`${base}/step_axis`, [1])], `${base}/initial_step`) : g.scalar(0);
  const readStep = g.node('Unsqueeze', [read, g.int64Tensor(`${base}/feature_axis`, [2])], `${base}/has_read_3d`);
  return g.node('Where', [readStep, gathered, fallback], `${base}/sequence`);
}

/** A final state [N, H], the initial one (or zeros) for a sequence without a real step (ONNX Runtime gives zeros there). */
export function finalState(g: GraphBuilder, base: string, c: Compaction, state: string, initial: string | undefined): string {
  return g.node('Where', [c.hasSteps, state, initial ?? g.scalar(0)], base);
}
