// What the file layer needs of a model: the members it reads to save or export one, and the few it calls to
// fill in a model it loads. io works on these interfaces, never on `Sequential`, because the model floor
// imports io (`model.save`, checkpoints): io importing the model back would make the two one tangle. A
// `Sequential` is both; whoever loads hands io a way to make an empty one (see model/load-model.ts).
import type { Layer, SymbolicShape } from '../nn/layer.js';
import type { Loss } from '../nn/losses.js';
import type { MetricIdentifier } from '../nn/metrics.js';
import type { Optimizer } from '../nn/optimizers/optimizer.js';
import type { Variable } from '../tensor/tensor.js';

/** The compile settings a file records: the optimizer (and its state), the loss and the metrics' names. */
export interface SaveableCompileState {
  readonly optimizer: Optimizer;
  readonly loss: Loss;
  readonly metrics: readonly { readonly name: string }[];
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
}

/** A model that a load fills in: the file's layers are added, then it is built and compiled as saved. */
export interface LoadableModel extends SaveableModel {
  add(layer: Layer): void;
  build(inputShape: SymbolicShape): void;
  compile(args: { optimizer: Optimizer; loss: Loss; metrics?: readonly MetricIdentifier[] }): void;
}

/** Makes the empty model a load fills in, named as the file names it (`new Sequential(args)` for a Sequential file). */
export type NewModel<M extends LoadableModel> = (args: { name?: string }) => M;
