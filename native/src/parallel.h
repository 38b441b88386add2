// Splitting memory-bound loops over the thread pool, and compiling one loop for several instruction sets.
#pragma once

#include <cstddef>

#include "threadpool.h"

namespace dendrite {

// Elements below which one thread is quicker than a fork/join (memory-bound loops).
constexpr size_t kParallelMin = 1 << 17;

// Calls body(first, last) over [0, count): on the calling thread when count is small, else in one part per
// thread. Parts are split at multiples of `align` elements (a row length, or a vector's width).
// `minimum`: the count from which to split (lower for loops with more arithmetic per element).
template <class F>
void spread(size_t count, F&& body, size_t align = 16, size_t minimum = kParallelMin) {
  ThreadPool& pool = ThreadPool::get();
  if (count < minimum || pool.size() <= 1 || ThreadPool::inTask()) {
    body(size_t{0}, count);
    return;
  }
  const int tasks = pool.size();
  const size_t units = (count + align - 1) / align;
  pool.parallelFor(tasks, [&](int t) {
    const size_t first = units * t / tasks * align;
    const size_t last = t + 1 == tasks ? count : units * (t + 1) / tasks * align;
    if (first < last) body(first, last < count ? last : count);
  });
}

bool cpuHasAvx512();
bool cpuHasAvx2();

}  // namespace dendrite

// A loop body written once as an always-inline function is compiled (and auto-vectorised) for AVX-512 and
// for the baseline by wrapping it in these; dispatch with useAvx512() (below). Results do not depend on the ISA:
// the addon is built with -ffp-contract=off, so no multiply-add is fused behind the formulas' back.
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define DENDRITE_AVX512 __attribute__((target("avx512f,avx512vl,avx512dq,avx512bw,avx2,fma,prefer-vector-width=512")))
#define DENDRITE_HAS_AVX512_VARIANT 1
#else
#define DENDRITE_AVX512
#define DENDRITE_HAS_AVX512_VARIANT 0
#endif
#define DENDRITE_INLINE inline __attribute__((always_inline))

namespace dendrite {

// Whether to run the AVX-512 builds of the loops: compiled here (elsewhere DENDRITE_AVX512 is empty and
// the "512" functions are baseline copies) and supported by this CPU.
inline bool useAvx512() {
  static const bool use = DENDRITE_HAS_AVX512_VARIANT && cpuHasAvx512();
  return use;
}

}  // namespace dendrite
