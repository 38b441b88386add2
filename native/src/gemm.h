// Single-precision GEMM on row-major matrices: C[m, n] (+)= op(A)[m, k] . op(B)[k, n].
#pragma once

#include <cstddef>

namespace dendrite {

// One instruction set's GEMM pieces. Panels: a packed A panel holds `mr` rows of op(A), column by column
// (`panel[p*mr + i] = op(A)[i, p]`); a packed B panel holds `nr` columns of op(B), row by row
// (`panel[p*nr + j] = op(B)[p, j]`); rows or columns past the matrix edge are zero.
struct GemmKernel {
  const char* name;
  int mr, nr;      // micro-tile
  int mc, kc, nc;  // cache blocks (mc a multiple of mr, nc of nr)
  // C[0..m, 0..n] (+)= Apanel . Bpanel over kc steps, m <= mr, n <= nr (`acc`: add to C, else overwrite).
  void (*micro)(int kc, const float* a, const float* b, float* c, ptrdiff_t ldc, int m, int n, bool acc);
  // Packs `rows` (<= width) lines of length kc into one panel of `width`: line i, step p is
  // src[i*ld + p] when `strided`, else src[p*ld + i]. Lines past `rows` are zero.
  void (*pack)(int width, const float* src, ptrdiff_t ld, bool strided, int rows, int kc, float* dst);
  // Optional narrower tile (mr x narrowNr) for products with n <= narrowNr, which waste less of it.
  int narrowNr = 0;
  void (*narrowMicro)(int kc, const float* a, const float* b, float* c, ptrdiff_t ldc, int m, int n, bool acc) = nullptr;
  // Optional micro-kernels that read a whole mr-row A tile in place instead of from a packed panel (element
  // (i, p) at a[i*lda + p] when `rows`, else a[p*lda + i]); same sums as `micro` / `narrowMicro`, bit for bit.
  void (*microDirect)(int kc, const float* a, ptrdiff_t lda, bool rows, const float* b, float* c, ptrdiff_t ldc, int n, bool acc) = nullptr;
  void (*narrowMicroDirect)(int kc, const float* a, ptrdiff_t lda, bool rows, const float* b, float* c, ptrdiff_t ldc, int n,
                            bool acc) = nullptr;
  // Optional `micro` and `microDirect` on rows of A (nr wide) that store the tile transposed: element (i, j) at
  // c[j*ldc + i].
  void (*microTransposed)(int kc, const float* a, const float* b, float* c, ptrdiff_t ldc, int m, int n, bool acc) = nullptr;
  void (*microRowsTransposed)(int kc, const float* a, ptrdiff_t lda, const float* b, float* c, ptrdiff_t ldc, int n, bool acc) = nullptr;
};

const GemmKernel& avx512Kernel();
const GemmKernel& avx2Kernel();
const GemmKernel& scalarKernel();
bool cpuHasAvx512();
bool cpuHasAvx2();

// The best kernel for this CPU (DENDRITE_NATIVE_ISA=avx512|avx2|scalar forces one that the CPU supports).
const GemmKernel& activeKernel();
void setActiveKernel(const char* name);  // for tests and benchmarks; unknown or unsupported names are ignored

struct GemmArgs {
  int m, n, k;
  bool transA, transB;  // A stored [k, m] / B stored [n, k]
  const float* a;
  ptrdiff_t lda;  // row stride of A as stored
  const float* b;
  ptrdiff_t ldb;
  float* c;
  ptrdiff_t ldc;
  bool accumulate;  // C += product, else C = product
};

// Runs on the calling thread only.
void sgemmSerial(const GemmArgs& g);
// Splits large products over the thread pool (small ones, or calls from inside a pool task, run serially).
void sgemm(const GemmArgs& g);

// The last step of a sum cut into slices of its inner dimension: C[m, n] (row stride ldc) += each of the `count`
// partials in `partials` (each m x n, dense), in order, so that the bits depend only on the number of slices.
void addSlicePartials(float* c, ptrdiff_t ldc, const float* partials, int m, int n, int count);

// op(B) packed once for many products with the same right operand (a convolution's filter): KC-deep
// blocks, block `pc` at data + pc * paddedN, each a row of nr-wide panels.
struct PackedB {
  int k = 0, n = 0, nr = 0, kc = 0, paddedN = 0;
  const float* data = nullptr;
};
// Packs op(B) ([k, n]; stored [n, k] when transB) into `dst` (at least packedBSize floats).
size_t packedBSize(int k, int n);
PackedB packB(const float* b, ptrdiff_t ldb, bool transB, int k, int n, float* dst);
// C[m, n] (+)= op(A) . B on the calling thread; op(A) as in GemmArgs.
void sgemmPackedB(int m, const float* a, ptrdiff_t lda, bool transA, const PackedB& b, float* c, ptrdiff_t ldc, bool accumulate);

// Products at or above this many multiply-adds use the thread pool (DENDRITE_GEMM_PARALLEL_MIN overrides).
long long gemmParallelThreshold();
void setGemmParallelThreshold(long long flops);

}  // namespace dendrite
