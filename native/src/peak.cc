// The machine's floating-point peak, measured rather than read from a data sheet: each thread runs a tight loop of
// independent fused multiply-adds in registers (no memory traffic), enough chains to cover the FMA latency on every
// port, for the instruction set asked. `npm run bench` divides each workload's GFLOP/s by this figure (its roofline
// column). Clock speed under sustained AVX-512 or AVX2 work is what the loop sees, as a GEMM does.
#include "peak.h"

#include <atomic>
#include <chrono>
#include <cstring>
#include <thread>
#include <vector>

#include "gemm.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define DENDRITE_X86 1
#endif

namespace dendrite {
namespace {

// 12 independent accumulators: two FMA ports with a latency of 4 need at least 8 in flight; 12 leave margin and,
// with the two constants, still fit the 16 vector registers of AVX2 and SSE (more would spill to memory).
constexpr int CHAINS = 12;
constexpr long long ROUNDS = 1 << 16;  // FMAs per chain between clock reads

#if DENDRITE_X86
__attribute__((target("avx512f"))) float roundsAvx512(long long rounds, float seed) {
  __m512 acc[CHAINS];
  for (int i = 0; i < CHAINS; i++) acc[i] = _mm512_set1_ps(seed + static_cast<float>(i));
  const __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-7f);
  for (long long r = 0; r < rounds; r++) {
#pragma GCC unroll 12
    for (int i = 0; i < CHAINS; i++) acc[i] = _mm512_fmadd_ps(acc[i], a, b);
  }
  __m512 s = acc[0];
  for (int i = 1; i < CHAINS; i++) s = _mm512_add_ps(s, acc[i]);
  return _mm512_reduce_add_ps(s);
}

__attribute__((target("avx2,fma"))) float roundsAvx2(long long rounds, float seed) {
  __m256 acc[CHAINS];
  for (int i = 0; i < CHAINS; i++) acc[i] = _mm256_set1_ps(seed + static_cast<float>(i));
  const __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f);
  for (long long r = 0; r < rounds; r++) {
#pragma GCC unroll 12
    for (int i = 0; i < CHAINS; i++) acc[i] = _mm256_fmadd_ps(acc[i], a, b);
  }
  __m256 s = acc[0];
  for (int i = 1; i < CHAINS; i++) s = _mm256_add_ps(s, acc[i]);
  alignas(32) float out[8];
  _mm256_store_ps(out, s);
  float total = 0;
  for (float v : out) total += v;
  return total;
}
#endif

// The baseline build has no FMA: a multiply and an add per lane (counted as 2 flops, as an FMA is), in 4-wide
// SSE on x86-64 and plain floats elsewhere.
float roundsBaseline(long long rounds, float seed) {
  float acc[CHAINS][4];
  for (int i = 0; i < CHAINS; i++)
    for (int j = 0; j < 4; j++) acc[i][j] = seed + static_cast<float>(i + j);
  for (long long r = 0; r < rounds; r++) {
    for (int i = 0; i < CHAINS; i++)
      for (int j = 0; j < 4; j++) acc[i][j] = acc[i][j] * 0.999999f + 1e-7f;
  }
  float total = 0;
  for (int i = 0; i < CHAINS; i++)
    for (int j = 0; j < 4; j++) total += acc[i][j];
  return total;
}

struct Isa {
  int lanes;
  float (*rounds)(long long, float);
};

Isa isaFor(const char* name) {
#if DENDRITE_X86
  if (std::strcmp(name, "avx512") == 0 && cpuHasAvx512()) return {16, roundsAvx512};
  if (std::strcmp(name, "avx2") == 0 && cpuHasAvx2()) return {8, roundsAvx2};
#endif
  (void)name;
  return {4, roundsBaseline};
}

}  // namespace

PeakResult measureFmaPeak(const char* isaName, int threads, double seconds) {
  const Isa isa = isaFor(isaName);
  if (threads < 1) threads = 1;
  std::vector<double> rates(threads, 0.0);
  std::vector<std::thread> workers;
  std::atomic<int> ready{0};
  std::atomic<float> sink{0.0f};
  for (int t = 0; t < threads; t++) {
    workers.emplace_back([&, t] {
      ready.fetch_add(1);
      while (ready.load() < threads) std::this_thread::yield();  // start together: the cores share power and clock
      isa.rounds(ROUNDS, 1.0f);                                  // warm up: the clock settles under the load
      const auto start = std::chrono::steady_clock::now();
      long long done = 0;
      float keep = 0;
      double elapsed = 0;
      do {
        keep += isa.rounds(ROUNDS, static_cast<float>(done & 7));
        done += ROUNDS;
        elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      } while (elapsed < seconds);
      rates[t] = 2.0 * CHAINS * isa.lanes * static_cast<double>(done) / elapsed;
      sink.store(sink.load() + keep);  // the sum is kept, so the loop is not removed
    });
  }
  for (auto& w : workers) w.join();
  PeakResult r{0.0, isa.lanes == 16 ? "avx512" : isa.lanes == 8 ? "avx2" : "scalar"};
  for (double v : rates) r.flopsPerSecond += v;
  return r;
}

}  // namespace dendrite
