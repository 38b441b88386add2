// `Model`: a graph of layer calls from input symbolic tensors to output ones (Keras' functional API, TF.js'
// LayersModel), trained, evaluated and run like any model; `Sequential` is the special case of a chain. A model
// is a layer too: called on symbolic tensors it becomes one node of a larger model, its weights shared.
import type { Dataset } from '../data/dataset/dataset.js';
import type { EpochProgress } from '../io/format.js';
import type { LayerCall } from '../io/onnx/exportable-model.js';
import { kerasFormatOf, saveKerasPath } from '../io/keras-file.js';
import { saveModel, type SaveOptions } from '../io/save.js';
import { fitsShape, Layer, type CallArgs, type LayerMask, type Produces, type SymbolicShape } from '../nn/layer.js';
import type { Regularizer } from '../nn/regularizers.js';
import { isShapeList, Node, SymbolicTensor } from '../nn/symbolic-tensor.js';
import { add } from '../ops/binary.js';
import { scalar } from '../tensor/create.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor, Variable } from '../tensor/tensor.js';
import { resolveCompileArgs, type CompileArgs } from './compile-settings.js';
import { evaluateModel, type EvaluateArgs } from './evaluate.js';
import { evaluateDatasetModel, type EvaluateDatasetArgs } from './evaluate-dataset.js';
import { fitModel, type FitArgs } from './fit.js';
import { fitDatasetModel, type FitDatasetArgs } from './fit-dataset.js';
import { mapGraphNetwork, shapesOf, type GraphNetwork } from './graph-network.js';
import { applyMasked, callMask, maskList, OutputMasks } from './masks.js';
import type { History } from './history.js';
import { registerModelClass } from './model-classes.js';
import { modelConfig, modelTopology } from './model-config.js';
import { toTensorList, type ModelData } from './model-data.js';
import { predictModel, type PredictArgs } from './predict.js';
import { formatModelSummary } from './summary.js';
import type { CompiledState, TrainableModel } from './trainable-model.js';

/** Whether a model gives one tensor or a list: a list when it was made with a list of outputs. */
export type OutputKind<O> = O extends readonly Tensor[] ? 'list' : 'one';

export interface ModelArgs {
  /** The model's inputs: symbolic tensors made by `input()`, one or a list. */
  inputs: SymbolicTensor | readonly SymbolicTensor[];
  /** The model's outputs: symbolic tensors computed from the inputs. A list makes the model return lists. */
  outputs: SymbolicTensor | readonly SymbolicTensor[];
  name?: string;
}

/** Keeps the first of each weight (a layer shared between a model and a model nested in it shows up twice). */
function unique(weights: Variable[]): Variable[] {
  return weights.length < 2 ? weights : [...new Set(weights)];
}

/** Whether `x` is a symbolic tensor or a list of them (the model is then being called to build a larger model). */
function isSymbolic(x: unknown): x is SymbolicTensor | readonly SymbolicTensor[] {
  return x instanceof SymbolicTensor || (Array.isArray(x) && x.length > 0 && x[0] instanceof SymbolicTensor);
}

/**
 * A model made of layers called on symbolic tensors (Keras `Model`, TF.js `tf.model`): several inputs and
 * outputs, shared layers, nested models, branches and merges.
 *
 *     const image = input({ shape: [28, 28, 1] });
 *     const x = layers.flatten().apply(image);
 *     const digit = layers.dense({ units: 10, activation: 'softmax', name: 'digit' }).apply(x);
 *     const parity = layers.dense({ units: 1, activation: 'sigmoid', name: 'parity' }).apply(x);
 *     const m = model({ inputs: image, outputs: [digit, parity] });
 *     m.compile({ optimizer: 'adam', loss: ['sparseCategoricalCrossentropy', 'binaryCrossentropy'], metrics: ['accuracy'] });
 *     await m.fit(images, [digits, parities], { epochs: 5 });   // logs: loss, digit_loss, parity_loss, digit_accuracy, ...
 */
export class Model<O extends Tensor | Tensor[] = Tensor | Tensor[]> extends Layer implements TrainableModel {
  static readonly className: string = 'Model';
  /** 'one' when the model returns one tensor, 'list' when it was made with a list of outputs. */
  readonly outputKind: OutputKind<O>;
  /** Every layer, each once (a shared layer too), inputs first, in Keras' order. */
  readonly layers: Layer[] = [];
  /**
   * Set to end `fit`: from `onEpochEnd` after that epoch, from a batch callback (or a signal handler) after
   * the current batch, leaving `interruption` set.
   */
  stopTraining = false;
  /** Where the last `fit` stopped inside an epoch (null when it ended at an epoch's end): see `initialEpochProgress`. */
  interruption: { epoch: number; progress: EpochProgress } | null = null;
  /** Optimizer, losses and metrics, after `compile`. */
  compiled: CompiledState | null = null;
  /** The graph mapped from `modelInputs` to `modelOutputs`, once asked for (a Sequential's changes with each layer added). */
  private mappedGraph: GraphNetwork | null = null;
  /** The masks of the latest outputs, for `computeMask` when the model is a layer of another. */
  protected readonly outputMasks = new OutputMasks();
  /** The input and output symbolic tensors; empty for a Sequential until its input shape is known. */
  private modelInputs: SymbolicTensor[] = [];
  private modelOutputs: SymbolicTensor[] = [];

  constructor(args: ModelArgs) {
    super({ name: args?.name }, 'Model');
    this.outputKind = (Array.isArray(args?.outputs) ? 'list' : 'one') as OutputKind<O>;
    // a Sequential sets its graph up once it knows its input shape
    if (new.target !== Model && args?.inputs === undefined) return;
    if (!args || args.inputs === undefined || args.outputs === undefined) {
      throw new Error(`model() needs inputs and outputs, e.g. model({ inputs: x, outputs: y }) with x = input({ shape: [4] }) and y = layer.apply(x).`);
    }
    const what = `model('${this.name}')`;
    const list = (v: unknown, key: string): SymbolicTensor[] => {
      const ts = Array.isArray(v) ? v : [v];
      if (ts.length === 0 || !ts.every((t) => t instanceof SymbolicTensor)) {
        throw new Error(
          `${what}: ${key} must be a SymbolicTensor or a non-empty list of them (from input() and layer.apply()), got ${ts.length === 0 ? 'an empty list' : typeof ts.find((t) => !(t instanceof SymbolicTensor))}.`,
        );
      }
      return ts;
    };
    const inputs = list(args.inputs, 'inputs');
    if (new Set(inputs).size !== inputs.length) throw new Error(`${what}: an input is given twice in inputs (${inputs.map((t) => t.name).join(', ')}).`);
    this.setGraph(inputs, list(args.outputs, 'outputs'));
    // mapped now, so that a graph that cannot run fails here
    for (const layer of this.requireGraph('graph').layers) this.layers.push(layer);
  }

  /**
   * Makes the graph between `inputs` and `outputs` this model's (Keras' `_init_graph_network`). It is mapped when
   * first needed, so that a Sequential, whose graph grows by one call with each layer added, adds in constant time.
   */
  protected setGraph(inputs: SymbolicTensor[], outputs: SymbolicTensor[]): void {
    this.modelInputs = inputs;
    this.modelOutputs = outputs;
    this.mappedGraph = null;
    this.built = true;
    // as in Keras and TF.js, node 0 of a model links its own inputs to its outputs; its calls in larger models
    // are nodes 1, 2, ... (so a nested model's outputs are `[name, 1, i]` in a model file, as Keras writes them)
    this.inboundNodes[0] = new Node(this, inputs, outputs, {});
  }

  /** The model's graph, mapped from its inputs to its outputs; null while it has none (a Sequential without an input shape). */
  protected get graph(): GraphNetwork | null {
    if (!this.mappedGraph && this.modelInputs.length > 0) this.mappedGraph = mapGraphNetwork(this.modelInputs, this.modelOutputs, `model('${this.name}')`);
    return this.mappedGraph;
  }

  /** The graph, or an error saying the model (a Sequential without an input shape) has none yet. */
  protected requireGraph(what: string): GraphNetwork {
    const graph = this.graph;
    if (!graph) {
      throw new Error(
        `Model '${this.name}' is not built yet, so it has no ${what}. Give the first layer an inputShape (or start with layers.input), or call fit or predict once.`,
      );
    }
    return graph;
  }

  /** The input symbolic tensors (Keras `model.inputs`). */
  get inputs(): SymbolicTensor[] {
    if (this.modelInputs.length === 0) this.requireGraph('symbolic inputs');
    return [...this.modelInputs];
  }

  /** The output symbolic tensors (Keras `model.outputs`): e.g. `model({ inputs: m.inputs, outputs: m.getLayer('conv2d_1').output })`. */
  get outputs(): SymbolicTensor[] {
    if (this.modelOutputs.length === 0) this.requireGraph('symbolic outputs');
    return [...this.modelOutputs];
  }

  /** The model's input: one symbolic tensor, or a list for several inputs (unlike a layer's, defined however often the model is called). */
  override get input(): SymbolicTensor | SymbolicTensor[] {
    const inputs = this.inputs;
    return inputs.length === 1 ? inputs[0] : inputs;
  }

  /** The model's output: one symbolic tensor, or a list when the model was made with a list of outputs. */
  override get output(): Produces<this, SymbolicTensor> {
    const outputs = this.outputs;
    return (this.outputKind === 'list' ? outputs : outputs[0]) as Produces<this, SymbolicTensor>;
  }

  /**
   * The layer calls between the inputs and the outputs, in the order `forward` runs them (each once): each call's
   * layer, the symbolic tensors it reads and writes, and its call arguments. For code that walks the graph
   * without running it, such as ONNX export.
   */
  get layerCalls(): LayerCall[] {
    return this.requireGraph('layer calls').steps.map((s) => ({
      layer: s.layer,
      inputs: s.node.inputTensors,
      outputs: s.node.outputTensors,
      callArgs: s.callArgs,
    }));
  }

  /** The input layers' names, in order: the keys of inputs given as an object. */
  get inputNames(): string[] {
    return this.requireGraph('input names').inputLayers.map((l) => l.name);
  }

  /** The output names, in order (each the name of the layer that makes it; a second output of one layer gets `_1`): the keys of targets given as an object, and of logs. */
  get outputNames(): string[] {
    const names: string[] = [];
    for (const t of this.outputs) {
      let name = t.sourceLayer.name;
      for (let i = 1; names.includes(name); i++) name = `${t.sourceLayer.name}_${i}`;
      names.push(name);
    }
    return names;
  }

  /** The input shapes (batch axis first), one per input; null until built. */
  get inputShapes(): SymbolicShape[] | null {
    return this.modelInputs.length > 0 ? shapesOf(this.modelInputs) : null;
  }

  /** The output shapes (batch axis first), one per output; null until built. */
  get outputShapes(): SymbolicShape[] | null {
    return this.modelOutputs.length > 0 ? shapesOf(this.modelOutputs) : null;
  }

  /** The input shape of a model of one input (batch axis first); null until built. */
  get inputShape(): SymbolicShape | null {
    return this.onlyShape(this.inputShapes, 'input');
  }

  /** The output shape of a model of one output (batch axis first); null until built. */
  get outputShape(): SymbolicShape | null {
    return this.onlyShape(this.outputShapes, 'output');
  }

  private onlyShape(shapes: SymbolicShape[] | null, what: 'input' | 'output'): SymbolicShape | null {
    if (shapes === null) return null;
    if (shapes.length !== 1) throw new Error(`Model '${this.name}' has ${shapes.length} ${what}s; read ${what}Shapes (one shape per ${what}).`);
    return shapes[0];
  }

  /** The output shapes for inputs of `inputShape`: those of the graph, once the inputs are checked to fit. */
  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape | SymbolicShape[] {
    const expected = this.inputShapes ?? [];
    const given = isShapeList(inputShape) ? inputShape : [inputShape];
    const fits = given.length === expected.length && expected.every((s, i) => fitsShape(s, given[i]));
    if (!fits) {
      throw new Error(
        `Model '${this.name}' expects inputs of shape ${expected.map((s) => formatShape(s)).join(' and ')}, got ${given.map((s) => formatShape(s)).join(' and ')} (the first axis is the batch).`,
      );
    }
    const outputs = this.outputShapes!;
    return this.outputKind === 'list' ? outputs : outputs[0];
  }

  /** A model called as a layer runs its graph. */
  call(inputs: Tensor | Tensor[], args: CallArgs): Tensor | Tensor[] {
    const outputs = this.forward(Array.isArray(inputs) ? inputs : [inputs], args);
    return this.outputKind === 'list' ? outputs : outputs[0];
  }

  /**
   * Runs the model: on real tensors (one, a list, or an object keyed by input name) it computes now, recorded
   * on the tape when gradients are on; on symbolic tensors it becomes one node of a larger model.
   */
  override apply(inputs: Tensor, args?: CallArgs): Produces<this, Tensor>;
  override apply(inputs: readonly Tensor[], args?: CallArgs): Produces<this, Tensor>;
  override apply(inputs: SymbolicTensor, args?: CallArgs): Produces<this, SymbolicTensor>;
  override apply(inputs: readonly SymbolicTensor[], args?: CallArgs): Produces<this, SymbolicTensor>;
  override apply(inputs: Readonly<Record<string, Tensor>>, args?: CallArgs): Produces<this, Tensor>;
  override apply(
    inputs: Tensor | SymbolicTensor | readonly (Tensor | SymbolicTensor)[],
    args?: CallArgs,
  ): Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[];
  override apply(
    inputs: Tensor | SymbolicTensor | readonly (Tensor | SymbolicTensor)[] | Readonly<Record<string, Tensor>>,
    args: CallArgs = {},
  ): Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[] {
    if (isSymbolic(inputs)) return super.apply(inputs, args);
    const outputs = this.forward(toTensorList(inputs, this.inputNames, 'apply', 'x'), args);
    return this.outputKind === 'list' ? outputs : outputs[0];
  }

  /**
   * Runs every node of the graph once, in order: one tensor per input in, one per output out. `args.mask`
   * masks the inputs; each layer gets its input's mask and gives its output's (see `computeMask`).
   */
  forward(inputs: readonly Tensor[], args: CallArgs = {}): Tensor[] {
    const graph = this.requireGraph('graph to run');
    if (inputs.length !== graph.inputLayers.length) {
      throw new Error(`Model '${this.name}' has ${graph.inputLayers.length} input(s) (${this.inputNames.join(', ')}), got ${inputs.length} tensor(s).`);
    }
    const slots = new Array<Tensor>(graph.slotCount);
    const masks = new Array<Tensor | null>(graph.slotCount).fill(null);
    const inputMasks = maskList(args.mask, inputs.length);
    const outer: CallArgs = args.mask === undefined ? args : { ...args, mask: undefined };
    // each input layer checks its tensor's shape (and a fixed batch size), naming itself
    graph.inputLayers.forEach((layer, i) => {
      slots[graph.inputSlots[i]] = layer.apply(inputs[i], outer);
      masks[graph.inputSlots[i]] = inputMasks[i];
    });
    for (const step of graph.steps) {
      const xs = step.inputSlots.map((s) => slots[s]);
      const callArgs = step.callArgs.training === undefined ? outer : { ...outer, training: step.callArgs.training };
      const { y, mask } = applyMasked(step.layer, xs.length === 1 ? xs[0] : xs, callMask(step.inputSlots.map((s) => masks[s])), callArgs);
      const ys = Array.isArray(y) ? y : [y];
      const yMasks = maskList(mask, ys.length);
      for (const [i, s] of step.outputSlots.entries()) {
        slots[s] = ys[i];
        masks[s] = yMasks[i];
      }
    }
    const outputs = graph.outputSlots.map((s) => slots[s]);
    this.outputMasks.remember(
      outputs,
      graph.outputSlots.map((s) => masks[s]),
    );
    return outputs;
  }

  /** The masks of the outputs of the run that returned `outputs` (a model nested in another as a layer). */
  override computeMask(inputs: Tensor | Tensor[], mask: LayerMask | undefined, outputs?: Tensor | Tensor[]): LayerMask {
    void inputs;
    void mask;
    if (outputs === undefined) return null;
    return callMask(this.outputMasks.of(Array.isArray(outputs) ? outputs : [outputs]));
  }

  /**
   * Predictions for `x` (one tensor, a list, or an object keyed by input name), computed in batches without
   * recording gradients (inference mode): one tensor, or a list for a model made with a list of outputs.
   *
   *     const probs = model.predict(xTest);
   */
  predict(x: ModelData, args: PredictArgs = {}): O {
    const outputs = predictModel(this, x, args);
    return (this.outputKind === 'list' ? outputs : outputs[0]) as O;
  }

  /** Chooses the optimizer, losses and metrics for `fit` and `evaluate`. */
  compile(args: CompileArgs): void {
    this.compiled = resolveCompileArgs(this, args);
  }

  /**
   * Trains for `epochs` passes over `x` and `y`; resolves to the History of losses and metrics. For several
   * inputs or outputs, `x` and `y` are lists (in the model's order) or objects keyed by name.
   */
  fit(x: ModelData, y: ModelData, args: FitArgs = {}): Promise<History> {
    return fitModel(this, x, y, args);
  }

  /** Loss and metrics on `x`, `y` in inference mode, e.g. `{ loss: 0.08, accuracy: 0.97 }`. */
  evaluate(x: ModelData, y: ModelData, args: EvaluateArgs = {}): Record<string, number> {
    return evaluateModel(this, x, y, args);
  }

  /**
   * Trains on the batches of a data set (`dd.data`), each epoch a pass over it (or `batchesPerEpoch` batches);
   * elements are `{ xs, ys }` as `fit` takes x and y. Resolves to the History, with the same logs as `fit`.
   *
   *     await model.fitDataset(data.csv('file://./train.csv', { columnConfigs: { y: { isLabel: true } } })
   *       .map(({ xs, ys }) => ({ xs: Object.values(xs), ys: Object.values(ys) })).batch(32), { epochs: 5 });
   */
  fitDataset(dataset: Dataset<unknown>, args: FitDatasetArgs = {}): Promise<History> {
    return fitDatasetModel(this, dataset, args);
  }

  /** Loss and metrics over the batches of a data set, in inference mode, as `evaluate` gives them. */
  evaluateDataset(dataset: Dataset<unknown>, args: EvaluateDatasetArgs = {}): Promise<Record<string, number>> {
    return evaluateDatasetModel(this, dataset, args);
  }

  /** Whether training updates the model's weights; setting it sets every layer's (`model.trainable = false` freezes them all, as in Keras). */
  override get trainable(): boolean {
    return super.trainable;
  }

  override set trainable(value: boolean) {
    super.trainable = value;
    for (const layer of this.layers) layer.trainable = value;
  }

  /** All weights of all layers, layer by layer (trainable first within each); a shared layer's once. */
  override get weights(): Variable[] {
    return unique(this.layers.flatMap((l) => l.weights));
  }

  override get trainableWeights(): Variable[] {
    return this.trainable ? unique(this.layers.flatMap((l) => l.trainableWeights)) : [];
  }

  override get nonTrainableWeights(): Variable[] {
    return this.trainable ? unique(this.layers.flatMap((l) => l.nonTrainableWeights)) : this.weights;
  }

  /** Overwrites every weight (same order and shapes as `getWeights`). */
  override setWeights(values: readonly Tensor[]): void {
    const weights = this.weights;
    if (values.length !== weights.length) throw new Error(`Model '${this.name}' has ${weights.length} weights, got ${values.length}.`);
    weights.forEach((w, i) => {
      w.assign(values[i]);
    });
  }

  override countParams(): number {
    return this.weights.reduce((n, w) => n + w.size, 0);
  }

  /** The layers' regularisation penalties together (used when the model is a layer of another). */
  override regularizationLoss(): Tensor {
    let total: Tensor = scalar(0);
    for (const layer of this.layers) if (layer.hasRegularization) total = add(total, layer.regularizationLoss());
    return total;
  }

  override get regularizers(): readonly Regularizer[] {
    return this.layers.flatMap((l) => l.regularizers);
  }

  override get hasRegularization(): boolean {
    return this.layers.some((l) => l.hasRegularization);
  }

  /** Looks a layer up by name or index (in `layers` order). */
  getLayer(nameOrIndex: string | number): Layer {
    const layer = typeof nameOrIndex === 'number' ? this.layers[nameOrIndex] : this.layers.find((l) => l.name === nameOrIndex);
    if (!layer) throw new Error(`Model '${this.name}' has no layer ${JSON.stringify(nameOrIndex)} (layers: ${this.layers.map((l) => l.name).join(', ')}).`);
    return layer;
  }

  /**
   * Prints a Keras-style table: each layer, its output shape and parameter count (for a graph, what each is
   * connected to), then the totals. Returns the text as well.
   */
  summary(printFn: (line: string) => void = console.log): string {
    if (!this.built) {
      throw new Error(
        `Model '${this.name}' is not built yet, so its shapes are unknown. Give the first layer an inputShape (or start with layers.input), or call fit/predict once.`,
      );
    }
    const text = formatModelSummary(this, this.graph);
    for (const line of text.split('\n')) printFn(line);
    return text;
  }

  /** The model's Keras config (camelCase, as TF.js' `getConfig`): its layers with the calls that connect them, and its inputs and outputs. */
  override getConfig(): Record<string, unknown> {
    return modelConfig(this, this.requireGraph('config'));
  }

  /**
   * The model's topology as Keras and TF.js write it in model.json (`{ class_name, config, keras_version,
   * backend }`, snake_case), as a JSON string (TF.js' `model.toJSON()`), or the object with `returnString` false.
   */
  toJSON(unused?: unknown, returnString = true): string | Record<string, unknown> {
    void unused;
    const topology = modelTopology(this, this.graph);
    return returnString ? JSON.stringify(topology) : topology;
  }

  /**
   * Saves the model into the folder `dir` in the TensorFlow.js layers format (`model.json` + `weights.bin`),
   * each file written atomically; `tf.loadLayersModel` and `loadModel` read it. With `includeOptimizer` the
   * optimizer's state goes into `optimizer.bin` too, so that training continues exactly. A path ending in
   * `.keras` writes a Keras 3 archive instead, which `keras.saving.load_model` reads (with the optimizer's state
   * when compiled). Node.js only.
   *
   *     await model.save('./my-model');
   *     await model.save('./my-model.keras');
   *     await model.save('./checkpoint', { includeOptimizer: true });
   */
  async save(dir: string, options: SaveOptions = {}): Promise<void> {
    if (kerasFormatOf(dir) !== null) await saveKerasPath(this, dir, options);
    else await saveModel(this, dir, options);
  }

  /**
   * Writes the model as an ONNX file (opset 17; input `input` [N, ...inputShape] in dendrite's NHWC layout,
   * output `output`; a model of several inputs or outputs names them as `inputNames` and `outputNames` do),
   * atomically, for ONNX Runtime and other ONNX tools. Node.js only; `toOnnxModel` gives the bytes.
   *
   *     await model.exportOnnx('./model.onnx');
   */
  async exportOnnx(path: string): Promise<void> {
    // imported on first use, so that a program that never exports does not load the ONNX protobuf code
    const { exportOnnx } = await import('../io/onnx/export.js');
    await exportOnnx(this, path);
  }
}

registerModelClass(Model);

/**
 * A model from its inputs and outputs (Keras `keras.Model(inputs, outputs)`, TF.js `tf.model`). It returns
 * one tensor when `outputs` is one, a list when it is a list.
 *
 *     const x = input({ shape: [4] });
 *     const y = layers.dense({ units: 1 }).apply(layers.dense({ units: 8, activation: 'relu' }).apply(x));
 *     const m = model({ inputs: x, outputs: y });
 */
export function model<Out extends SymbolicTensor | readonly SymbolicTensor[]>(args: {
  inputs: SymbolicTensor | readonly SymbolicTensor[];
  outputs: Out;
  name?: string;
}): Model<Out extends SymbolicTensor ? Tensor : Tensor[]> {
  return new Model<Out extends SymbolicTensor ? Tensor : Tensor[]>(args);
}
