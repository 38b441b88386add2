import { formatShape } from '../tensor/shape.js';
import { Tensor, Variable } from '../tensor/tensor.js';
import { add } from '../ops/binary.js';
import { scalar } from '../tensor/create.js';
import { getInitializer, type InitializerIdentifier } from './initializers.js';
import { getRegularizer, type Regularizer, type RegularizerIdentifier } from './regularizers.js';
import { isShapeList, Node, SymbolicTensor, type CallArgs, type GraphLayer, type LayerMask, type SymbolicShape } from './symbolic-tensor.js';

export type { CallArgs, LayerMask, SymbolicShape } from './symbolic-tensor.js';

/** Same rank, and every non-batch size known on both sides equal (the batch axis may differ). */
export function fitsShape(expected: SymbolicShape, actual: SymbolicShape): boolean {
  return expected.length === actual.length && expected.every((d, i) => i === 0 || d === null || actual[i] === null || d === actual[i]);
}

/** Options every layer accepts (Keras names). */
export interface LayerArgs {
  /** Unique name; defaults to the snake_case class name plus a counter (`dense`, `dense_1`, ...). */
  name?: string;
  /** Shape of one sample (without the batch axis), for the first layer of a model; `null` for a size free to vary (`[null]`: sequences of any length). */
  inputShape?: readonly (number | null)[];
  /** Full input shape including the batch axis (`null` = any batch size). */
  batchInputShape?: SymbolicShape;
  /** Whether the layer's weights are updated by training. */
  trainable?: boolean;
}

/**
 * What `apply` returns for a layer `L`: one tensor, or a list for a layer that declares `outputKind = 'list'`
 * (a model built with a list of outputs, or a custom layer of several outputs).
 */
export type Produces<L, T> = L extends { readonly outputKind: 'one' }
  ? T
  : L extends { readonly outputKind: 'list' }
    ? T[]
    : L extends { readonly outputKind: 'one' | 'list' }
      ? T | T[]
      : T;

const nameCounters = new Map<string, number>();

/**
 * Gives the values of a weight a layer creates (`name` is `<layer>/<weight>`), in place of its initializer;
 * throws when it has none for that name and shape.
 */
export type WeightSource = (name: string, shape: readonly number[]) => Float32Array;

let weightSource: WeightSource | null = null;

/**
 * Runs `build` with every weight that `addWeight` creates taking its values from `source` instead of its
 * initializer. A model loader uses it: weights it would overwrite are never initialised (a layer declaring
 * gigabytes of kernel fails at the source's shape check before any of it is allocated), and the random
 * stream is not drawn from.
 */
export function withWeightSource<T>(source: WeightSource, build: () => T): T {
  const previous = weightSource;
  weightSource = source;
  try {
    return build();
  } finally {
    weightSource = previous;
  }
}

/** Keras' `to_snake_case`: `Conv2D` -> `conv2d`, `MaxPooling2D` -> `max_pooling2d`, `InputLayer` -> `input_layer`. */
function snakeCase(className: string): string {
  return className
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** A fresh Keras-style name: the first `dense`, then `dense_1`, `dense_2`, ... */
export function uniqueLayerName(className: string): string {
  const base = snakeCase(className);
  const n = nameCounters.get(base) ?? 0;
  nameCounters.set(base, n + 1);
  return n === 0 ? base : `${base}_${n}`;
}

/** The `Layer` a graph refers to (every `GraphLayer` is one; the graph types avoid importing this file). */
export function layerOf(layer: GraphLayer): Layer {
  if (!(layer instanceof Layer)) throw new Error(`Internal error: '${layer.name}' in a layer graph is not a Layer.`);
  return layer;
}

/** "[null, 4]", or "[null, 4] and [null, 3]" for several shapes. */
function describeShapes(shapes: readonly SymbolicShape[]): string {
  return shapes.map((s) => formatShape(s)).join(' and ');
}

/** A tensor's shape as a layer is built for it: any batch size. */
function anyBatch(shape: readonly number[]): SymbolicShape {
  return [null, ...shape.slice(1)];
}

/**
 * The base of every layer. A layer builds its weights lazily from the first input shape it sees, then
 * maps tensors to tensors in `call`. Subclasses implement `call`, `computeOutputShape` when the shape changes, and create
 * weights in `build` with `addWeight`.
 *
 * A layer of one input receives a tensor (and a shape); a layer of several (a merge layer such as `Add`, or
 * a custom one) receives them as a list, in `call`, `computeOutputShape` and `build` alike, as in TF.js. A
 * layer of several outputs returns a list from `call` and `computeOutputShape`.
 *
 * `apply` computes at once on real tensors; on symbolic tensors (from `input()`) it builds the layer, infers
 * the output shape and records the call as a `Node`, so that `model({ inputs, outputs })` can run it later.
 */
export abstract class Layer implements GraphLayer {
  /**
   * The Keras class name, e.g. `'Dense'` (used by summaries and model files): the class's `static className`,
   * as TF.js declares it (`static className = 'Scale'` on a custom layer; a subclass without one inherits its
   * parent's), else the JavaScript class name.
   */
  get className(): string {
    const cls = this.constructor as { className?: unknown; name: string };
    return typeof cls.className === 'string' ? cls.className : cls.name;
  }
  readonly name: string;
  built = false;
  /** The input shape given by `inputShape` / `batchInputShape`, batch axis first. */
  readonly batchInputShape: SymbolicShape | null;
  /** The input shape the layer was built for, batch axis first (null for a layer of several inputs: see `builtInputShapes`). */
  builtInputShape: SymbolicShape | null = null;
  /** The shape of each input the layer was built for (one entry for a layer of one input). */
  builtInputShapes: SymbolicShape[] | null = null;
  /** One node per call on symbolic tensors, in call order. */
  readonly inboundNodes: Node[] = [];
  /** The nodes of the calls that consumed this layer's symbolic outputs. */
  readonly outboundNodes: Node[] = [];
  /**
   * What the names of the weights the layer creates start with (`<scope>/kernel`): the layer's name, unless a
   * wrapper (TimeDistributed, Bidirectional) builds it under its own scope, as TF.js and Keras name such weights.
   */
  weightScope: string | null = null;
  private readonly variables: Variable[] = [];
  private readonly penalties: { variable: Variable; regularizer: Regularizer }[] = [];
  private trainableFlag: boolean;

  constructor(args: LayerArgs = {}, className?: string) {
    this.name = args.name ?? uniqueLayerName(className ?? this.className);
    this.trainableFlag = args.trainable ?? true;
    this.batchInputShape = args.batchInputShape ?? (args.inputShape ? [null, ...args.inputShape] : null);
  }

  /** The class name, as TF.js' `getClassName()`. */
  getClassName(): string {
    return this.className;
  }

  /**
   * Whether training updates the layer's weights. A frozen layer (`false`) keeps them, records no gradients for
   * them, and a frozen `BatchNormalization` runs in inference mode, as in Keras.
   */
  get trainable(): boolean {
    return this.trainableFlag;
  }

  set trainable(value: boolean) {
    this.trainableFlag = value;
    // a frozen weight records no gradient: the tape need not differentiate it
    for (const v of this.variables) v.requiresGrad = value && v.trainable;
  }

  /** Creates the weights for inputs of `inputShape` (batch axis first; a list for several inputs). Layers without weights need not override. */
  build(inputShape: SymbolicShape | SymbolicShape[]): void {
    void inputShape;
  }

  /**
   * The output shape for an input shape (both with the batch axis first; lists for several). Throws a clear error
   * for a bad input shape. The default, as in TF.js, is the input shape: a layer that changes the shape overrides it.
   */
  computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape | SymbolicShape[] {
    return inputShape;
  }

  /**
   * Whether the layer passes its input's mask on unchanged (Keras' `supports_masking`): true for layers that keep
   * the time axis step for step (activations, dropout, dense on each step); a layer that does not support masking
   * drops the mask, as in Keras 3.
   */
  supportsMasking = false;

  /**
   * The mask of the layer's output, given its input and the input's mask (`args.mask` of the call); `outputs` is
   * what the call returned. The default passes the mask on when `supportsMasking`, else none. A layer that makes a
   * mask (`Embedding` with `maskZero`, `Masking`) or changes the time axis overrides it.
   */
  computeMask(inputs: Tensor | Tensor[], mask: LayerMask | undefined, outputs?: Tensor | Tensor[]): LayerMask {
    void inputs;
    void outputs;
    return this.supportsMasking ? (mask ?? null) : null;
  }

  /** The forward computation on a built layer: a tensor (a list for several inputs) to a tensor (a list for several outputs). */
  abstract call(inputs: Tensor | Tensor[], args: CallArgs): Tensor | Tensor[];

  /**
   * Runs the layer: on real tensors, computes now (building the layer for their shape first if needed); on
   * symbolic tensors, records the call for a model and returns symbolic outputs of the inferred shape.
   *
   *     layers.dense({ units: 2 }).apply(tensor([[1, 2, 3]]));   // Tensor [1, 2]
   *     layers.dense({ units: 2 }).apply(input({ shape: [3] }));  // SymbolicTensor [null, 2]
   *     layers.add().apply([a, b]);                               // several inputs: a list
   */
  apply(inputs: Tensor, args?: CallArgs): Produces<this, Tensor>;
  apply(inputs: readonly Tensor[], args?: CallArgs): Produces<this, Tensor>;
  apply(inputs: SymbolicTensor, args?: CallArgs): Produces<this, SymbolicTensor>;
  apply(inputs: readonly SymbolicTensor[], args?: CallArgs): Produces<this, SymbolicTensor>;
  apply(inputs: Tensor | SymbolicTensor | readonly (Tensor | SymbolicTensor)[], args?: CallArgs): Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[];
  apply(inputs: Tensor | SymbolicTensor | readonly (Tensor | SymbolicTensor)[], args: CallArgs = {}): Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[] {
    if (inputs instanceof Tensor) {
      // the hot path of every model: one tensor in
      if (!this.built) this.ensureBuilt(anyBatch(inputs.shape));
      else this.checkInputShape(inputs.shape);
      return this.call(inputs, args);
    }
    if (inputs instanceof SymbolicTensor) return this.applySymbolic([inputs], args);
    const list = this.inputList(inputs);
    if (list[0] instanceof SymbolicTensor) return this.applySymbolic(list as SymbolicTensor[], args);
    const tensors = list as Tensor[];
    if (tensors.length === 1) return this.apply(tensors[0], args);
    if (!this.built) this.ensureBuilt(tensors.map((t) => anyBatch(t.shape)));
    else this.checkInputShapes(tensors.map((t) => t.shape));
    return this.call(tensors, args);
  }

  /** `inputs` checked to be a non-empty list of real tensors or of symbolic ones, not a mix. */
  private inputList(inputs: unknown): readonly (Tensor | SymbolicTensor)[] {
    const what = `Layer '${this.name}' (${this.className})`;
    if (!Array.isArray(inputs)) {
      const got = inputs === null ? 'null' : typeof inputs;
      throw new Error(`${what}: apply() takes a Tensor, a SymbolicTensor (from input()) or a list of either, got ${got}.`);
    }
    if (inputs.length === 0) throw new Error(`${what}: apply() got an empty list of inputs.`);
    const symbolic = inputs.filter((x) => x instanceof SymbolicTensor).length;
    const real = inputs.filter((x) => x instanceof Tensor).length;
    if (symbolic + real !== inputs.length) {
      throw new Error(
        `${what}: apply() takes a list of Tensors or of SymbolicTensors; input ${inputs.findIndex((x) => !(x instanceof Tensor || x instanceof SymbolicTensor))} is neither.`,
      );
    }
    if (symbolic > 0 && real > 0) {
      throw new Error(
        `${what}: apply() got symbolic tensors (from input()) and real tensors together; pass symbolic ones to build a model, or real ones to compute now.`,
      );
    }
    return inputs;
  }

  /** Builds for the symbolic inputs' shapes, infers the output shapes, and records the call as a node. */
  private applySymbolic(inputs: SymbolicTensor[], args: CallArgs): SymbolicTensor | SymbolicTensor[] {
    const shapes = inputs.map((t) => t.shape);
    if (this.built) this.checkBuiltFor(shapes);
    const out = this.ensureBuilt(shapes.length === 1 ? shapes[0] : shapes);
    const outputs = this.addInboundNode(inputs, isShapeList(out) ? out : [out], args);
    return isShapeList(out) ? outputs : outputs[0];
  }

  /**
   * Records one call of the layer on `inputs` with outputs of `outputShapes` (a node), and returns the
   * symbolic outputs. `apply` does this for symbolic inputs; an `InputLayer` records its own call, without inputs.
   */
  protected addInboundNode(inputs: readonly SymbolicTensor[], outputShapes: readonly SymbolicShape[], args: CallArgs): SymbolicTensor[] {
    const nodeIndex = this.inboundNodes.length;
    const outputs = outputShapes.map(
      (shape, i) =>
        new SymbolicTensor([...shape], nodeIndex === 0 && outputShapes.length === 1 ? this.name : `${this.name}[${nodeIndex}][${i}]`, this, nodeIndex, i),
    );
    const node = new Node(this, [...inputs], outputs, { ...args });
    this.inboundNodes.push(node);
    for (const t of inputs) t.sourceLayer.outboundNodes.push(node);
    return outputs;
  }

  /** Builds for `inputShape` (validating it through `computeOutputShape`) and returns the output shape. */
  ensureBuilt(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape | SymbolicShape[] {
    const out = this.computeOutputShape(inputShape);
    if (!this.built) {
      this.build(inputShape);
      if (isShapeList(inputShape)) {
        this.builtInputShapes = inputShape.map((s) => [...s]);
      } else {
        this.builtInputShape = [...inputShape];
        this.builtInputShapes = [this.builtInputShape];
      }
      this.built = true;
    }
    return out;
  }

  /** Throws when `shape` does not fit the shape the layer was built for (apply's check on a real tensor). */
  protected checkInputShape(shape: readonly number[]): void {
    const expected = this.builtInputShape;
    if (!expected) return;
    const ok = expected.length === shape.length && expected.every((d, i) => i === 0 || d === null || d === shape[i]);
    if (!ok) {
      throw new Error(
        `Layer '${this.name}' (${this.className}) expects input of shape ${formatShape(expected)}, got ${formatShape(shape)} (the first axis is the batch).`,
      );
    }
  }

  /** Checks several real inputs against the shapes the layer was built for. */
  private checkInputShapes(shapes: readonly (readonly number[])[]): void {
    const expected = this.builtInputShapes;
    if (!expected) return;
    const ok = expected.length === shapes.length && expected.every((s, i) => fitsShape(s, shapes[i]));
    if (!ok) {
      throw new Error(
        `Layer '${this.name}' (${this.className}) expects inputs of shapes ${describeShapes(expected)}, got ${describeShapes(shapes)} (the first axis is the batch).`,
      );
    }
  }

  /** A built layer called on symbolic inputs: their shapes must fit those it was built for. */
  private checkBuiltFor(shapes: readonly SymbolicShape[]): void {
    const expected = this.builtInputShapes;
    if (!expected) return;
    const ok = expected.length === shapes.length && expected.every((s, i) => fitsShape(s, shapes[i]));
    if (!ok) {
      throw new Error(
        `Layer '${this.name}' (${this.className}) was built for inputs of shape ${describeShapes(expected)}, got ${describeShapes(shapes)} (the first axis is the batch).`,
      );
    }
  }

  /** The node of call `nodeIndex`, or an error naming the layer. */
  private nodeAt(nodeIndex: number, what: string): Node {
    const node = this.inboundNodes[nodeIndex];
    if (!node) {
      throw new Error(
        this.inboundNodes.length === 0
          ? `Layer '${this.name}' is not connected: it has no ${what} until it is called on a symbolic tensor (layer.apply(input({ shape }))).`
          : `Layer '${this.name}' was called ${this.inboundNodes.length} time(s); it has no node ${nodeIndex}.`,
      );
    }
    return node;
  }

  /** The only node; a layer called several times (shared) has no single input or output. */
  private onlyNode(what: 'input' | 'output'): Node {
    if (this.inboundNodes.length > 1) {
      const at = what === 'input' ? 'getInputAt' : 'getOutputAt';
      throw new Error(
        `Layer '${this.name}' has multiple inbound nodes (it was called ${this.inboundNodes.length} times), so its ${what} is ambiguous; use ${at}(nodeIndex).`,
      );
    }
    return this.nodeAt(0, what);
  }

  /** The symbolic input of the layer's only call (a list for several inputs). */
  get input(): SymbolicTensor | SymbolicTensor[] {
    return unwrap(this.onlyNode('input').inputTensors);
  }

  /** The symbolic output of the layer's only call (a list for several outputs), e.g. for a feature extractor. */
  get output(): Produces<this, SymbolicTensor> {
    return unwrap(this.onlyNode('output').outputTensors) as Produces<this, SymbolicTensor>;
  }

  /** The symbolic input of call `nodeIndex` (a list for several inputs). */
  getInputAt(nodeIndex: number): SymbolicTensor | SymbolicTensor[] {
    return unwrap(this.nodeAt(nodeIndex, 'input').inputTensors);
  }

  /** The symbolic output of call `nodeIndex` (a list for several outputs). */
  getOutputAt(nodeIndex: number): Produces<this, SymbolicTensor> {
    return unwrap(this.nodeAt(nodeIndex, 'output').outputTensors) as Produces<this, SymbolicTensor>;
  }

  /** Creates a weight; called from `build`. */
  protected addWeight(
    name: string,
    shape: readonly number[],
    initializer: InitializerIdentifier,
    options: { trainable?: boolean; regularizer?: RegularizerIdentifier | null } = {},
  ): Variable {
    const fullName = `${this.weightScope ?? this.name}/${name}`;
    const values = weightSource ? weightSource(fullName, shape) : getInitializer(initializer).generate(shape);
    // the weight's own trainability; a frozen layer (`trainable`) holds back all of its weights while frozen
    const variable = new Variable(values, shape, fullName, options.trainable ?? true);
    variable.requiresGrad = variable.trainable && this.trainable;
    this.variables.push(variable);
    if (options.regularizer) this.penalties.push({ variable, regularizer: getRegularizer(options.regularizer) });
    return variable;
  }

  /** All weights, trainable first (the order of `getWeights` and model files). */
  get weights(): Variable[] {
    return [...this.trainableWeights, ...this.nonTrainableWeights];
  }

  get trainableWeights(): Variable[] {
    return this.trainable ? this.variables.filter((v) => v.trainable) : [];
  }

  get nonTrainableWeights(): Variable[] {
    return this.trainable ? this.variables.filter((v) => !v.trainable) : [...this.variables];
  }

  /** Copies of the weights' values, in `weights` order. */
  getWeights(): Tensor[] {
    return this.weights.map((w) => new Tensor(w.values.slice(), w.shape));
  }

  /** Overwrites the weights (same order, count and shapes as `getWeights`). */
  setWeights(values: readonly Tensor[]): void {
    const ws = this.weights;
    if (values.length !== ws.length) {
      throw new Error(
        `Layer '${this.name}' has ${ws.length} weights (${ws.map((w) => `${w.name} ${formatShape(w.shape)}`).join(', ') || 'none'}), got ${values.length} values.`,
      );
    }
    ws.forEach((w, i) => {
      w.assign(values[i]);
    });
  }

  /** Number of scalars in all weights. */
  countParams(): number {
    return this.variables.reduce((n, v) => n + v.size, 0);
  }

  /** The sum of this layer's regularisation penalties (a scalar, recorded for gradients). */
  regularizationLoss(): Tensor {
    let total: Tensor = scalar(0);
    for (const { variable, regularizer } of this.penalties) total = add(total, regularizer.apply(variable));
    return total;
  }

  /** The regularizers of the layer's weights. */
  get regularizers(): readonly Regularizer[] {
    return this.penalties.map((p) => p.regularizer);
  }

  /** Whether the layer has any regularised weight. */
  get hasRegularization(): boolean {
    return this.penalties.length > 0;
  }

  /** The layer's constructor arguments (Keras names, camelCase), for summaries and model files. */
  getConfig(): Record<string, unknown> {
    return { name: this.name, trainable: this.trainable, ...(this.batchInputShape ? { batchInputShape: this.batchInputShape } : {}) };
  }
}

/** One tensor as itself, several as a list (TF.js' `singletonOrArray`). */
function unwrap(tensors: readonly SymbolicTensor[]): SymbolicTensor | SymbolicTensor[] {
  return tensors.length === 1 ? tensors[0] : [...tensors];
}
