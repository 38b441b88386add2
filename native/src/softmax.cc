// Softmax and softmax + crossentropy, row by row, with the js reference's roundings (src/backend/js/softmax.ts):
// the shifted logits, exp and the row sum are rounded to float where the composed ops stored floats.
#include "softmax.h"

#include <cmath>

#include "parallel.h"

namespace dendrite {

namespace {

// e[j] = exp(x[j] - max) as floats; returns the row max and the float row sum
void shiftedExp(const float* x, size_t cols, float* e, float& max, float& sum) {
  float m = -INFINITY;
  for (size_t j = 0; j < cols; j++) {
    if (x[j] > m || x[j] != x[j]) m = x[j];
  }
  double acc = 0;
  for (size_t j = 0; j < cols; j++) {
    const float v = static_cast<float>(std::exp(static_cast<double>(x[j] - m)));
    e[j] = v;
    acc += v;
  }
  max = m;
  sum = static_cast<float>(acc);
}

}  // namespace

void softmax(const float* x, size_t rows, size_t cols, float* out) {
  spread(
      rows * cols,
      [&](size_t first, size_t last) {
        for (size_t r = first / cols; r < last / cols; r++) {
          float m, s;
          float* o = out + r * cols;
          shiftedExp(x + r * cols, cols, o, m, s);
          for (size_t j = 0; j < cols; j++) o[j] = o[j] / s;
        }
      },
      cols);
}

void softmaxCrossEntropy(const float* logits, const float* labels, size_t rows, size_t cols, float* probs, float* losses) {
  spread(
      rows * cols,
      [&](size_t first, size_t last) {
        for (size_t r = first / cols; r < last / cols; r++) {
          const float* x = logits + r * cols;
          const float* y = labels + r * cols;
          float* p = probs + r * cols;
          float m, s;
          shiftedExp(x, cols, p, m, s);
          const float logSum = static_cast<float>(std::log(static_cast<double>(s)));
          double acc = 0;
          for (size_t j = 0; j < cols; j++) {
            const float logP = (x[j] - m) - logSum;
            acc += y[j] * logP;
            p[j] = p[j] / s;
          }
          losses[r] = static_cast<float>(-acc);
        }
      },
      cols);
}

void softmaxCrossEntropyBackward(const float* probs, const float* labels, const float* dLosses, size_t rows, size_t cols, float* dLogits) {
  spread(
      rows * cols,
      [&](size_t first, size_t last) {
        for (size_t r = first / cols; r < last / cols; r++) {
          const float* p = probs + r * cols;
          const float* y = labels + r * cols;
          float* d = dLogits + r * cols;
          double sumY = 0;
          for (size_t j = 0; j < cols; j++) sumY += y[j];
          const double dl = dLosses[r];
          for (size_t j = 0; j < cols; j++) d[j] = static_cast<float>(dl * (static_cast<double>(p[j]) * sumY - static_cast<double>(y[j])));
        }
      },
      cols);
}

}  // namespace dendrite
