// The model as `compile`, `fit`, `evaluate` and `summary` see it. They take this interface rather than
// `Sequential` because Sequential's methods call them: each importing the other would be a cycle. A Sequential
// is one (and so will a graph model be), so the training loop is written once.
import type { EpochProgress } from '../io/format.js';
import type { CallArgs, Layer, SymbolicShape } from '../nn/layer.js';
import type { Loss } from '../nn/losses.js';
import type { Optimizer } from '../nn/optimizers/optimizer.js';
import type { Tensor, Variable } from '../tensor/tensor.js';
import type { TrainingModel } from './callbacks.js';

/** Optimizer, loss and metrics, after `compile`. */
export interface CompiledState {
  optimizer: Optimizer;
  loss: Loss;
  metrics: { name: string; fn: (yTrue: Tensor, yPred: Tensor) => Tensor }[];
  /** The loss and every metric are built-in (named, or a built-in loss function): no user code. */
  builtInLossAndMetrics: boolean;
}

export interface TrainableModel extends TrainingModel {
  readonly name: string;
  readonly layers: readonly Layer[];
  readonly built: boolean;
  /** Batch axis first; null until the model is built. */
  readonly inputShape: SymbolicShape | null;
  readonly outputShape: SymbolicShape | null;
  readonly compiled: CompiledState | null;
  readonly trainableWeights: readonly Variable[];
  /** Where the last `fit` stopped inside an epoch (null when it ended at an epoch's end). */
  interruption: { epoch: number; progress: EpochProgress } | null;
  build(inputShape: SymbolicShape): void;
  apply(x: Tensor, args?: CallArgs): Tensor;
  countParams(): number;
}
