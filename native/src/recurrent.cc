// The recurrent layers' loops over time in one call each (LSTM, GRU, SimpleRNN): the recurrent kernel is packed
// once (for the forward's h . R and the backward's dz . R^T), each step runs one GEMM on the packed operand (split
// by columns over the thread pool when large) and then the gate arithmetic, in float with a polynomial exp that
// the compiler vectorises (compiled for AVX-512, AVX2 and the baseline, run with the GEMM's instruction set).
// Mask and recurrent dropout follow src/backend/js/recurrent.ts, the reference, step for step; only the
// roundings differ (the reference computes the gates in double through Math.exp).
#include "recurrent.h"

#include <algorithm>
#include <cstddef>
#include <cstring>

#include "gemm.h"
#include "parallel.h"
#include "scratch.h"
#include "threadpool.h"

// GCC vectorises the exp's clamps (selects on a comparison) below AVX-512 only when comparisons may not trap;
// the addon never unmasks floating-point exceptions, and no value changes. For this file's functions only.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-trapping-math")
#endif

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define DENDRITE_AVX2 __attribute__((target("avx2,fma")))
#else
#define DENDRITE_AVX2
#endif

namespace dendrite {

namespace {

// exp(x) in float, Cephes' expf: x = n ln2 + r (ln 2 in two parts, n rounded by the 1.5 * 2^23 trick), a degree-5
// polynomial for e^r (about 1 ulp), 2^n built in the exponent bits. Plain arithmetic, so loops over it
// vectorise. Clamped to [-87.3, 88.3] (e^x stays a normal float; the activations below saturate there anyway).
DENDRITE_INLINE float expf_(float x) {
  x = x < -87.3f ? -87.3f : x;
  x = x > 88.3f ? 88.3f : x;
  const float n = (x * 1.44269504088896341f + 12582912.0f) - 12582912.0f;
  const float r = (x - n * 0.693359375f) - n * -2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  const float e = p * (r * r) + r + 1.0f;
  const int32_t bits = (static_cast<int32_t>(n) + 127) * (1 << 23);
  float scale;
  std::memcpy(&scale, &bits, sizeof scale);
  return e * scale;
}

// The activation C at v (codes as LstmInfo).
template <int C>
DENDRITE_INLINE float act(float v) {
  if (C == 1) return v > 0 ? v : 0.0f;
  if (C == 2) return 1.0f / (1.0f + expf_(-v));
  if (C == 3) return 1.0f - 2.0f / (1.0f + expf_(2.0f * v));
  if (C == 4) return v <= -2.5f ? 0.0f : v >= 2.5f ? 1.0f : 0.2f * v + 0.5f;
  return v;
}

// Its derivative at the point whose output is y.
template <int C>
DENDRITE_INLINE float deriv(float y) {
  if (C == 1) return y > 0 ? 1.0f : 0.0f;
  if (C == 2) return y * (1.0f - y);
  if (C == 3) return 1.0f - y * y;
  if (C == 4) return y > 0 && y < 1 ? 0.2f : 0.0f;
  return 1.0f;
}

// One step of the forward: everything a step's gate arithmetic reads and writes.
struct Step {
  int N, T, u, s, t, slot;
  const float* mask;   // [N, T] or null
  const float* z;      // the recurrent product [N, 4u]
  const float* x;      // the projected inputs [N, T, 4u]
  const float* hPrev;  // the states before the step: row n at hPrev + n * stride (c likewise)
  const float* cPrev;
  ptrdiff_t stride;
  float* y;  // [N, T, 2u]
  float* gates;
  float* cellOut;
};

// The loops over one row are functions of __restrict parameters (which GCC keeps when inlining; it ignores
// the qualifier on local pointers), so that they vectorise without run-time overlap checks.

// A row's gates: g = activation(z + x), i and f (recurrent activation), c (activation), o (recurrent activation).
template <int A, int RA>
DENDRITE_INLINE void gateRow(const float* __restrict z, const float* __restrict x, float* __restrict g, int u) {
  for (int j = 0; j < 2 * u; j++) g[j] = act<RA>(z[j] + x[j]);
  for (int j = 2 * u; j < 3 * u; j++) g[j] = act<A>(z[j] + x[j]);
  for (int j = 3 * u; j < 4 * u; j++) g[j] = act<RA>(z[j] + x[j]);
}

// A row's new states: c = f * cPrev + i * candidate, cellOut = activation(c), h = o * cellOut.
template <int A>
DENDRITE_INLINE void cellRow(const float* __restrict g, const float* __restrict cp, float* __restrict c, float* __restrict co,
                             float* __restrict h, int u) {
  for (int k = 0; k < u; k++) {
    const float v = g[u + k] * cp[k] + g[k] * g[2 * u + k];
    c[k] = v;
    co[k] = act<A>(v);
    h[k] = g[3 * u + k] * co[k];
  }
}

// A padded row: the states carried over.
DENDRITE_INLINE void carryRow(const float* __restrict hp, const float* __restrict cp, float* __restrict h, float* __restrict c, int u) {
  for (int k = 0; k < u; k++) {
    h[k] = hp[k];
    c[k] = cp[k];
  }
}

template <int A, int RA>
DENDRITE_INLINE void forwardBody(const Step& st) {
  const int u = st.u, G = 4 * u, N = st.N, T = st.T;
  for (int n = 0; n < N; n++) {
    float* g = st.gates + (static_cast<ptrdiff_t>(st.slot) * N + n) * G;
    gateRow<A, RA>(st.z + static_cast<ptrdiff_t>(n) * G, st.x + (static_cast<ptrdiff_t>(n) * T + st.t) * G, g, u);
    float* yr = st.y + (static_cast<ptrdiff_t>(n) * T + st.s) * 2 * u;
    const float* hp = st.hPrev + n * st.stride;
    const float* cp = st.cPrev + n * st.stride;
    if (st.mask && st.mask[static_cast<ptrdiff_t>(n) * T + st.t] == 0) {
      carryRow(hp, cp, yr, yr + u, u);
    } else {
      cellRow<A>(g, cp, yr + u, st.cellOut + (static_cast<ptrdiff_t>(st.slot) * N + n) * u, yr, u);
    }
  }
}

// One step of the backward.
struct BackStep {
  int N, T, u, s, t;
  const float* mask;
  const float* dy;       // [N, T, 2u]
  const float* gates;    // of this step: [N, 4u]
  const float* cellOut;  // of this step: [N, u]
  const float* cPrev;    // c before the step: row n at cPrev + n * stride
  ptrdiff_t stride;
  float* dz;  // of this step: row n at dz + n * dzStride
  ptrdiff_t dzStride;
  float* dh;
  float* dc;
};

// A row's pre-activation gradients dz from the gradients flowing into h and c (dh, dc: in, then out: those of
// the states before the step).
template <int A, int RA>
DENDRITE_INLINE void backRow(const float* __restrict g, const float* __restrict tcr, const float* __restrict cp,
                             const float* __restrict dyh, const float* __restrict dyc, float* __restrict dz, float* __restrict dh,
                             float* __restrict dc, int u) {
  for (int k = 0; k < u; k++) {
    const float gh = dh[k] + dyh[k];
    const float gc = dc[k] + dyc[k];
    const float i = g[k], f = g[u + k], gg = g[2 * u + k], og = g[3 * u + k];
    const float tc = tcr[k];
    const float dct = gc + gh * og * deriv<A>(tc);
    dz[k] = dct * gg * deriv<RA>(i);
    dz[u + k] = dct * cp[k] * deriv<RA>(f);
    dz[2 * u + k] = dct * i * deriv<A>(gg);
    dz[3 * u + k] = gh * tc * deriv<RA>(og);
    dc[k] = dct * f;
    dh[k] = 0.0f;
  }
}

// A padded row passed the states on: so does their gradient.
DENDRITE_INLINE void carryBackRow(const float* __restrict dyh, const float* __restrict dyc, float* __restrict dh, float* __restrict dc,
                                  int u) {
  for (int k = 0; k < u; k++) {
    dh[k] += dyh[k];
    dc[k] += dyc[k];
  }
}

template <int A, int RA>
DENDRITE_INLINE void backwardBody(const BackStep& st) {
  const int u = st.u, G = 4 * u, N = st.N, T = st.T;
  for (int n = 0; n < N; n++) {
    const float* dyr = st.dy + (static_cast<ptrdiff_t>(n) * T + st.s) * 2 * u;
    float* dh = st.dh + static_cast<ptrdiff_t>(n) * u;
    float* dc = st.dc + static_cast<ptrdiff_t>(n) * u;
    if (st.mask && st.mask[static_cast<ptrdiff_t>(n) * T + st.t] == 0) {
      carryBackRow(dyr, dyr + u, dh, dc, u);
      std::memset(st.dz + n * st.dzStride, 0, sizeof(float) * G);
    } else {
      backRow<A, RA>(st.gates + static_cast<ptrdiff_t>(n) * G, st.cellOut + static_cast<ptrdiff_t>(n) * u, st.cPrev + n * st.stride, dyr,
                     dyr + u, st.dz + n * st.dzStride, dh, dc, u);
    }
  }
}

// op(B) [k, n] packed once in column ranges, one per thread: a step's product C = A . op(B) ([m, k] . [k, n])
// runs its ranges side by side on the thread pool when it is large enough (gemmParallelThreshold()). Measured on
// 2 cores, LSTM(128) over 100 steps of 32: 4.4 -> 3.8 ms forward, 4.0 -> 3.4 ms backward. The columns do not
// depend on the split.
class PartedB {
 public:
  PartedB(const float* b, ptrdiff_t ldb, bool transB, int k, int n, int m) {
    const bool large = static_cast<long long>(m) * k * n >= gemmParallelThreshold() && !ThreadPool::inTask();
    // at least 64 columns per part, 32-column aligned (the GEMM's widest panel)
    const int parts = large ? std::max(1, std::min({ThreadPool::get().size(), n / 64, 8})) : 1;
    size_t total = 0;
    for (int i = 0; i < parts; i++) {
      first_[i] = n * i / parts / 32 * 32;
      first_[i + 1] = i + 1 == parts ? n : n * (i + 1) / parts / 32 * 32;
      offset_[i] = total;
      total += (packedBSize(k, first_[i + 1] - first_[i]) + 15) / 16 * 16;
    }
    float* data = storage_.get(total);
    for (int i = 0; i < parts; i++) {
      const float* src = transB ? b + first_[i] * ldb : b + first_[i];
      parts_[i] = packB(src, ldb, transB, k, first_[i + 1] - first_[i], data + offset_[i]);
    }
    count_ = parts;
  }

  // C[m, n] = A . op(B), A [m, k] with row stride lda.
  void multiply(int m, const float* a, ptrdiff_t lda, float* c, ptrdiff_t ldc) const {
    if (count_ == 1) {
      sgemmPackedB(m, a, lda, false, parts_[0], c, ldc, false);
      return;
    }
    ThreadPool::get().parallelFor(count_, [&](int i) { sgemmPackedB(m, a, lda, false, parts_[i], c + first_[i], ldc, false); });
  }

 private:
  Scratch storage_;
  PackedB parts_[8];
  int first_[9] = {};
  size_t offset_[8] = {};
  int count_ = 1;
};

using ForwardFn = void (*)(const Step&);
using BackwardFn = void (*)(const BackStep&);

// ---- GRU ----

// A GRU call's operands (forward and backward).
// The state a step multiplies by the recurrent kernel: row n of the previous output (rows `stride` apart), times
// the recurrent-dropout mask where there is one, packed into N contiguous rows of u.
DENDRITE_INLINE void previousState(const float* __restrict hPrev, ptrdiff_t stride, const float* __restrict dropout, int N, int u,
                                   float* __restrict hs) {
  for (int n = 0; n < N; n++) {
    const float* hp = hPrev + n * stride;
    float* dst = hs + static_cast<ptrdiff_t>(n) * u;
    if (dropout) {
      const float* d = dropout + static_cast<ptrdiff_t>(n) * u;
      for (int k = 0; k < u; k++) dst[k] = hp[k] * d[k];
    } else {
      std::memcpy(dst, hp, sizeof(float) * u);
    }
  }
}

struct GruCall {
  const GruInfo* p;
  const LstmBuffers* b;
  const float* x;
  const float* R;
  const float* rb;
  const float* h0;
  const float* y;
  float* out;
  float* hIn;
  float* gates;
  float* extra;
  const float* dy;
  float* dx;
  float* dRec;
  float* dCand;
  float* dh;
};

// A row's z and r gates: activation(rec + x) (rec with the recurrent bias, when there is one), and `extra`: the
// candidate's recurrent term (resetAfter) or r * h.
template <int RA>
DENDRITE_INLINE void gruGateRow(float* __restrict rec, const float* __restrict rb, const float* __restrict xr, const float* __restrict hs,
                                float* __restrict g, float* __restrict es, int u, bool resetAfter) {
  if (rb) {
    for (int j = 0; j < 3 * u; j++) rec[j] += rb[j];
  }
  for (int j = 0; j < 2 * u; j++) g[j] = act<RA>(rec[j] + xr[j]);
  if (resetAfter) {
    for (int k = 0; k < u; k++) es[k] = rec[2 * u + k];
  } else {
    for (int k = 0; k < u; k++) es[k] = g[u + k] * hs[k];
  }
}

// A row's candidate and new state (`keep`: a real step, else h carried over).
template <int A>
DENDRITE_INLINE void gruStateRow(float* __restrict g, const float* __restrict xr, const float* __restrict es, const float* __restrict q,
                                 const float* __restrict hp, float* __restrict h, int u, bool resetAfter, bool keep) {
  if (resetAfter) {
    for (int k = 0; k < u; k++) g[2 * u + k] = act<A>(xr[2 * u + k] + g[u + k] * es[k]);
  } else {
    for (int k = 0; k < u; k++) g[2 * u + k] = act<A>(xr[2 * u + k] + q[k]);
  }
  if (keep) {
    for (int k = 0; k < u; k++) h[k] = g[k] * hp[k] + (1.0f - g[k]) * g[2 * u + k];
  } else {
    for (int k = 0; k < u; k++) h[k] = hp[k];
  }
}

template <int A, int RA>
DENDRITE_INLINE void gruForwardLoop(const GruCall& c) {
  const GruInfo& p = *c.p;
  const int N = p.batch, T = p.timesteps, u = p.units, G = 3 * u;
  const bool ra = p.resetAfter != 0;
  const int recWidth = ra ? G : 2 * u;
  // without resetAfter the update / reset gates and the candidate take separate products
  const PartedB rzr(c.R, G, false, u, recWidth, N);
  const PartedB rh(c.R + 2 * u, G, false, u, ra ? 0 : u, N);
  Scratch recBuffer, qBuffer;
  float* rec = recBuffer.get(static_cast<size_t>(N) * recWidth);
  float* q = qBuffer.get(static_cast<size_t>(N) * u);
  for (int s = 0; s < T; s++) {
    const int t = p.goBackwards ? T - 1 - s : s;
    const int slot = p.kept == T ? s : 0;
    const float* hPrev = s == 0 ? c.h0 : c.out + static_cast<ptrdiff_t>(s - 1) * u;
    const ptrdiff_t stride = s == 0 ? u : static_cast<ptrdiff_t>(T) * u;
    float* hs = c.hIn + static_cast<ptrdiff_t>(slot) * N * u;
    float* es = c.extra + static_cast<ptrdiff_t>(slot) * N * u;
    previousState(hPrev, stride, c.b->dropout, N, u, hs);
    rzr.multiply(N, hs, u, rec, recWidth);
    for (int n = 0; n < N; n++) {
      gruGateRow<RA>(rec + static_cast<ptrdiff_t>(n) * recWidth, c.rb, c.x + (static_cast<ptrdiff_t>(n) * T + t) * G,
                     hs + static_cast<ptrdiff_t>(n) * u, c.gates + (static_cast<ptrdiff_t>(slot) * N + n) * G,
                     es + static_cast<ptrdiff_t>(n) * u, u, ra);
    }
    if (!ra) rh.multiply(N, es, u, q, u);
    for (int n = 0; n < N; n++) {
      const bool keep = !c.b->mask || c.b->mask[static_cast<ptrdiff_t>(n) * T + t] != 0;
      gruStateRow<A>(c.gates + (static_cast<ptrdiff_t>(slot) * N + n) * G, c.x + (static_cast<ptrdiff_t>(n) * T + t) * G,
                     es + static_cast<ptrdiff_t>(n) * u, q + static_cast<ptrdiff_t>(n) * u, hPrev + n * stride,
                     c.out + (static_cast<ptrdiff_t>(n) * T + s) * u, u, ra, keep);
    }
  }
}

// A real row's gradients: of z, the candidate and (resetAfter) r; dh becomes the part through z.
template <int A, int RA>
DENDRITE_INLINE void gruBackRow(const float* __restrict g, const float* __restrict hp, const float* __restrict dyr,
                                const float* __restrict es, float* __restrict dx, float* __restrict dRec, float* __restrict dCand,
                                float* __restrict dh, int u, bool resetAfter) {
  for (int k = 0; k < u; k++) {
    const float gh = dh[k] + dyr[k];
    const float z = g[k], hh = g[2 * u + k];
    const float dz = gh * (hp[k] - hh) * deriv<RA>(z);
    const float dah = gh * (1.0f - z) * deriv<A>(hh);
    dx[k] = dz;
    dx[2 * u + k] = dah;
    dRec[k] = dz;
    if (resetAfter) {
      const float r = g[u + k];
      const float dr = dah * es[k] * deriv<RA>(r);
      dx[u + k] = dr;
      dRec[u + k] = dr;
      dRec[2 * u + k] = dah * r;
    } else {
      dCand[k] = dah;
    }
    dh[k] = gh * z;
  }
}

// Not resetAfter: r's gradient from the candidate product's input gradient drh = dah . Rh^T, which becomes r * drh.
template <int RA>
DENDRITE_INLINE void gruResetRow(const float* __restrict g, const float* __restrict hs, float* __restrict drh, float* __restrict dx,
                                 float* __restrict dRec, int u) {
  for (int k = 0; k < u; k++) {
    const float r = g[u + k];
    const float dr = drh[k] * hs[k] * deriv<RA>(r);
    dx[u + k] = dr;
    dRec[u + k] = dr;
    drh[k] *= r;
  }
}

template <int A, int RA>
DENDRITE_INLINE void gruBackwardLoop(const GruCall& c) {
  const GruInfo& p = *c.p;
  const int N = p.batch, T = p.timesteps, u = p.units, G = 3 * u;
  const bool ra = p.resetAfter != 0;
  const int recWidth = ra ? G : 2 * u;
  // R^T (resetAfter), or the transposes of its [z, r] and candidate columns
  const PartedB rt(c.R, G, true, recWidth, u, N);
  const PartedB rhT(c.R + 2 * u, G, true, ra ? 0 : u, u, N);
  Scratch tmpBuffer, drhBuffer;
  float* tmp = tmpBuffer.get(static_cast<size_t>(N) * u);
  float* drh = drhBuffer.get(static_cast<size_t>(N) * u);
  const float* dropout = c.b->dropout;
  for (int s = T - 1; s >= 0; s--) {
    const int t = p.goBackwards ? T - 1 - s : s;
    const float* hPrev = s == 0 ? c.h0 : c.y + static_cast<ptrdiff_t>(s - 1) * u;
    const ptrdiff_t stride = s == 0 ? u : static_cast<ptrdiff_t>(T) * u;
    auto keeps = [&](int n) { return !c.b->mask || c.b->mask[static_cast<ptrdiff_t>(n) * T + t] != 0; };
    for (int n = 0; n < N; n++) {
      const ptrdiff_t row = static_cast<ptrdiff_t>(s) * N + n;
      const float* dyr = c.dy + (static_cast<ptrdiff_t>(n) * T + s) * u;
      float* dh = c.dh + static_cast<ptrdiff_t>(n) * u;
      if (!keeps(n)) {
        for (int k = 0; k < u; k++) dh[k] += dyr[k];
        continue;
      }
      gruBackRow<A, RA>(c.gates + row * G, hPrev + n * stride, dyr, c.extra + row * u, c.dx + row * G, c.dRec + row * recWidth,
                        ra ? nullptr : c.dCand + row * u, dh, u, ra);
    }
    if (!ra) {
      rhT.multiply(N, c.dCand + static_cast<ptrdiff_t>(s) * N * u, u, drh, u);
      for (int n = 0; n < N; n++) {
        if (!keeps(n)) continue;
        const ptrdiff_t row = static_cast<ptrdiff_t>(s) * N + n;
        gruResetRow<RA>(c.gates + row * G, c.hIn + row * u, drh + static_cast<ptrdiff_t>(n) * u, c.dx + row * G, c.dRec + row * recWidth,
                        u);
      }
    }
    rt.multiply(N, c.dRec + static_cast<ptrdiff_t>(s) * N * recWidth, recWidth, tmp, u);
    // padded rows: dRec and drh are zero there, so their gradient passes on unchanged
    for (int n = 0; n < N; n++) {
      if (!keeps(n)) continue;
      const ptrdiff_t o = static_cast<ptrdiff_t>(n) * u;
      for (int k = 0; k < u; k++) {
        const float g = ra ? tmp[o + k] : tmp[o + k] + drh[o + k];
        c.dh[o + k] += dropout ? g * dropout[o + k] : g;
      }
    }
  }
}

using GruFn = void (*)(const GruCall&);

// ---- SimpleRNN ----

// A real row's new state h = activation(q + x).
template <int A>
DENDRITE_INLINE void simpleRow(const float* __restrict q, const float* __restrict xr, float* __restrict h, int u) {
  for (int k = 0; k < u; k++) h[k] = act<A>(q[k] + xr[k]);
}

// A real row's pre-activation gradient; dh becomes 0 (the state's gradient flows through the product).
template <int A>
DENDRITE_INLINE void simpleBackRow(const float* __restrict yr, const float* __restrict dyr, float* __restrict dA, float* __restrict dh,
                                   int u) {
  for (int k = 0; k < u; k++) {
    dA[k] = (dh[k] + dyr[k]) * deriv<A>(yr[k]);
    dh[k] = 0.0f;
  }
}

struct SimpleCall {
  const LstmInfo* p;
  const LstmBuffers* b;
  const float* x;
  const float* R;
  const float* h0;
  float* y;
  float* hIn;
  const float* dy;
  float* dA;
  float* dh;
};

template <int A>
DENDRITE_INLINE void simpleForwardLoop(const SimpleCall& c) {
  const LstmInfo& p = *c.p;
  const int N = p.batch, T = p.timesteps, u = p.units;
  const PartedB rp(c.R, u, false, u, u, N);
  Scratch qBuffer;
  float* q = qBuffer.get(static_cast<size_t>(N) * u);
  for (int s = 0; s < T; s++) {
    const int t = p.goBackwards ? T - 1 - s : s;
    const int slot = p.kept == T ? s : 0;
    const float* hPrev = s == 0 ? c.h0 : c.y + static_cast<ptrdiff_t>(s - 1) * u;
    const ptrdiff_t stride = s == 0 ? u : static_cast<ptrdiff_t>(T) * u;
    float* hs = c.hIn + static_cast<ptrdiff_t>(slot) * N * u;
    previousState(hPrev, stride, c.b->dropout, N, u, hs);
    rp.multiply(N, hs, u, q, u);
    for (int n = 0; n < N; n++) {
      float* yr = c.y + (static_cast<ptrdiff_t>(n) * T + s) * u;
      if (!c.b->mask || c.b->mask[static_cast<ptrdiff_t>(n) * T + t] != 0) {
        simpleRow<A>(q + static_cast<ptrdiff_t>(n) * u, c.x + (static_cast<ptrdiff_t>(n) * T + t) * u, yr, u);
      } else {
        std::memcpy(yr, hPrev + n * stride, sizeof(float) * u);
      }
    }
  }
}

template <int A>
DENDRITE_INLINE void simpleBackwardLoop(const SimpleCall& c) {
  const LstmInfo& p = *c.p;
  const int N = p.batch, T = p.timesteps, u = p.units;
  const PartedB rt(c.R, u, true, u, u, N);
  Scratch tmpBuffer;
  float* tmp = tmpBuffer.get(static_cast<size_t>(N) * u);
  const size_t count = static_cast<size_t>(N) * u;
  for (int s = T - 1; s >= 0; s--) {
    const int t = p.goBackwards ? T - 1 - s : s;
    float* dA = c.dA + static_cast<ptrdiff_t>(s) * N * u;
    for (int n = 0; n < N; n++) {
      const ptrdiff_t yo = (static_cast<ptrdiff_t>(n) * T + s) * u;
      float* dh = c.dh + static_cast<ptrdiff_t>(n) * u;
      if (!c.b->mask || c.b->mask[static_cast<ptrdiff_t>(n) * T + t] != 0) {
        simpleBackRow<A>(c.y + yo, c.dy + yo, dA + static_cast<ptrdiff_t>(n) * u, dh, u);
      } else {
        for (int k = 0; k < u; k++) dh[k] += c.dy[yo + k];
      }
    }
    rt.multiply(N, dA, u, tmp, u);
    if (c.b->dropout) {
      for (size_t j = 0; j < count; j++) c.dh[j] += tmp[j] * c.b->dropout[j];
    } else {
      for (size_t j = 0; j < count; j++) c.dh[j] += tmp[j];
    }
  }
}

using SimpleFn = void (*)(const SimpleCall&);

template <int A>
struct SimpleKernels {
  DENDRITE_AVX512 static void forward512(const SimpleCall& c) { simpleForwardLoop<A>(c); }
  DENDRITE_AVX2 static void forward2(const SimpleCall& c) { simpleForwardLoop<A>(c); }
  static void forwardBase(const SimpleCall& c) { simpleForwardLoop<A>(c); }
  DENDRITE_AVX512 static void backward512(const SimpleCall& c) { simpleBackwardLoop<A>(c); }
  DENDRITE_AVX2 static void backward2(const SimpleCall& c) { simpleBackwardLoop<A>(c); }
  static void backwardBase(const SimpleCall& c) { simpleBackwardLoop<A>(c); }
};

template <int A, int RA>
struct Kernels {
  DENDRITE_AVX512 static void forward512(const Step& st) { forwardBody<A, RA>(st); }
  DENDRITE_AVX2 static void forward2(const Step& st) { forwardBody<A, RA>(st); }
  static void forwardBase(const Step& st) { forwardBody<A, RA>(st); }
  DENDRITE_AVX512 static void backward512(const BackStep& st) { backwardBody<A, RA>(st); }
  DENDRITE_AVX2 static void backward2(const BackStep& st) { backwardBody<A, RA>(st); }
  static void backwardBase(const BackStep& st) { backwardBody<A, RA>(st); }
  DENDRITE_AVX512 static void gruForward512(const GruCall& c) { gruForwardLoop<A, RA>(c); }
  DENDRITE_AVX2 static void gruForward2(const GruCall& c) { gruForwardLoop<A, RA>(c); }
  static void gruForwardBase(const GruCall& c) { gruForwardLoop<A, RA>(c); }
  DENDRITE_AVX512 static void gruBackward512(const GruCall& c) { gruBackwardLoop<A, RA>(c); }
  DENDRITE_AVX2 static void gruBackward2(const GruCall& c) { gruBackwardLoop<A, RA>(c); }
  static void gruBackwardBase(const GruCall& c) { gruBackwardLoop<A, RA>(c); }
};

// The kernels of one pair of activations, for this CPU.
struct Fns {
  ForwardFn forward;
  BackwardFn backward;
  GruFn gruForward;
  GruFn gruBackward;
};

// 0: baseline, 1: AVX2, 2: AVX-512: the GEMM's instruction set (the CPU's best, or the one DENDRITE_NATIVE_ISA or
// configure({ isa }) chose), so that every build of these loops can be tested on one machine.
int isa() {
  if (!DENDRITE_HAS_AVX512_VARIANT) return 0;
  const char* name = activeKernel().name;
  return std::strcmp(name, "avx512") == 0 ? 2 : std::strcmp(name, "avx2") == 0 ? 1 : 0;
}

template <int A, int RA>
Fns pick() {
  using K = Kernels<A, RA>;
  const int level = isa();
  if (level == 2) return Fns{K::forward512, K::backward512, K::gruForward512, K::gruBackward512};
  if (level == 1) return Fns{K::forward2, K::backward2, K::gruForward2, K::gruBackward2};
  return Fns{K::forwardBase, K::backwardBase, K::gruForwardBase, K::gruBackwardBase};
}

template <int A>
Fns pickRa(int ra) {
  switch (ra) {
    case 1:
      return pick<A, 1>();
    case 2:
      return pick<A, 2>();
    case 3:
      return pick<A, 3>();
    case 4:
      return pick<A, 4>();
    default:
      return pick<A, 0>();
  }
}

Fns kernelsFor(int a, int ra) {
  switch (a) {
    case 1:
      return pickRa<1>(ra);
    case 2:
      return pickRa<2>(ra);
    case 3:
      return pickRa<3>(ra);
    case 4:
      return pickRa<4>(ra);
    default:
      return pickRa<0>(ra);
  }
}

template <int A>
void pickSimple(SimpleFn& f, SimpleFn& b) {
  using K = SimpleKernels<A>;
  const int level = isa();
  f = level == 2 ? K::forward512 : level == 1 ? K::forward2 : K::forwardBase;
  b = level == 2 ? K::backward512 : level == 1 ? K::backward2 : K::backwardBase;
}

// SimpleRNN's kernels for activation `a`: forward or backward.
SimpleFn simpleKernel(int a, bool backward) {
  SimpleFn f, b;
  switch (a) {
    case 1:
      pickSimple<1>(f, b);
      break;
    case 2:
      pickSimple<2>(f, b);
      break;
    case 3:
      pickSimple<3>(f, b);
      break;
    case 4:
      pickSimple<4>(f, b);
      break;
    default:
      pickSimple<0>(f, b);
  }
  return backward ? b : f;
}

}  // namespace

void lstmForward(const float* x, const float* R, const float* h0, const float* c0, float* y, float* hIn, float* gates, float* cellOut,
                 const LstmBuffers& b, const LstmInfo& p) {
  const int N = p.batch, T = p.timesteps, u = p.units, G = 4 * u;
  if (N == 0 || T == 0 || u == 0) return;
  const ForwardFn step = kernelsFor(p.activation, p.recurrentActivation).forward;
  const PartedB rp(R, G, false, u, G, N);
  Scratch zBuffer;
  float* z = zBuffer.get(static_cast<size_t>(N) * G);
  for (int s = 0; s < T; s++) {
    Step st;
    st.N = N;
    st.T = T;
    st.u = u;
    st.s = s;
    st.t = p.goBackwards ? T - 1 - s : s;
    st.slot = p.kept == T ? s : 0;
    st.mask = b.mask;
    // the states before step s: the initial ones, or the output of step s - 1
    st.hPrev = s == 0 ? h0 : y + static_cast<ptrdiff_t>(s - 1) * 2 * u;
    st.cPrev = s == 0 ? c0 : y + static_cast<ptrdiff_t>(s - 1) * 2 * u + u;
    st.stride = s == 0 ? u : static_cast<ptrdiff_t>(T) * 2 * u;
    // the step's rows of hIn: (n, t), or n alone when one slot is kept
    const ptrdiff_t ldh = static_cast<ptrdiff_t>(p.kept) * u;
    float* hs = hIn + (p.kept == T ? static_cast<ptrdiff_t>(st.t) * u : 0);
    for (int n = 0; n < N; n++) {
      const float* hp = st.hPrev + n * st.stride;
      float* dst = hs + n * ldh;
      if (b.dropout) {
        const float* d = b.dropout + static_cast<ptrdiff_t>(n) * u;
        for (int k = 0; k < u; k++) dst[k] = hp[k] * d[k];
      } else {
        std::memcpy(dst, hp, sizeof(float) * u);
      }
    }
    rp.multiply(N, hs, ldh, z, G);
    st.z = z;
    st.x = x;
    st.y = y;
    st.gates = gates;
    st.cellOut = cellOut;
    step(st);
  }
}

void lstmBackward(const float* dy, const float* R, const float* c0, const float* y, const float* gates, const float* cellOut, float* dz,
                  float* dh, float* dc, const LstmBuffers& b, const LstmInfo& p) {
  const int N = p.batch, T = p.timesteps, u = p.units, G = 4 * u;
  if (N == 0 || T == 0 || u == 0) return;
  const BackwardFn step = kernelsFor(p.activation, p.recurrentActivation).backward;
  // R^T [4u, u], packed once
  const PartedB rt(R, G, true, G, u, N);
  Scratch dhBuffer;
  float* dhIn = dhBuffer.get(static_cast<size_t>(N) * u);
  for (int s = T - 1; s >= 0; s--) {
    BackStep st;
    st.N = N;
    st.T = T;
    st.u = u;
    st.s = s;
    st.t = p.goBackwards ? T - 1 - s : s;
    st.mask = b.mask;
    st.dy = dy;
    st.gates = gates + static_cast<ptrdiff_t>(s) * N * G;
    st.cellOut = cellOut + static_cast<ptrdiff_t>(s) * N * u;
    st.cPrev = s == 0 ? c0 : y + static_cast<ptrdiff_t>(s - 1) * 2 * u + u;
    st.stride = s == 0 ? u : static_cast<ptrdiff_t>(T) * 2 * u;
    // the step's rows of dz: (n, t)
    st.dz = dz + static_cast<ptrdiff_t>(st.t) * G;
    st.dzStride = static_cast<ptrdiff_t>(T) * G;
    st.dh = dh;
    st.dc = dc;
    step(st);
    rt.multiply(N, st.dz, static_cast<ptrdiff_t>(T) * G, dhIn, u);
    const size_t count = static_cast<size_t>(N) * u;
    if (b.dropout) {
      for (size_t j = 0; j < count; j++) dh[j] += dhIn[j] * b.dropout[j];
    } else {
      for (size_t j = 0; j < count; j++) dh[j] += dhIn[j];
    }
  }
}

void gruForward(const float* x, const float* R, const float* rb, const float* h0, float* out, float* hIn, float* gates, float* extra,
                const LstmBuffers& b, const GruInfo& p) {
  if (p.batch == 0 || p.timesteps == 0 || p.units == 0) return;
  GruCall c{};
  c.p = &p;
  c.b = &b;
  c.x = x;
  c.R = R;
  c.rb = rb;
  c.h0 = h0;
  c.out = out;
  c.hIn = hIn;
  c.gates = gates;
  c.extra = extra;
  kernelsFor(p.activation, p.recurrentActivation).gruForward(c);
}

void gruBackward(const float* dy, const float* R, const float* h0, const float* out, const float* gates, const float* hIn,
                 const float* extra, float* dx, float* dRec, float* dCand, float* dh, const LstmBuffers& b, const GruInfo& p) {
  if (p.batch == 0 || p.timesteps == 0 || p.units == 0) return;
  GruCall c{};
  c.p = &p;
  c.b = &b;
  c.R = R;
  c.h0 = h0;
  c.y = out;
  c.gates = const_cast<float*>(gates);
  c.hIn = const_cast<float*>(hIn);
  c.extra = const_cast<float*>(extra);
  c.dy = dy;
  c.dx = dx;
  c.dRec = dRec;
  c.dCand = dCand;
  c.dh = dh;
  kernelsFor(p.activation, p.recurrentActivation).gruBackward(c);
}

void simpleRnnForward(const float* x, const float* R, const float* h0, float* out, float* hIn, const LstmBuffers& b, const LstmInfo& p) {
  if (p.batch == 0 || p.timesteps == 0 || p.units == 0) return;
  SimpleCall c{};
  c.p = &p;
  c.b = &b;
  c.x = x;
  c.R = R;
  c.h0 = h0;
  c.y = out;
  c.hIn = hIn;
  simpleKernel(p.activation, false)(c);
}

void simpleRnnBackward(const float* dy, const float* R, const float* out, float* dA, float* dh, const LstmBuffers& b, const LstmInfo& p) {
  if (p.batch == 0 || p.timesteps == 0 || p.units == 0) return;
  SimpleCall c{};
  c.p = &p;
  c.b = &b;
  c.R = R;
  c.y = const_cast<float*>(out);
  c.dy = dy;
  c.dA = dA;
  c.dh = dh;
  simpleKernel(p.activation, true)(c);
}

}  // namespace dendrite
