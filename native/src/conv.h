// Convolution and pooling over NHWC images; geometry as in src/backend/backend.ts.
#pragma once

namespace dendrite {

struct ConvInfo {
  int batch, inH, inW, inC, outH, outW, outC, kh, kw, strideH, strideW, dilationH, dilationW, padTop, padLeft;
};

struct PoolInfo {
  int batch, inH, inW, channels, outH, outW, poolH, poolW, strideH, strideW, padTop, padLeft;
};

void conv2d(const float* x, const float* filter, float* out, const ConvInfo& info);
void conv2dBackpropInput(const float* dy, const float* filter, float* dx, const ConvInfo& info);
void conv2dBackpropFilter(const float* x, const float* dy, float* dw, const ConvInfo& info);

void maxPool2d(const float* x, float* out, const PoolInfo& info);
void maxPool2dBackprop(const float* x, const float* dy, float* dx, const PoolInfo& info);
void avgPool2d(const float* x, float* out, const PoolInfo& info);
void avgPool2dBackprop(const float* dy, float* dx, const PoolInfo& info);

}  // namespace dendrite
