// AVX2 + FMA GEMM pieces for x86-64 CPUs without AVX-512: a 6x16 micro-kernel (12 ymm accumulators).
#include "gemm.h"
#include "pack.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

#define AVX2_TARGET __attribute__((target("avx2,fma")))

namespace dendrite {
namespace {

constexpr int MR = 6;
constexpr int NV = 2;
constexpr int NR = 8 * NV;

AVX2_TARGET void micro(int kc, const float* __restrict a, const float* __restrict b, float* c, ptrdiff_t ldc, int m, int n, bool acc) {
  __m256 t[MR][NV];
#pragma GCC unroll 6
  for (int i = 0; i < MR; i++) {
#pragma GCC unroll 2
    for (int j = 0; j < NV; j++) t[i][j] = _mm256_setzero_ps();
  }
  for (int p = 0; p < kc; p++) {
    __m256 bv[NV];
#pragma GCC unroll 2
    for (int j = 0; j < NV; j++) bv[j] = _mm256_load_ps(b + j * 8);
#pragma GCC unroll 6
    for (int i = 0; i < MR; i++) {
      __m256 av = _mm256_broadcast_ss(a + i);
#pragma GCC unroll 2
      for (int j = 0; j < NV; j++) t[i][j] = _mm256_fmadd_ps(av, bv[j], t[i][j]);
    }
    a += MR;
    b += NR;
  }
  if (m == MR && n == NR) {
#pragma GCC unroll 6
    for (int i = 0; i < MR; i++) {
      float* ci = c + i * ldc;
#pragma GCC unroll 2
      for (int j = 0; j < NV; j++) {
        __m256 v = acc ? _mm256_add_ps(_mm256_loadu_ps(ci + 8 * j), t[i][j]) : t[i][j];
        _mm256_storeu_ps(ci + 8 * j, v);
      }
    }
    return;
  }
  alignas(32) float tile[MR * NR];
  for (int i = 0; i < MR; i++) {
    for (int j = 0; j < NV; j++) _mm256_store_ps(tile + i * NR + 8 * j, t[i][j]);
  }
  for (int i = 0; i < m; i++) {
    float* ci = c + i * ldc;
    const float* ti = tile + i * NR;
    if (acc) {
      for (int j = 0; j < n; j++) ci[j] += ti[j];
    } else {
      for (int j = 0; j < n; j++) ci[j] = ti[j];
    }
  }
}

AVX2_TARGET void pack(int width, const float* src, ptrdiff_t ld, bool strided, int rows, int kc, float* dst) {
  packGeneric(width, src, ld, strided, rows, kc, dst);
}

}  // namespace

bool cpuHasAvx2() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

const GemmKernel& avx2Kernel() {
  static const GemmKernel k{"avx2", MR, NR, 6 * 24, 256, 4096, micro, pack, 0, nullptr};
  return k;
}

}  // namespace dendrite

#else

namespace dendrite {
bool cpuHasAvx2() { return false; }
const GemmKernel& avx2Kernel() { return scalarKernel(); }
}  // namespace dendrite

#endif
