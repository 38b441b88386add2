import { add, mul } from '../../ops/binary.js';
import { gather } from '../../ops/gather.js';
import { reshape } from '../../ops/reshape.js';
import { concat } from '../../ops/slice.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { CallArgs, Layer, LayerArgs, LayerMask, SymbolicShape } from '../layer.js';
import { isShapeList, SymbolicTensor } from '../symbolic-tensor.js';
import { fail, layerArgs, type LayerConfig, type LayerDeserializer } from './config-args.js';
import { RNN } from './rnn.js';
import { Wrapper } from './wrapper.js';

/** A recurrent layer, returning states (`returnState`: `RNN<true>`) or not. */
type AnyRNN = RNN<false> | RNN<true>;

/** A recurrent layer as a `Layer` (an `RNN<true>` is typed to return lists): its `apply` may return states too. */
const asRNN = (layer: AnyRNN): RNN => layer as unknown as RNN;

/** How the forward and backward outputs combine (Keras `merge_mode`); `null` returns both, as a list. */
export type BidirectionalMergeMode = 'concat' | 'sum' | 'mul' | 'ave' | null;

const MERGE_MODES: readonly BidirectionalMergeMode[] = ['concat', 'sum', 'mul', 'ave', null];

export interface BidirectionalArgs extends LayerArgs {
  /** The recurrent layer (`lstm`, `gru`, `simpleRNN`): the forward copy and the backward one are made from its config. */
  layer: AnyRNN;
  /** How to combine the two directions' outputs (default `'concat'`): `'sum'`, `'mul'`, `'ave'`, or `null` for both as a list. */
  mergeMode?: BidirectionalMergeMode;
  /** The backward layer, instead of a copy of `layer` reading backwards (Keras' `backward_layer`); its `goBackwards` must differ from `layer`'s. */
  backwardLayer?: AnyRNN;
  /**
   * With `returnSequences` and a mask, whether a masked step's output is zeros, as Keras makes it (default true), or
   * the previous step's output, as TF.js leaves it. A model file says which: Keras records `zero_output_for_mask` in
   * the layers' configs, TF.js does not.
   */
  zeroOutputForMask?: boolean;
}

/** The initial states a call's `initialState` holds, as a list (empty for none). */
function initialStates(args: CallArgs): readonly (Tensor | SymbolicTensor)[] {
  const s = args.initialState;
  if (s === undefined || s === null) return [];
  return Array.isArray(s) ? s : [s as Tensor | SymbolicTensor];
}

/** `name` without `prefix` at its start (Python's `removeprefix`), so that wrapping twice does not say forward_forward_. */
function removePrefix(name: string, prefix: string): string {
  return name.startsWith(prefix) ? name.slice(prefix.length) : name;
}

/** A new layer of `layer`'s class from its config with `changes` (TF.js and Keras copy the layer this way). */
function copyLayer(layer: RNN, changes: Record<string, unknown>): RNN {
  const cls = layer.constructor as { fromConfig?: (c: LayerConfig, nested: LayerDeserializer) => Layer };
  if (typeof cls.fromConfig !== 'function') {
    throw new Error(`Bidirectional copies its layer from its config, but ${layer.className} has no static fromConfig.`);
  }
  const copy = cls.fromConfig({ ...layer.getConfig(), ...changes }, () => fail('a recurrent layer nests no other layer'));
  if (copy.constructor !== layer.constructor) {
    // a subclass inheriting its parent's fromConfig would be copied as the parent, without its own code
    throw new Error(
      `Bidirectional copies its layer from its config, but ${layer.constructor.name}.fromConfig made a ${copy.constructor.name}: give ${layer.constructor.name} a static fromConfig of its own.`,
    );
  }
  return copy as RNN;
}

/**
 * Runs a recurrent layer over the sequence in both directions (Keras `Bidirectional`): a forward copy of the layer
 * and a backward one (`goBackwards` flipped), named `forward_<name>` and `backward_<name>`, whose outputs are merged
 * (`mergeMode`); with `returnSequences` the backward outputs are put back in time order first. With `returnState`
 * the output is followed by the forward layer's states, then the backward layer's. Initial states, `[x, ...forward
 * states, ...backward states]` or `{ initialState }`, are split in halves between them; the mask goes to both.
 * The weights are the forward layer's, then the backward layer's.
 */
export class Bidirectional<K extends 'one' | 'list' = 'one'> extends Wrapper {
  static readonly className = 'Bidirectional';
  override supportsMasking = true;
  /** `'list'` with `returnState` or `mergeMode: null`, else `'one'`. */
  readonly outputKind: K;
  declare readonly layer: RNN;
  /** The forward copy of `layer` (its `apply` returns `[output, ...states]` with `returnState`). */
  readonly forwardLayer: RNN;
  /** The backward copy of `layer`, or the `backwardLayer` given. */
  readonly backwardLayer: RNN;
  readonly mergeMode: BidirectionalMergeMode;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly zeroOutputForMask: boolean;
  /** Whether `backwardLayer` was given rather than copied (then a config records it). */
  private readonly backwardGiven: boolean;

  constructor(args: BidirectionalArgs) {
    super({ ...args, layer: asRNN(args.layer) }, 'Bidirectional');
    const what = `Layer '${this.name}' (Bidirectional)`;
    if (!(args.layer instanceof RNN)) {
      throw new Error(`${what}: layer must be a recurrent layer (lstm, gru, simpleRNN), got ${(args.layer as Layer).className}.`);
    }
    const mergeMode = args.mergeMode === undefined ? 'concat' : args.mergeMode;
    if (!MERGE_MODES.includes(mergeMode)) {
      throw new Error(`${what}: mergeMode must be 'concat', 'sum', 'mul', 'ave' or null, got ${JSON.stringify(args.mergeMode)}.`);
    }
    this.mergeMode = mergeMode;
    const layer = asRNN(args.layer);
    this.forwardLayer = copyLayer(layer, { name: `forward_${removePrefix(layer.name, 'forward_')}` });
    if (args.backwardLayer !== undefined) {
      if (!(args.backwardLayer instanceof RNN)) throw new Error(`${what}: backwardLayer must be a recurrent layer (lstm, gru, simpleRNN).`);
      this.backwardLayer = asRNN(args.backwardLayer);
    } else {
      this.backwardLayer = copyLayer(layer, { name: `backward_${removePrefix(layer.name, 'backward_')}`, goBackwards: !layer.goBackwards });
    }
    this.backwardGiven = args.backwardLayer !== undefined;
    const [f, b] = [this.forwardLayer, this.backwardLayer];
    if (f.goBackwards === b.goBackwards) {
      throw new Error(`${what}: the forward and backward layers must read in different directions, but both have goBackwards ${f.goBackwards}.`);
    }
    for (const key of ['returnSequences', 'returnState', 'stateCount'] as const) {
      if (f[key] !== b[key]) throw new Error(`${what}: the forward and backward layers must have the same ${key}, got ${f[key]} and ${b[key]}.`);
    }
    this.returnSequences = f.returnSequences;
    this.returnState = f.returnState;
    this.zeroOutputForMask = args.zeroOutputForMask ?? true;
    this.outputKind = (this.returnState || this.mergeMode === null ? 'list' : 'one') as K;
    this.freezeIfFrozen();
  }

  get wrappedLayers(): readonly Layer[] {
    return [this.forwardLayer, this.backwardLayer];
  }

  override get nestedLayers(): Readonly<Record<string, Layer>> {
    return this.backwardGiven ? { layer: this.layer, backwardLayer: this.backwardLayer } : { layer: this.layer };
  }

  /** The sequence's shape and the two halves of the initial states' shapes, with their count checked. */
  private split<T>(inputs: readonly T[]): { x: T; forward: T[]; backward: T[] } {
    const [x, ...states] = inputs;
    const n = this.forwardLayer.stateCount;
    if (states.length > 0 && states.length !== 2 * n) {
      throw new Error(
        `Layer '${this.name}' (Bidirectional) takes ${2 * n} initial states (the forward layer's ${n}, then the backward layer's ${n}), got ${states.length}.`,
      );
    }
    return { x, forward: states.slice(0, states.length / 2), backward: states.slice(states.length / 2) };
  }

  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape | SymbolicShape[] {
    const { x, forward, backward } = this.split(isShapeList(inputShape) ? inputShape : [inputShape]);
    const shapes = (layer: RNN, states: SymbolicShape[]) => {
      const out = layer.computeOutputShape(states.length > 0 ? [x, ...states] : x);
      return isShapeList(out) ? out : [out];
    };
    const [output, ...states] = shapes(this.forwardLayer, forward);
    const [backOutput, ...backStates] = shapes(this.backwardLayer, backward);
    const units = output.at(-1) as number;
    const backUnits = backOutput.at(-1) as number;
    // a backwardLayer may have its own number of units: concatenation adds them, the value-by-value modes need them equal
    if (this.mergeMode !== null && this.mergeMode !== 'concat' && units !== backUnits) {
      throw new Error(
        `Layer '${this.name}' (Bidirectional): mergeMode '${this.mergeMode}' needs the forward and backward layers to have the same units, got ${units} and ${backUnits}; use mergeMode 'concat' or null.`,
      );
    }
    const merged: SymbolicShape[] =
      this.mergeMode === null ? [output, backOutput] : this.mergeMode === 'concat' ? [[...output.slice(0, -1), units + backUnits]] : [output];
    const all = this.returnState ? [...merged, ...states, ...backStates] : merged;
    return all.length === 1 ? all[0] : all;
  }

  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    const x = isShapeList(inputShape) ? inputShape[0] : inputShape;
    for (const layer of this.wrappedLayers) {
      if (layer.built) continue;
      // named as TF.js and Keras name them in files: `bidirectional/forward_lstm/kernel`
      layer.weightScope = `${this.name}/${layer.name}`;
      layer.ensureBuilt(x);
    }
  }

  /** Like a recurrent layer: the number of timesteps stays free, and initial states may come or not from call to call. */
  override ensureBuilt(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape | SymbolicShape[] {
    const out = super.ensureBuilt(inputShape);
    const x = isShapeList(inputShape) ? inputShape[0] : inputShape;
    this.builtInputShape = [null, null, x[2]];
    this.builtInputShapes = null;
    return out;
  }

  /** Initial states given as `{ initialState }` become inputs of the recorded call (after the sequence), as TF.js records them. */
  protected override addInboundNode(inputs: readonly SymbolicTensor[], outputShapes: readonly SymbolicShape[], args: CallArgs): SymbolicTensor[] {
    const given = initialStates(args);
    if (given.length === 0) return super.addInboundNode(inputs, outputShapes, args);
    if (inputs.length > 1)
      throw new Error(`Layer '${this.name}' (Bidirectional): give the initial states either in the list of inputs or as initialState, not both.`);
    const states = given.map((s, i) => {
      if (!(s instanceof SymbolicTensor))
        throw new Error(`Layer '${this.name}' (Bidirectional): initial state ${i} must be a SymbolicTensor like the input, got a Tensor.`);
      return s;
    });
    const all = [...inputs, ...states];
    const shapes = this.computeOutputShape(all.map((t) => t.shape));
    const { initialState, ...rest } = args;
    void initialState;
    return super.addInboundNode(all, isShapeList(shapes) ? shapes : [shapes], rest);
  }

  call(inputs: Tensor | Tensor[], args: CallArgs): Tensor | Tensor[] {
    const extra = initialStates(args);
    if (extra.length > 0 && Array.isArray(inputs) && inputs.length > 1) {
      throw new Error(`Layer '${this.name}' (Bidirectional): give the initial states either in the list of inputs or as initialState, not both.`);
    }
    const list = [...(Array.isArray(inputs) ? inputs : [inputs]), ...extra] as Tensor[];
    const { x, forward, backward } = this.split(list);
    const mask = Array.isArray(args.mask) ? (args.mask[0] ?? null) : (args.mask ?? null);
    const inner: CallArgs = { ...(args.training === undefined ? {} : { training: args.training }), ...(mask ? { mask } : {}) };
    const run = (layer: RNN, states: Tensor[]): Tensor[] => {
      const out = layer.apply(states.length > 0 ? [x, ...states] : x, inner) as Tensor | Tensor[];
      return Array.isArray(out) ? out : [out];
    };
    const [yForward, ...forwardStates] = run(this.forwardLayer, forward);
    const [yBackward, ...backwardStates] = run(this.backwardLayer, backward);
    let y = yForward;
    let yRev = yBackward;
    if (this.returnSequences) {
      // the backward layer's outputs come in its reading order: put them back in time order
      const t = yRev.shape[1];
      yRev = gather(
        yRev,
        Array.from({ length: t }, (_, i) => t - 1 - i),
        1,
      );
      if (mask && this.zeroOutputForMask) {
        // NOTE: Keras' Bidirectional sets zero_output_for_mask on its layers: a padded step outputs zeros
        const keep = reshape(mask, [mask.shape[0], mask.shape[1], 1]);
        y = mul(y, keep);
        yRev = mul(yRev, keep);
      }
    }
    const merged = this.merge(y, yRev);
    if (!this.returnState) return merged;
    return [...(Array.isArray(merged) ? merged : [merged]), ...forwardStates, ...backwardStates];
  }

  private merge(y: Tensor, yRev: Tensor): Tensor | Tensor[] {
    switch (this.mergeMode) {
      case 'concat':
        return concat([y, yRev], -1);
      case 'sum':
        return add(y, yRev);
      case 'mul':
        return mul(y, yRev);
      case 'ave':
        return mul(add(y, yRev), 0.5);
      default:
        return [y, yRev];
    }
  }

  /** As Keras: the input's mask for sequences (one per output with `mergeMode: null`), none for a last output or the states. */
  override computeMask(inputs: Tensor | Tensor[], mask: LayerMask | undefined): LayerMask {
    void inputs;
    const m = Array.isArray(mask) ? (mask[0] ?? null) : (mask ?? null);
    const output = this.returnSequences ? m : null;
    const outputs = this.mergeMode === null ? [output, output] : [output];
    const all = this.returnState ? [...outputs, ...Array.from({ length: 2 * this.forwardLayer.stateCount }, () => null)] : outputs;
    return all.length === 1 ? all[0] : all;
  }

  /** Keras records `zero_output_for_mask` in the configs of a Bidirectional's layers when they return sequences; TF.js records nothing. */
  override nestedConfig(key: string, config: Record<string, unknown>): Record<string, unknown> {
    void key;
    return this.zeroOutputForMask && this.returnSequences ? { ...config, zeroOutputForMask: true } : config;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), mergeMode: this.mergeMode };
  }

  /**
   * The layer a model file's config describes (camelCase keys), its layers built by `nested`. `zero_output_for_mask`
   * in the layer's config, which Keras writes, sets `zeroOutputForMask`; a file without it (TF.js') keeps TF.js' outputs.
   */
  static fromConfig(c: LayerConfig, nested: LayerDeserializer): Bidirectional {
    if (c.numConstants !== undefined && c.numConstants !== null) fail('numConstants (constants of a recurrent cell) is not supported');
    const mergeMode = c.mergeMode === undefined ? 'concat' : c.mergeMode;
    if (!MERGE_MODES.includes(mergeMode as BidirectionalMergeMode)) fail(`merge_mode ${JSON.stringify(c.mergeMode)} is not one of concat, sum, mul, ave, null`);
    let zeroOutputForMask = false;
    const rnn = (key: string): RNN | undefined => {
      const entry = c[key];
      if (entry === undefined || entry === null) return undefined;
      let e = entry;
      if (typeof entry === 'object' && !Array.isArray(entry)) {
        const { config, ...rest } = entry as { config?: unknown };
        if (typeof config === 'object' && config !== null && !Array.isArray(config)) {
          // the layers' own arguments do not take it: it is the Bidirectional's behaviour
          const { zeroOutputForMask: zero, ...own } = config as Record<string, unknown>;
          if (zero === true) zeroOutputForMask = true;
          e = { ...rest, config: own };
        }
      }
      const layer = nested(e);
      if (!(layer instanceof RNN)) fail(`${key} must be a recurrent layer (LSTM, GRU, SimpleRNN), got ${layer.className}`);
      return layer;
    };
    const layer = rnn('layer');
    if (!layer) return fail('layer is missing (the wrapped recurrent layer, {class_name, config})');
    const backwardLayer = rnn('backwardLayer');
    return new Bidirectional({
      ...layerArgs(c),
      layer,
      mergeMode: mergeMode as BidirectionalMergeMode,
      zeroOutputForMask,
      ...(backwardLayer ? { backwardLayer } : {}),
    });
  }
}

/**
 * Runs a recurrent layer forwards and backwards over the sequence (TF.js `tf.layers.bidirectional`, Keras
 * `Bidirectional`), merging the two outputs.
 *
 *     bidirectional({ layer: lstm({ units: 32 }) });                        // [null, T, F] -> [null, 64]
 *     bidirectional({ layer: lstm({ units: 32, returnSequences: true }), mergeMode: 'sum' });  // -> [null, T, 32]
 */
export function bidirectional(args: BidirectionalArgs & { layer: RNN<false>; mergeMode?: Exclude<BidirectionalMergeMode, null> }): Bidirectional<'one'>;
export function bidirectional(args: BidirectionalArgs & ({ layer: RNN<true> } | { mergeMode: null })): Bidirectional<'list'>;
export function bidirectional(args: BidirectionalArgs): Bidirectional<'one' | 'list'>;
export function bidirectional(args: BidirectionalArgs): Bidirectional<'one' | 'list'> {
  return new Bidirectional(args);
}
