// The public API of dendrite. Everything a user imports comes from here.
import './ops/methods.js';

export { Tensor, Variable, type NestedArray, type DataType, type DataTypeMap } from './tensor/tensor.js';
export { tensor, scalar, zeros, ones, fill, zerosLike, onesLike, randomNormal, randomUniform, linspace, range, type TensorLike } from './tensor/create.js';
export { setSeed, getRngState, setRngState } from './tensor/rng.js';
export type { Shape } from './tensor/shape.js';
export { setBackend, getBackend, listBackends, registerBackend } from './backend/registry.js';
export type { Backend } from './backend/backend.js';
export { wasmInfo, wasmReady, type WasmInfo } from './backend/wasm/index.js';
export * from './ops/index.js';
export { noGrad, isGradEnabled } from './autograd/mode.js';
export { backward, gradients } from './autograd/backward.js';
export { grad, grads, valueAndGrad, valueAndGrads } from './autograd/functional.js';
export { Layer, type LayerArgs, type CallArgs, type SymbolicShape, type Produces } from './nn/layer.js';
export { SymbolicTensor, Node } from './nn/symbolic-tensor.js';
export { symbolicInput as input } from './nn/layers/input.js';
export * as layers from './nn/layers/index.js';
export { initializers, type Initializer, type InitializerName, type InitializerIdentifier } from './nn/initializers.js';
export { regularizers, type Regularizer, type RegularizerIdentifier } from './nn/regularizers.js';
export {
  getActivation,
  activationFromLayer,
  type ActivationName,
  type ActivationIdentifier,
  type ActivationFunction,
  type ActivationLayerSpec,
} from './nn/activations.js';
export * as losses from './nn/losses.js';
export * as metrics from './nn/metrics.js';
export * as optimizers from './nn/optimizers/index.js';
export { Model, model, type ModelArgs, type OutputKind } from './model/model.js';
export type { ModelData } from './model/model-data.js';
export type { PredictArgs } from './model/predict.js';
export { Sequential, sequential, type SequentialArgs } from './model/sequential.js';
export * as serialization from './io/serialization.js';
export { exportOnnx, toOnnxModel } from './io/onnx/export.js';
export type { CompileArgs, LossSpec } from './model/compile-settings.js';
export type { EvaluateArgs } from './model/evaluate.js';
export type { FitArgs } from './model/fit.js';
export type { FitDatasetArgs } from './model/fit-dataset.js';
export type { EvaluateDatasetArgs } from './model/evaluate-dataset.js';
export type { EpochProgress } from './io/format.js';
export {
  loadModel,
  loadCheckpoint,
  modelFromArtifacts,
  modelFromKerasBytes,
  checkpointFromArtifacts,
  type LoadOptions,
  type ArtifactsOptions,
  type Checkpoint,
} from './model/load-model.js';
export { modelToArtifacts, type SaveOptions, type ModelArtifacts } from './io/save.js';
export { kerasFileBytes as modelToKerasBytes } from './io/keras3/write-keras.js';
export { readCompanionFile } from './io/companion-files.js';
export { History } from './model/history.js';
export type { Callback, Logs } from './model/callbacks.js';
export * as callbacks from './model/callbacks-index.js';
export * from './data/index.js';
export * as data from './data/dataset/index.js';
export * from './tabular/index.js';
export { confusionMatrix, formatConfusionMatrix } from './nn/confusion-matrix.js';
