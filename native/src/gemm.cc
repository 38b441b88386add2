// The GEMM driver (BLIS's loop nest) and its split over the thread pool.
//
//   for jc over n in NC blocks:            the packed B block (KC x NC) lives in L2
//     for pc over k in KC blocks:          pack B[pc, jc] into NR-wide panels
//       for ic over m in MC blocks:        pack A[ic, pc] into MR-high panels
//         for ir over MC in MR panels:     one A panel (MR x KC) stays in L1 ...
//           for jr over NC in NR panels:   ... while the B panels stream past it
//             micro-kernel: C[ir, jr] (+)= A panel . B panel
#include "gemm.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "scratch.h"
#include "threadpool.h"

namespace dendrite {

namespace {

const GemmKernel* chooseKernel() {
  const char* want = std::getenv("DENDRITE_NATIVE_ISA");
  bool avx512 = cpuHasAvx512(), avx2 = cpuHasAvx2();
  if (want && std::strcmp(want, "scalar") == 0) return &scalarKernel();
  if (want && std::strcmp(want, "avx2") == 0 && avx2) return &avx2Kernel();
  if (avx512) return &avx512Kernel();
  if (avx2) return &avx2Kernel();
  return &scalarKernel();
}

const GemmKernel* gKernel = chooseKernel();

long long initialThreshold() {
  if (const char* env = std::getenv("DENDRITE_GEMM_PARALLEL_MIN")) return std::atoll(env);
  return 1LL << 18;  // 64^3 multiply-adds: below this a fork/join costs more than it saves
}

long long gThreshold = initialThreshold();

thread_local Scratch tlsPackA;
thread_local Scratch tlsPackB;

inline int ceilDiv(int a, int b) { return (a + b - 1) / b; }

// Whether whole A tiles are read in place rather than packed. In a narrow product each A value meets only
// n / 16 vectors of B, so packing A costs a large share: 18-21% of the time of the convolutions' 227x288x64
// chunks (and of their transposed filter-gradient twins) on one thread. Wide products amortise the packing,
// and a row stride that is a multiple of 4 KiB would put all of a tile's rows in one L1 set. A transposed A
// over a long inner dimension (a filter gradient over all 36864 pixels at once) streams from memory a line
// per step in place, where packing reads it in runs: it measured 1-3% slower in place, so it stays packed.
inline bool readsAInPlace(const GemmKernel& K, int n, int k, bool transA, ptrdiff_t lda) {
  return K.microDirect && n <= 128 && lda % 1024 != 0 && (!transA || k <= 1024);
}

// A product with few rows and a long transposed B (B stored [n, k], n >> m: a dense layer's input gradient,
// dY [64, 128] . W^T with W [9216, 128]) is computed as its transpose, C^T = B . A^T: B's rows are read in place
// as A tiles, only the small A is packed, and the micro-kernel stores each tile transposed. The usual loop packs
// all of B transposed (4.7 MB of weights at every step), which cost about as much as the product. Each element
// of C is the same chain of multiply-adds over the same KC blocks, so the bits are those of the usual loop.
inline bool transposesC(const GemmKernel& K, const GemmArgs& g) {
  return K.microTransposed && g.transB && !g.transA && g.m > K.narrowNr && g.m <= 128 && g.n >= 8 * g.m && g.ldb % 1024 != 0;
}

void sgemmTransposedC(const GemmArgs& g) {
  const GemmKernel& K = *gKernel;
  const int MR = K.mr, NR = K.nr, m = g.m, n = g.n, k = g.k;
  const int KC = std::min(K.kc, k);
  // the edge tile of B's rows, packed; A^T, all of it, in NR-wide panels
  float* packA = tlsPackA.get(static_cast<size_t>(MR) * KC + 64);
  float* packB = tlsPackB.get(static_cast<size_t>(ceilDiv(m, NR)) * NR * KC + 64);
  for (int pc = 0; pc < k; pc += KC) {
    const int kc = std::min(KC, k - pc);
    const bool acc = g.accumulate || pc > 0;
    for (int jr = 0; jr < m; jr += NR) {
      K.pack(NR, g.a + static_cast<ptrdiff_t>(jr) * g.lda + pc, g.lda, true, std::min(NR, m - jr), kc,
             packB + static_cast<ptrdiff_t>(jr) * kc);
    }
    for (int ir = 0; ir < n; ir += MR) {
      const int rows = std::min(MR, n - ir);
      const float* src = g.b + static_cast<ptrdiff_t>(ir) * g.ldb + pc;
      if (rows < MR) K.pack(MR, src, g.ldb, true, rows, kc, packA);
      for (int jr = 0; jr < m; jr += NR) {
        // tile (ir, jr) of C^T is C[jr.., ir..]
        float* ct = g.c + static_cast<ptrdiff_t>(jr) * g.ldc + ir;
        const float* panel = packB + static_cast<ptrdiff_t>(jr) * kc;
        if (rows == MR)
          K.microRowsTransposed(kc, src, g.ldb, panel, ct, g.ldc, std::min(NR, m - jr), acc);
        else
          K.microTransposed(kc, packA, panel, ct, g.ldc, rows, std::min(NR, m - jr), acc);
      }
    }
  }
}

}  // namespace

const GemmKernel& activeKernel() { return *gKernel; }

void setActiveKernel(const char* name) {
  if (std::strcmp(name, "avx512") == 0 && cpuHasAvx512())
    gKernel = &avx512Kernel();
  else if (std::strcmp(name, "avx2") == 0 && cpuHasAvx2())
    gKernel = &avx2Kernel();
  else if (std::strcmp(name, "scalar") == 0)
    gKernel = &scalarKernel();
}

long long gemmParallelThreshold() { return gThreshold; }
void setGemmParallelThreshold(long long flops) { gThreshold = flops; }

void sgemmSerial(const GemmArgs& g) {
  const int m = g.m, n = g.n, k = g.k;
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    if (!g.accumulate) {
      for (int i = 0; i < m; i++) std::memset(g.c + i * g.ldc, 0, sizeof(float) * n);
    }
    return;
  }
  const GemmKernel& K = *gKernel;
  if (transposesC(K, g)) {
    sgemmTransposedC(g);
    return;
  }
  const bool narrow = K.narrowMicro && n <= K.narrowNr;
  const int MR = K.mr, NR = narrow ? K.narrowNr : K.nr;
  const auto micro = narrow ? K.narrowMicro : K.micro;
  const auto microDirect = narrow ? K.narrowMicroDirect : K.microDirect;
  const bool direct = readsAInPlace(K, n, k, g.transA, g.lda);
  const int KC = std::min(K.kc, k);
  const int MC = std::min(K.mc, ceilDiv(m, MR) * MR);
  const int NC = std::min(K.nc, ceilDiv(n, NR) * NR);
  // 64 floats of slack: the AVX-512 packer may store up to a vector past a panel's end
  float* packA = tlsPackA.get(static_cast<size_t>(MC) * KC + 64);
  float* packB = tlsPackB.get(static_cast<size_t>(NC) * KC + 64);

  for (int jc = 0; jc < n; jc += NC) {
    const int nc = std::min(NC, n - jc);
    for (int pc = 0; pc < k; pc += KC) {
      const int kc = std::min(KC, k - pc);
      const bool acc = g.accumulate || pc > 0;
      for (int jr = 0; jr < nc; jr += NR) {
        const int cols = std::min(NR, nc - jr);
        const float* src = g.transB ? g.b + (jc + jr) * g.ldb + pc : g.b + pc * g.ldb + (jc + jr);
        K.pack(NR, src, g.ldb, g.transB, cols, kc, packB + static_cast<ptrdiff_t>(jr) * kc);
      }
      for (int ic = 0; ic < m; ic += MC) {
        const int mc = std::min(MC, m - ic);
        for (int ir = 0; ir < mc; ir += MR) {
          const int rows = std::min(MR, mc - ir);
          if (direct && rows == MR) continue;
          const float* src = g.transA ? g.a + pc * g.lda + (ic + ir) : g.a + (ic + ir) * g.lda + pc;
          K.pack(MR, src, g.lda, !g.transA, rows, kc, packA + static_cast<ptrdiff_t>(ir) * kc);
        }
        for (int ir = 0; ir < mc; ir += MR) {
          const int rows = std::min(MR, mc - ir);
          float* crow = g.c + (ic + ir) * g.ldc + jc;
          if (direct && rows == MR) {
            const float* src = g.transA ? g.a + pc * g.lda + (ic + ir) : g.a + (ic + ir) * g.lda + pc;
            for (int jr = 0; jr < nc; jr += NR) {
              microDirect(kc, src, g.lda, !g.transA, packB + static_cast<ptrdiff_t>(jr) * kc, crow + jr, g.ldc, std::min(NR, nc - jr), acc);
            }
            continue;
          }
          const float* ap = packA + static_cast<ptrdiff_t>(ir) * kc;
          for (int jr = 0; jr < nc; jr += NR) {
            micro(kc, ap, packB + static_cast<ptrdiff_t>(jr) * kc, crow + jr, g.ldc, rows, std::min(NR, nc - jr), acc);
          }
        }
      }
    }
  }
}

size_t packedBSize(int k, int n) {
  const GemmKernel& K = *gKernel;
  return static_cast<size_t>(ceilDiv(n, K.nr) * K.nr) * std::max(k, 1) + 64;
}

PackedB packB(const float* b, ptrdiff_t ldb, bool transB, int k, int n, float* dst) {
  const GemmKernel& K = *gKernel;
  PackedB p;
  const bool narrow = K.narrowMicro && n <= K.narrowNr;
  p.k = k;
  p.n = n;
  p.nr = narrow ? K.narrowNr : K.nr;
  p.kc = std::min(K.kc, std::max(k, 1));
  p.paddedN = ceilDiv(n, p.nr) * p.nr;
  p.data = dst;
  for (int pc = 0; pc < k; pc += p.kc) {
    const int kc = std::min(p.kc, k - pc);
    for (int jr = 0; jr < n; jr += p.nr) {
      const float* src = transB ? b + jr * ldb + pc : b + pc * ldb + jr;
      K.pack(p.nr, src, ldb, transB, std::min(p.nr, n - jr), kc,
             dst + static_cast<ptrdiff_t>(pc) * p.paddedN + static_cast<ptrdiff_t>(jr) * kc);
    }
  }
  return p;
}

void sgemmPackedB(int m, const float* a, ptrdiff_t lda, bool transA, const PackedB& b, float* c, ptrdiff_t ldc, bool accumulate) {
  const int n = b.n, k = b.k;
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    if (!accumulate) {
      for (int i = 0; i < m; i++) std::memset(c + i * ldc, 0, sizeof(float) * n);
    }
    return;
  }
  const GemmKernel& K = *gKernel;
  const int MR = K.mr, NR = b.nr;
  const auto micro = NR == K.nr ? K.micro : K.narrowMicro;
  const auto microDirect = NR == K.nr ? K.microDirect : K.narrowMicroDirect;
  const bool direct = readsAInPlace(K, n, k, transA, lda);
  const int MC = std::min(K.mc, ceilDiv(m, MR) * MR);
  float* packA = tlsPackA.get(static_cast<size_t>(MC) * b.kc + 64);
  for (int pc = 0; pc < k; pc += b.kc) {
    const int kc = std::min(b.kc, k - pc);
    const float* bp = b.data + static_cast<ptrdiff_t>(pc) * b.paddedN;
    const bool acc = accumulate || pc > 0;
    for (int ic = 0; ic < m; ic += MC) {
      const int mc = std::min(MC, m - ic);
      for (int ir = 0; ir < mc; ir += MR) {
        if (direct && mc - ir >= MR) continue;
        const float* src = transA ? a + pc * lda + (ic + ir) : a + (ic + ir) * lda + pc;
        K.pack(MR, src, lda, !transA, std::min(MR, mc - ir), kc, packA + static_cast<ptrdiff_t>(ir) * kc);
      }
      for (int ir = 0; ir < mc; ir += MR) {
        const float* ap = packA + static_cast<ptrdiff_t>(ir) * kc;
        float* crow = c + (ic + ir) * ldc;
        const int rows = std::min(MR, mc - ir);
        if (direct && rows == MR) {
          const float* src = transA ? a + pc * lda + (ic + ir) : a + (ic + ir) * lda + pc;
          for (int jr = 0; jr < n; jr += NR) {
            microDirect(kc, src, lda, !transA, bp + static_cast<ptrdiff_t>(jr) * kc, crow + jr, ldc, std::min(NR, n - jr), acc);
          }
          continue;
        }
        for (int jr = 0; jr < n; jr += NR) {
          micro(kc, ap, bp + static_cast<ptrdiff_t>(jr) * kc, crow + jr, ldc, rows, std::min(NR, n - jr), acc);
        }
      }
    }
  }
}

namespace {

// The split driver: one part per thread, each an independent serial GEMM with its own packing. The
// operand the parts share is packed once per part, but it stays in that core's caches: sharing one packed
// copy (packed in parallel, then read by all) measured up to 30% slower on the MLP's 128x784x128, as every
// repack must first invalidate the other core's copy.
void sgemmSplit(const GemmArgs& g, ThreadPool& pool) {
  const GemmKernel& K = *gKernel;
  const int threads = pool.size();
  const int unitsM = ceilDiv(g.m, K.mr), unitsN = ceilDiv(g.n, K.nr);
  // split the longer side: the shorter side's operand is the one every part packs whole
  const bool splitM = unitsM >= threads && (g.m >= g.n || unitsN < threads);
  if (!splitM && unitsN < threads) {
    sgemmSerial(g);
    return;
  }
  const int units = splitM ? unitsM : unitsN;
  const int unit = splitM ? K.mr : K.nr;
  const int extent = splitM ? g.m : g.n;
  pool.parallelFor(threads, [&](int t) {
    const int lo = static_cast<int>(static_cast<long long>(units) * t / threads) * unit;
    const int hi = std::min(extent, static_cast<int>(static_cast<long long>(units) * (t + 1) / threads) * unit);
    if (lo >= hi) return;
    GemmArgs part = g;
    if (splitM) {
      part.m = hi - lo;
      part.a = g.transA ? g.a + lo : g.a + static_cast<ptrdiff_t>(lo) * g.lda;
      part.c = g.c + static_cast<ptrdiff_t>(lo) * g.ldc;
    } else {
      part.n = hi - lo;
      part.b = g.transB ? g.b + static_cast<ptrdiff_t>(lo) * g.ldb : g.b + lo;
      part.c = g.c + lo;
    }
    sgemmSerial(part);
  });
}

// Products with a long inner dimension and a small output (a filter gradient over a whole batch's pixels,
// 288x36864x64 transA) are summed in kSlicesK slices of the inner dimension, a count that depends only on
// the shape: slice 0 into C, the others into partials added to C in slice order, so the bits never depend
// on the thread count. Split over M or N instead, every thread packed the whole of the long other operand.
constexpr int kSlicesK = 8;
thread_local Scratch tlsSlices;

bool slicesK(const GemmArgs& g) { return g.k >= 4096 && static_cast<long long>(g.m) * g.n <= (1 << 16); }

void sgemmSlicedK(const GemmArgs& g, ThreadPool* pool) {
  const size_t mn = static_cast<size_t>(g.m) * g.n;
  float* partials = tlsSlices.get(mn * (kSlicesK - 1));
  auto slice = [&](int s) {
    const int k0 = static_cast<int>(static_cast<long long>(g.k) * s / kSlicesK);
    const int k1 = static_cast<int>(static_cast<long long>(g.k) * (s + 1) / kSlicesK);
    GemmArgs part = g;
    part.k = k1 - k0;
    part.a = g.transA ? g.a + static_cast<ptrdiff_t>(k0) * g.lda : g.a + k0;
    part.b = g.transB ? g.b + k0 : g.b + static_cast<ptrdiff_t>(k0) * g.ldb;
    if (s > 0) {
      part.c = partials + mn * (s - 1);
      part.ldc = g.n;
      part.accumulate = false;
    }
    sgemmSerial(part);
  };
  if (pool) {
    pool->parallelFor(kSlicesK, [&](int s) { slice(s); });
  } else {
    for (int s = 0; s < kSlicesK; s++) slice(s);
  }
  addSlicePartials(g.c, g.ldc, partials, g.m, g.n, kSlicesK - 1);
}

}  // namespace

void addSlicePartials(float* c, ptrdiff_t ldc, const float* partials, int m, int n, int count) {
  const size_t mn = static_cast<size_t>(m) * n;
  for (int s = 0; s < count; s++) {
    const float* p = partials + mn * s;
    for (int i = 0; i < m; i++) {
      float* row = c + static_cast<ptrdiff_t>(i) * ldc;
      const float* q = p + static_cast<size_t>(i) * n;
      for (int j = 0; j < n; j++) row[j] += q[j];
    }
  }
}

void sgemm(const GemmArgs& g) {
  ThreadPool& pool = ThreadPool::get();
  const long long work = static_cast<long long>(g.m) * g.n * g.k;
  const bool serial = pool.size() <= 1 || work < gThreshold || g.k <= 0 || ThreadPool::inTask();
  if (g.m > 0 && g.n > 0 && slicesK(g)) {
    sgemmSlicedK(g, serial ? nullptr : &pool);
    return;
  }
  if (serial) {
    sgemmSerial(g);
    return;
  }
  sgemmSplit(g, pool);
}

}  // namespace dendrite
