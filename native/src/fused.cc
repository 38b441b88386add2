// Bias add + activation in one pass over memory, and the activation's derivative in one pass: they run on
// every Dense and Conv2D output. Memory-bound, so large arrays are split over the thread pool. Sigmoid and
// tanh compute in double, as the js kernels do, so both backends round to the same float.
#include "fused.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "threadpool.h"

namespace dendrite {

namespace {

constexpr size_t kParallelMin = 1 << 17;  // elements below which one thread is quicker

inline float sigmoid(double v) {
  // two branches so exp never overflows
  if (v >= 0) return static_cast<float>(1 / (1 + std::exp(-v)));
  const double e = std::exp(v);
  return static_cast<float>(e / (1 + e));
}

// Calls body(first, last) over [0, count) in parallel when count is large.
template <class F>
void spread(size_t count, F&& body) {
  ThreadPool& pool = ThreadPool::get();
  if (count < kParallelMin || pool.size() <= 1) {
    body(size_t{0}, count);
    return;
  }
  const int tasks = pool.size();
  pool.parallelFor(tasks, [&](int t) { body(count * t / tasks, count * (t + 1) / tasks); });
}

void biasActivationRows(const float* x, const float* bias, size_t cols, Activation act, float* out, size_t r0, size_t r1, size_t length) {
  for (size_t r = r0; r < r1; r++) {
    const size_t o = r * cols;
    const size_t c = std::min(cols, length - o);
    const float* xr = x + o;
    float* yr = out + o;
    switch (act) {
      case Activation::Linear:
        if (bias) {
          for (size_t j = 0; j < c; j++) yr[j] = xr[j] + bias[j];
        } else if (yr != xr) {
          std::memmove(yr, xr, sizeof(float) * c);
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
}

}  // namespace

void biasActivation(const float* x, const float* bias, size_t length, size_t cols, Activation act, float* out) {
  if (length == 0 || cols == 0) return;
  const size_t rows = (length + cols - 1) / cols;
  if (rows == 1) {
    // one long row (no bias): split the row itself
    spread(length, [&](size_t first, size_t last) { biasActivationRows(x + first, bias ? bias + first : nullptr, last - first, act, out + first, 0, 1, last - first); });
    return;
  }
  const size_t perRow = cols;
  spread(length, [&](size_t first, size_t last) {
    // whole rows only: [first, last) in elements, rounded to rows
    const size_t r0 = (first + perRow - 1) / perRow, r1 = last == length ? rows : (last + perRow - 1) / perRow;
    biasActivationRows(x, bias, cols, act, out, r0, r1, length);
  });
}

void activationBackward(Activation act, const float* y, const float* dy, size_t length, float* out) {
  spread(length, [&](size_t first, size_t last) {
    switch (act) {
      case Activation::Linear:
        if (out != dy) std::memmove(out + first, dy + first, sizeof(float) * (last - first));
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
  });
}

}  // namespace dendrite
