import { bernoulliMaskJs } from '../../tensor/rng.js';
import type { Backend } from '../backend.js';
import { conv2d, conv2dBackpropFilter, conv2dBackpropInput } from './conv.js';
import { depthwiseConv2d, depthwiseConv2dBackpropFilter, depthwiseConv2dBackpropInput } from './depthwise-conv.js';
import { binary, unary, where } from './elementwise.js';
import { activationBackward, biasActivation, composeConv2dFused, composeMaxPoolActivationBackward } from './fused.js';
import { copyRegion, gatherRows, transpose } from './layout.js';
import { matmul } from './matmul.js';
import { adadeltaUpdate, adagradUpdate, adamaxUpdate, adamUpdate, momentumUpdate, rmspropUpdate, sgdUpdate } from './optim.js';
import { gruKernels, lstmKernels, simpleRnnKernels } from './recurrent.js';
import { avgPool2d, avgPool2dBackprop, maxPool2d, maxPool2dBackprop } from './pool.js';
import { argReduce, reduce } from './reduce.js';
import { softmax, softmaxCrossEntropy, softmaxCrossEntropyBackward } from './softmax.js';
import { resizeBilinear, resizeBilinearBackprop, resizeNearestNeighbor, resizeNearestNeighborBackprop } from './resize.js';

/** The portable reference backend: plain TypeScript loops, the oracle for every faster backend. */
export const jsBackend: Backend = {
  name: 'js',
  unary,
  binary,
  where,
  biasActivation,
  activationBackward,
  bernoulliMask: bernoulliMaskJs,
  reduce,
  argReduce,
  matmul,
  ...lstmKernels(matmul),
  ...gruKernels(matmul),
  ...simpleRnnKernels(matmul),
  gatherRows,
  transpose,
  copyRegion,
  conv2d,
  conv2dFused: composeConv2dFused({ conv2d, biasActivation, maxPool2d }),
  conv2dBackpropInput,
  conv2dBackpropFilter,
  depthwiseConv2d,
  depthwiseConv2dBackpropInput,
  depthwiseConv2dBackpropFilter,
  maxPool2d,
  maxPool2dBackprop,
  maxPoolActivationBackward: composeMaxPoolActivationBackward({ maxPool2dBackprop, activationBackward }),
  avgPool2d,
  avgPool2dBackprop,
  resizeBilinear,
  resizeBilinearBackprop,
  resizeNearestNeighbor,
  resizeNearestNeighborBackprop,
  softmax,
  softmaxCrossEntropy,
  softmaxCrossEntropyBackward,
  adamUpdate,
  sgdUpdate,
  rmspropUpdate,
  adagradUpdate,
  adamaxUpdate,
  adadeltaUpdate,
  momentumUpdate,
};
