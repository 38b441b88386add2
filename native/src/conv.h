// Convolution and pooling over NHWC images; geometry as in src/backend/backend.ts.
#pragma once

#include "fused.h"

namespace dendrite {

struct ConvInfo {
  int batch, inH, inW, inC, outH, outW, outC, kh, kw, strideH, strideW, dilationH, dilationW, padTop, padLeft;
};

struct PoolInfo {
  int batch, inH, inW, channels, outH, outW, poolH, poolW, strideH, strideW, padTop, padLeft;
};

void conv2d(const float* x, const float* filter, float* out, const ConvInfo& info);

// What runs on each block of convolved pixels while it is still in cache: out = act(conv + bias) (bias may be
// null), then, when `pool` is set, a max pool of it (windows that do not overlap: strides equal to the pool size,
// no padding; pool->inH/inW/channels are the convolution's outH/outW/outC). `out` then has the pool's shape, and
// `convOut` (optional, with a pool) receives the activated convolution before the pool, for the backward pass.
struct ConvEpilogue {
  const float* bias = nullptr;
  Activation act = Activation::Linear;
  const PoolInfo* pool = nullptr;
  float* convOut = nullptr;
};
// True when the windows of `pool` tile its input: strides equal to the pool size, no padding, every window whole.
bool poolTiles(const PoolInfo& pool);
// True when `pool` can follow `c` in conv2dFused.
bool fusablePool(const ConvInfo& c, const PoolInfo& pool);
void conv2dFused(const float* x, const float* filter, float* out, const ConvInfo& info, const ConvEpilogue& epilogue);
void conv2dBackpropInput(const float* dy, const float* filter, float* dx, const ConvInfo& info);
void conv2dBackpropFilter(const float* x, const float* dy, float* dw, const ConvInfo& info);

void maxPool2d(const float* x, float* out, const PoolInfo& info);
void maxPool2dBackprop(const float* x, const float* dy, float* dx, const PoolInfo& info);
// dz = act'(y) * maxPool2dBackprop(y, dy): the gradient through an activation and the max pool after it, where y is
// the activation's output (the pool's input); the same values as the two kernels one after the other. biasGrad
// (optional, [channels]): the sums of dz over its pixels, image by image, then over the images in order.
void maxPoolActivationBackward(const float* y, const float* dy, Activation act, float* dz, float* biasGrad, const PoolInfo& info);
void avgPool2d(const float* x, float* out, const PoolInfo& info);
void avgPool2dBackprop(const float* dy, float* dx, const PoolInfo& info);

}  // namespace dendrite
