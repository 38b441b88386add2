// N-API bindings. Every kernel works in place on the caller's Float32Arrays (no copies) and checks that
// the arrays are large enough for the geometry it is given, so a bad call throws instead of corrupting
// memory.
#define NAPI_VERSION 8
#include <node_api.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <exception>
#include <initializer_list>
#include <string>
#include <vector>

#include "conv.h"
#include "fused.h"
#include "gemm.h"
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
  napi_value values[10];
  size_t count = 10;
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

F32 floats(napi_env env, napi_value v, const char* name) {
  bool is = false;
  check(env, napi_is_typedarray(env, v, &is));
  if (!is) throw Error{std::string(name) + " must be a Float32Array"};
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  check(env, napi_get_typedarray_info(env, v, &type, &length, &data, nullptr, nullptr));
  if (type != napi_float32_array) throw Error{std::string(name) + " must be a Float32Array"};
  return F32{static_cast<float*>(data), length};
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
  bool is = false;
  check(env, napi_is_typedarray(env, v, &is));
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  if (is) check(env, napi_get_typedarray_info(env, v, &type, &length, &data, nullptr, nullptr));
  if (!is || type != napi_float64_array) throw Error{std::string(name) + " must be a number or a Float64Array"};
  const double* d = static_cast<const double*>(data);
  return std::vector<double>(d, d + length);
}

void need(const F32& a, double count, const char* name) {
  if (count > static_cast<double>(a.length)) {
    throw Error{std::string(name) + " is too short: " + std::to_string(a.length) + " elements for " + std::to_string(static_cast<long long>(count))};
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
      sgemm(g);
    }
    return undefinedValue(env);
  });
}

// The geometry travels as an Int32Array, in the field order of ConvInfo / PoolInfo.
template <class T, size_t N>
T geometry(napi_env env, napi_value v) {
  bool is = false;
  check(env, napi_is_typedarray(env, v, &is));
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  if (is) check(env, napi_get_typedarray_info(env, v, &type, &length, &data, nullptr, nullptr));
  if (!is || type != napi_int32_array || length < N) throw Error{"geometry must be an Int32Array of " + std::to_string(N)};
  static_assert(sizeof(T) == N * sizeof(int32_t), "geometry layout");
  T t;
  std::memcpy(&t, data, sizeof(T));
  const int32_t* f = static_cast<const int32_t*>(data);
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

// conv2d(x, filter, out, geometry) and the two gradients
napi_value Conv2d(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args a = getArgs(env, info, 4);
    ConvInfo c = convInfo(env, a.values[3]);
    F32 x = floats(env, a.values[0], "x"), w = floats(env, a.values[1], "filter"), out = floats(env, a.values[2], "out");
    need(x, sizeOf({c.batch, c.inH, c.inW, c.inC}), "x");
    need(w, sizeOf({c.kh, c.kw, c.inC, c.outC}), "filter");
    need(out, sizeOf({c.batch, c.outH, c.outW, c.outC}), "out");
    conv2d(x.data, w.data, out.data, c);
    return undefinedValue(env);
  });
}

napi_value Conv2dBackpropInput(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args a = getArgs(env, info, 4);
    ConvInfo c = convInfo(env, a.values[3]);
    F32 dy = floats(env, a.values[0], "dy"), w = floats(env, a.values[1], "filter"), dx = floats(env, a.values[2], "dx");
    need(dy, sizeOf({c.batch, c.outH, c.outW, c.outC}), "dy");
    need(w, sizeOf({c.kh, c.kw, c.inC, c.outC}), "filter");
    need(dx, sizeOf({c.batch, c.inH, c.inW, c.inC}), "dx");
    conv2dBackpropInput(dy.data, w.data, dx.data, c);
    return undefinedValue(env);
  });
}

napi_value Conv2dBackpropFilter(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args a = getArgs(env, info, 4);
    ConvInfo c = convInfo(env, a.values[3]);
    F32 x = floats(env, a.values[0], "x"), dy = floats(env, a.values[1], "dy"), dw = floats(env, a.values[2], "dw");
    need(x, sizeOf({c.batch, c.inH, c.inW, c.inC}), "x");
    need(dy, sizeOf({c.batch, c.outH, c.outW, c.outC}), "dy");
    need(dw, sizeOf({c.kh, c.kw, c.inC, c.outC}), "dw");
    conv2dBackpropFilter(x.data, dy.data, dw.data, c);
    return undefinedValue(env);
  });
}

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

// biasActivation(x, bias | null, activation, out)
napi_value BiasActivation(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args a = getArgs(env, info, 4);
    F32 x = floats(env, a.values[0], "x"), out = floats(env, a.values[3], "out");
    napi_valuetype t;
    check(env, napi_typeof(env, a.values[1], &t));
    F32 bias{nullptr, 0};
    if (t != napi_null && t != napi_undefined) bias = floats(env, a.values[1], "bias");
    const bool hasBias = t != napi_null && t != napi_undefined;
    need(out, static_cast<double>(x.length), "out");
    if (hasBias && bias.length == 0 && x.length > 0) throw Error{"bias is empty"};
    biasActivation(x.data, hasBias ? bias.data : nullptr, x.length, hasBias ? bias.length : x.length, activation(env, a.values[2]), out.data);
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
      setGemmParallelThreshold(static_cast<long long>(number(env, v, "parallelThreshold")));
    }
    return undefinedValue(env);
  });
}

}  // namespace
}  // namespace dendrite

NAPI_MODULE_INIT() {
  using namespace dendrite;
  napi_property_descriptor props[] = {
      {"matmul", nullptr, Matmul, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv2d", nullptr, Conv2d, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv2dBackpropInput", nullptr, Conv2dBackpropInput, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv2dBackpropFilter", nullptr, Conv2dBackpropFilter, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"maxPool2d", nullptr, PoolForward<maxPool2d>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"maxPool2dBackprop", nullptr, MaxPoolBackprop, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"avgPool2d", nullptr, PoolForward<avgPool2d>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"avgPool2dBackprop", nullptr, AvgPoolBackprop, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"biasActivation", nullptr, BiasActivation, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"activationBackward", nullptr, ActivationBackward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"info", nullptr, Info, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"configure", nullptr, Configure, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}
