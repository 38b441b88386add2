// `dendrite/tfjs`: TensorFlow.js 4.x's names, argument orders, defaults and return types, built on dendrite, so
// that a TF.js program runs by changing its import (`import * as tf from 'dendrite/tfjs'`). Nothing here is a
// second implementation: each name maps onto dendrite's tensors, ops, layers, models and optimizers, adapting
// only what TF.js spells or returns differently. One module per area; this file only gathers them.
export * from './models.js';
export * as io from './io.js';
export * as layers from '../nn/layers/index.js';
export * as callbacks from '../model/callbacks-index.js';
// tf.data: dendrite's streaming datasets, which follow TF.js' (data.array, generator, csv, zip; map, batch, shuffle, ...).
export * as data from '../data/dataset/index.js';
export * as serialization from '../io/serialization.js';
// Tensors: creation and dtypes.
export * from './creation.js';
export type { DataType, TensorLike, TypedArray, RecursiveArray } from './dtype.js';
export * from './arithmetic.js';
export * from './math.js';
export * from './reduction.js';
export * from './shape-ops.js';
export * from './nn-ops.js';
export * as image from './image.js';
export * as browser from './browser.js';
export * from './random.js';
export * from './buffer.js';
export { print } from './format.js';
export { tidy, dispose, keep, memory, nextFrame, type MemoryInfo } from './memory.js';
export { setBackend, getBackend, ready, env, Environment, enableProdMode, enableDebugMode, version } from './environment.js';
export * as util from './util.js';
import './tensor-methods.js';
// Training: tf.train's optimizers and TF.js' optimizer classes, gradients, tf.losses with tf.Reduction, tf.metrics.
export * as train from './train.js';
export {
  Optimizer,
  SGDOptimizer,
  MomentumOptimizer,
  AdamOptimizer,
  AdamaxOptimizer,
  AdadeltaOptimizer,
  RMSPropOptimizer,
  AdagradOptimizer,
} from './optimizers.js';
export {
  grad,
  grads,
  valueAndGrad,
  valueAndGrads,
  variableGrads,
  customGrad,
  type CustomGradientResult,
  type GradSaveFunc,
  type NamedTensorMap,
} from './gradients.js';
export * as losses from './losses.js';
export { Reduction } from './losses.js';
export * as metrics from './metrics.js';
