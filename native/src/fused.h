// Bias add + activation, and the activation's derivative from its output (see Backend.biasActivation).
#pragma once

#include <cstddef>

namespace dendrite {

enum class Activation { Linear = 0, Relu = 1, Sigmoid = 2, Tanh = 3 };

// out[r, j] = act(x[r, j] + bias[j]) over rows of `cols` values (bias may be null: no add).
void biasActivation(const float* x, const float* bias, size_t length, size_t cols, Activation act, float* out);
// out = dy * act'(y), the derivative written in terms of the activation's output y.
void activationBackward(Activation act, const float* y, const float* dy, size_t length, float* out);

}  // namespace dendrite
