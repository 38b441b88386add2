// N-API bindings. Every kernel works in place on the caller's Float32Arrays (no copies) and checks that
// the arrays are large enough for the geometry it is given, so a bad call throws instead of corrupting
// memory.
#define NAPI_VERSION 8
#include <node_api.h>

#include <climits>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <exception>
#include <initializer_list>
#include <string>
#include <vector>

#include "conv.h"
#include "elementwise.h"
#include "fused.h"
#include "gemm.h"
#include "gemv.h"
#include "optim.h"
#include "peak.h"
#include "random.h"
#include "recurrent.h"
#include "softmax.h"
#include "threadpool.h"

namespace dendrite {
namespace {

struct Error {
  std::string message;
};

void check(napi_env env, napi_status status) {
  if (status != napi_ok) {
    const napi_extended_error_info* info = nullptr;
    napi_get_last_error_info(env, &info);
    throw Error{std::string("N-API call failed: ") + (info && info->error_message ? info->error_message : "unknown")};
  }
}

struct Args {
  napi_value values[16];
  size_t count = 16;
};

Args getArgs(napi_env env, napi_callback_info info, size_t want) {
  Args a;
  check(env, napi_get_cb_info(env, info, &a.count, a.values, nullptr, nullptr));
  if (a.count < want) throw Error{"expected " + std::to_string(want) + " arguments, got " + std::to_string(a.count)};
  return a;
}

struct F32 {
  float* data;
  size_t length;
};

// The elements of `v` when it is a typed array of type `want`; else false (the caller names the problem).
struct Typed {
  void* data = nullptr;
  size_t length = 0;
};
bool typedArrayOf(napi_env env, napi_value v, napi_typedarray_type want, Typed& out) {
  bool is = false;
  check(env, napi_is_typedarray(env, v, &is));
  if (!is) return false;
  napi_typedarray_type type;
  check(env, napi_get_typedarray_info(env, v, &type, &out.length, &out.data, nullptr, nullptr));
  return type == want;
}

F32 floats(napi_env env, napi_value v, const char* name) {
  Typed t;
  if (!typedArrayOf(env, v, napi_float32_array, t)) throw Error{std::string(name) + " must be a Float32Array"};
  return F32{static_cast<float*>(t.data), t.length};
}

double number(napi_env env, napi_value v, const char* name) {
  double d = 0;
  if (napi_get_value_double(env, v, &d) != napi_ok) throw Error{std::string(name) + " must be a number"};
  return d;
}

int dim(napi_env env, napi_value v, const char* name) {
  double d = number(env, v, name);
  if (!(d >= 0 && d <= 2147483647.0) || d != std::floor(d)) throw Error{std::string(name) + " must be a non-negative integer"};
  return static_cast<int>(d);
}

// Batch offsets: a number (one batch) or a Float64Array.
std::vector<double> offsets(napi_env env, napi_value v, const char* name) {
  napi_valuetype t;
  check(env, napi_typeof(env, v, &t));
  if (t == napi_number) return {number(env, v, name)};
  Typed list;
  if (!typedArrayOf(env, v, napi_float64_array, list)) throw Error{std::string(name) + " must be a number or a Float64Array"};
  const double* d = static_cast<const double*>(list.data);
  return std::vector<double>(d, d + list.length);
}

void need(const F32& a, double count, const char* name) {
  if (count > static_cast<double>(a.length)) {
    throw Error{std::string(name) + " is too short: " + std::to_string(a.length) + " elements for " +
                std::to_string(static_cast<long long>(count))};
  }
}

napi_value undefinedValue(napi_env env) {
  napi_value u;
  napi_get_undefined(env, &u);
  return u;
}

template <class F>
napi_value guarded(napi_env env, F&& body) {
  try {
    return body();
  } catch (const Error& e) {
    napi_throw_error(env, nullptr, e.message.c_str());
  } catch (const std::exception& e) {
    napi_throw_error(env, nullptr, e.what());
  }
  return nullptr;
}

// matmul(a, b, out, m, k, n, transposeA, transposeB, aOffsets, bOffsets)
napi_value Matmul(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args a = getArgs(env, info, 10);
    F32 A = floats(env, a.values[0], "a"), B = floats(env, a.values[1], "b"), C = floats(env, a.values[2], "out");
    const int m = dim(env, a.values[3], "m"), k = dim(env, a.values[4], "k"), n = dim(env, a.values[5], "n");
    bool ta = false, tb = false;
    check(env, napi_get_value_bool(env, a.values[6], &ta));
    check(env, napi_get_value_bool(env, a.values[7], &tb));
    std::vector<double> ao = offsets(env, a.values[8], "aOffsets"), bo = offsets(env, a.values[9], "bOffsets");
    if (ao.size() != bo.size()) throw Error{"aOffsets and bOffsets differ in length"};
    const double mn = static_cast<double>(m) * n;
    need(C, mn * ao.size(), "out");
    for (size_t i = 0; i < ao.size(); i++) {
      if (!(ao[i] >= 0) || !(bo[i] >= 0)) throw Error{"offsets must be non-negative"};
      need(A, ao[i] + static_cast<double>(m) * k, "a");
      need(B, bo[i] + static_cast<double>(k) * n, "b");
    }
    for (size_t i = 0; i < ao.size(); i++) {
      GemmArgs g;
      g.m = m;
      g.n = n;
      g.k = k;
      g.transA = ta;
      g.transB = tb;
      g.a = A.data + static_cast<size_t>(ao[i]);
      g.lda = ta ? m : k;
      g.b = B.data + static_cast<size_t>(bo[i]);
      g.ldb = tb ? k : n;
      g.c = C.data + static_cast<size_t>(mn * i);
      g.ldc = n;
      g.accumulate = false;
      if (!fewRowsProduct(g)) sgemm(g);
    }
    return undefinedValue(env);
  });
}

// The geometry travels as an Int32Array, in the field order of ConvInfo / PoolInfo.
template <class T, size_t N>
T geometry(napi_env env, napi_value v) {
  Typed g;
  if (!typedArrayOf(env, v, napi_int32_array, g) || g.length < N) throw Error{"geometry must be an Int32Array of " + std::to_string(N)};
  static_assert(sizeof(T) == N * sizeof(int32_t), "geometry layout");
  T t;
  std::memcpy(&t, g.data, sizeof(T));
  const int32_t* f = static_cast<const int32_t*>(g.data);
  for (size_t i = 0; i < N; i++) {
    if (f[i] < 0) throw Error{"geometry fields must be non-negative"};
  }
  return t;
}

ConvInfo convInfo(napi_env env, napi_value v) {
  ConvInfo c = geometry<ConvInfo, 15>(env, v);
  if (c.strideH < 1 || c.strideW < 1 || c.dilationH < 1 || c.dilationW < 1) throw Error{"strides and dilations must be >= 1"};
  return c;
}

double sizeOf(std::initializer_list<int> dims) {
  double s = 1;
  for (int d : dims) s *= d;
  return s;
}

// The tensors a convolution entry takes: an image ([batch, inH, inW, inC]: x or dx), the filter
// ([kh, kw, inC, outC]: filter or dw) and a convolved image ([batch, outH, outW, outC]: out or dy).
enum class ConvTensor { Image, Filter, Convolved };

double convTensorSize(const ConvInfo& c, ConvTensor t) {
  switch (t) {
    case ConvTensor::Image:
      return sizeOf({c.batch, c.inH, c.inW, c.inC});
    case ConvTensor::Filter:
      return sizeOf({c.kh, c.kw, c.inC, c.outC});
    default:
      return sizeOf({c.batch, c.outH, c.outW, c.outC});
  }
}

struct ConvArg {
  const char* name;
  ConvTensor kind;
};

// kernel(a, b, out, geometry): conv2d(x, filter, out), conv2dBackpropInput(dy, filter, dx),
// conv2dBackpropFilter(x, dy, dw); each array's length is checked against the geometry first
template <void (*Kernel)(const float*, const float*, float*, const ConvInfo&), const ConvArg* A, const ConvArg* B, const ConvArg* Out>
napi_value ConvEntry(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args a = getArgs(env, info, 4);
    ConvInfo c = convInfo(env, a.values[3]);
    F32 first = floats(env, a.values[0], A->name), second = floats(env, a.values[1], B->name), out = floats(env, a.values[2], Out->name);
    need(first, convTensorSize(c, A->kind), A->name);
    need(second, convTensorSize(c, B->kind), B->name);
    need(out, convTensorSize(c, Out->kind), Out->name);
    Kernel(first.data, second.data, out.data, c);
    return undefinedValue(env);
  });
}

constexpr ConvArg kX{"x", ConvTensor::Image}, kFilter{"filter", ConvTensor::Filter}, kOut{"out", ConvTensor::Convolved};
constexpr ConvArg kDy{"dy", ConvTensor::Convolved}, kDx{"dx", ConvTensor::Image}, kDw{"dw", ConvTensor::Filter};

PoolInfo poolInfo(napi_env env, napi_value v) {
  PoolInfo p = geometry<PoolInfo, 12>(env, v);
  if (p.strideH < 1 || p.strideW < 1) throw Error{"strides must be >= 1"};
  return p;
}

// maxPool2d(x, out, geometry), avgPool2d(x, out, geometry)
template <void (*Kernel)(const float*, float*, const PoolInfo&)>
napi_value PoolForward(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args a = getArgs(env, info, 3);
    PoolInfo p = poolInfo(env, a.values[2]);
    F32 x = floats(env, a.values[0], "x"), out = floats(env, a.values[1], "out");
    need(x, sizeOf({p.batch, p.inH, p.inW, p.channels}), "x");
    need(out, sizeOf({p.batch, p.outH, p.outW, p.channels}), "out");
    Kernel(x.data, out.data, p);
    return undefinedValue(env);
  });
}

// maxPool2dBackprop(x, dy, dx, geometry)
napi_value MaxPoolBackprop(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args a = getArgs(env, info, 4);
    PoolInfo p = poolInfo(env, a.values[3]);
    F32 x = floats(env, a.values[0], "x"), dy = floats(env, a.values[1], "dy"), dx = floats(env, a.values[2], "dx");
    need(x, sizeOf({p.batch, p.inH, p.inW, p.channels}), "x");
    need(dy, sizeOf({p.batch, p.outH, p.outW, p.channels}), "dy");
    need(dx, sizeOf({p.batch, p.inH, p.inW, p.channels}), "dx");
    maxPool2dBackprop(x.data, dy.data, dx.data, p);
    return undefinedValue(env);
  });
}

// avgPool2dBackprop(dy, dx, geometry)
napi_value AvgPoolBackprop(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args a = getArgs(env, info, 3);
    PoolInfo p = poolInfo(env, a.values[2]);
    F32 dy = floats(env, a.values[0], "dy"), dx = floats(env, a.values[1], "dx");
    need(dy, sizeOf({p.batch, p.outH, p.outW, p.channels}), "dy");
    need(dx, sizeOf({p.batch, p.inH, p.inW, p.channels}), "dx");
    avgPool2dBackprop(dy.data, dx.data, p);
    return undefinedValue(env);
  });
}

Activation activation(napi_env env, napi_value v) {
  const int a = dim(env, v, "activation");
  if (a > 3) throw Error{"activation must be 0 (linear), 1 (relu), 2 (sigmoid) or 3 (tanh)"};
  return static_cast<Activation>(a);
}

bool isNullish(napi_env env, napi_value v) {
  napi_valuetype t;
  check(env, napi_typeof(env, v, &t));
  return t == napi_null || t == napi_undefined;
}

// biasActivation(x, bias | null, activation, out)
napi_value BiasActivation(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args a = getArgs(env, info, 4);
    F32 x = floats(env, a.values[0], "x"), out = floats(env, a.values[3], "out");
    const bool hasBias = !isNullish(env, a.values[1]);
    F32 bias{nullptr, 0};
    if (hasBias) bias = floats(env, a.values[1], "bias");
    need(out, static_cast<double>(x.length), "out");
    if (hasBias && bias.length == 0 && x.length > 0) throw Error{"bias is empty"};
    biasActivation(x.data, hasBias ? bias.data : nullptr, x.length, hasBias ? bias.length : x.length, activation(env, a.values[2]),
                   out.data);
    return undefinedValue(env);
  });
}

// activationBackward(activation, y, dy, out)
napi_value ActivationBackward(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args a = getArgs(env, info, 4);
    F32 y = floats(env, a.values[1], "y"), dy = floats(env, a.values[2], "dy"), out = floats(env, a.values[3], "out");
    need(dy, static_cast<double>(y.length), "dy");
    need(out, static_cast<double>(y.length), "out");
    activationBackward(activation(env, a.values[0]), y.data, dy.data, y.length, out.data);
    return undefinedValue(env);
  });
}

// A Float32Array of at least `n` elements, or null when the argument is null / undefined.
float* optionalFloats(napi_env env, napi_value v, size_t n, const char* name) {
  if (isNullish(env, v)) return nullptr;
  F32 f = floats(env, v, name);
  need(f, static_cast<double>(n), name);
  return f.data;
}

// conv2dFused(x, filter, bias | null, activation, out, convGeometry, poolGeometry | null, convOut | null):
// out = act(conv + bias), max-pooled when poolGeometry is given (then out has the pool's shape, and convOut, if
// given, receives act(conv + bias) before the pool)
napi_value ConvFused(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args a = getArgs(env, info, 8);
    ConvInfo c = convInfo(env, a.values[5]);
    F32 x = floats(env, a.values[0], "x"), filter = floats(env, a.values[1], "filter"), out = floats(env, a.values[4], "out");
    need(x, convTensorSize(c, ConvTensor::Image), "x");
    need(filter, convTensorSize(c, ConvTensor::Filter), "filter");
    ConvEpilogue e;
    e.bias = optionalFloats(env, a.values[2], static_cast<size_t>(c.outC), "bias");
    e.act = activation(env, a.values[3]);
    PoolInfo p;
    if (!isNullish(env, a.values[6])) {
      p = poolInfo(env, a.values[6]);
      if (!fusablePool(c, p))
        throw Error{"the pool does not fit the convolution (windows must tile its output: strides = pool size, no padding)"};
      e.pool = &p;
      need(out, sizeOf({p.batch, p.outH, p.outW, p.channels}), "out");
      e.convOut = optionalFloats(env, a.values[7], static_cast<size_t>(convTensorSize(c, ConvTensor::Convolved)), "convOut");
    } else {
      need(out, convTensorSize(c, ConvTensor::Convolved), "out");
    }
    conv2dFused(x.data, filter.data, out.data, c, e);
    return undefinedValue(env);
  });
}

// maxPoolActivationBackward(y, dy, activation, dz, biasGrad | null, geometry)
napi_value MaxPoolActivationBackward(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args a = getArgs(env, info, 6);
    PoolInfo p = poolInfo(env, a.values[5]);
    F32 y = floats(env, a.values[0], "y"), dy = floats(env, a.values[1], "dy"), dz = floats(env, a.values[3], "dz");
    need(y, sizeOf({p.batch, p.inH, p.inW, p.channels}), "y");
    need(dy, sizeOf({p.batch, p.outH, p.outW, p.channels}), "dy");
    need(dz, sizeOf({p.batch, p.inH, p.inW, p.channels}), "dz");
    float* biasGrad = optionalFloats(env, a.values[4], static_cast<size_t>(p.channels), "biasGrad");
    maxPoolActivationBackward(y.data, dy.data, activation(env, a.values[2]), dz.data, biasGrad, p);
    return undefinedValue(env);
  });
}

int code(napi_env env, napi_value v, int count, const char* name) {
  const int c = dim(env, v, name);
  if (c >= count) throw Error{std::string(name) + " code out of range"};
  return c;
}

// adamUpdate(p, g, m, v, lr, beta1, beta2, epsilon, correction1, correction2, decay)
napi_value AdamUpdate(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args a = getArgs(env, info, 11);
    F32 p = floats(env, a.values[0], "p"), g = floats(env, a.values[1], "g"), m = floats(env, a.values[2], "m"),
        v = floats(env, a.values[3], "v");
    const double n = static_cast<double>(p.length);
    need(g, n, "g");
    need(m, n, "m");
    need(v, n, "v");
    AdamStep s;
    s.lr = number(env, a.values[4], "lr");
    s.beta1 = number(env, a.values[5], "beta1");
    s.beta2 = number(env, a.values[6], "beta2");
    s.oneMinusBeta1 = 1 - s.beta1;
    s.oneMinusBeta2 = 1 - s.beta2;
    s.epsilon = number(env, a.values[7], "epsilon");
    s.correction1 = number(env, a.values[8], "correction1");
    s.correction2 = number(env, a.values[9], "correction2");
    s.decay = number(env, a.values[10], "decay");
    adamUpdate(p.data, g.data, m.data, v.data, p.length, s);
    return undefinedValue(env);
  });
}

// sgdUpdate(p, g, velocity | null, lr, momentum, nesterov)
napi_value SgdUpdate(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args a = getArgs(env, info, 6);
    F32 p = floats(env, a.values[0], "p"), g = floats(env, a.values[1], "g");
    need(g, static_cast<double>(p.length), "g");
    float* vel = optionalFloats(env, a.values[2], p.length, "velocity");
    SgdStep s;
    s.lr = number(env, a.values[3], "lr");
    s.momentum = number(env, a.values[4], "momentum");
    check(env, napi_get_value_bool(env, a.values[5], &s.nesterov));
    sgdUpdate(p.data, g.data, vel, p.length, s);
    return undefinedValue(env);
  });
}

// rmspropUpdate(p, g, accumulator, momentum | null, average | null, lr, rho, momentumFactor, epsilon)
napi_value RmspropUpdate(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args a = getArgs(env, info, 9);
    F32 p = floats(env, a.values[0], "p"), g = floats(env, a.values[1], "g"), acc = floats(env, a.values[2], "accumulator");
    need(g, static_cast<double>(p.length), "g");
    need(acc, static_cast<double>(p.length), "accumulator");
    float* mom = optionalFloats(env, a.values[3], p.length, "momentum");
    float* avg = optionalFloats(env, a.values[4], p.length, "average");
    RmspropStep s;
    s.lr = number(env, a.values[5], "lr");
    s.rho = number(env, a.values[6], "rho");
    s.oneMinusRho = 1 - s.rho;
    s.momentum = number(env, a.values[7], "momentum");
    s.epsilon = number(env, a.values[8], "epsilon");
    rmspropUpdate(p.data, g.data, acc.data, mom, avg, p.length, s);
    return undefinedValue(env);
  });
}

// adagradUpdate(p, g, accumulator, lr, epsilon)
napi_value AdagradUpdate(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args a = getArgs(env, info, 5);
    F32 p = floats(env, a.values[0], "p"), g = floats(env, a.values[1], "g"), acc = floats(env, a.values[2], "accumulator");
    need(g, static_cast<double>(p.length), "g");
    need(acc, static_cast<double>(p.length), "accumulator");
    AdagradStep s;
    s.lr = number(env, a.values[3], "lr");
    s.epsilon = number(env, a.values[4], "epsilon");
    adagradUpdate(p.data, g.data, acc.data, p.length, s);
    return undefinedValue(env);
  });
}

// binary(op, a, aPeriod, b, bPeriod, out): out[i] = a[i % aPeriod] op b[i % bPeriod]
napi_value Binary(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args a = getArgs(env, info, 6);
    const BinaryOp op = static_cast<BinaryOp>(code(env, a.values[0], static_cast<int>(BinaryOp::Count), "op"));
    F32 x = floats(env, a.values[1], "a"), y = floats(env, a.values[3], "b"), out = floats(env, a.values[5], "out");
    const size_t ap = static_cast<size_t>(dim(env, a.values[2], "aPeriod")), bp = static_cast<size_t>(dim(env, a.values[4], "bPeriod"));
    const size_t n = out.length;
    if (n > 0) {
      if (ap == 0 || bp == 0 || n % ap != 0 || n % bp != 0 || (ap != n && bp != n))
        throw Error{"binary: periods must divide the output length, one of them equal to it"};
      need(x, static_cast<double>(ap), "a");
      need(y, static_cast<double>(bp), "b");
    }
    binary(op, x.data, ap, y.data, bp, out.data, n);
    return undefinedValue(env);
  });
}

// unary(op, x, out)
napi_value Unary(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args a = getArgs(env, info, 3);
    const UnaryOp op = static_cast<UnaryOp>(code(env, a.values[0], static_cast<int>(UnaryOp::Count), "op"));
    F32 x = floats(env, a.values[1], "x"), out = floats(env, a.values[2], "out");
    need(out, static_cast<double>(x.length), "out");
    unary(op, x.data, out.data, x.length);
    return undefinedValue(env);
  });
}

// reduce(op, x, geometry, out): geometry = Int32Array [rank, ...shape, ...reducedFlags]
napi_value Reduce(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args a = getArgs(env, info, 4);
    const ReduceOp op = static_cast<ReduceOp>(code(env, a.values[0], 3, "op"));
    F32 x = floats(env, a.values[1], "x"), out = floats(env, a.values[3], "out");
    Typed geometry;
    if (!typedArrayOf(env, a.values[2], napi_int32_array, geometry) || geometry.length < 1) throw Error{"geometry must be an Int32Array"};
    const size_t length = geometry.length;
    const int32_t* g = static_cast<const int32_t*>(geometry.data);
    const int rank = g[0];
    if (rank < 0 || length < static_cast<size_t>(1 + 2 * rank)) throw Error{"geometry is too short for its rank"};
    std::vector<uint8_t> reduced(rank);
    double total = 1, kept = 1;
    for (int i = 0; i < rank; i++) {
      if (g[1 + i] < 0) throw Error{"shape must be non-negative"};
      total *= g[1 + i];
      reduced[i] = g[1 + rank + i] != 0;
      if (!reduced[i]) kept *= g[1 + i];
    }
    need(x, total, "x");
    need(out, kept, "out");
    reduce(op, x.data, g + 1, reduced.data(), rank, out.data, static_cast<size_t>(kept));
    return undefinedValue(env);
  });
}

// bernoulliMask(out, state: Uint32Array(4), keep, scale): a dropout mask, the generator's state advanced in place
napi_value BernoulliMask(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args a = getArgs(env, info, 4);
    F32 out = floats(env, a.values[0], "out");
    Typed state;
    if (!typedArrayOf(env, a.values[1], napi_uint32_array, state) || state.length < 4) throw Error{"state must be a Uint32Array of 4"};
    bernoulliMask(out.data, out.length, static_cast<uint32_t*>(state.data), number(env, a.values[2], "keep"),
                  number(env, a.values[3], "scale"));
    return undefinedValue(env);
  });
}

// gatherRows(x, rowSize, rows: Int32Array, out)
napi_value GatherRows(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args a = getArgs(env, info, 4);
    F32 x = floats(env, a.values[0], "x"), out = floats(env, a.values[3], "out");
    const size_t rowSize = dim(env, a.values[1], "rowSize");
    Typed rowList;
    if (!typedArrayOf(env, a.values[2], napi_int32_array, rowList)) throw Error{"rows must be an Int32Array"};
    const size_t count = rowList.length;
    const int32_t* rows = static_cast<const int32_t*>(rowList.data);
    need(out, static_cast<double>(count) * rowSize, "out");
    if (rowSize == 0) return undefinedValue(env);
    const size_t available = x.length / rowSize;
    for (size_t i = 0; i < count; i++) {
      if (rows[i] < 0 || static_cast<size_t>(rows[i]) >= available)
        throw Error{"row index " + std::to_string(rows[i]) + " is out of range"};
    }
    gatherRows(x.data, rowSize, rows, count, out.data);
    return undefinedValue(env);
  });
}

// softmax(x, rows, cols, out)
napi_value Softmax(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args a = getArgs(env, info, 4);
    F32 x = floats(env, a.values[0], "x"), out = floats(env, a.values[3], "out");
    const size_t rows = dim(env, a.values[1], "rows"), cols = dim(env, a.values[2], "cols");
    const double n = static_cast<double>(rows) * cols;
    need(x, n, "x");
    need(out, n, "out");
    if (cols > 0) softmax(x.data, rows, cols, out.data);
    return undefinedValue(env);
  });
}

// softmaxCrossEntropy(logits, labels, rows, cols, probs, losses)
napi_value SoftmaxCrossEntropy(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args a = getArgs(env, info, 6);
    F32 x = floats(env, a.values[0], "logits"), y = floats(env, a.values[1], "labels"), p = floats(env, a.values[4], "probs"),
        l = floats(env, a.values[5], "losses");
    const size_t rows = dim(env, a.values[2], "rows"), cols = dim(env, a.values[3], "cols");
    const double n = static_cast<double>(rows) * cols;
    need(x, n, "logits");
    need(y, n, "labels");
    need(p, n, "probs");
    need(l, static_cast<double>(rows), "losses");
    if (cols > 0)
      softmaxCrossEntropy(x.data, y.data, rows, cols, p.data, l.data);
    else
      for (size_t r = 0; r < rows; r++) l.data[r] = 0;
    return undefinedValue(env);
  });
}

// softmaxCrossEntropyBackward(probs, labels, dLosses, rows, cols, dLogits)
napi_value SoftmaxCrossEntropyBackward(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args a = getArgs(env, info, 6);
    F32 p = floats(env, a.values[0], "probs"), y = floats(env, a.values[1], "labels"), dl = floats(env, a.values[2], "dLosses"),
        d = floats(env, a.values[5], "dLogits");
    const size_t rows = dim(env, a.values[3], "rows"), cols = dim(env, a.values[4], "cols");
    const double n = static_cast<double>(rows) * cols;
    need(p, n, "probs");
    need(y, n, "labels");
    need(dl, static_cast<double>(rows), "dLosses");
    need(d, n, "dLogits");
    if (cols > 0) softmaxCrossEntropyBackward(p.data, y.data, dl.data, rows, cols, d.data);
    return undefinedValue(env);
  });
}

napi_value makeString(napi_env env, const char* s) {
  napi_value v;
  check(env, napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &v));
  return v;
}

// info() -> { isa, threads, parallelThreshold, isas: [...] }
napi_value Info(napi_env env, napi_callback_info) {
  return guarded(env, [&] {
    napi_value obj, v, list;
    check(env, napi_create_object(env, &obj));
    check(env, napi_set_named_property(env, obj, "isa", makeString(env, activeKernel().name)));
    check(env, napi_create_int32(env, ThreadPool::get().size(), &v));
    check(env, napi_set_named_property(env, obj, "threads", v));
    check(env, napi_create_double(env, static_cast<double>(gemmParallelThreshold()), &v));
    check(env, napi_set_named_property(env, obj, "parallelThreshold", v));
    check(env, napi_create_array(env, &list));
    uint32_t i = 0;
    if (cpuHasAvx512()) check(env, napi_set_element(env, list, i++, makeString(env, "avx512")));
    if (cpuHasAvx2()) check(env, napi_set_element(env, list, i++, makeString(env, "avx2")));
    check(env, napi_set_element(env, list, i++, makeString(env, "scalar")));
    check(env, napi_set_named_property(env, obj, "isas", list));
    return obj;
  });
}

// configure({ isa?, parallelThreshold? }): for tests and benchmarks
napi_value Configure(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args a = getArgs(env, info, 1);
    napi_value v;
    bool has = false;
    check(env, napi_has_named_property(env, a.values[0], "isa", &has));
    if (has) {
      check(env, napi_get_named_property(env, a.values[0], "isa", &v));
      char buf[32] = {0};
      size_t len = 0;
      check(env, napi_get_value_string_utf8(env, v, buf, sizeof(buf), &len));
      setActiveKernel(buf);
    }
    check(env, napi_has_named_property(env, a.values[0], "parallelThreshold", &has));
    if (has) {
      check(env, napi_get_named_property(env, a.values[0], "parallelThreshold", &v));
      // Infinity (never split) saturates: casting a double past long long's range is undefined (x86 gave the
      // lowest value, so every product split)
      const double t = number(env, v, "parallelThreshold");
      setGemmParallelThreshold(!(t > 0) ? 0 : t >= 9.2e18 ? LLONG_MAX : static_cast<long long>(t));
    }
    return undefinedValue(env);
  });
}

// fmaPeak(isa, threads, seconds) -> { gflops, isa }: the measured FMA peak of `threads` cores (peak.cc), for the bench
napi_value FmaPeak(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args a = getArgs(env, info, 3);
    char isa[32] = {0};
    size_t len = 0;
    check(env, napi_get_value_string_utf8(env, a.values[0], isa, sizeof(isa), &len));
    const double threads = number(env, a.values[1], "threads"), seconds = number(env, a.values[2], "seconds");
    if (!(threads >= 1 && threads <= 1024)) throw Error{"threads must be 1 to 1024"};
    if (!(seconds > 0 && seconds <= 10)) throw Error{"seconds must be above 0 and at most 10"};
    const PeakResult r = measureFmaPeak(isa, static_cast<int>(threads), seconds);
    napi_value obj, v;
    check(env, napi_create_object(env, &obj));
    check(env, napi_create_double(env, r.flopsPerSecond / 1e9, &v));
    check(env, napi_set_named_property(env, obj, "gflops", v));
    check(env, napi_set_named_property(env, obj, "isa", makeString(env, r.isa)));
    return obj;
  });
}

// The LSTM's geometry (LstmInfo), checked: activation codes, `kept` (the steps the saved buffers hold).
LstmInfo lstmInfo(napi_env env, napi_value v, bool backward) {
  const LstmInfo p = geometry<LstmInfo, 7>(env, v);
  if (p.activation > 4 || p.recurrentActivation > 4) throw Error{"activation codes must be 0 to 4"};
  if (p.kept != p.timesteps && (backward || p.kept != 1)) throw Error{"kept must be the timesteps (or 1 for a forward alone)"};
  return p;
}

LstmBuffers lstmMasks(napi_env env, napi_value mask, napi_value dropout, const LstmInfo& p) {
  return LstmBuffers{optionalFloats(env, mask, static_cast<size_t>(p.batch) * p.timesteps, "mask"),
                     optionalFloats(env, dropout, static_cast<size_t>(p.batch) * p.units, "dropout")};
}

// lstmForward(x, recurrentKernel, h0, c0, out, hIn, gates, cellOut, mask | null, dropout | null, geometry)
napi_value LstmForward(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args a = getArgs(env, info, 11);
    const LstmInfo p = lstmInfo(env, a.values[10], false);
    F32 x = floats(env, a.values[0], "x"), r = floats(env, a.values[1], "recurrentKernel"), h0 = floats(env, a.values[2], "h0"),
        c0 = floats(env, a.values[3], "c0"), out = floats(env, a.values[4], "out"), hIn = floats(env, a.values[5], "hIn"),
        gates = floats(env, a.values[6], "gates"), cellOut = floats(env, a.values[7], "cellOut");
    const LstmBuffers b = lstmMasks(env, a.values[8], a.values[9], p);
    need(x, sizeOf({p.batch, p.timesteps, 4, p.units}), "x");
    need(r, sizeOf({p.units, 4, p.units}), "recurrentKernel");
    need(h0, sizeOf({p.batch, p.units}), "h0");
    need(c0, sizeOf({p.batch, p.units}), "c0");
    need(out, sizeOf({p.batch, p.timesteps, 2, p.units}), "out");
    need(hIn, sizeOf({p.kept, p.batch, p.units}), "hIn");
    need(gates, sizeOf({p.kept, p.batch, 4, p.units}), "gates");
    need(cellOut, sizeOf({p.kept, p.batch, p.units}), "cellOut");
    lstmForward(x.data, r.data, h0.data, c0.data, out.data, hIn.data, gates.data, cellOut.data, b, p);
    return undefinedValue(env);
  });
}

// lstmBackward(dy, recurrentKernel, c0, out, gates, cellOut, dz, dh, dc, mask | null, dropout | null, geometry)
napi_value LstmBackward(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args a = getArgs(env, info, 12);
    const LstmInfo p = lstmInfo(env, a.values[11], true);
    F32 dy = floats(env, a.values[0], "dy"), r = floats(env, a.values[1], "recurrentKernel"), c0 = floats(env, a.values[2], "c0"),
        out = floats(env, a.values[3], "out"), gates = floats(env, a.values[4], "gates"), cellOut = floats(env, a.values[5], "cellOut"),
        dz = floats(env, a.values[6], "dz"), dh = floats(env, a.values[7], "dh"), dc = floats(env, a.values[8], "dc");
    const LstmBuffers b = lstmMasks(env, a.values[9], a.values[10], p);
    need(dy, sizeOf({p.batch, p.timesteps, 2, p.units}), "dy");
    need(r, sizeOf({p.units, 4, p.units}), "recurrentKernel");
    need(c0, sizeOf({p.batch, p.units}), "c0");
    need(out, sizeOf({p.batch, p.timesteps, 2, p.units}), "out");
    need(gates, sizeOf({p.timesteps, p.batch, 4, p.units}), "gates");
    need(cellOut, sizeOf({p.timesteps, p.batch, p.units}), "cellOut");
    need(dz, sizeOf({p.timesteps, p.batch, 4, p.units}), "dz");
    need(dh, sizeOf({p.batch, p.units}), "dh");
    need(dc, sizeOf({p.batch, p.units}), "dc");
    lstmBackward(dy.data, r.data, c0.data, out.data, gates.data, cellOut.data, dz.data, dh.data, dc.data, b, p);
    return undefinedValue(env);
  });
}

GruInfo gruInfo(napi_env env, napi_value v, bool backward) {
  const GruInfo p = geometry<GruInfo, 8>(env, v);
  if (p.activation > 4 || p.recurrentActivation > 4) throw Error{"activation codes must be 0 to 4"};
  if (p.kept != p.timesteps && (backward || p.kept != 1)) throw Error{"kept must be the timesteps (or 1 for a forward alone)"};
  return p;
}

// gruForward(x, recurrentKernel, recurrentBias | null, h0, out, hIn, gates, extra, mask | null, dropout | null, geometry)
napi_value GruForward(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args a = getArgs(env, info, 11);
    const GruInfo p = gruInfo(env, a.values[10], false);
    F32 x = floats(env, a.values[0], "x"), r = floats(env, a.values[1], "recurrentKernel"), h0 = floats(env, a.values[3], "h0"),
        out = floats(env, a.values[4], "out"), hIn = floats(env, a.values[5], "hIn"), gates = floats(env, a.values[6], "gates"),
        extra = floats(env, a.values[7], "extra");
    const float* rb = optionalFloats(env, a.values[2], static_cast<size_t>(p.units) * 3, "recurrentBias");
    if (rb && !p.resetAfter) throw Error{"a recurrent bias needs resetAfter"};
    const LstmBuffers b{optionalFloats(env, a.values[8], static_cast<size_t>(p.batch) * p.timesteps, "mask"),
                        optionalFloats(env, a.values[9], static_cast<size_t>(p.batch) * p.units, "dropout")};
    need(x, sizeOf({p.batch, p.timesteps, 3, p.units}), "x");
    need(r, sizeOf({p.units, 3, p.units}), "recurrentKernel");
    need(h0, sizeOf({p.batch, p.units}), "h0");
    need(out, sizeOf({p.batch, p.timesteps, p.units}), "out");
    need(hIn, sizeOf({p.kept, p.batch, p.units}), "hIn");
    need(gates, sizeOf({p.kept, p.batch, 3, p.units}), "gates");
    need(extra, sizeOf({p.kept, p.batch, p.units}), "extra");
    gruForward(x.data, r.data, rb, h0.data, out.data, hIn.data, gates.data, extra.data, b, p);
    return undefinedValue(env);
  });
}

// gruBackward(dy, recurrentKernel, h0, out, gates, hIn, extra, dx, dRec, dCand, dh, mask | null, dropout | null, geometry)
napi_value GruBackward(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args a = getArgs(env, info, 14);
    const GruInfo p = gruInfo(env, a.values[13], true);
    F32 dy = floats(env, a.values[0], "dy"), r = floats(env, a.values[1], "recurrentKernel"), h0 = floats(env, a.values[2], "h0"),
        out = floats(env, a.values[3], "out"), gates = floats(env, a.values[4], "gates"), hIn = floats(env, a.values[5], "hIn"),
        extra = floats(env, a.values[6], "extra"), dx = floats(env, a.values[7], "dx"), dRec = floats(env, a.values[8], "dRec"),
        dCand = floats(env, a.values[9], "dCand"), dh = floats(env, a.values[10], "dh");
    const LstmBuffers b{optionalFloats(env, a.values[11], static_cast<size_t>(p.batch) * p.timesteps, "mask"),
                        optionalFloats(env, a.values[12], static_cast<size_t>(p.batch) * p.units, "dropout")};
    need(dy, sizeOf({p.batch, p.timesteps, p.units}), "dy");
    need(r, sizeOf({p.units, 3, p.units}), "recurrentKernel");
    need(h0, sizeOf({p.batch, p.units}), "h0");
    need(out, sizeOf({p.batch, p.timesteps, p.units}), "out");
    need(gates, sizeOf({p.timesteps, p.batch, 3, p.units}), "gates");
    need(hIn, sizeOf({p.timesteps, p.batch, p.units}), "hIn");
    need(extra, sizeOf({p.timesteps, p.batch, p.units}), "extra");
    need(dx, sizeOf({p.timesteps, p.batch, 3, p.units}), "dx");
    need(dRec, sizeOf({p.timesteps, p.batch, p.resetAfter ? 3 : 2, p.units}), "dRec");
    if (!p.resetAfter) need(dCand, sizeOf({p.timesteps, p.batch, p.units}), "dCand");
    need(dh, sizeOf({p.batch, p.units}), "dh");
    gruBackward(dy.data, r.data, h0.data, out.data, gates.data, hIn.data, extra.data, dx.data, dRec.data, dCand.data, dh.data, b, p);
    return undefinedValue(env);
  });
}

// simpleRnnForward(x, recurrentKernel, h0, out, hIn, mask | null, dropout | null, geometry)
napi_value SimpleRnnForward(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args a = getArgs(env, info, 8);
    const LstmInfo p = lstmInfo(env, a.values[7], false);
    F32 x = floats(env, a.values[0], "x"), r = floats(env, a.values[1], "recurrentKernel"), h0 = floats(env, a.values[2], "h0"),
        out = floats(env, a.values[3], "out"), hIn = floats(env, a.values[4], "hIn");
    const LstmBuffers b = lstmMasks(env, a.values[5], a.values[6], p);
    need(x, sizeOf({p.batch, p.timesteps, p.units}), "x");
    need(r, sizeOf({p.units, p.units}), "recurrentKernel");
    need(h0, sizeOf({p.batch, p.units}), "h0");
    need(out, sizeOf({p.batch, p.timesteps, p.units}), "out");
    need(hIn, sizeOf({p.kept, p.batch, p.units}), "hIn");
    simpleRnnForward(x.data, r.data, h0.data, out.data, hIn.data, b, p);
    return undefinedValue(env);
  });
}

// simpleRnnBackward(dy, recurrentKernel, out, dA, dh, mask | null, dropout | null, geometry)
napi_value SimpleRnnBackward(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args a = getArgs(env, info, 8);
    const LstmInfo p = lstmInfo(env, a.values[7], true);
    F32 dy = floats(env, a.values[0], "dy"), r = floats(env, a.values[1], "recurrentKernel"), out = floats(env, a.values[2], "out"),
        dA = floats(env, a.values[3], "dA"), dh = floats(env, a.values[4], "dh");
    const LstmBuffers b = lstmMasks(env, a.values[5], a.values[6], p);
    need(dy, sizeOf({p.batch, p.timesteps, p.units}), "dy");
    need(r, sizeOf({p.units, p.units}), "recurrentKernel");
    need(out, sizeOf({p.batch, p.timesteps, p.units}), "out");
    need(dA, sizeOf({p.timesteps, p.batch, p.units}), "dA");
    need(dh, sizeOf({p.batch, p.units}), "dh");
    simpleRnnBackward(dy.data, r.data, out.data, dA.data, dh.data, b, p);
    return undefinedValue(env);
  });
}

// Tensors are fresh Float32Arrays, and V8 takes their memory from calloc. glibc serves blocks above 128 KiB
// with fresh mmaps and returns freed memory at the top of the heap to the system, so every large tensor
// page-faults its memory in again: on this VM a 400 KB batch costs ~80 us in faults, more than copying
// it. Keeping blocks up to 32 MiB in the heap and not trimming it makes a training step reuse the memory
// of the last one (calloc then clears it with a memset, ~4x faster). Peak memory is unchanged; memory
// freed after a peak is kept for the next one. DENDRITE_MALLOC_TUNING=0 leaves malloc alone.
void tuneMalloc() {
#if defined(__GLIBC__)
  const char* env = std::getenv("DENDRITE_MALLOC_TUNING");
  if (env && std::strcmp(env, "0") == 0) return;
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
}

}  // namespace
}  // namespace dendrite

NAPI_MODULE_INIT() {
  using namespace dendrite;
  tuneMalloc();
  napi_property_descriptor props[] = {
      {"matmul", nullptr, Matmul, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv2d", nullptr, ConvEntry<conv2d, &kX, &kFilter, &kOut>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv2dFused", nullptr, ConvFused, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv2dBackpropInput", nullptr, ConvEntry<conv2dBackpropInput, &kDy, &kFilter, &kDx>, nullptr, nullptr, nullptr, napi_default,
       nullptr},
      {"conv2dBackpropFilter", nullptr, ConvEntry<conv2dBackpropFilter, &kX, &kDy, &kDw>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"maxPool2d", nullptr, PoolForward<maxPool2d>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"maxPool2dBackprop", nullptr, MaxPoolBackprop, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"maxPoolActivationBackward", nullptr, MaxPoolActivationBackward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"avgPool2d", nullptr, PoolForward<avgPool2d>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"avgPool2dBackprop", nullptr, AvgPoolBackprop, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"biasActivation", nullptr, BiasActivation, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"activationBackward", nullptr, ActivationBackward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"lstmForward", nullptr, LstmForward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"lstmBackward", nullptr, LstmBackward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"gruForward", nullptr, GruForward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"gruBackward", nullptr, GruBackward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"simpleRnnForward", nullptr, SimpleRnnForward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"simpleRnnBackward", nullptr, SimpleRnnBackward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"adamUpdate", nullptr, AdamUpdate, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"sgdUpdate", nullptr, SgdUpdate, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"rmspropUpdate", nullptr, RmspropUpdate, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"adagradUpdate", nullptr, AdagradUpdate, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"binary", nullptr, Binary, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"unary", nullptr, Unary, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"reduce", nullptr, Reduce, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"gatherRows", nullptr, GatherRows, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"bernoulliMask", nullptr, BernoulliMask, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"softmax", nullptr, Softmax, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"softmaxCrossEntropy", nullptr, SoftmaxCrossEntropy, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"softmaxCrossEntropyBackward", nullptr, SoftmaxCrossEntropyBackward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"info", nullptr, Info, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"configure", nullptr, Configure, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"fmaPeak", nullptr, FmaPeak, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}
