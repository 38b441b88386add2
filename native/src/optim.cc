// Optimizer updates. Each formula is the js one (src/backend/js/optim.ts) operation for operation: Adam's
// in float32, the others' in double (float inputs widen exactly, every + - * / sqrt rounds the same way in
// both languages, and the results are rounded to float where js stores into a Float32Array). Large
// variables are split over the thread pool; the loops vectorise.
#include "optim.h"

#include <cmath>

#include "parallel.h"

namespace dendrite {

namespace {

// Adam computes in float32 (the js formula rounds each operation to float32): 16 lanes per AVX-512
// vector, and a float square root and division cost a quarter of double's.
DENDRITE_INLINE void adamBody(float* __restrict p, const float* __restrict g, float* __restrict m, float* __restrict v, size_t i0,
                              size_t i1, const AdamStep& s) {
  const float b1 = static_cast<float>(s.beta1), c1m = static_cast<float>(s.oneMinusBeta1), b2 = static_cast<float>(s.beta2),
              c2m = static_cast<float>(s.oneMinusBeta2), eps = static_cast<float>(s.epsilon), c2 = static_cast<float>(s.correction2),
              stepSize = static_cast<float>(s.lr * s.correction1);
  if (s.decay != 1) {
    const float keep = static_cast<float>(s.decay);
    for (size_t i = i0; i < i1; i++) p[i] = p[i] * keep;
  }
  for (size_t i = i0; i < i1; i++) {
    const float gi = g[i];
    const float mi = b1 * m[i] + c1m * gi;
    const float vi = b2 * v[i] + c2m * gi * gi;
    m[i] = mi;
    v[i] = vi;
    p[i] = p[i] - (stepSize * mi) / (std::sqrt(vi * c2) + eps);
  }
}

DENDRITE_INLINE void sgdBody(float* __restrict p, const float* __restrict g, float* __restrict vel, size_t i0, size_t i1,
                             const SgdStep& s) {
  const double lr = s.lr, mo = s.momentum;
  if (!vel) {
    for (size_t i = i0; i < i1; i++) p[i] = static_cast<float>(static_cast<double>(p[i]) - lr * static_cast<double>(g[i]));
  } else if (s.nesterov) {
    for (size_t i = i0; i < i1; i++) {
      const double step = lr * static_cast<double>(g[i]);
      const double vi = mo * static_cast<double>(vel[i]) - step;
      vel[i] = static_cast<float>(vi);
      p[i] = static_cast<float>(static_cast<double>(p[i]) + (mo * vi - step));
    }
  } else {
    for (size_t i = i0; i < i1; i++) {
      const double vi = mo * static_cast<double>(vel[i]) - lr * static_cast<double>(g[i]);
      vel[i] = static_cast<float>(vi);
      p[i] = static_cast<float>(static_cast<double>(p[i]) + vi);
    }
  }
}

DENDRITE_INLINE void rmspropBody(float* __restrict p, const float* __restrict g, float* __restrict a, float* __restrict mom,
                                 float* __restrict avg, size_t i0, size_t i1, const RmspropStep& s) {
  const double rho = s.rho, omr = s.oneMinusRho, lr = s.lr, eps = s.epsilon, mo = s.momentum;
  for (size_t i = i0; i < i1; i++) {
    const double gi = g[i];
    const double ai = rho * static_cast<double>(a[i]) + omr * gi * gi;
    a[i] = static_cast<float>(ai);
    double denom = ai;
    if (avg) {
      const double mg = rho * static_cast<double>(avg[i]) + omr * gi;
      avg[i] = static_cast<float>(mg);
      const double d = ai - mg * mg;
      // Math.max(d, 0): NaN stays NaN, -0 becomes +0
      denom = d > 0 || d != d ? d : 0.0;
    }
    const double stepSize = (lr * gi) / (std::sqrt(denom) + eps);
    if (mom) {
      const double mi = mo * static_cast<double>(mom[i]) + stepSize;
      mom[i] = static_cast<float>(mi);
      p[i] = static_cast<float>(static_cast<double>(p[i]) - mi);
    } else {
      p[i] = static_cast<float>(static_cast<double>(p[i]) - stepSize);
    }
  }
}

DENDRITE_INLINE void adagradBody(float* __restrict p, const float* __restrict g, float* __restrict a, size_t i0, size_t i1,
                                 const AdagradStep& s) {
  const double lr = s.lr, eps = s.epsilon;
  for (size_t i = i0; i < i1; i++) {
    const double gi = g[i];
    const double ai = static_cast<double>(a[i]) + gi * gi;
    a[i] = static_cast<float>(ai);
    p[i] = static_cast<float>(static_cast<double>(p[i]) - (lr * gi) / (std::sqrt(ai) + eps));
  }
}

DENDRITE_AVX512 void adam512(float* p, const float* g, float* m, float* v, size_t i0, size_t i1, const AdamStep& s) {
  adamBody(p, g, m, v, i0, i1, s);
}
DENDRITE_AVX512 void sgd512(float* p, const float* g, float* vel, size_t i0, size_t i1, const SgdStep& s) { sgdBody(p, g, vel, i0, i1, s); }
DENDRITE_AVX512 void rmsprop512(float* p, const float* g, float* a, float* mom, float* avg, size_t i0, size_t i1, const RmspropStep& s) {
  rmspropBody(p, g, a, mom, avg, i0, i1, s);
}
DENDRITE_AVX512 void adagrad512(float* p, const float* g, float* a, size_t i0, size_t i1, const AdagradStep& s) {
  adagradBody(p, g, a, i0, i1, s);
}
void adamBase(float* p, const float* g, float* m, float* v, size_t i0, size_t i1, const AdamStep& s) { adamBody(p, g, m, v, i0, i1, s); }
void sgdBase(float* p, const float* g, float* vel, size_t i0, size_t i1, const SgdStep& s) { sgdBody(p, g, vel, i0, i1, s); }
void rmspropBase(float* p, const float* g, float* a, float* mom, float* avg, size_t i0, size_t i1, const RmspropStep& s) {
  rmspropBody(p, g, a, mom, avg, i0, i1, s);
}
void adagradBase(float* p, const float* g, float* a, size_t i0, size_t i1, const AdagradStep& s) { adagradBody(p, g, a, i0, i1, s); }

const bool kAvx512 = useAvx512();

// A division and a square root per element: worth two threads from far fewer elements than a copy.
constexpr size_t kSplitFrom = 1 << 14;

}  // namespace

void adamUpdate(float* p, const float* g, float* m, float* v, size_t n, const AdamStep& s) {
  auto f = kAvx512 ? adam512 : adamBase;
  spread(
      n, [&](size_t a, size_t b) { f(p, g, m, v, a, b, s); }, 16, kSplitFrom);
}

void sgdUpdate(float* p, const float* g, float* velocity, size_t n, const SgdStep& s) {
  auto f = kAvx512 ? sgd512 : sgdBase;
  spread(
      n, [&](size_t a, size_t b) { f(p, g, velocity, a, b, s); }, 16, kSplitFrom);
}

void rmspropUpdate(float* p, const float* g, float* accumulator, float* momentum, float* average, size_t n, const RmspropStep& s) {
  auto f = kAvx512 ? rmsprop512 : rmspropBase;
  spread(
      n, [&](size_t a, size_t b) { f(p, g, accumulator, momentum, average, a, b, s); }, 16, kSplitFrom);
}

void adagradUpdate(float* p, const float* g, float* accumulator, size_t n, const AdagradStep& s) {
  auto f = kAvx512 ? adagrad512 : adagradBase;
  spread(
      n, [&](size_t a, size_t b) { f(p, g, accumulator, a, b, s); }, 16, kSplitFrom);
}

}  // namespace dendrite
