// What the file layer needs of a model: the members it reads to save or export one, and the few it calls to
// fill in a model it loads. io works on these interfaces, never on `Sequential` or `Model`, because the model
// floor imports io (`model.save`, checkpoints): io importing the model back would make the two one tangle.
// Whoever loads hands io a way to make the models a file describes (see model/load-model.ts).
import type { Layer, SymbolicShape } from '../nn/layer.js';
import type { Loss } from '../nn/losses.js';
import type { MetricIdentifier } from '../nn/metrics.js';
import type { Optimizer } from '../nn/optimizers/optimizer.js';
import type { SymbolicTensor } from '../nn/symbolic-tensor.js';
import type { Variable } from '../tensor/tensor.js';

/** What one output of a compiled model trains with. */
export interface SaveableCompiledOutput {
  /** The output's name (its layer's), as compile settings keyed by output name use it. */
  readonly outputName: string;
  readonly loss: Loss;
  /** Its loss's weight in the total (`lossWeights`). */
  readonly weight: number;
  /** Its metrics, named by their log keys (`dense_2_accuracy` in a model of several outputs). */
  readonly metrics: readonly { readonly name: string }[];
}

/** The compile settings a file records: the optimizer (and its state), the loss and the metrics' names. */
export interface SaveableCompileState {
  readonly optimizer: Optimizer;
  /** The first output's loss: the loss of a model of one output. */
  readonly loss: Loss;
  readonly metrics: readonly { readonly name: string }[];
  /** One entry per output, in the model's output order. */
  readonly outputs: readonly SaveableCompiledOutput[];
}

/** What `modelToArtifacts`, `saveModel` and `toOnnxModel` read of a model. */
export interface SaveableModel {
  readonly name: string;
  /** 'Sequential', or 'Model' for a graph model. */
  readonly className: string;
  readonly built: boolean;
  /** Batch axis first; null until the model is built. */
  readonly inputShape: SymbolicShape | null;
  readonly outputShape: SymbolicShape | null;
  readonly layers: readonly Layer[];
  /** All weights of all layers, trainable first within each layer. */
  readonly weights: readonly Variable[];
  /** Null until compiled. */
  readonly compiled: SaveableCompileState | null;
  /** The topology as model.json holds it (TF.js' `model.toJSON(null, false)`): a graph model's with its layer calls. */
  toJSON(unused: null, returnString: false): string | Record<string, unknown>;
}

/** The compile arguments a load passes: one loss, or one per output with their weights and metrics. */
export interface LoadCompileArgs {
  optimizer: Optimizer;
  loss: Loss | readonly Loss[];
  lossWeights?: readonly number[];
  /** One list for all outputs, or a list per output. */
  metrics?: readonly MetricIdentifier[] | readonly (readonly MetricIdentifier[])[];
}

/** A model a load fills in: built from the file's layers, then compiled as saved. */
export interface LoadableModel extends SaveableModel {
  /** The output names, in order: what a file's compile settings keyed by output name refer to. */
  readonly outputNames: readonly string[];
  /** Set false for a model a file records as frozen. */
  trainable: boolean;
  compile(args: LoadCompileArgs): void;
}

/** A Sequential model a load fills in: the file's layers are added, then it is built for the saved input shape. */
export interface LoadableSequential extends LoadableModel {
  add(layer: Layer): void;
  build(inputShape: SymbolicShape): void;
}

/**
 * Makes the models a file describes, each named as the file names it: an empty Sequential (`new Sequential(args)`),
 * or a graph model from the symbolic tensors the file's layer calls made (`new Model(args)`; one output tensor
 * makes a model that returns one tensor, a list one that returns a list). Each must be a `Layer` too, so that it
 * can be nested in another model.
 */
export interface ModelMakers<M extends LoadableModel> {
  sequential(args: { name?: string }): M & LoadableSequential;
  graph(args: { inputs: SymbolicTensor[]; outputs: SymbolicTensor | SymbolicTensor[]; name?: string }): M;
}
