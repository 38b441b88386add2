export {
  leakyRelu,
  elu,
  softplus,
  gelu,
  swish,
  relu6,
  selu,
  hardSigmoid,
  softsign,
  mish,
  thresholdedRelu,
  prelu,
  generalRelu,
  type GeneralReluOptions,
} from './activations.js';
export { add, sub, mul, div, maximum, minimum, neg, square, equal, notEqual, greater, greaterEqual, less, lessEqual } from './binary.js';
export { pow } from './pow.js';
export { broadcastTo, sumToShape } from './broadcast.js';
export { clipByValue } from './clip.js';
export { matmul, dot } from './matmul.js';
export { gather } from './gather.js';
export { oneHot } from './one-hot.js';
export { sum, mean, max, min, argMax, argMin, type Axis } from './reduce.js';
export { reshape, flatten, expandDims, squeeze } from './reshape.js';
export { slice, pad, concat } from './slice.js';
export { softmax, logSoftmax, logSumExp, softmaxCrossEntropy } from './softmax.js';
export { transpose } from './transpose.js';
export { abs, exp, log, sqrt, tanh, sigmoid, relu, erf, sign, step, floor, round } from './unary.js';
export { where } from './where.js';
export { conv2d, depthwiseConv2d, conv2dTranspose, convOutputLength, type Conv2DOptions, type Conv2DTransposeOptions, type Padding } from './conv.js';
export { maxPool2d, avgPool2d, globalAveragePooling2d, globalMaxPooling2d, type Pool2DOptions } from './pool.js';
export { batchNorm, layerNorm, moments, type LayerNormOptions } from './normalization.js';
export { upSampling2d, resizeBilinear, resizeNearestNeighbor, type ResizeOptions, type UpSampling2DOptions } from './resize.js';
export { biasActivation, activationGrad, FUSABLE_ACTIVATIONS, type FusedActivation } from './fused.js';
