// A product with a few rows reads each row of B once, straight from where it lies: B is read as many times
// as the GEMM's packing would read it, and nothing is written but C. The sum over k is cut into slices of
// contiguous rows of B (one stream per thread, which the prefetchers follow best: splitting the columns
// instead measured 1.4x slower at 1x9216x128 on 2 threads); their number depends only on the shape, and the
// slices' partial products are added in slice order, so results do not depend on the thread count, nor on
// the instruction set (no fused multiply-add: -ffp-contract=off). Each thread takes the same slices call after
// call, in alternate directions, so that the share of B a core's L2 can hold is still there when the next
// sample comes (a Dense layer's weights, 4.7 MB at 9216x128, do not fit the 2 x 2 MB of this machine's L2s
// but mostly stay: 1x9216x128 on 2 threads took 76 us from L3 and takes 35).
#include "gemv.h"

#include <algorithm>
#include <atomic>
#include <cstring>

#include "parallel.h"
#include "scratch.h"
#include "threadpool.h"

namespace dendrite {

namespace {

constexpr long long kSliceFloats = 1 << 16;  // of B per slice at least (256 KiB)
constexpr int kMaxSlices = 8;

thread_local Scratch tlsPartials;

// 16 floats: one zmm register in the AVX-512 build, four xmm in the baseline one. GCC's vector extensions
// keep the arithmetic exactly `c + a * b` (no fused multiply-add, -ffp-contract=off) in either build.
typedef float Vec16 __attribute__((vector_size(64)));
typedef float Vec16u __attribute__((vector_size(64), aligned(4)));  // for loads from any float

// out[i, j0 .. j0 + 16V) = sum over p in [p0, p1) of op(A)[i, p] * B[p, j0 ..], summed in p order in M x V
// registers: each row of B is loaded once and meets every row of A (the plain loop kept C in memory and
// spent a load and a store of it per multiply-add, 1.5x slower on rows of B that sit in L2).
template <int M, int V>
DENDRITE_INLINE void tileSum(const GemmArgs& g, int p0, int p1, int j0, float* out, ptrdiff_t ldo) {
  Vec16 acc[M][V];
  for (int i = 0; i < M; i++)
    for (int v = 0; v < V; v++) acc[i][v] = Vec16{};
  for (int p = p0; p < p1; p++) {
    const float* b = g.b + p * g.ldb + j0;
    Vec16 row[V];
    for (int v = 0; v < V; v++) row[v] = *reinterpret_cast<const Vec16u*>(b + 16 * v);
    for (int i = 0; i < M; i++) {
      const float a = g.transA ? g.a[p * g.lda + i] : g.a[i * g.lda + p];
      for (int v = 0; v < V; v++) acc[i][v] += a * row[v];
    }
  }
  for (int i = 0; i < M; i++)
    for (int v = 0; v < V; v++) *reinterpret_cast<Vec16u*>(out + i * ldo + j0 + 16 * v) = acc[i][v];
}

// The columns [j0, n) one at a time, C in memory: the last few columns of a width that is not a multiple of 16.
DENDRITE_INLINE void columnsSum(const GemmArgs& g, int p0, int p1, int j0, float* out, ptrdiff_t ldo) {
  for (int i = 0; i < g.m; i++) std::fill(out + i * ldo + j0, out + i * ldo + g.n, 0.0f);
  for (int p = p0; p < p1; p++) {
    const float* __restrict b = g.b + p * g.ldb;
    for (int i = 0; i < g.m; i++) {
      const float a = g.transA ? g.a[p * g.lda + i] : g.a[i * g.lda + p];
      float* __restrict c = out + i * ldo;
      for (int j = j0; j < g.n; j++) c[j] += a * b[j];
    }
  }
}

// Every element of C is the same sum in the same order whatever the tiling, so each build picks the tile
// that fits its registers: up to 16 accumulators of 16 floats under AVX-512, 4 (16 xmm) in the baseline.
template <int M, int VMAX>
DENDRITE_INLINE void slicePartRows(const GemmArgs& g, int p0, int p1, float* out, ptrdiff_t ldo) {
  constexpr int V = M * VMAX <= 16 ? VMAX : 16 / M;
  int j = 0;
  for (; j + 16 * V <= g.n; j += 16 * V) tileSum<M, V>(g, p0, p1, j, out, ldo);
  for (; j + 16 <= g.n; j += 16) tileSum<M, 1>(g, p0, p1, j, out, ldo);
  if (j < g.n) columnsSum(g, p0, p1, j, out, ldo);
}

template <int VMAX>
DENDRITE_INLINE void slicePart(const GemmArgs& g, int p0, int p1, float* out, ptrdiff_t ldo) {
  static_assert(kFewRows == 4, "a tile for each row count");
  switch (g.m) {
    case 1:
      return slicePartRows<1, VMAX>(g, p0, p1, out, ldo);
    case 2:
      return slicePartRows<2, VMAX>(g, p0, p1, out, ldo);
    case 3:
      return slicePartRows<3, VMAX>(g, p0, p1, out, ldo);
    default:
      return slicePartRows<4, VMAX>(g, p0, p1, out, ldo);
  }
}

using SliceFn = void (*)(const GemmArgs&, int, int, float*, ptrdiff_t);

DENDRITE_AVX512 void slice512(const GemmArgs& g, int p0, int p1, float* out, ptrdiff_t ldo) { slicePart<8>(g, p0, p1, out, ldo); }
void sliceBase(const GemmArgs& g, int p0, int p1, float* out, ptrdiff_t ldo) { slicePart<1>(g, p0, p1, out, ldo); }

// The build of the GEMM's instruction set (the CPU's best, or the one DENDRITE_NATIVE_ISA or configure({ isa })
// chose), so that both builds can be tested on one machine.
SliceFn sliceKernel() { return DENDRITE_HAS_AVX512_VARIANT && std::strcmp(activeKernel().name, "avx512") == 0 ? slice512 : sliceBase; }

}  // namespace

bool fewRowsProduct(const GemmArgs& g) {
  // (C, up to 32 KiB, stays in L1 while B streams past)
  if (g.m > kFewRows || static_cast<long long>(g.m) * g.n > 8192 || g.m <= 0 || g.n <= 0 || g.k <= 0 || g.transB || g.accumulate)
    return false;
  const int slices =
      static_cast<int>(std::clamp<long long>(static_cast<long long>(g.k) * g.n / kSliceFloats, 1, std::min(kMaxSlices, g.k)));
  const size_t mn = static_cast<size_t>(g.m) * g.n;
  float* partials = slices > 1 ? tlsPartials.get(mn * (slices - 1)) : nullptr;
  const SliceFn slice = sliceKernel();
  auto run = [&](int s) {
    const int p0 = static_cast<int>(static_cast<long long>(g.k) * s / slices),
              p1 = static_cast<int>(static_cast<long long>(g.k) * (s + 1) / slices);
    if (s == 0)
      slice(g, p0, p1, g.c, g.ldc);
    else
      slice(g, p0, p1, partials + mn * (s - 1), g.n);
  };
  ThreadPool& pool = ThreadPool::get();
  const long long work = static_cast<long long>(g.m) * g.n * g.k;
  if (slices == 1 || pool.size() <= 1 || work < gemmParallelThreshold() || ThreadPool::inTask()) {
    for (int s = 0; s < slices; s++) run(s);
  } else {
    // (the direction alternates from call to call, for a B larger than the cores' caches: see runPinned)
    static std::atomic<unsigned> calls{0};
    pool.parallelForPinned(slices, calls.fetch_add(1, std::memory_order_relaxed) & 1u, [&](int s) { run(s); });
  }
  addSlicePartials(g.c, g.ldc, partials, g.m, g.n, slices - 1);
  return true;
}

}  // namespace dendrite
