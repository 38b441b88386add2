// The model as `compile`, `fit`, `evaluate` and `summary` see it. They take this interface rather than `Model`
// because Model's methods call them: each importing the other would be a cycle. A `Model` (graph) and a
// `Sequential` (a chain) are both one, so the training loop is written once, on lists: one tensor per input
// and one per output (a list of one for most models).
import type { EpochProgress } from '../io/format.js';
import type { CallArgs, Layer, SymbolicShape } from '../nn/layer.js';
import type { Loss } from '../nn/losses.js';
import type { Optimizer } from '../nn/optimizers/optimizer.js';
import type { Tensor, Variable } from '../tensor/tensor.js';
import type { LayerMask } from '../nn/symbolic-tensor.js';
import type { TrainingModel } from './callbacks.js';

/** A metric as compile resolved it: `name` is its log key (`accuracy`; `dense_2_accuracy` in a model of several outputs). */
export interface CompiledMetric {
  name: string;
  fn: (yTrue: Tensor, yPred: Tensor) => Tensor;
}

/** What one output trains with. */
export interface CompiledOutput {
  /** The output's name (the name of the layer that makes it), as log keys use it. */
  readonly outputName: string;
  readonly loss: Loss;
  /** The weight of its loss in the total (`lossWeights`; 1 by default). */
  readonly weight: number;
  /** Its metrics, with their log keys. */
  readonly metrics: readonly CompiledMetric[];
}

/** Optimizer, losses and metrics, after `compile`. */
export interface CompiledState {
  optimizer: Optimizer;
  /** The first output's loss: the loss of a model of one output. */
  loss: Loss;
  /** Every output's metrics, in output order, with their log keys. */
  metrics: CompiledMetric[];
  /** One entry per output, in the model's output order. */
  outputs: readonly CompiledOutput[];
  /** The losses and every metric are built-in (named, or a built-in loss function): no user code. */
  builtInLossAndMetrics: boolean;
}

export interface TrainableModel extends TrainingModel {
  readonly name: string;
  readonly layers: readonly Layer[];
  readonly built: boolean;
  /** The input and output names, in order: the keys of data given as objects, and of a several-output model's logs. */
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Batch axis first, one per input / output; null until the model is built. */
  readonly inputShapes: readonly SymbolicShape[] | null;
  readonly outputShapes: readonly SymbolicShape[] | null;
  readonly compiled: CompiledState | null;
  readonly trainableWeights: readonly Variable[];
  /** Where the last `fit` stopped inside an epoch (null when it ended at an epoch's end). */
  interruption: { epoch: number; progress: EpochProgress } | null;
  /** Builds a model that is not built yet (a Sequential without an input shape) for inputs of `inputShape`. */
  build(inputShape: SymbolicShape | SymbolicShape[]): void;
  /** Runs the model: one tensor per input in, one per output out (recorded on the tape when gradients are on). */
  forward(inputs: readonly Tensor[], args?: CallArgs): Tensor[];
  /** The masks of the outputs of the run that returned `outputs` (see Layer.computeMask). */
  computeMask(inputs: Tensor | Tensor[], mask: LayerMask | undefined, outputs?: Tensor | Tensor[]): LayerMask;
  countParams(): number;
}
