import { noGrad } from '../autograd/mode.js';
import { gatherRows } from '../data/gather-rows.js';
import { concat } from '../ops/slice.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor, type Variable } from '../tensor/tensor.js';
import { Layer, uniqueLayerName, type CallArgs, type SymbolicShape } from '../nn/layer.js';
import { InputLayer } from '../nn/layers/input.js';
import { formatSummary } from './summary.js';
import type { CompiledState, TrainableModel } from './trainable-model.js';
import { resolveCompileArgs, type CompileArgs } from './compile-settings.js';
import { evaluateModel, type EvaluateArgs } from './evaluate.js';
import { fitModel, type FitArgs } from './fit.js';
import type { History } from './history.js';
import type { EpochProgress } from '../io/format.js';
import { saveModel, type SaveOptions } from '../io/save.js';
import type { LoadableModel } from '../io/saveable-model.js';

export interface SequentialArgs {
  layers?: readonly Layer[];
  name?: string;
}

/**
 * A linear stack of layers, as Keras `Sequential`.
 *
 *     const model = sequential([
 *       layers.dense({ units: 4, activation: 'tanh', inputShape: [2] }),
 *       layers.dense({ units: 1, activation: 'sigmoid' }),
 *     ]);
 *     model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
 *     await model.fit(x, y, { epochs: 100 });
 */
export class Sequential implements TrainableModel, LoadableModel {
  readonly className = 'Sequential';
  readonly name: string;
  readonly layers: Layer[] = [];
  /**
   * Set to end `fit`: from `onEpochEnd` after that epoch, from a batch callback (or a signal handler) after
   * the current batch, leaving `interruption` set.
   */
  stopTraining = false;
  /** Where the last `fit` stopped inside an epoch (null when it ended at an epoch's end): see `initialEpochProgress`. */
  interruption: { epoch: number; progress: EpochProgress } | null = null;
  /** The input shape (batch axis first) once known. */
  inputShape: SymbolicShape | null = null;
  /** The output shape (batch axis first) once built. */
  outputShape: SymbolicShape | null = null;
  /** Optimizer, loss and metrics, after `compile`. */
  compiled: CompiledState | null = null;
  private names = new Set<string>();

  constructor(args: SequentialArgs = {}) {
    this.name = args.name ?? uniqueLayerName('Sequential');
    for (const layer of args.layers ?? []) this.add(layer);
  }

  /**
   * Appends a layer; when the input shape is known the new layer is built at once (shape errors show here).
   * Only the new layer is built, from the current output shape, so adding N layers takes time linear in N.
   */
  add(layer: Layer): void {
    if (!(layer instanceof Layer)) throw new Error(`Sequential.add() expects a layer (e.g. layers.dense({ units: 8 })), got ${typeof layer}.`);
    if (this.layerNames().has(layer.name)) throw new Error(`Model '${this.name}' already has a layer named '${layer.name}'; layer names must be unique.`);
    if (layer instanceof InputLayer && this.layers.length > 0)
      throw new Error(`An input layer can only be the first layer of a Sequential model ('${layer.name}').`);
    if (this.built) {
      // the layers before keep their shapes: building the new one on the current output shape is enough
      this.outputShape = buildOn(layer, this.layers.length, this.outputShape!);
    } else if (this.layers.length === 0 && layer.batchInputShape) {
      this.outputShape = buildOn(layer, 0, layer.batchInputShape);
      this.inputShape = layer.batchInputShape;
    }
    // a layer rejected above never joins the stack
    this.layers.push(layer);
    this.names.add(layer.name);
  }

  /** The layer names, kept beside `layers` so that checking a new name does not scan them all. */
  private layerNames(): Set<string> {
    // `layers` is a public array: rebuild the set if it was changed other than through add()
    if (this.names.size !== this.layers.length) this.names = new Set(this.layers.map((l) => l.name));
    return this.names;
  }

  /** Builds every layer for inputs of `inputShape` (batch axis first), checking each layer's input shape. */
  build(inputShape: SymbolicShape): void {
    // check every layer's shape before building any, so a shape error leaves no layer built for the bad shape
    const shapes: SymbolicShape[] = [inputShape];
    for (const [i, layer] of this.layers.entries()) {
      checkBuiltFor(layer, i, shapes[i]);
      shapes.push(layer.computeOutputShape(shapes[i]));
    }
    for (const [i, layer] of this.layers.entries()) layer.ensureBuilt(shapes[i]);
    this.inputShape = inputShape;
    this.outputShape = shapes[shapes.length - 1];
  }

  get built(): boolean {
    return this.outputShape !== null;
  }

  /** Runs the layers in order (recorded on the tape when gradients are on). */
  apply(x: Tensor, args: CallArgs = {}): Tensor {
    requireTensor(x, 'apply');
    if (this.layers.length === 0) throw new Error(`Model '${this.name}' has no layers.`);
    if (!this.built) this.build([null, ...x.shape.slice(1)]);
    this.checkInput(x);
    let y = x;
    for (const layer of this.layers) y = layer.apply(y, args);
    return y;
  }

  private checkInput(x: Tensor): void {
    const expected = this.inputShape!;
    if (!compatible(expected, [null, ...x.shape.slice(1)])) {
      throw new Error(`Model '${this.name}' expects input of shape ${formatShape(expected)} (first axis = batch), got ${formatShape(x.shape)}.`);
    }
  }

  /**
   * Predictions for `x`, computed in batches without recording gradients (inference mode).
   *
   *     const probs = model.predict(xTest);
   */
  predict(x: Tensor, args: { batchSize?: number } = {}): Tensor {
    const batchSize = args.batchSize ?? 32;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`predict(): batchSize must be a positive integer, got ${batchSize}.`);
    requireTensor(x, 'predict');
    if (x.rank === 0) throw new Error(`predict(): x needs a batch axis (shape [batch, ...]), got a scalar; wrap one sample as [1, ...].`);
    return noGrad(() => {
      const n = x.shape[0];
      if (n <= batchSize) return this.apply(x, { training: false });
      const parts: Tensor[] = [];
      for (let start = 0; start < n; start += batchSize) {
        const idx = Array.from({ length: Math.min(batchSize, n - start) }, (_, i) => start + i);
        parts.push(this.apply(gatherRows(x, idx), { training: false }));
      }
      return concat(parts, 0);
    });
  }

  /** Chooses the optimizer, loss and metrics for `fit` and `evaluate`. */
  compile(args: CompileArgs): void {
    this.compiled = resolveCompileArgs(this, args);
  }

  /** Trains for `epochs` passes over `x` and `y`; resolves to the History of losses and metrics. */
  fit(x: Tensor, y: Tensor, args: FitArgs = {}): Promise<History> {
    return fitModel(this, x, y, args);
  }

  /** Loss and metrics on `x`, `y` in inference mode, e.g. `{ loss: 0.08, accuracy: 0.97 }`. */
  evaluate(x: Tensor, y: Tensor, args: EvaluateArgs = {}): Record<string, number> {
    return evaluateModel(this, x, y, args);
  }

  /** All weights of all layers, trainable first within each layer. */
  get weights(): Variable[] {
    return this.layers.flatMap((l) => l.weights);
  }

  get trainableWeights(): Variable[] {
    return this.layers.flatMap((l) => l.trainableWeights);
  }

  get nonTrainableWeights(): Variable[] {
    return this.layers.flatMap((l) => l.nonTrainableWeights);
  }

  /** Copies of every weight's values, in `weights` order. */
  getWeights(): Tensor[] {
    return this.layers.flatMap((l) => l.getWeights());
  }

  /** Overwrites every weight (same order and shapes as `getWeights`). */
  setWeights(values: readonly Tensor[]): void {
    const total = this.weights.length;
    if (values.length !== total) throw new Error(`Model '${this.name}' has ${total} weights, got ${values.length}.`);
    let offset = 0;
    for (const layer of this.layers) {
      const n = layer.weights.length;
      layer.setWeights(values.slice(offset, offset + n));
      offset += n;
    }
  }

  countParams(): number {
    return this.layers.reduce((n, l) => n + l.countParams(), 0);
  }

  /** Looks a layer up by name or index. */
  getLayer(nameOrIndex: string | number): Layer {
    const layer = typeof nameOrIndex === 'number' ? this.layers[nameOrIndex] : this.layers.find((l) => l.name === nameOrIndex);
    if (!layer) throw new Error(`Model '${this.name}' has no layer ${JSON.stringify(nameOrIndex)} (layers: ${this.layers.map((l) => l.name).join(', ')}).`);
    return layer;
  }

  /**
   * Saves the model into the folder `dir` in the TensorFlow.js layers format (`model.json` + `weights.bin`),
   * each file written atomically; `tf.loadLayersModel` and `loadModel` read it. With `includeOptimizer` the
   * optimizer's state goes into `optimizer.bin` too, so that training continues exactly. Node.js only.
   *
   *     await model.save('./my-model');
   *     await model.save('./checkpoint', { includeOptimizer: true });
   */
  async save(dir: string, options: SaveOptions = {}): Promise<void> {
    await saveModel(this, dir, options);
  }

  /**
   * Writes the model as an ONNX file (opset 17; input `input` [N, ...inputShape] in dendrite's NHWC layout,
   * output `output`), atomically, for ONNX Runtime and other ONNX tools. Node.js only; `toOnnxModel` gives the bytes.
   *
   *     await model.exportOnnx('./model.onnx');
   */
  async exportOnnx(path: string): Promise<void> {
    // imported on first use, so that a program that never exports does not load the ONNX protobuf code
    const { exportOnnx } = await import('../io/onnx/export.js');
    await exportOnnx(this, path);
  }

  /**
   * Prints a Keras-style table: each layer, its output shape and parameter count, then the totals.
   * Returns the text as well.
   */
  summary(printFn: (line: string) => void = console.log): string {
    if (!this.built) {
      throw new Error(
        `Model '${this.name}' is not built yet, so its shapes are unknown. Give the first layer an inputShape (or start with layers.input), or call fit/predict once.`,
      );
    }
    const text = formatSummary(this);
    for (const line of text.split('\n')) printFn(line);
    return text;
  }
}

function requireTensor(x: unknown, fn: string): void {
  if (!(x instanceof Tensor)) {
    const got = x === null ? 'null' : Array.isArray(x) ? 'an array (wrap it with tensor(...))' : typeof x;
    throw new Error(`${fn}(): x must be a Tensor, got ${got}.`);
  }
}

/** A layer already built for other inputs cannot take `shape`. */
function checkBuiltFor(layer: Layer, index: number, shape: SymbolicShape): void {
  if (layer.built && layer.builtInputShape && !compatible(layer.builtInputShape, shape)) {
    throw new Error(
      `Layer ${index} '${layer.name}' (${layer.className}) was built for inputs of shape ${formatShape(layer.builtInputShape)} but now receives ${formatShape(shape)}.`,
    );
  }
}

/** Builds `layer` (the model's layer `index`) for inputs of `shape`, checking the shape first; returns its output shape. */
function buildOn(layer: Layer, index: number, shape: SymbolicShape): SymbolicShape {
  checkBuiltFor(layer, index, shape);
  return layer.ensureBuilt(shape);
}

function compatible(expected: SymbolicShape, actual: SymbolicShape): boolean {
  return expected.length === actual.length && expected.every((d, i) => d === null || actual[i] === null || d === actual[i]);
}

/** Creates a Sequential model from a list of layers. */
export function sequential(layers: readonly Layer[] = [], args: Omit<SequentialArgs, 'layers'> = {}): Sequential {
  return new Sequential({ ...args, layers });
}
