// Fused optimizer updates: one pass over a variable and its slots per step (see the js reference in
// src/backend/js/optim.ts). Arithmetic in the js formulas' order and precision (Adam float32, the others
// double), so both backends give the same floats bit for bit.
#pragma once

#include <cstddef>

namespace dendrite {

struct AdamStep {
  double lr, beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon, correction1, correction2, decay;
};
struct SgdStep {
  double lr, momentum;
  bool nesterov;
};
struct RmspropStep {
  double lr, rho, oneMinusRho, momentum, epsilon;
};
struct AdagradStep {
  double lr, epsilon;
};

void adamUpdate(float* p, const float* g, float* m, float* v, size_t n, const AdamStep& s);
// velocity may be null (plain gradient descent)
void sgdUpdate(float* p, const float* g, float* velocity, size_t n, const SgdStep& s);
// momentum and average may be null (no momentum / not centred)
void rmspropUpdate(float* p, const float* g, float* accumulator, float* momentum, float* average, size_t n, const RmspropStep& s);
void adagradUpdate(float* p, const float* g, float* accumulator, size_t n, const AdagradStep& s);

}  // namespace dendrite
