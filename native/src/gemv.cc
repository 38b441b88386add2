// A product with a few rows reads each row of B once, straight from where it lies: B is read as many times
// as the GEMM's packing would read it, and nothing is written but C. The sum over k is cut into slices of
// contiguous rows of B (one stream per thread, which the prefetchers follow best: splitting the columns
// instead measured 1.4x slower at 1x9216x128 on 2 threads); their number depends only on the shape, and the
// slices' partial products are added in slice order, so results do not depend on the thread count, nor on
// the instruction set (no fused multiply-add: -ffp-contract=off).
#include "gemv.h"

#include <algorithm>

#include "parallel.h"
#include "scratch.h"
#include "threadpool.h"

namespace dendrite {

namespace {

constexpr long long kSliceFloats = 1 << 16;  // of B per slice at least (256 KiB)
constexpr int kMaxSlices = 8;

thread_local Scratch tlsPartials;

// out[i, j] = sum over p in [p0, p1) of op(A)[i, p] * B[p, j]; the loop over j is the one the compiler vectorises.
DENDRITE_INLINE void slicePart(const GemmArgs& g, int p0, int p1, float* out, ptrdiff_t ldo) {
  for (int i = 0; i < g.m; i++) std::fill(out + i * ldo, out + i * ldo + g.n, 0.0f);
  for (int p = p0; p < p1; p++) {
    const float* __restrict b = g.b + p * g.ldb;
    for (int i = 0; i < g.m; i++) {
      const float a = g.transA ? g.a[p * g.lda + i] : g.a[i * g.lda + p];
      float* __restrict c = out + i * ldo;
      for (int j = 0; j < g.n; j++) c[j] += a * b[j];
    }
  }
}

DENDRITE_AVX512 void slice512(const GemmArgs& g, int p0, int p1, float* out, ptrdiff_t ldo) { slicePart(g, p0, p1, out, ldo); }
void sliceBase(const GemmArgs& g, int p0, int p1, float* out, ptrdiff_t ldo) { slicePart(g, p0, p1, out, ldo); }

const auto kSlice = useAvx512() ? slice512 : sliceBase;

}  // namespace

bool fewRowsProduct(const GemmArgs& g) {
  // (C, up to 32 KiB, stays in L1 while B streams past)
  if (g.m > kFewRows || static_cast<long long>(g.m) * g.n > 8192 || g.m <= 0 || g.n <= 0 || g.k <= 0 || g.transB || g.accumulate)
    return false;
  const int slices =
      static_cast<int>(std::clamp<long long>(static_cast<long long>(g.k) * g.n / kSliceFloats, 1, std::min(kMaxSlices, g.k)));
  const size_t mn = static_cast<size_t>(g.m) * g.n;
  float* partials = slices > 1 ? tlsPartials.get(mn * (slices - 1)) : nullptr;
  auto run = [&](int s) {
    const int p0 = static_cast<int>(static_cast<long long>(g.k) * s / slices),
              p1 = static_cast<int>(static_cast<long long>(g.k) * (s + 1) / slices);
    if (s == 0)
      kSlice(g, p0, p1, g.c, g.ldc);
    else
      kSlice(g, p0, p1, partials + mn * (s - 1), g.n);
  };
  ThreadPool& pool = ThreadPool::get();
  const long long work = static_cast<long long>(g.m) * g.n * g.k;
  if (slices == 1 || pool.size() <= 1 || work < gemmParallelThreshold() || ThreadPool::inTask()) {
    for (int s = 0; s < slices; s++) run(s);
  } else {
    pool.parallelFor(slices, [&](int s) { run(s); });
  }
  for (int s = 1; s < slices; s++) {
    const float* part = partials + mn * (s - 1);
    for (int i = 0; i < g.m; i++) {
      float* c = g.c + i * g.ldc;
      for (int j = 0; j < g.n; j++) c[j] += part[i * g.n + j];
    }
  }
  return true;
}

}  // namespace dendrite
