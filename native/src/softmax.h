// Softmax over rows and the fused softmax + crossentropy (see src/backend/js/softmax.ts, the reference).
#pragma once

#include <cstddef>

namespace dendrite {

void softmax(const float* x, size_t rows, size_t cols, float* out);
// probs = softmax(logits) per row; losses[r] = -sum_j labels[r, j] * log(probs[r, j]) (from the logits)
void softmaxCrossEntropy(const float* logits, const float* labels, size_t rows, size_t cols, float* probs, float* losses);
// dLogits[r, j] = dLosses[r] * (probs[r, j] * sum_j labels[r, j] - labels[r, j])
void softmaxCrossEntropyBackward(const float* probs, const float* labels, const float* dLosses, size_t rows, size_t cols, float* dLogits);

}  // namespace dendrite
