import { backend } from '../../backend/registry.js';
import { biasActivation } from '../../ops/fused.js';
import { mul } from '../../ops/binary.js';
import { matmul } from '../../ops/matmul.js';
import { RECURRENT_ACTIVATIONS, type RecurrenceOptions, type RecurrentActivation } from '../../ops/recurrent.js';
import { reshape } from '../../ops/reshape.js';
import { concat, slice } from '../../ops/slice.js';
import { where } from '../../ops/where.js';
import { zeros } from '../../tensor/create.js';
import { fillBernoulliMask } from '../../tensor/rng.js';
import { formatShape } from '../../tensor/shape.js';
import { Tensor, type Variable } from '../../tensor/tensor.js';
import { getActivation, isBuiltInActivation, type ActivationFunction, type ActivationIdentifier } from '../activations.js';
import { getInitializer, serializeInitializer, type Initializer, type InitializerIdentifier } from '../initializers.js';
import { Layer, type CallArgs, type LayerArgs, type LayerMask, type SymbolicShape } from '../layer.js';
import { getRegularizer, serializeRegularizer, type Regularizer, type RegularizerIdentifier } from '../regularizers.js';
import { isShapeList, SymbolicTensor } from '../symbolic-tensor.js';
import { activationArg, fail, initializerArg, layerArgs, refuse, regularizerArg, trueUnlessFalse, type LayerConfig } from './config-args.js';
import { SeededStream } from './seeded-stream.js';

/** What `apply` returns: one tensor, or a list (`[output, ...states]`) with `returnState`. */
export type RNNOutputKind<S extends boolean> = S extends true ? 'list' : 'one';

/** What every recurrent layer takes (Keras / TF.js names and defaults); `S` is whether `returnState`. */
export interface RNNArgs<S extends boolean = boolean> extends LayerArgs {
  /** Size of the state (and of the output at each step). */
  units: number;
  /** Applied to the candidate state (and, in LSTM, to the cell before the output gate); default `'tanh'`. */
  activation?: ActivationIdentifier;
  /** Whether the gates have biases (default true). */
  useBias?: boolean;
  /** For the input kernel [features, gates * units] (default `'glorotUniform'`). */
  kernelInitializer?: InitializerIdentifier;
  /** For the recurrent kernel [units, gates * units] (default `'orthogonal'`). */
  recurrentInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier;
  recurrentRegularizer?: RegularizerIdentifier;
  biasRegularizer?: RegularizerIdentifier;
  /** Return the output of every step, [batch, timesteps, units], not only the last one [batch, units] (default false). */
  returnSequences?: boolean;
  /** Return `[output, ...finalStates]` (LSTM: `[output, h, c]`) instead of the output alone (default false). */
  returnState?: S;
  /** Read the sequence from its last step to its first; the outputs come in that order too, as in Keras (default false). */
  goBackwards?: boolean;
  /** Keep the states from one batch to the next: not supported (the value must be false). */
  stateful?: boolean;
  /** Keras' loop unrolling: accepted and ignored (dendrite's loop is always a plain loop). */
  unroll?: boolean;
  /**
   * Fraction of the input features dropped in training, with one mask per sequence (the same at every step) shared by
   * the gates, as Keras 3 draws it without recurrent dropout (with it Keras 3 draws one per gate; TF.js always does).
   */
  dropout?: number;
  /** Fraction of the previous state dropped before the recurrent product in training, one mask per sequence, shared by the gates. */
  recurrentDropout?: number;
  /** Gives the dropout masks their own random stream (as `Dropout`'s `seed`); without it they come from `setSeed`'s. */
  seed?: number;
}

declare module '../symbolic-tensor.js' {
  interface CallArgs {
    /**
     * A recurrent layer's initial states (Keras' `initial_state`): `[h0]`, or `[h0, c0]` for LSTM, each [batch, units];
     * the same as passing them after the sequence, `apply([x, h0, c0])`. Other layers ignore it.
     */
    initialState?: Tensor | SymbolicTensor | readonly (Tensor | SymbolicTensor)[] | null;
  }
}

/** The initial states a call's `initialState` holds, as a list (empty for none). */
function initialStates(args: CallArgs): readonly (Tensor | SymbolicTensor)[] {
  const s = args.initialState;
  if (s === undefined || s === null) return [];
  return Array.isArray(s) ? s : [s as Tensor | SymbolicTensor];
}

/**
 * The recurrence of each step without the fused kernels (composed ops only, each differentiated by the tape):
 * the reference the fused kernels are tested against. Tests turn it on with `withComposedRecurrence`.
 */
let composedOnly = false;

/** Runs `fn` with every recurrent layer computing step by step with composed ops (the tested reference). */
export function withComposedRecurrence<T>(fn: () => T): T {
  const previous = composedOnly;
  composedOnly = true;
  try {
    return fn();
  } finally {
    composedOnly = previous;
  }
}

/** The mask of the sequence (the first input's) from a call's `mask`, or null. */
function sequenceMask(mask: LayerMask | undefined): Tensor | null {
  const m = Array.isArray(mask) ? mask[0] : mask;
  return m ?? null;
}

/** The name the fused loops know an activation by, or null for one they do not compute (a user's function...). */
export function fusableActivation(a: ActivationFunction): RecurrentActivation | null {
  return isBuiltInActivation(a) && (RECURRENT_ACTIVATIONS as readonly string[]).includes(a.name) ? (a.name as RecurrentActivation) : null;
}

/** A dropout mask of `shape`: each entry 0 with probability `rate`, else 1 / (1 - rate). */
function dropoutMask(shape: readonly number[], rate: number): Tensor {
  const keep = 1 - rate;
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  fillBernoulliMask(values, keep, 1 / keep, backend().bernoulliMask);
  return new Tensor(values, shape);
}

/** A rate in [0, 1), checked. */
function rateArg(what: string, key: string, value: number | undefined): number {
  const v = value ?? 0;
  if (typeof v !== 'number' || !(v >= 0 && v < 1)) throw new Error(`${what}: ${key} must be in [0, 1) (a fraction to drop), got ${String(value)}.`);
  return v;
}

/** What the recurrence gives back: the output of each step (processing order) and the final states. */
interface Recurrence {
  /** The outputs of all steps, [batch, timesteps, units] (only computed when asked for). */
  sequence: () => Tensor;
  /** The states after the last step; the first is the last output. */
  states: Tensor[];
}

/**
 * The base of the recurrent layers (Keras `RNN` with its cell folded in): the loop over time, initial states,
 * masks, dropout, `returnSequences` / `returnState` / `goBackwards`, and the weights every cell has (`kernel`
 * [features, gates * units], `recurrentKernel` [units, gates * units], `bias`). The inputs of all steps are
 * projected by the kernel in one product before the loop; each step then multiplies the previous state by the
 * recurrent kernel (all gates in one product) and applies the cell's gate arithmetic. The loop runs as one fused op
 * with a hand-written backward (src/ops/recurrent.ts) when the layer's activations are built-in ones it computes
 * (linear, relu, sigmoid, tanh, hardSigmoid); otherwise, and as the reference, as composed ops.
 *
 * Initial states come as further inputs, `apply([x, h0, c0])`, or as `apply(x, { initialState: [h0, c0] })`
 * (turned into the list form, so that a model records them as inputs of the call, as TF.js files hold them).
 * A mask ([batch, timesteps] of 1 for data and 0 for padding, `args.mask`) skips the padded steps: the states
 * are carried over them, and the output at a padded step is the previous output, as in Keras.
 */
export abstract class RNN<S extends boolean = false> extends Layer {
  override supportsMasking = true;
  /** `'list'` when `returnState` (the output and the states), else `'one'`. */
  readonly outputKind: RNNOutputKind<S>;
  readonly units: number;
  readonly activation: ActivationFunction;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly recurrentInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly recurrentRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
  readonly unroll: boolean;
  readonly dropout: number;
  readonly recurrentDropout: number;
  readonly seed: number | undefined;
  /** Where the dropout masks come from: the layer's own stream with `seed`, else the global one. */
  private readonly stream: SeededStream;
  kernel: Variable | null = null;
  recurrentKernel: Variable | null = null;
  bias: Variable | null = null;

  /** How many blocks of `units` the kernels have (LSTM 4: i, f, c, o; GRU 3: z, r, h; SimpleRNN 1). */
  protected abstract readonly gates: number;
  /** How many states the cell carries (LSTM 2: h and c; GRU and SimpleRNN 1: h). */
  abstract readonly stateCount: number;

  constructor(args: RNNArgs<S>, className: string) {
    super(args, className);
    if (!Number.isInteger(args.units) || args.units < 1) {
      throw new Error(`${this.what()}: units must be a positive integer, got ${String(args.units)}.`);
    }
    if (args.stateful) {
      throw new Error(
        `${this.what()}: stateful RNNs are not supported (states are not kept between batches); pass the states yourself with apply([x, ...states]) or { initialState }, and take them back with returnState.`,
      );
    }
    if (args.seed !== undefined && !Number.isFinite(args.seed)) throw new Error(`${this.what()}: seed must be a finite number, got ${String(args.seed)}.`);
    this.units = args.units;
    this.activation = getActivation(args.activation ?? 'tanh');
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = getInitializer(args.kernelInitializer ?? 'glorotUniform');
    this.recurrentInitializer = getInitializer(args.recurrentInitializer ?? 'orthogonal');
    this.biasInitializer = getInitializer(args.biasInitializer ?? 'zeros');
    this.kernelRegularizer = args.kernelRegularizer ? getRegularizer(args.kernelRegularizer) : null;
    this.recurrentRegularizer = args.recurrentRegularizer ? getRegularizer(args.recurrentRegularizer) : null;
    this.biasRegularizer = args.biasRegularizer ? getRegularizer(args.biasRegularizer) : null;
    this.returnSequences = args.returnSequences ?? false;
    this.returnState = args.returnState ?? false;
    this.goBackwards = args.goBackwards ?? false;
    this.unroll = args.unroll ?? false;
    this.dropout = rateArg(this.what(), 'dropout', args.dropout);
    this.recurrentDropout = rateArg(this.what(), 'recurrentDropout', args.recurrentDropout);
    this.seed = args.seed;
    this.stream = new SeededStream(args.seed);
    this.outputKind = (this.returnState ? 'list' : 'one') as RNNOutputKind<S>;
  }

  /** The cell's step on composed ops: the projected input of the step [batch, gates * units], the states, and the first state as the recurrent product takes it (after recurrent dropout). Returns the new states. */
  protected abstract step(xt: Tensor, states: readonly Tensor[], hIn: Tensor): Tensor[];

  /** The bias's shape (GRU with `resetAfter` has two rows). */
  protected biasShape(): number[] {
    return [this.gates * this.units];
  }

  /** The bias's initializer (LSTM's `unitForgetBias` puts ones on the forget gate). */
  protected biasValues(): Initializer {
    return this.biasInitializer;
  }

  /** The bias added to the projected inputs [gates * units] (GRU with `resetAfter`: the input row). */
  protected inputBias(): Tensor | null {
    return this.bias;
  }

  /**
   * The output shape, after checking the input: [batch, timesteps, features] and, when given, each initial
   * state [batch, units]. With `returnState` a list: the output's shape, then each state's.
   */
  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape | SymbolicShape[] {
    const [x, ...states] = isShapeList(inputShape) ? inputShape : [inputShape];
    if (x.length !== 3) {
      const hint = x.length === 2 ? ' For one feature per step, reshape [batch, timesteps] to [batch, timesteps, 1].' : '';
      throw new Error(`${this.what()} expects inputs of rank 3 [batch, timesteps, features], got shape ${formatShape(x)} of rank ${x.length}.${hint}`);
    }
    const features = x[2];
    if (features === null)
      throw new Error(`${this.what()} needs the size of the features axis (the last one) to create its kernel, got shape ${formatShape(x)}.`);
    if (this.kernel && features !== this.kernel.shape[0]) {
      throw new Error(
        `${this.what()} expects inputs of shape [null, null, ${this.kernel.shape[0]}] (it was built for ${this.kernel.shape[0]} features), got ${formatShape(x)}.`,
      );
    }
    const stateShape: SymbolicShape = [x[0], this.units];
    if (states.length > 0) {
      if (states.length !== this.stateCount) {
        throw new Error(`${this.what()} has ${this.stateCount} state(s) (${this.stateNames()}), but was given ${states.length} initial state(s).`);
      }
      states.forEach((s, i) => {
        if (s.length !== 2 || (s[1] !== null && s[1] !== this.units) || (s[0] !== null && x[0] !== null && s[0] !== x[0])) {
          throw new Error(`${this.what()}: initial state ${i} must have shape ${formatShape(stateShape)} ([batch, units]), got ${formatShape(s)}.`);
        }
      });
    }
    const output: SymbolicShape = this.returnSequences ? [x[0], x[1], this.units] : stateShape;
    return this.returnState ? [output, ...Array.from({ length: this.stateCount }, () => stateShape)] : output;
  }

  /** "Layer 'lstm' (LSTM)", for messages. */
  protected what(): string {
    return `Layer '${this.name}' (${this.className})`;
  }

  /** '[h]' or '[h, c]'. */
  private stateNames(): string {
    return this.stateCount === 2 ? '[h, c]' : '[h]';
  }

  /**
   * Builds for the sequence's shape. The number of timesteps stays free afterwards (as TF.js' input spec has it),
   * and whether initial states are passed may change from call to call: `computeOutputShape` checks every call.
   */
  override ensureBuilt(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape | SymbolicShape[] {
    const out = super.ensureBuilt(inputShape);
    const x = isShapeList(inputShape) ? inputShape[0] : inputShape;
    this.builtInputShape = [null, null, x[2]];
    this.builtInputShapes = null;
    return out;
  }

  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    const x = isShapeList(inputShape) ? inputShape[0] : inputShape;
    const features = x[2] as number;
    const width = this.gates * this.units;
    this.kernel = this.addWeight('kernel', [features, width], this.kernelInitializer, { regularizer: this.kernelRegularizer });
    this.recurrentKernel = this.addWeight('recurrent_kernel', [this.units, width], this.recurrentInitializer, { regularizer: this.recurrentRegularizer });
    if (this.useBias) this.bias = this.addWeight('bias', this.biasShape(), this.biasValues(), { regularizer: this.biasRegularizer });
  }

  /**
   * Records a call on symbolic tensors; initial states given as `{ initialState }` become inputs of the call
   * (after the sequence), as TF.js records them, so that a model file holds them as the node's inputs.
   */
  protected override addInboundNode(inputs: readonly SymbolicTensor[], outputShapes: readonly SymbolicShape[], args: CallArgs): SymbolicTensor[] {
    const given = initialStates(args);
    if (given.length === 0) return super.addInboundNode(inputs, outputShapes, args);
    if (inputs.length > 1)
      throw new Error(`${this.what()}: give the initial states either in the list of inputs ([x, ...states]) or as initialState, not both.`);
    const states = given.map((s, i) => {
      if (!(s instanceof SymbolicTensor)) throw new Error(`${this.what()}: initial state ${i} must be a SymbolicTensor like the input, got a Tensor.`);
      return s;
    });
    const all = [...inputs, ...states];
    this.computeOutputShape(all.map((t) => t.shape));
    const { initialState, ...rest } = args;
    void initialState;
    return super.addInboundNode(all, outputShapes, rest);
  }

  /** The output's mask: the input's with `returnSequences`, else none; none for the states (Keras' `compute_mask`). */
  override computeMask(inputs: Tensor | Tensor[], mask: LayerMask | undefined): LayerMask {
    void inputs;
    const output = this.returnSequences ? sequenceMask(mask) : null;
    return this.returnState ? [output, ...Array.from({ length: this.stateCount }, () => null)] : output;
  }

  call(inputs: Tensor | Tensor[], args: CallArgs): Tensor | Tensor[] {
    const extra = initialStates(args);
    if (extra.length > 0 && Array.isArray(inputs) && inputs.length > 1) {
      throw new Error(`${this.what()}: give the initial states either in the list of inputs ([x, ...states]) or as initialState, not both.`);
    }
    extra.forEach((s, i) => {
      if (!(s instanceof Tensor)) throw new Error(`${this.what()}: initial state ${i} must be a Tensor like the input, got a SymbolicTensor.`);
    });
    const list = [...(Array.isArray(inputs) ? inputs : [inputs]), ...(extra as Tensor[])];
    this.computeOutputShape(list.map((t) => t.shape));
    const [x, ...given] = list;
    const [batch, timesteps, features] = x.shape;
    if (timesteps === 0) throw new Error(`${this.what()} needs at least one timestep, got input of shape ${formatShape(x.shape)}.`);
    const states = given.length > 0 ? given : Array.from({ length: this.stateCount }, () => zeros([batch, this.units]));
    const mask = sequenceMask(args.mask);
    if (mask && (mask.rank !== 2 || mask.shape[0] !== batch || mask.shape[1] !== timesteps)) {
      throw new Error(
        `${this.what()}: the mask must have shape [${batch}, ${timesteps}] ([batch, timesteps]) for input of shape ${formatShape(x.shape)}, got ${formatShape(mask.shape)}.`,
      );
    }
    const training = args.training === true;
    // one mask per sequence, fixed over time (Keras' DropoutRNNCell): drawn input mask first, then the recurrent one
    const [inputMask, recurrentMask] = this.stream.run(() => [
      training && this.dropout > 0 ? dropoutMask([batch, 1, features], this.dropout) : null,
      training && this.recurrentDropout > 0 ? dropoutMask([batch, this.units], this.recurrentDropout) : null,
    ]);
    const xProj = this.projectInputs(inputMask ? mul(x, inputMask) : x);
    const options = { goBackwards: this.goBackwards, mask, recurrentMask };
    const fused = composedOnly ? null : this.fusedSequence(xProj, states, options);
    const run = fused ? this.fromFused(fused) : this.recurComposed(xProj, states, mask, recurrentMask);
    const output = this.returnSequences ? run.sequence() : run.states[0];
    return this.returnState ? [output, ...run.states] : output;
  }

  /** The inputs of every step times the kernel, plus the input bias, in one product: [batch, timesteps, gates * units]. */
  private projectInputs(x: Tensor): Tensor {
    const [batch, timesteps, features] = x.shape;
    const width = this.gates * this.units;
    const projected = biasActivation(matmul(reshape(x, [batch * timesteps, features]), this.kernel!), this.inputBias(), 'linear');
    return reshape(projected, [batch, timesteps, width]);
  }

  /**
   * The whole loop as one fused op (src/ops/recurrent.ts): [batch, timesteps, stateCount * units], the states
   * after each step in processing order; null where the kernel lacks the layer's activations (then the composed
   * loop runs).
   */
  protected abstract fusedSequence(
    xProj: Tensor,
    states: readonly Tensor[],
    options: Omit<RecurrenceOptions, 'activation' | 'recurrentActivation'>,
  ): Tensor | null;

  /** The outputs and final states out of a fused loop's states per step. */
  private fromFused(all: Tensor): Recurrence {
    const [batch, timesteps] = all.shape;
    const u = this.units;
    const states = Array.from({ length: this.stateCount }, (_, k) => reshape(slice(all, [0, timesteps - 1, k * u], [batch, 1, u]), [batch, u]));
    return { sequence: () => (this.stateCount === 1 ? all : slice(all, [0, 0, 0], [batch, timesteps, u])), states };
  }

  /** The loop over time on composed ops (the reference). */
  private recurComposed(xProj: Tensor, initial: readonly Tensor[], mask: Tensor | null, recurrentMask: Tensor | null): Recurrence {
    const [batch, timesteps, width] = xProj.shape;
    let states = [...initial];
    const outputs: Tensor[] = [];
    for (let s = 0; s < timesteps; s++) {
      const t = this.goBackwards ? timesteps - 1 - s : s;
      const xt = reshape(slice(xProj, [0, t, 0], [batch, 1, width]), [batch, width]);
      const hIn = recurrentMask ? mul(states[0], recurrentMask) : states[0];
      const next = this.step(xt, states, hIn);
      if (mask) {
        const keep = slice(mask, [0, t], [batch, 1]);
        states = next.map((n, k) => where(keep, n, states[k]));
      } else {
        states = next;
      }
      outputs.push(states[0]);
    }
    return {
      sequence: () =>
        concat(
          outputs.map((o) => reshape(o, [batch, 1, this.units])),
          1,
        ),
      states,
    };
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: this.activation.name,
      useBias: this.useBias,
      kernelInitializer: serializeInitializer(this.kernelInitializer),
      recurrentInitializer: serializeInitializer(this.recurrentInitializer),
      biasInitializer: serializeInitializer(this.biasInitializer),
      kernelRegularizer: this.kernelRegularizer ? serializeRegularizer(this.kernelRegularizer) : null,
      recurrentRegularizer: this.recurrentRegularizer ? serializeRegularizer(this.recurrentRegularizer) : null,
      biasRegularizer: this.biasRegularizer ? serializeRegularizer(this.biasRegularizer) : null,
      dropout: this.dropout,
      recurrentDropout: this.recurrentDropout,
      returnSequences: this.returnSequences,
      returnState: this.returnState,
      goBackwards: this.goBackwards,
      stateful: false,
      unroll: this.unroll,
      ...(this.seed !== undefined ? { seed: this.seed } : {}),
    };
  }
}

/**
 * The arguments every recurrent layer's config holds (camelCase, as read from a model file), checked; `defaults`
 * are what a key's absence means (TF.js' defaults, for files TF.js wrote).
 */
export function rnnConfigArgs(c: LayerConfig, defaults: { kernelInitializer: string }): RNNArgs {
  refuse(c, ['activityRegularizer', 'kernelConstraint', 'recurrentConstraint', 'biasConstraint']);
  if (c.stateful === true) fail('stateful RNNs are not supported by dendrite (states are not kept between batches)');
  if (c.zeroOutputForMask === true) fail('zero_output_for_mask true is not supported by dendrite (a padded step outputs the previous output, the default)');
  if (c.timeMajor === true) fail('time_major true is not supported by dendrite (inputs are [batch, timesteps, features])');
  const rate = (key: string) => {
    const v = c[key];
    if (v === undefined || v === null) return 0;
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) fail(`${key} must be a number in [0, 1], got ${JSON.stringify(v)}`);
    // Keras clips a rate of 1 to 1; dendrite's dropout drops less than everything
    if (v === 1) fail(`${key} 1 (drop everything) is not supported`);
    return v;
  };
  return {
    ...layerArgs(c),
    units: Number(c.units),
    activation: activationArg({ activation: c.activation ?? 'tanh' }),
    useBias: trueUnlessFalse(c.useBias ?? undefined),
    kernelInitializer: initializerArg(c, 'kernelInitializer', defaults.kernelInitializer),
    recurrentInitializer: initializerArg(c, 'recurrentInitializer', 'orthogonal'),
    biasInitializer: initializerArg(c, 'biasInitializer', 'zeros'),
    kernelRegularizer: regularizerArg(c, 'kernelRegularizer'),
    recurrentRegularizer: regularizerArg(c, 'recurrentRegularizer'),
    biasRegularizer: regularizerArg(c, 'biasRegularizer'),
    returnSequences: c.returnSequences === true,
    returnState: c.returnState === true,
    goBackwards: c.goBackwards === true,
    unroll: c.unroll === true,
    dropout: rate('dropout'),
    recurrentDropout: rate('recurrentDropout'),
    ...(typeof c.seed === 'number' ? { seed: c.seed } : {}),
  };
}

/** The `recurrentActivation` of a config: what its absence means is given (TF.js: `'hardSigmoid'`). */
export function recurrentActivationArg(c: LayerConfig, absent: ActivationIdentifier): ActivationIdentifier {
  return c.recurrentActivation === undefined || c.recurrentActivation === null ? absent : activationArg({ activation: c.recurrentActivation });
}
