// Convolution as GEMM. With NHWC images and [kh, kw, inC, outC] filters,
//   out[pixels, outC] = patches[pixels, K] . filter[K, outC],   K = kh*kw*inC,
// where row r of `patches` is the receptive field of output pixel r (im2col). Patches are built a chunk of
// pixels at a time in a per-thread buffer that stays in L2, and chunks are spread over the thread pool.
// The filter is packed once per call and shared by all chunks. The forward pass finishes each chunk while it is
// in cache (bias, activation, and a following max pool: conv2dFused), instead of a pass over the whole output
// for each.
#include <algorithm>
#include <cstring>
#include <limits>

#include "conv.h"
#include "gemm.h"
#include "parallel.h"
#include "scratch.h"
#include "threadpool.h"

namespace dendrite {

namespace {

thread_local Scratch tlsCol;
thread_local Scratch tlsPartial;
thread_local Scratch tlsTile;

// The last few filters packed on this thread, kept with a copy of what they were packed from. A model that
// predicts calls each layer with the same weights again and again, and repacking them was the slowest part
// of a small convolution: 8 of the 94 us of the classic CNN's conv2 on one image (288x64), and 7 us more
// in its first chunks, because every write must first take each line back from the other threads' caches,
// where the last call's packing was read. Weights change in place while training, so an entry is found by
// the filter's contents (a compare, about 1 us at 288x64), not its address.
class PackedFilters {
 public:
  const PackedB& get(const float* filter, int k, int n) {
    const size_t count = static_cast<size_t>(k) * n;
    const char* kernel = activeKernel().name;  // the packed layout depends on it
    for (Entry& e : entries_) {
      if (e.kernel == kernel && e.w.k == k && e.w.n == n && std::memcmp(e.original.get(count), filter, count * sizeof(float)) == 0)
        return e.w;
    }
    Entry& e = entries_[next_];
    next_ = (next_ + 1) % kEntries;
    e.kernel = nullptr;  // (not valid until both copies are made)
    std::memcpy(e.original.get(count), filter, count * sizeof(float));
    e.w = packB(filter, n, false, k, n, e.packed.get(packedBSize(k, n)));
    e.kernel = kernel;
    return e.w;
  }

  // Filters larger than this are packed on every call: their convolutions take long enough that packing
  // costs little, and the cache would hold twice their size for each entry.
  static constexpr size_t kMaxFloats = size_t{1} << 18;

 private:
  struct Entry {
    Scratch original, packed;
    PackedB w;
    const char* kernel = nullptr;  // the kernel it was packed for; null while the entry holds nothing valid
  };
  static constexpr int kEntries = 4;
  Entry entries_[kEntries];
  int next_ = 0;
};

thread_local PackedFilters tlsPackedFilters;
thread_local Scratch tlsFilter;

inline long long pixelsOf(const ConvInfo& c) { return static_cast<long long>(c.batch) * c.outH * c.outW; }
inline int patchSize(const ConvInfo& c) { return c.kh * c.kw * c.inC; }

// A 1x1 kernel with unit strides and no padding reads exactly the input pixels: no im2col needed.
inline bool isPointwise(const ConvInfo& c) {
  return c.kh == 1 && c.kw == 1 && c.strideH == 1 && c.strideW == 1 && c.padTop == 0 && c.padLeft == 0 && c.outH == c.inH &&
         c.outW == c.inW;
}

// Pixels per chunk: a patch buffer of about 256 KiB, and at least two chunks per thread when the
// convolution is worth spreading.
/** Slices of the filter gradient's sum over pixels: its parallelism, and a thread-count-free summation order. */
constexpr int kFilterGradSlices = 8;

long long chunkRows(const ConvInfo& c, int threads) {
  const long long pixels = pixelsOf(c);
  const int K = std::max(patchSize(c), 1);
  long long rows = std::max<long long>(16, 65536 / K);
  // a patch copied and a pixel finished (bias, activation) cost about as much per value as 4 multiply-adds: the
  // classic CNN's first layer on one image (676 pixels, K = 9, 32 channels) spent 60% of its time outside the
  // product, 12 us on one thread, where a split costs about 1 us
  const long long work = pixels * (static_cast<long long>(K) * c.outC + 4LL * (K + c.outC));
  if (threads > 1 && work >= gemmParallelThreshold()) {
    rows = std::min(rows, std::max<long long>(16, (pixels + 2 * threads - 1) / (2 * threads)));
  }
  return std::min(rows, std::max<long long>(pixels, 1));
}

DENDRITE_INLINE void copyRun(float* d, const float* s, int n) {
  for (int i = 0; i < n; i++) d[i] = s[i];
}
DENDRITE_INLINE void addRun(float* d, const float* s, int n) {
  for (int i = 0; i < n; i++) d[i] += s[i];
}

// Output pixel r (flat over batch, outH, outW) and a cursor that steps through pixels without divisions.
struct PixelCursor {
  int n, oh, ow;
  PixelCursor(const ConvInfo& c, long long r) {
    ow = static_cast<int>(r % c.outW);
    long long rest = r / c.outW;
    oh = static_cast<int>(rest % c.outH);
    n = static_cast<int>(rest / c.outH);
  }
  void next(const ConvInfo& c) {
    if (++ow == c.outW) {
      ow = 0;
      if (++oh == c.outH) {
        oh = 0;
        n++;
      }
    }
  }
};

// col[(r - r0)*K + (ky*kw + kx)*inC + ch] = the input under tap (ky, kx) of output pixel r (0 in padding).
DENDRITE_INLINE void im2colBody(const float* x, const ConvInfo& c, long long r0, long long r1, float* col) {
  const int K = patchSize(c);
  const int C = c.inC;
  const bool denseRow = c.dilationW == 1;  // the kw taps of one kernel row are adjacent input pixels
  PixelCursor p(c, r0);
  for (long long r = r0; r < r1; r++, p.next(c)) {
    float* d = col + (r - r0) * K;
    const int y0 = p.oh * c.strideH - c.padTop;
    const int x0 = p.ow * c.strideW - c.padLeft;
    const bool colsInside = x0 >= 0 && x0 + (c.kw - 1) * c.dilationW < c.inW;
    for (int ky = 0; ky < c.kh; ky++, d += c.kw * C) {
      const int iy = y0 + ky * c.dilationH;
      if (iy < 0 || iy >= c.inH) {
        std::memset(d, 0, sizeof(float) * c.kw * C);
        continue;
      }
      const float* row = x + (static_cast<long long>(p.n) * c.inH + iy) * c.inW * C;
      if (colsInside && denseRow) {
        copyRun(d, row + static_cast<long long>(x0) * C, c.kw * C);
        continue;
      }
      for (int kx = 0; kx < c.kw; kx++) {
        const int ix = x0 + kx * c.dilationW;
        if (ix < 0 || ix >= c.inW)
          std::memset(d + kx * C, 0, sizeof(float) * C);
        else
          copyRun(d + kx * C, row + static_cast<long long>(ix) * C, C);
      }
    }
  }
}

// The adjoint of im2col: adds each patch row back into the input pixels it was read from.
DENDRITE_INLINE void col2imBody(const float* col, const ConvInfo& c, long long r0, long long r1, float* dx) {
  const int K = patchSize(c);
  const int C = c.inC;
  PixelCursor p(c, r0);
  for (long long r = r0; r < r1; r++, p.next(c)) {
    const float* s = col + (r - r0) * K;
    const int y0 = p.oh * c.strideH - c.padTop;
    const int x0 = p.ow * c.strideW - c.padLeft;
    for (int ky = 0; ky < c.kh; ky++, s += c.kw * C) {
      const int iy = y0 + ky * c.dilationH;
      if (iy < 0 || iy >= c.inH) continue;
      float* row = dx + (static_cast<long long>(p.n) * c.inH + iy) * c.inW * C;
      for (int kx = 0; kx < c.kw; kx++) {
        const int ix = x0 + kx * c.dilationW;
        if (ix >= 0 && ix < c.inW) addRun(row + static_cast<long long>(ix) * C, s + kx * C, C);
      }
    }
  }
}

// Both are copies and element-wise sums, the same in either build; the AVX-512 one moves 64 bytes at a time
// (the baseline build copies 16: im2col was 8% of the classic CNN's training step).
DENDRITE_AVX512 void im2col512(const float* x, const ConvInfo& c, long long r0, long long r1, float* col) { im2colBody(x, c, r0, r1, col); }
void im2colBase(const float* x, const ConvInfo& c, long long r0, long long r1, float* col) { im2colBody(x, c, r0, r1, col); }
DENDRITE_AVX512 void col2im512(const float* col, const ConvInfo& c, long long r0, long long r1, float* dx) {
  col2imBody(col, c, r0, r1, dx);
}
void col2imBase(const float* col, const ConvInfo& c, long long r0, long long r1, float* dx) { col2imBody(col, c, r0, r1, dx); }

void im2col(const float* x, const ConvInfo& c, long long r0, long long r1, float* col) {
  (useAvx512() ? im2col512 : im2colBase)(x, c, r0, r1, col);
}
void col2im(const float* col, const ConvInfo& c, long long r0, long long r1, float* dx) {
  (useAvx512() ? col2im512 : col2imBase)(col, c, r0, r1, dx);
}

GemmArgs gemmArgs(int m, int n, int k, bool transA, bool transB, const float* a, ptrdiff_t lda, const float* b, ptrdiff_t ldb, float* c,
                  ptrdiff_t ldc, bool accumulate) {
  GemmArgs g;
  g.m = m;
  g.n = n;
  g.k = k;
  g.transA = transA;
  g.transB = transB;
  g.a = a;
  g.lda = lda;
  g.b = b;
  g.ldb = ldb;
  g.c = c;
  g.ldc = ldc;
  g.accumulate = accumulate;
  return g;
}

// Bias and activation over `rows` convolved pixels, in place (serial inside a pool task).
void finishRows(float* y, long long rows, int n, const ConvEpilogue& e) {
  if (e.bias || e.act != Activation::Linear) biasActivation(y, e.bias, static_cast<size_t>(rows) * n, n, e.act, y);
}

// One band of the pooled output (one output row of windows) from `tile`, the band's poolH convolved rows of
// c.outW pixels. Windows are visited as maxPoolPart (pool.cc) does, so the max is the same bit for bit.
void maxPoolBand(const float* tile, const ConvInfo& c, const PoolInfo& p, float* out) {
  const int C = c.outC;
  for (int pw = 0; pw < p.outW; pw++, out += C) {
    for (int ch = 0; ch < C; ch++) out[ch] = -std::numeric_limits<float>::infinity();
    for (int dy = 0; dy < p.poolH; dy++) {
      for (int dx = 0; dx < p.poolW; dx++) {
        const float* s = tile + (static_cast<long long>(dy) * c.outW + pw * p.poolW + dx) * C;
        for (int ch = 0; ch < C; ch++) out[ch] = s[ch] > out[ch] ? s[ch] : out[ch];  // NaN never wins
      }
    }
  }
}

// conv2dFused with a max pool: chunks of whole bands (the poolH convolved rows under one row of windows), so the
// full-size convolved image never exists, unless e.convOut asks for it (training keeps it for the backward pass).
void conv2dPooled(const float* x, const PackedB& w, float* out, const ConvInfo& c, const ConvEpilogue& e) {
  const PoolInfo& p = *e.pool;
  const int K = patchSize(c), N = c.outC;
  const long long bandPixels = static_cast<long long>(p.poolH) * c.outW;
  const long long bands = static_cast<long long>(c.batch) * p.outH;
  if (bands <= 0 || p.outW <= 0) return;
  // bands follow each other in convOut when no rows are left below the last whole window: it is then the tile
  const bool contiguous = c.outH == p.outH * p.poolH;
  ThreadPool& pool = ThreadPool::get();
  const long long perChunk = std::max<long long>(1, chunkRows(c, pool.size()) / bandPixels);
  const int chunks = static_cast<int>((bands + perChunk - 1) / perChunk);
  auto bandStart = [&](long long b) { return ((b / p.outH) * c.outH + (b % p.outH) * p.poolH) * c.outW; };
  pool.parallelFor(chunks, [&](int t) {
    const long long b0 = t * perChunk, b1 = std::min(bands, b0 + perChunk);
    float* col = tlsCol.get(static_cast<size_t>(perChunk * bandPixels) * K);
    float* tile = e.convOut && contiguous ? e.convOut + bandStart(b0) * N : tlsTile.get(static_cast<size_t>(perChunk * bandPixels) * N);
    for (long long b = b0; b < b1; b++) im2col(x, c, bandStart(b), bandStart(b) + bandPixels, col + (b - b0) * bandPixels * K);
    const long long rows = (b1 - b0) * bandPixels;
    sgemmPackedB(static_cast<int>(rows), col, K, false, w, tile, N, false);
    finishRows(tile, rows, N, e);
    for (long long b = b0; b < b1; b++) {
      const float* band = tile + (b - b0) * bandPixels * N;
      maxPoolBand(band, c, p, out + b * p.outW * N);
      if (e.convOut && !contiguous) std::memcpy(e.convOut + bandStart(b) * N, band, sizeof(float) * bandPixels * N);
    }
  });
  if (!e.convOut || contiguous) return;
  // the rows below the last whole window, which the pool never reads
  for (long long n = 0; n < c.batch; n++) {
    const long long r0 = (n * c.outH + static_cast<long long>(p.outH) * p.poolH) * c.outW, r1 = (n + 1) * c.outH * c.outW;
    float* col = tlsCol.get(static_cast<size_t>(r1 - r0) * K);
    im2col(x, c, r0, r1, col);
    sgemmPackedB(static_cast<int>(r1 - r0), col, K, false, w, e.convOut + r0 * N, N, false);
    finishRows(e.convOut + r0 * N, r1 - r0, N, e);
  }
}

}  // namespace

bool fusablePool(const ConvInfo& c, const PoolInfo& p) {
  return p.batch == c.batch && p.inH == c.outH && p.inW == c.outW && p.channels == c.outC && poolTiles(p) && p.outH == c.outH / p.poolH &&
         p.outW == c.outW / p.poolW;
}

void conv2d(const float* x, const float* filter, float* out, const ConvInfo& c) { conv2dFused(x, filter, out, c, ConvEpilogue{}); }

void conv2dFused(const float* x, const float* filter, float* out, const ConvInfo& c, const ConvEpilogue& e) {
  const long long pixels = pixelsOf(c);
  const int K = patchSize(c), N = c.outC;
  if (pixels <= 0 || N <= 0) return;
  if (isPointwise(c) && !e.pool) {
    sgemm(gemmArgs(static_cast<int>(pixels), N, K, false, false, x, K, filter, N, out, N, false));
    finishRows(out, pixels, N, e);
    return;
  }
  const PackedB w = static_cast<size_t>(K) * N <= PackedFilters::kMaxFloats
                        ? tlsPackedFilters.get(filter, K, N)
                        : packB(filter, N, false, K, N, tlsFilter.get(packedBSize(K, N)));
  if (e.pool) {
    conv2dPooled(x, w, out, c, e);
    return;
  }
  ThreadPool& pool = ThreadPool::get();
  const long long rows = chunkRows(c, pool.size());
  const int chunks = static_cast<int>((pixels + rows - 1) / rows);
  pool.parallelFor(chunks, [&](int t) {
    const long long r0 = t * rows, r1 = std::min(pixels, r0 + rows);
    float* col = tlsCol.get(static_cast<size_t>(rows) * K);
    im2col(x, c, r0, r1, col);
    sgemmPackedB(static_cast<int>(r1 - r0), col, K, false, w, out + r0 * N, N, false);
    finishRows(out + r0 * N, r1 - r0, N, e);
  });
}

void conv2dBackpropInput(const float* dy, const float* filter, float* dx, const ConvInfo& c) {
  const long long pixels = pixelsOf(c);
  const int K = patchSize(c), N = c.outC;
  const size_t dxSize = static_cast<size_t>(c.batch) * c.inH * c.inW * c.inC;
  if (isPointwise(c)) {
    // dx[pixels, inC] = dy[pixels, outC] . filter^T
    if (pixels > 0) sgemm(gemmArgs(static_cast<int>(pixels), K, N, false, true, dy, N, filter, N, dx, K, false));
    return;
  }
  if (pixels <= 0 || K <= 0) {
    std::memset(dx, 0, sizeof(float) * dxSize);
    return;
  }
  ThreadPool& pool = ThreadPool::get();
  const long long rows = chunkRows(c, pool.size());
  // filter^T [outC, K], packed once
  const PackedB wt = packB(filter, N, true, N, K, tlsFilter.get(packedBSize(N, K)));
  // chunks never straddle images, and each task owns whole images, so no two threads add into one dx pixel
  const long long perImage = static_cast<long long>(c.outH) * c.outW;
  const int tasks = std::min(c.batch, 8 * pool.size());
  pool.parallelFor(tasks, [&](int t) {
    const long long n0 = static_cast<long long>(c.batch) * t / tasks, n1 = static_cast<long long>(c.batch) * (t + 1) / tasks;
    float* col = tlsCol.get(static_cast<size_t>(rows) * K);
    // the task's images cleared here, so that the sums below find them in cache (a clear of the whole of dx
    // up front left it in memory)
    const long long imageSize = static_cast<long long>(c.inH) * c.inW * c.inC;
    std::memset(dx + n0 * imageSize, 0, sizeof(float) * (n1 - n0) * imageSize);
    for (long long r0 = n0 * perImage; r0 < n1 * perImage; r0 += rows) {
      const long long r1 = std::min(n1 * perImage, r0 + rows);
      sgemmPackedB(static_cast<int>(r1 - r0), dy + r0 * N, N, false, wt, col, K, false);
      col2im(col, c, r0, r1, dx);
    }
  });
}

void conv2dBackpropFilter(const float* x, const float* dy, float* dw, const ConvInfo& c) {
  const long long pixels = pixelsOf(c);
  const int K = patchSize(c), N = c.outC;
  if (K <= 0 || N <= 0) return;
  if (pixels <= 0) {
    std::memset(dw, 0, sizeof(float) * K * N);
    return;
  }
  if (isPointwise(c)) {
    // dw[inC, outC] = x[pixels, inC]^T . dy[pixels, outC]
    sgemm(gemmArgs(K, N, static_cast<int>(pixels), true, false, x, K, dy, N, dw, N, false));
    return;
  }
  // NOTE: the sum over pixels is split into slices that depend only on the problem, never on the thread count:
  // each slice adds its chunks' products into its own K x N partial, and the partials are added in slice order,
  // so dw is bit-identical whether 1 or 16 threads ran (a training run is reproducible across machines)
  ThreadPool& pool = ThreadPool::get();
  const long long rows = chunkRows(c, 1);
  const int chunks = static_cast<int>((pixels + rows - 1) / rows);
  const int slices = std::min(chunks, kFilterGradSlices);
  const size_t kn = static_cast<size_t>(K) * N;
  float* partials = slices > 1 ? tlsPartial.get(kn * (slices - 1)) : nullptr;
  pool.parallelFor(slices, [&](int s) {
    float* acc = s == 0 ? dw : partials + kn * (s - 1);
    const int c0 = static_cast<int>(static_cast<long long>(chunks) * s / slices);
    const int c1 = static_cast<int>(static_cast<long long>(chunks) * (s + 1) / slices);
    float* col = tlsCol.get(static_cast<size_t>(rows) * K);
    for (int ch = c0; ch < c1; ch++) {
      const long long r0 = ch * rows, r1 = std::min(pixels, r0 + rows);
      im2col(x, c, r0, r1, col);
      sgemmSerial(gemmArgs(K, N, static_cast<int>(r1 - r0), true, false, col, K, dy + r0 * N, N, acc, N, ch > c0));
    }
  });
  addSlicePartials(dw, N, partials, K, N, slices - 1);
}

}  // namespace dendrite
