// AVX-512 GEMM pieces: a 14x32 micro-kernel (28 of the 32 zmm registers hold the C tile; each k step
// loads two B vectors and broadcasts 14 A values for 28 FMAs), the same kernel reading A in place (no
// packing, for narrow products) and packing with 16x16 register transposes.
#include <cstring>

#include "gemm.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

// GCC 12's own intrinsics (`__m512 __Y = __Y;` in _mm512_undefined_ps) trip this warning
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#define AVX512_TARGET __attribute__((target("avx512f,avx512vl,avx512dq,avx512bw,avx2,fma")))

namespace dendrite {
namespace {

constexpr int MR = 14;

AVX512_TARGET inline __mmask16 laneMask(int lanes) {
  return lanes >= 16 ? static_cast<__mmask16>(0xffff) : lanes <= 0 ? static_cast<__mmask16>(0) : static_cast<__mmask16>((1u << lanes) - 1);
}

// In-register transpose of a 16x16 block: r[i] holds row i on entry and column i on exit.
AVX512_TARGET inline void transpose16(__m512 r[16]) {
  __m512 t[16];
  for (int i = 0; i < 8; i++) {
    t[2 * i] = _mm512_unpacklo_ps(r[2 * i], r[2 * i + 1]);
    t[2 * i + 1] = _mm512_unpackhi_ps(r[2 * i], r[2 * i + 1]);
  }
  // per 128-bit lane L, r[4g + q] becomes column 4L + q of rows 4g..4g+3
  for (int g = 0; g < 4; g++) {
    r[4 * g] = _mm512_shuffle_ps(t[4 * g], t[4 * g + 2], _MM_SHUFFLE(1, 0, 1, 0));
    r[4 * g + 1] = _mm512_shuffle_ps(t[4 * g], t[4 * g + 2], _MM_SHUFFLE(3, 2, 3, 2));
    r[4 * g + 2] = _mm512_shuffle_ps(t[4 * g + 1], t[4 * g + 3], _MM_SHUFFLE(1, 0, 1, 0));
    r[4 * g + 3] = _mm512_shuffle_ps(t[4 * g + 1], t[4 * g + 3], _MM_SHUFFLE(3, 2, 3, 2));
  }
  // a 4x4 transpose of 128-bit lanes among r[q], r[4+q], r[8+q], r[12+q]
  for (int q = 0; q < 4; q++) {
    __m512 v1 = _mm512_shuffle_f32x4(r[q], r[4 + q], 0x88);
    __m512 v2 = _mm512_shuffle_f32x4(r[q], r[4 + q], 0xdd);
    __m512 v3 = _mm512_shuffle_f32x4(r[8 + q], r[12 + q], 0x88);
    __m512 v4 = _mm512_shuffle_f32x4(r[8 + q], r[12 + q], 0xdd);
    t[q] = _mm512_shuffle_f32x4(v1, v3, 0x88);
    t[8 + q] = _mm512_shuffle_f32x4(v1, v3, 0xdd);
    t[4 + q] = _mm512_shuffle_f32x4(v2, v4, 0x88);
    t[12 + q] = _mm512_shuffle_f32x4(v2, v4, 0xdd);
  }
  for (int i = 0; i < 16; i++) r[i] = t[i];
}

// How the micro-kernel finds element (i, p) of its A tile: in a packed panel (a[p*MR + i]), or in place in
// op(A) as stored: a column-major run (a[p*ld + i], A stored [k, m]) or row-major rows (a[i*ld + p]).
enum class ATile { Packed, Cols, Rows };

// NV zmm vectors per tile row: 2 (a 14x32 tile) in general, 1 (14x16) for products at most 16 wide. Every
// ATile mode runs the same FMAs in the same order, so a tile's sums do not depend on whether A was packed.
// TRANSPOSED: the tile is stored transposed (element (i, j) at c[j*ldc + i]), for a product computed as its
// transpose (sgemmTransposedC in gemm.cc); the sums are the same.
template <int NV, ATile MODE, bool TRANSPOSED = false>
AVX512_TARGET inline __attribute__((always_inline)) void tile(int kc, const float* __restrict a, ptrdiff_t ld, const float* __restrict b,
                                                              float* c, ptrdiff_t ldc, int m, int n, bool acc) {
  constexpr int NR = 16 * NV;
  __m512 t[MR][NV];
#pragma GCC unroll 14
  for (int i = 0; i < MR; i++) {
#pragma GCC unroll 2
    for (int j = 0; j < NV; j++) t[i][j] = _mm512_setzero_ps();
  }
  // rows mode: two bases (rows 0 and 7) and strides 1, 3 and 5 rows reach all 14 rows by x86 addressing
  const float* a7 = a + 7 * ld;
  const ptrdiff_t ld3 = 3 * ld, ld5 = 5 * ld;
  for (int p = 0; p < kc; p++) {
    __m512 bv[NV];
#pragma GCC unroll 2
    for (int j = 0; j < NV; j++) bv[j] = _mm512_load_ps(b + j * 16);
    // in place, each step of a column-major tile is a line of its own: fetch the one a few steps ahead
    if (MODE == ATile::Cols) _mm_prefetch(reinterpret_cast<const char*>(a + 8 * ld), _MM_HINT_T0);
#pragma GCC unroll 14
    for (int i = 0; i < MR; i++) {
      float ai;
      if (MODE == ATile::Rows) {
        const float* base = i < 7 ? a : a7;
        const int r = i < 7 ? i : i - 7;
        const ptrdiff_t off = r == 0 ? 0 : r == 1 ? ld : r == 2 ? 2 * ld : r == 3 ? ld3 : r == 4 ? 4 * ld : r == 5 ? ld5 : 2 * ld3;
        ai = base[off];
      } else {
        ai = a[i];
      }
      __m512 av = _mm512_set1_ps(ai);
#pragma GCC unroll 2
      for (int j = 0; j < NV; j++) t[i][j] = _mm512_fmadd_ps(av, bv[j], t[i][j]);
    }
    if (MODE == ATile::Rows) {
      a += 1;
      a7 += 1;
    } else {
      a += MODE == ATile::Packed ? MR : ld;
    }
    b += NR;
  }
  if (TRANSPOSED) {
    // each 16-column half of the tile, transposed in registers: row l of the result is column l of the tile,
    // the m (<= 14) values of one row of C
    const __mmask16 lanes = laneMask(m);
    for (int j = 0; j < NV; j++) {
      __m512 r[16];
#pragma GCC unroll 16
      for (int i = 0; i < 16; i++) r[i] = i < MR ? t[i][j] : _mm512_setzero_ps();
      transpose16(r);
      const int cols = n - 16 * j < 16 ? n - 16 * j : 16;
      for (int l = 0; l < cols; l++) {
        float* cl = c + (16 * j + l) * ldc;
        __m512 v = acc ? _mm512_add_ps(_mm512_maskz_loadu_ps(lanes, cl), r[l]) : r[l];
        _mm512_mask_storeu_ps(cl, lanes, v);
      }
    }
    return;
  }
  if (m == MR && n == NR) {
#pragma GCC unroll 14
    for (int i = 0; i < MR; i++) {
      float* ci = c + i * ldc;
#pragma GCC unroll 2
      for (int j = 0; j < NV; j++) {
        __m512 v = acc ? _mm512_add_ps(_mm512_loadu_ps(ci + 16 * j), t[i][j]) : t[i][j];
        _mm512_storeu_ps(ci + 16 * j, v);
      }
    }
    return;
  }
  __mmask16 mask[NV];
  for (int j = 0; j < NV; j++) mask[j] = laneMask(n - 16 * j);
#pragma GCC unroll 14
  for (int i = 0; i < MR; i++) {
    if (i >= m) break;
    float* ci = c + i * ldc;
#pragma GCC unroll 2
    for (int j = 0; j < NV; j++) {
      if (!mask[j]) continue;
      __m512 v = acc ? _mm512_add_ps(_mm512_maskz_loadu_ps(mask[j], ci + 16 * j), t[i][j]) : t[i][j];
      _mm512_mask_storeu_ps(ci + 16 * j, mask[j], v);
    }
  }
}

template <int NV>
AVX512_TARGET void micro(int kc, const float* __restrict a, const float* __restrict b, float* c, ptrdiff_t ldc, int m, int n, bool acc) {
  tile<NV, ATile::Packed>(kc, a, MR, b, c, ldc, m, n, acc);
}

// The tile of a product computed as its transpose, stored transposed: from a packed A panel (m <= MR rows)
// or from MR rows of A read in place.
AVX512_TARGET void microTransposed(int kc, const float* __restrict a, const float* __restrict b, float* c, ptrdiff_t ldc, int m, int n,
                                   bool acc) {
  tile<2, ATile::Packed, true>(kc, a, MR, b, c, ldc, m, n, acc);
}
AVX512_TARGET void microRowsTransposed(int kc, const float* a, ptrdiff_t lda, const float* b, float* c, ptrdiff_t ldc, int n, bool acc) {
  tile<2, ATile::Rows, true>(kc, a, lda, b, c, ldc, MR, n, acc);
}

template <int NV>
AVX512_TARGET void microDirect(int kc, const float* a, ptrdiff_t lda, bool rows, const float* b, float* c, ptrdiff_t ldc, int n, bool acc) {
  if (rows)
    tile<NV, ATile::Rows>(kc, a, lda, b, c, ldc, MR, n, acc);
  else
    tile<NV, ATile::Cols>(kc, a, lda, b, c, ldc, MR, n, acc);
}

AVX512_TARGET void pack(int width, const float* src, ptrdiff_t ld, bool strided, int rows, int kc, float* dst) {
  if (!strided) {
    // line i, step p at src[p*ld + i]: each step is a contiguous run of `rows` values. Masked stores are
    // slow on some cores, so whole vectors are stored; a panel of width 14 spills 2 zeros into the next
    // step (rewritten next) or past the panel's end (the next panel, packed later, or buffer slack).
    if (rows == width && (width & 15) == 0) {
      for (int p = 0; p < kc; p++) {
        const float* s = src + p * ld;
        float* d = dst + p * width;
        for (int j = 0; j < width; j += 16) _mm512_storeu_ps(d + j, _mm512_loadu_ps(s + j));
      }
      return;
    }
    for (int p = 0; p < kc; p++) {
      const float* s = src + p * ld;
      float* d = dst + p * width;
      for (int j = 0; j < width; j += 16) _mm512_storeu_ps(d + j, _mm512_maskz_loadu_ps(laneMask(rows - j), s + j));
    }
    return;
  }
  // line i, step p at src[i*ld + p]: transpose 16x16 blocks
  for (int i0 = 0; i0 < width; i0 += 16) {
    int lines = rows - i0 < 16 ? (rows - i0 > 0 ? rows - i0 : 0) : 16;
    for (int p0 = 0; p0 < kc; p0 += 16) {
      int steps = kc - p0 < 16 ? kc - p0 : 16;
      __mmask16 load = laneMask(steps);
      __m512 r[16];
      for (int i = 0; i < 16; i++) {
        r[i] = i < lines ? _mm512_maskz_loadu_ps(load, src + (i0 + i) * ld + p0) : _mm512_setzero_ps();
      }
      transpose16(r);
      for (int q = 0; q < steps; q++) _mm512_storeu_ps(dst + (p0 + q) * width + i0, r[q]);
    }
  }
}

}  // namespace

bool cpuHasAvx512() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq") &&
         __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("fma");
}

const GemmKernel& avx512Kernel() {
  // blocks: A panels MR x KC (21 KiB) stay in L1, the MC x KC block of A (504 KiB) in L2; on this Zen 4
  // host 168-1008 x 256-512 x 256-4096 all measured within 5%
  static const GemmKernel k{
      "avx512",           MR, 32, 14 * 24, 384, 4096, micro<2>, pack, 16, micro<1>, microDirect<2>, microDirect<1>, microTransposed,
      microRowsTransposed};
  return k;
}

}  // namespace dendrite

#else

namespace dendrite {
bool cpuHasAvx512() { return false; }
const GemmKernel& avx512Kernel() { return scalarKernel(); }
}  // namespace dendrite

#endif
