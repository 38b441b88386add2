import { formatShape } from '../tensor/shape.js';
import { Tensor, Variable } from '../tensor/tensor.js';
import { add } from '../ops/binary.js';
import { scalar } from '../tensor/create.js';
import { getInitializer, type InitializerIdentifier } from './initializers.js';
import { getRegularizer, type Regularizer, type RegularizerIdentifier } from './regularizers.js';

/** A shape with the batch axis first; `null` where the size is not known until data arrives. */
export type SymbolicShape = readonly (number | null)[];

/** Same rank, and every non-batch size known on both sides equal (the batch axis may differ). */
export function fitsShape(expected: SymbolicShape, actual: SymbolicShape): boolean {
  return expected.length === actual.length && expected.every((d, i) => i === 0 || d === null || actual[i] === null || d === actual[i]);
}

/** Options every layer accepts (Keras names). */
export interface LayerArgs {
  /** Unique name; defaults to the snake_case class name plus a counter (`dense`, `dense_1`, ...). */
  name?: string;
  /** Shape of one sample (without the batch axis), for the first layer of a model. */
  inputShape?: readonly number[];
  /** Full input shape including the batch axis (`null` = any batch size). */
  batchInputShape?: SymbolicShape;
  /** Whether the layer's weights are updated by training. */
  trainable?: boolean;
}

export interface CallArgs {
  /** Training mode: dropout drops, batch normalisation uses batch statistics. */
  training?: boolean;
}

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

/**
 * The base of every layer. A layer builds its weights lazily from the first input shape it sees, then
 * maps tensors to tensors in `call`. Subclasses implement `computeOutputShape` and `call`, and create
 * weights in `build` with `addWeight`.
 */
export abstract class Layer {
  /** The Keras class name, e.g. `'Dense'` (used by summaries and model files). */
  abstract readonly className: string;
  readonly name: string;
  trainable: boolean;
  built = false;
  /** The input shape given by `inputShape` / `batchInputShape`, batch axis first. */
  readonly batchInputShape: SymbolicShape | null;
  /** The input shape the layer was built for, batch axis first. */
  builtInputShape: SymbolicShape | null = null;
  private readonly variables: Variable[] = [];
  private readonly penalties: { variable: Variable; regularizer: Regularizer }[] = [];

  constructor(args: LayerArgs = {}, className?: string) {
    this.name = args.name ?? uniqueLayerName(className ?? new.target.name);
    this.trainable = args.trainable ?? true;
    this.batchInputShape = args.batchInputShape ?? (args.inputShape ? [null, ...args.inputShape] : null);
  }

  /** Creates the weights for inputs of `inputShape` (batch axis first). Layers without weights need not override. */
  build(inputShape: SymbolicShape): void {
    void inputShape;
  }

  /** The output shape for an input shape (both with the batch axis first). Throws a clear error for a bad input shape. */
  abstract computeOutputShape(inputShape: SymbolicShape): SymbolicShape;

  /** The forward computation on a built layer. */
  abstract call(x: Tensor, args: CallArgs): Tensor;

  /** Builds the layer if needed (checking the shape), then runs it. */
  apply(x: Tensor, args: CallArgs = {}): Tensor {
    if (!this.built) this.ensureBuilt([null, ...x.shape.slice(1)]);
    else this.checkInputShape(x.shape);
    return this.call(x, args);
  }

  /** Builds for `inputShape` (validating it through `computeOutputShape`) and returns the output shape. */
  ensureBuilt(inputShape: SymbolicShape): SymbolicShape {
    const out = this.computeOutputShape(inputShape);
    if (!this.built) {
      this.build(inputShape);
      this.builtInputShape = [...inputShape];
      this.built = true;
    }
    return out;
  }

  private checkInputShape(shape: readonly number[]): void {
    const expected = this.builtInputShape;
    if (!expected) return;
    const ok = expected.length === shape.length && expected.every((d, i) => i === 0 || d === null || d === shape[i]);
    if (!ok) {
      throw new Error(
        `Layer '${this.name}' (${this.className}) expects input of shape ${formatShape(expected)}, got ${formatShape(shape)} (the first axis is the batch).`,
      );
    }
  }

  /** Creates a weight; called from `build`. */
  protected addWeight(
    name: string,
    shape: readonly number[],
    initializer: InitializerIdentifier,
    options: { trainable?: boolean; regularizer?: RegularizerIdentifier | null } = {},
  ): Variable {
    const fullName = `${this.name}/${name}`;
    const values = weightSource ? weightSource(fullName, shape) : getInitializer(initializer).generate(shape);
    const variable = new Variable(values, shape, fullName, (options.trainable ?? true) && this.trainable);
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
