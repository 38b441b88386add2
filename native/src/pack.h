// Portable panel packing (see GemmKernel::pack), inlined into each instruction set's pack function.
#pragma once

#include <cstddef>

namespace dendrite {

inline void packGeneric(int width, const float* src, ptrdiff_t ld, bool strided, int rows, int kc, float* dst) {
  if (strided) {
    // write each packed step contiguously; the `rows` source lines are read in parallel streams
    for (int p = 0; p < kc; p++) {
      float* d = dst + p * width;
      int i = 0;
      for (; i < rows; i++) d[i] = src[i * ld + p];
      for (; i < width; i++) d[i] = 0.0f;
    }
  } else {
    for (int p = 0; p < kc; p++) {
      const float* s = src + p * ld;
      float* d = dst + p * width;
      int i = 0;
      for (; i < rows; i++) d[i] = s[i];
      for (; i < width; i++) d[i] = 0.0f;
    }
  }
}

}  // namespace dendrite
