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

// A GRU's: the LSTM's fields and the reset variant (1: resetAfter, Keras 3; 0: TF.js).
struct GruInfo {
  int32_t batch, timesteps, units, activation, recurrentActivation, goBackwards, kept, resetAfter;
};

void lstmForward(const float* x, const float* recurrentKernel, const float* h0, const float* c0, float* out, float* hIn, float* gates,
                 float* cellOut, const LstmBuffers& b, const LstmInfo& info);
void lstmBackward(const float* dy, const float* recurrentKernel, const float* c0, const float* out, const float* gates,
                  const float* cellOut, float* dz, float* dh, float* dc, const LstmBuffers& b, const LstmInfo& info);

// See Backend.gruForward / gruBackward; `recurrentBias` [3u] or null (resetAfter only), `dCand` unused with resetAfter.
void gruForward(const float* x, const float* recurrentKernel, const float* recurrentBias, const float* h0, float* out, float* hIn,
                float* gates, float* extra, const LstmBuffers& b, const GruInfo& info);
void gruBackward(const float* dy, const float* recurrentKernel, const float* h0, const float* out, const float* gates, const float* hIn,
                 const float* extra, float* dx, float* dRec, float* dCand, float* dh, const LstmBuffers& b, const GruInfo& info);

// See Backend.simpleRnnForward / simpleRnnBackward (info.recurrentActivation unused).
void simpleRnnForward(const float* x, const float* recurrentKernel, const float* h0, float* out, float* hIn, const LstmBuffers& b,
                      const LstmInfo& info);
void simpleRnnBackward(const float* dy, const float* recurrentKernel, const float* out, float* dA, float* dh, const LstmBuffers& b,
                       const LstmInfo& info);

}  // namespace dendrite
