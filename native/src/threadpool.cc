#include "threadpool.h"

#include <chrono>
#include <cstdlib>
#if defined(__linux__)
#include <sched.h>
#endif
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define DENDRITE_PAUSE() _mm_pause()
#else
#define DENDRITE_PAUSE() std::this_thread::yield()
#endif

namespace dendrite {

namespace {

thread_local bool tlsInTask = false;

// How long an idle worker spins before it sleeps on the condition variable. A training step calls its
// products a few hundred microseconds apart (the JS between them), and waking a sleeping worker took 30-45 us
// on this 2-core VM (0.3 us when spinning): the MLP's 128x784x128 ran in 80 us back to back but 155 us after
// a 400 us gap with a 200 us spin. When the other core was busy (another process), a woken worker claimed its
// task at once and then lost the core: the same product took 360 us, twice its time on one thread.
// DENDRITE_SPIN_US overrides (for measurements).
std::chrono::microseconds spinTime() {
  if (const char* env = std::getenv("DENDRITE_SPIN_US")) return std::chrono::microseconds(std::atoi(env));
  return std::chrono::microseconds(1000);
}
const std::chrono::microseconds kSpin = spinTime();
// Past this much spinning the worker also yields its core at each check (every few microseconds), so a
// long spin never holds back another runnable thread (V8's collector, another process).
// DENDRITE_SPIN_ALONE_US overrides (for measurements).
std::chrono::microseconds spinAloneTime() {
  if (const char* env = std::getenv("DENDRITE_SPIN_ALONE_US")) return std::chrono::microseconds(std::atoi(env));
  return std::chrono::microseconds(50);
}
const std::chrono::microseconds kSpinAlone = spinAloneTime();

int cpuCount() {
  if (const char* env = std::getenv("DENDRITE_NUM_THREADS")) {
    int n = std::atoi(env);
    if (n >= 1) return n > 256 ? 256 : n;
  }
#if defined(__linux__)
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    int n = CPU_COUNT(&set);
    if (n >= 1) return n;
  }
#endif
  unsigned n = std::thread::hardware_concurrency();
  return n >= 1 ? static_cast<int>(n) : 1;
}

inline uint64_t generationOf(uint64_t ticket) { return ticket >> 32; }

}  // namespace

ThreadPool& ThreadPool::get() {
  // Never destroyed: worker threads must not be joined from a static destructor after Node has gone.
  static ThreadPool* pool = new ThreadPool(cpuCount());
  return *pool;
}

ThreadPool::ThreadPool(int threads) {
  for (int i = 0; i + 1 < threads; i++) workers_.emplace_back([this, i] { workerLoop(i + 1); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_.store(true);
    ticket_.fetch_add(uint64_t{1} << 32);
  }
  cv_.notify_all();
  for (auto& t : workers_) t.join();
}

bool ThreadPool::inTask() { return tlsInTask; }

void ThreadPool::runTask(int index) {
  bool was = tlsInTask;
  tlsInTask = true;
  fn_(ctx_, index);
  tlsInTask = was;
  done_.fetch_add(1, std::memory_order_release);
}

bool ThreadPool::runOne(uint64_t generation, int lane) {
  uint64_t v = ticket_.load(std::memory_order_acquire);
  if (generation & 1) return runOnePinned(generation, lane);
  for (;;) {
    if (generationOf(v) != generation) return false;
    int index = static_cast<int>(v & 0xffffffffu);
    if (index >= tasks_.load(std::memory_order_relaxed)) return false;
    if (ticket_.compare_exchange_weak(v, v + 1, std::memory_order_acq_rel, std::memory_order_acquire)) {
      runTask(index);
      return true;
    }
  }
}

bool ThreadPool::runOnePinned(uint64_t generation, int lane) {
  const int tasks = tasks_.load(std::memory_order_relaxed), threads = size();
  const int own0 = lane * tasks / threads, own1 = (lane + 1) * tasks / threads;
  uint64_t v = ticket_.load(std::memory_order_acquire);
  for (;;) {
    if (generationOf(v) != generation) return false;
    const uint32_t claimed = static_cast<uint32_t>(v);
    int index = -1;
    const bool descending = (generation & kPinnedDescending) == kPinnedDescending;
    for (int i = 0; i < own1 - own0 && index < 0; i++) {
      const int t = descending ? own1 - 1 - i : own0 + i;
      if (!(claimed >> t & 1u)) index = t;
    }
    for (int t = 0; t < tasks && index < 0; t++)
      if (!(claimed >> t & 1u)) index = t;
    if (index < 0) return false;
    if (ticket_.compare_exchange_weak(v, v | (uint64_t{1} << index), std::memory_order_acq_rel, std::memory_order_acquire)) {
      runTask(index);
      return true;
    }
  }
}

void ThreadPool::workerLoop(int lane) {
  uint64_t seen = 0;
  for (;;) {
    // spin for a while, then sleep until a new job is posted
    auto start = std::chrono::steady_clock::now();
    int spins = 0;
    while (generationOf(ticket_.load(std::memory_order_acquire)) == seen) {
      DENDRITE_PAUSE();
      if (++spins == 256) {
        spins = 0;
        const auto spun = std::chrono::steady_clock::now() - start;
        if (spun > kSpinAlone) std::this_thread::yield();
        if (spun > kSpin) {
          std::unique_lock<std::mutex> lock(mutex_);
          sleepers_.fetch_add(1);
          cv_.wait(lock, [&] { return generationOf(ticket_.load()) != seen; });
          sleepers_.fetch_sub(1);
          break;
        }
      }
    }
    if (stop_.load()) return;
    seen = generationOf(ticket_.load(std::memory_order_acquire));
    while (runOne(seen, lane)) {
    }
  }
}

void ThreadPool::run(int tasks, void (*fn)(void*, int), void* ctx, uint32_t mode) {
  if (tasks <= 0) return;
  if (workers_.empty() || tasks == 1 || tlsInTask || !jobMutex_.try_lock()) {
    bool was = tlsInTask;
    tlsInTask = true;
    for (int t = 0; t < tasks; t++) fn(ctx, t);
    tlsInTask = was;
    return;
  }
  fn_ = fn;
  ctx_ = ctx;
  tasks_.store(tasks, std::memory_order_relaxed);
  done_.store(0, std::memory_order_relaxed);
  // (32 bits, wrapping: the generation is compared as the ticket's high half)
  const uint64_t generation = ((generationOf(ticket_.load()) + 4) & 0xfffffffcu) | mode;
  // NOTE: seq_cst on both sides (ticket, then sleepers here; sleepers, then ticket in a worker about to
  // sleep) means such a worker either sees the new job or is counted and woken here.
  ticket_.store(generation << 32);
  if (sleepers_.load() > 0) {
    std::lock_guard<std::mutex> lock(mutex_);
    cv_.notify_all();
  }
  while (runOne(generation, 0)) {
  }
  // every task is claimed; wait for the ones other threads are still running
  for (int spins = 0; done_.load(std::memory_order_acquire) != tasks; spins++) {
    if (spins < 512)
      DENDRITE_PAUSE();
    else
      std::this_thread::yield();
  }
  jobMutex_.unlock();
}

}  // namespace dendrite
