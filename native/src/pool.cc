// Pooling over NHWC windows. Each output pixel visits its window's in-image cells only, so padding never
// wins a max and never counts towards a mean (TensorFlow semantics). Loops run innermost over channels,
// where the compiler vectorises them (for AVX-512 and the baseline, chosen at load). Large calls are
// spread over the thread pool: forward passes by output rows; backward passes by whole images, since
// neighbouring windows add into the same dx cells.
#include <algorithm>
#include <cstring>
#include <limits>
#include <vector>

#include "conv.h"
#include "elementwise.h"
#include "fused.h"
#include "parallel.h"
#include "threadpool.h"

namespace dendrite {

namespace {

constexpr long long kPoolParallelMin = 1 << 16;  // output values below which one thread is quicker

inline void windowRange(int o, int stride, int pad, int size, int extent, int& lo, int& hi) {
  const int start = o * stride - pad;
  lo = std::max(start, 0);
  hi = std::min(start + size, extent);
}

// Runs body(first, last) over [0, count), in parallel when `work` is large enough.
template <class F>
void spreadWork(long long count, long long work, F&& body) {
  ThreadPool& pool = ThreadPool::get();
  if (count <= 1 || work < kPoolParallelMin || pool.size() <= 1) {
    body(0LL, count);
    return;
  }
  const int tasks = static_cast<int>(std::min<long long>(count, 4LL * pool.size()));
  pool.parallelFor(tasks, [&](int t) { body(count * t / tasks, count * (t + 1) / tasks); });
}

// The kernels' loops over one part of their rows or images, compiled twice (AVX-512 and baseline) below.
DENDRITE_INLINE void maxPoolPart(const float* x, float* out, const PoolInfo& p, long long first, long long last) {
  const int C = p.channels;
  std::vector<float> best(C);
  for (long long row = first; row < last; row++) {
    const int n = static_cast<int>(row / p.outH), oh = static_cast<int>(row % p.outH);
    int y0, y1;
    windowRange(oh, p.strideH, p.padTop, p.poolH, p.inH, y0, y1);
    float* o = out + row * p.outW * C;
    for (int ow = 0; ow < p.outW; ow++, o += C) {
      int x0, x1;
      windowRange(ow, p.strideW, p.padLeft, p.poolW, p.inW, x0, x1);
      float* b = best.data();
      std::fill(b, b + C, -std::numeric_limits<float>::infinity());
      for (int iy = y0; iy < y1; iy++) {
        for (int ix = x0; ix < x1; ix++) {
          const float* s = x + ((static_cast<long long>(n) * p.inH + iy) * p.inW + ix) * C;
          for (int c = 0; c < C; c++) b[c] = s[c] > b[c] ? s[c] : b[c];  // NaN never wins
        }
      }
      std::memcpy(o, b, sizeof(float) * C);
    }
  }
}

// The winner of each channel over the window rows [y0, y1) x columns [x0, x1) of `img` (C floats per cell, inW
// cells per row): its cell (iy*inW + ix) in where[c], its value in best[c]. The first cell always starts the race
// (even NaN or -inf); a later one wins only when strictly greater, so the first maximum wins, as in TensorFlow.
DENDRITE_INLINE void windowArgmax(const float* img, int C, int inW, int y0, int y1, int x0, int x1, float* __restrict best,
                                  int* __restrict where) {
  const int first = y0 * inW + x0;
  std::memcpy(best, img + static_cast<long long>(first) * C, sizeof(float) * C);
  for (int c = 0; c < C; c++) where[c] = first;
  for (int iy = y0; iy < y1; iy++) {
    for (int ix = iy == y0 ? x0 + 1 : x0; ix < x1; ix++) {
      const int cell = iy * inW + ix;
      const float* __restrict s = img + static_cast<long long>(cell) * C;
      for (int c = 0; c < C; c++) {
        // branch-free (random data would mispredict a branch half the time): win is all ones or 0
        const float v = s[c], b = best[c];
        const int win = -static_cast<int>(v > b);
        best[c] = v > b ? v : b;
        where[c] = (cell & win) | (where[c] & ~win);
      }
    }
  }
}

DENDRITE_INLINE void maxPoolBackpropPart(const float* x, const float* dy, float* dx, const PoolInfo& p, long long first, long long last) {
  const int C = p.channels;
  const long long imageIn = static_cast<long long>(p.inH) * p.inW * C;
  const long long imageOut = static_cast<long long>(p.outH) * p.outW * C;
  std::memset(dx + first * imageIn, 0, sizeof(float) * (last - first) * imageIn);
  std::vector<float> bestBuf(C);
  std::vector<int> whereBuf(C);
  float* __restrict best = bestBuf.data();
  int* __restrict where = whereBuf.data();  // cell (iy*inW + ix) of the window's winner, per channel
  for (long long n = first; n < last; n++) {
    const float* img = x + n * imageIn;
    float* dimg = dx + n * imageIn;
    const float* dyo = dy + n * imageOut;
    for (int oh = 0; oh < p.outH; oh++) {
      int y0, y1;
      windowRange(oh, p.strideH, p.padTop, p.poolH, p.inH, y0, y1);
      for (int ow = 0; ow < p.outW; ow++, dyo += C) {
        int x0, x1;
        windowRange(ow, p.strideW, p.padLeft, p.poolW, p.inW, x0, x1);
        if (y0 >= y1 || x0 >= x1) continue;
        windowArgmax(img, C, p.inW, y0, y1, x0, x1, best, where);
        for (int c = 0; c < C; c++) dimg[static_cast<long long>(where[c]) * C + c] += dyo[c];
      }
    }
  }
}

// maxPoolBackpropPart for windows that tile the image (strides = pool size, no padding): every dx cell belongs to
// at most one window, so it is written once, the window's winner getting dy and the others 0, with no zero-fill
// first and no scattered adds; cells below or right of the last whole window get 0. Same winners, same values.
// RELU: the derivative of a ReLU whose output x is, applied in the same pass (maxPoolActivationBackward): the
// winner's gradient passes where its value is above 0; every other cell is 0 either way.
template <bool RELU>
DENDRITE_INLINE void maxPoolBackpropTiledPart(const float* x, const float* dy, float* dx, const PoolInfo& p, long long first,
                                              long long last) {
  const int C = p.channels;
  const long long imageIn = static_cast<long long>(p.inH) * p.inW * C;
  const long long imageOut = static_cast<long long>(p.outH) * p.outW * C;
  std::vector<float> bestBuf(C);
  std::vector<int> whereBuf(C);
  float* __restrict best = bestBuf.data();
  int* __restrict where = whereBuf.data();
  const int coveredW = p.outW * p.poolW;
  for (long long n = first; n < last; n++) {
    const float* img = x + n * imageIn;
    float* dimg = dx + n * imageIn;
    const float* dyo = dy + n * imageOut;
    for (int oh = 0; oh < p.outH; oh++) {
      const int y0 = oh * p.poolH;
      for (int ow = 0; ow < p.outW; ow++, dyo += C) {
        const int x0 = ow * p.poolW;
        windowArgmax(img, C, p.inW, y0, y0 + p.poolH, x0, x0 + p.poolW, best, where);
        for (int iy = y0; iy < y0 + p.poolH; iy++) {
          for (int ix = x0; ix < x0 + p.poolW; ix++) {
            const int cell = iy * p.inW + ix;
            float* __restrict d = dimg + static_cast<long long>(cell) * C;
            for (int c = 0; c < C; c++) d[c] = where[c] == cell && (!RELU || best[c] > 0) ? dyo[c] : 0.0f;
          }
        }
      }
      if (coveredW < p.inW) {
        for (int iy = y0; iy < y0 + p.poolH; iy++)
          std::memset(dimg + (static_cast<long long>(iy) * p.inW + coveredW) * C, 0, sizeof(float) * (p.inW - coveredW) * C);
      }
    }
    const long long coveredRows = static_cast<long long>(p.outH) * p.poolH;
    std::memset(dimg + coveredRows * p.inW * C, 0, sizeof(float) * (p.inH - coveredRows) * p.inW * C);
  }
}

DENDRITE_INLINE void avgPoolPart(const float* x, float* out, const PoolInfo& p, long long first, long long last) {
  const int C = p.channels;
  std::vector<float> acc(C);
  for (long long row = first; row < last; row++) {
    const int n = static_cast<int>(row / p.outH), oh = static_cast<int>(row % p.outH);
    int y0, y1;
    windowRange(oh, p.strideH, p.padTop, p.poolH, p.inH, y0, y1);
    float* o = out + row * p.outW * C;
    for (int ow = 0; ow < p.outW; ow++, o += C) {
      int x0, x1;
      windowRange(ow, p.strideW, p.padLeft, p.poolW, p.inW, x0, x1);
      float* a = acc.data();
      std::fill(a, a + C, 0.0f);
      for (int iy = y0; iy < y1; iy++) {
        for (int ix = x0; ix < x1; ix++) {
          const float* s = x + ((static_cast<long long>(n) * p.inH + iy) * p.inW + ix) * C;
          for (int c = 0; c < C; c++) a[c] += s[c];
        }
      }
      const int count = std::max(y1 - y0, 0) * std::max(x1 - x0, 0);
      const float scale = count > 0 ? 1.0f / static_cast<float>(count) : 0.0f;
      for (int c = 0; c < C; c++) o[c] = a[c] * scale;
    }
  }
}

DENDRITE_INLINE void avgPoolBackpropPart(const float* dy, float* dx, const PoolInfo& p, long long first, long long last) {
  const int C = p.channels;
  const long long imageIn = static_cast<long long>(p.inH) * p.inW * C;
  const long long imageOut = static_cast<long long>(p.outH) * p.outW * C;
  std::memset(dx + first * imageIn, 0, sizeof(float) * (last - first) * imageIn);
  for (long long n = first; n < last; n++) {
    const float* dyo = dy + n * imageOut;
    for (int oh = 0; oh < p.outH; oh++) {
      int y0, y1;
      windowRange(oh, p.strideH, p.padTop, p.poolH, p.inH, y0, y1);
      for (int ow = 0; ow < p.outW; ow++, dyo += C) {
        int x0, x1;
        windowRange(ow, p.strideW, p.padLeft, p.poolW, p.inW, x0, x1);
        const int count = std::max(y1 - y0, 0) * std::max(x1 - x0, 0);
        if (count == 0) continue;
        const float scale = 1.0f / static_cast<float>(count);
        for (int iy = y0; iy < y1; iy++) {
          for (int ix = x0; ix < x1; ix++) {
            float* d = dx + ((n * p.inH + iy) * p.inW + ix) * C;
            for (int c = 0; c < C; c++) d[c] += dyo[c] * scale;
          }
        }
      }
    }
  }
}

using PoolFn = void (*)(const float*, float*, const PoolInfo&, long long, long long);
using PoolBackpropFn = void (*)(const float*, const float*, float*, const PoolInfo&, long long, long long);

DENDRITE_AVX512 void maxPool512(const float* x, float* out, const PoolInfo& p, long long a, long long b) { maxPoolPart(x, out, p, a, b); }
DENDRITE_AVX512 void avgPool512(const float* x, float* out, const PoolInfo& p, long long a, long long b) { avgPoolPart(x, out, p, a, b); }
DENDRITE_AVX512 void maxPoolBackprop512(const float* x, const float* dy, float* dx, const PoolInfo& p, long long a, long long b) {
  maxPoolBackpropPart(x, dy, dx, p, a, b);
}
DENDRITE_AVX512 void avgPoolBackprop512(const float* dy, float* dx, const PoolInfo& p, long long a, long long b) {
  avgPoolBackpropPart(dy, dx, p, a, b);
}
void maxPoolBase(const float* x, float* out, const PoolInfo& p, long long a, long long b) { maxPoolPart(x, out, p, a, b); }
void avgPoolBase(const float* x, float* out, const PoolInfo& p, long long a, long long b) { avgPoolPart(x, out, p, a, b); }
void maxPoolBackpropBase(const float* x, const float* dy, float* dx, const PoolInfo& p, long long a, long long b) {
  maxPoolBackpropPart(x, dy, dx, p, a, b);
}
DENDRITE_AVX512 void maxPoolBackpropTiled512(const float* x, const float* dy, float* dx, const PoolInfo& p, long long a, long long b) {
  maxPoolBackpropTiledPart<false>(x, dy, dx, p, a, b);
}
void maxPoolBackpropTiledBase(const float* x, const float* dy, float* dx, const PoolInfo& p, long long a, long long b) {
  maxPoolBackpropTiledPart<false>(x, dy, dx, p, a, b);
}
DENDRITE_AVX512 void maxPoolReluBackpropTiled512(const float* x, const float* dy, float* dx, const PoolInfo& p, long long a, long long b) {
  maxPoolBackpropTiledPart<true>(x, dy, dx, p, a, b);
}
void maxPoolReluBackpropTiledBase(const float* x, const float* dy, float* dx, const PoolInfo& p, long long a, long long b) {
  maxPoolBackpropTiledPart<true>(x, dy, dx, p, a, b);
}
void avgPoolBackpropBase(const float* dy, float* dx, const PoolInfo& p, long long a, long long b) { avgPoolBackpropPart(dy, dx, p, a, b); }

const bool kAvx512 = useAvx512();
const PoolFn kMaxPool = kAvx512 ? maxPool512 : maxPoolBase;
const PoolFn kAvgPool = kAvx512 ? avgPool512 : avgPoolBase;
const PoolBackpropFn kMaxPoolBackpropAny = kAvx512 ? maxPoolBackprop512 : maxPoolBackpropBase;
const PoolBackpropFn kMaxPoolBackpropTiled = kAvx512 ? maxPoolBackpropTiled512 : maxPoolBackpropTiledBase;
const PoolBackpropFn kMaxPoolReluBackpropTiled = kAvx512 ? maxPoolReluBackpropTiled512 : maxPoolReluBackpropTiledBase;

// The images [a, b) of maxPool2dBackprop: the tiled version where the windows tile the image (the usual pool after
// a convolution).
void maxPoolBackpropImages(const float* x, const float* dy, float* dx, const PoolInfo& p, long long a, long long b) {
  (poolTiles(p) ? kMaxPoolBackpropTiled : kMaxPoolBackpropAny)(x, dy, dx, p, a, b);
}
void (*const kAvgPoolBackprop)(const float*, float*, const PoolInfo&, long long, long long) = kAvx512 ? avgPoolBackprop512
                                                                                                      : avgPoolBackpropBase;

}  // namespace

bool poolTiles(const PoolInfo& p) {
  return p.poolH >= 1 && p.poolW >= 1 && p.strideH == p.poolH && p.strideW == p.poolW && p.padTop == 0 && p.padLeft == 0 &&
         p.outH * p.poolH <= p.inH && p.outW * p.poolW <= p.inW;
}

void maxPool2d(const float* x, float* out, const PoolInfo& p) {
  const long long rows = static_cast<long long>(p.batch) * p.outH;
  spreadWork(rows, rows * p.outW * p.channels * p.poolH * p.poolW,
             [&](long long first, long long last) { kMaxPool(x, out, p, first, last); });
}

void maxPool2dBackprop(const float* x, const float* dy, float* dx, const PoolInfo& p) {
  const long long imageOut = static_cast<long long>(p.outH) * p.outW * p.channels;
  spreadWork(p.batch, p.batch * imageOut * p.poolH * p.poolW,
             [&](long long first, long long last) { maxPoolBackpropImages(x, dy, dx, p, first, last); });
}

void avgPool2d(const float* x, float* out, const PoolInfo& p) {
  const long long rows = static_cast<long long>(p.batch) * p.outH;
  spreadWork(rows, rows * p.outW * p.channels * p.poolH * p.poolW,
             [&](long long first, long long last) { kAvgPool(x, out, p, first, last); });
}

void avgPool2dBackprop(const float* dy, float* dx, const PoolInfo& p) {
  const long long imageOut = static_cast<long long>(p.outH) * p.outW * p.channels;
  spreadWork(p.batch, p.batch * imageOut * p.poolH * p.poolW,
             [&](long long first, long long last) { kAvgPoolBackprop(dy, dx, p, first, last); });
}

void maxPoolActivationBackward(const float* y, const float* dy, Activation act, float* dz, float* biasGrad, const PoolInfo& p) {
  const int C = p.channels;
  const long long cells = static_cast<long long>(p.inH) * p.inW;
  const long long imageIn = cells * C;
  const long long imageOut = static_cast<long long>(p.outH) * p.outW * C;
  // the bias gradient's column sums, one row per image: a summation order set by the images, not the threads
  std::vector<float> perImage(biasGrad ? static_cast<size_t>(p.batch) * C : 0);
  // a ReLU's derivative in the routing pass itself (the same values: see maxPoolBackpropTiledPart)
  const bool reluTiled = act == Activation::Relu && poolTiles(p);
  // image by image, so that the routed gradient is still in cache when the activation's derivative scales it
  spreadWork(p.batch, p.batch * imageOut * p.poolH * p.poolW, [&](long long first, long long last) {
    for (long long n = first; n < last; n++) {
      float* d = dz + n * imageIn;
      if (reluTiled) {
        kMaxPoolReluBackpropTiled(y, dy, dz, p, n, n + 1);
      } else {
        maxPoolBackpropImages(y, dy, dz, p, n, n + 1);
        activationBackward(act, y + n * imageIn, d, static_cast<size_t>(imageIn), d);
      }
      if (!biasGrad) continue;
      float* sums = perImage.data() + n * C;
      std::fill(sums, sums + C, 0.0f);
      addRows(sums, d, static_cast<size_t>(cells), static_cast<size_t>(C));
    }
  });
  if (!biasGrad) return;
  std::fill(biasGrad, biasGrad + C, 0.0f);
  addRows(biasGrad, perImage.data(), static_cast<size_t>(p.batch), static_cast<size_t>(C));
}

}  // namespace dendrite
