// Bias add + activation in one pass over memory, and the activation's derivative in one pass: they run on
// every Dense and Conv2D output. Memory-bound, so large arrays are split over the thread pool; the linear
// and relu loops are compiled for AVX-512 too and written as selects (no branch to mispredict on the
// random signs of activations). Sigmoid and tanh compute in double, as the js kernels do, so both backends
// round to the same float.
#include "fused.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "parallel.h"

namespace dendrite {

namespace {

inline float sigmoid(double v) {
  // two branches so exp never overflows
  if (v >= 0) return static_cast<float>(1 / (1 + std::exp(-v)));
  const double e = std::exp(v);
  return static_cast<float>(e / (1 + e));
}

// One row segment of `c` values: yr = act(xr + bias).
DENDRITE_INLINE void biasActivationRow(const float* __restrict xr, const float* __restrict bias, size_t c, Activation act,
                                       float* __restrict yr) {
  switch (act) {
    case Activation::Linear:
      if (bias) {
        for (size_t j = 0; j < c; j++) yr[j] = xr[j] + bias[j];
      } else {
        for (size_t j = 0; j < c; j++) yr[j] = xr[j];
      }
      break;
    case Activation::Relu:
      if (bias) {
        for (size_t j = 0; j < c; j++) {
          const float v = xr[j] + bias[j];
          yr[j] = v > 0 ? v : 0.0f;
        }
      } else {
        for (size_t j = 0; j < c; j++) yr[j] = xr[j] > 0 ? xr[j] : 0.0f;
      }
      break;
    case Activation::Sigmoid:
      for (size_t j = 0; j < c; j++) yr[j] = sigmoid(static_cast<double>(xr[j]) + (bias ? bias[j] : 0.0f));
      break;
    case Activation::Tanh:
      for (size_t j = 0; j < c; j++) yr[j] = static_cast<float>(std::tanh(static_cast<double>(xr[j]) + (bias ? bias[j] : 0.0f)));
      break;
  }
}

DENDRITE_INLINE void biasActivationRows(const float* x, const float* bias, size_t cols, Activation act, float* out, size_t r0, size_t r1,
                                        size_t length) {
  for (size_t r = r0; r < r1; r++) {
    const size_t o = r * cols;
    if (x + o == out + o && act == Activation::Linear && !bias) continue;
    biasActivationRow(x + o, bias, std::min(cols, length - o), act, out + o);
  }
}

DENDRITE_INLINE void activationBackwardPart(Activation act, const float* __restrict y, const float* __restrict dy, float* __restrict out,
                                            size_t first, size_t last) {
  switch (act) {
    case Activation::Linear:
      for (size_t i = first; i < last; i++) out[i] = dy[i];
      break;
    case Activation::Relu:
      for (size_t i = first; i < last; i++) out[i] = y[i] > 0 ? dy[i] : 0.0f;
      break;
    case Activation::Sigmoid:
      for (size_t i = first; i < last; i++) {
        const double v = y[i];
        out[i] = static_cast<float>(static_cast<double>(dy[i]) * v * (1 - v));
      }
      break;
    case Activation::Tanh:
      for (size_t i = first; i < last; i++) {
        const double v = y[i];
        out[i] = static_cast<float>(static_cast<double>(dy[i]) * (1 - v * v));
      }
      break;
  }
}

using RowsFn = void (*)(const float*, const float*, size_t, Activation, float*, size_t, size_t, size_t);
using BackwardFn = void (*)(Activation, const float*, const float*, float*, size_t, size_t);

DENDRITE_AVX512 void rows512(const float* x, const float* bias, size_t cols, Activation act, float* out, size_t r0, size_t r1,
                             size_t length) {
  biasActivationRows(x, bias, cols, act, out, r0, r1, length);
}
DENDRITE_AVX512 void backward512(Activation act, const float* y, const float* dy, float* out, size_t first, size_t last) {
  activationBackwardPart(act, y, dy, out, first, last);
}
void rowsBase(const float* x, const float* bias, size_t cols, Activation act, float* out, size_t r0, size_t r1, size_t length) {
  biasActivationRows(x, bias, cols, act, out, r0, r1, length);
}
void backwardBase(Activation act, const float* y, const float* dy, float* out, size_t first, size_t last) {
  activationBackwardPart(act, y, dy, out, first, last);
}

const RowsFn kRows = useAvx512() ? rows512 : rowsBase;
const BackwardFn kBackward = useAvx512() ? backward512 : backwardBase;

}  // namespace

// NOTE: the kernels run in place too (out == x, out == dy); __restrict above is then still sound, as
// every element is read before it is written, at the same index, by the same iteration.
void biasActivation(const float* x, const float* bias, size_t length, size_t cols, Activation act, float* out) {
  if (length == 0 || cols == 0) return;
  const size_t rows = (length + cols - 1) / cols;
  if (rows == 1) {
    // one long row (no bias): split the row itself
    spread(length, [&](size_t first, size_t last) {
      kRows(x + first, bias ? bias + first : nullptr, last - first, act, out + first, 0, 1, last - first);
    });
    return;
  }
  spread(
      rows * cols,
      [&](size_t first, size_t last) { kRows(x, bias, cols, act, out, first / cols, std::min(rows, (last + cols - 1) / cols), length); },
      cols);
}

void activationBackward(Activation act, const float* y, const float* dy, size_t length, float* out) {
  if (act == Activation::Linear && out == dy) return;
  spread(length, [&](size_t first, size_t last) { kBackward(act, y, dy, out, first, last); });
}

}  // namespace dendrite
