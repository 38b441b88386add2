// The LSTM's loop over time, forward and backward (see Backend.lstmForward / lstmBackward; the js kernels in
// src/backend/js/recurrent.ts are the reference).
#pragma once

#include <cstdint>

namespace dendrite {

// Field order of the Int32Array the bindings receive. Activations: 0 linear, 1 relu, 2 sigmoid, 3 tanh,
// 4 hardSigmoid.
struct LstmInfo {
  int32_t batch, timesteps, units, activation, recurrentActivation, goBackwards, kept;
};

struct LstmBuffers {
  const float* mask;     // [batch, timesteps] or null
  const float* dropout;  // [batch, units] or null
};

void lstmForward(const float* x, const float* recurrentKernel, const float* h0, const float* c0, float* out, float* hIn, float* gates,
                 float* cellOut, const LstmBuffers& b, const LstmInfo& info);
void lstmBackward(const float* dy, const float* recurrentKernel, const float* c0, const float* out, const float* gates,
                  const float* cellOut, float* dz, float* dh, float* dc, const LstmBuffers& b, const LstmInfo& info);

}  // namespace dendrite
