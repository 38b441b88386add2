// Portable GEMM pieces: plain loops over a 4x8 tile, for CPUs without AVX2 (or other architectures, where
// the compiler vectorises them as it can).
#include "gemm.h"
#include "pack.h"

namespace dendrite {
namespace {

constexpr int MR = 4;
constexpr int NR = 8;

void micro(int kc, const float* __restrict a, const float* __restrict b, float* c, ptrdiff_t ldc, int m, int n, bool acc) {
  float t[MR][NR] = {};
  for (int p = 0; p < kc; p++) {
    for (int i = 0; i < MR; i++) {
      float av = a[i];
      for (int j = 0; j < NR; j++) t[i][j] += av * b[j];
    }
    a += MR;
    b += NR;
  }
  for (int i = 0; i < m; i++) {
    float* ci = c + i * ldc;
    if (acc) {
      for (int j = 0; j < n; j++) ci[j] += t[i][j];
    } else {
      for (int j = 0; j < n; j++) ci[j] = t[i][j];
    }
  }
}

void pack(int width, const float* src, ptrdiff_t ld, bool strided, int rows, int kc, float* dst) {
  packGeneric(width, src, ld, strided, rows, kc, dst);
}

}  // namespace

const GemmKernel& scalarKernel() {
  static const GemmKernel k{"scalar", MR, NR, 4 * 32, 256, 2048, micro, pack, 0, nullptr};
  return k;
}

}  // namespace dendrite
