// A persistent pool of worker threads. The calling thread always takes part, so a pool of `size()` threads
// runs `size() - 1` workers: with one worker per core (less the caller) the pool never oversubscribes.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace dendrite {

class ThreadPool {
 public:
  // The process-wide pool, sized to the cores this process may run on (DENDRITE_NUM_THREADS overrides).
  static ThreadPool& get();

  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // Threads that run a job, the caller included.
  int size() const { return static_cast<int>(workers_.size()) + 1; }

  // Runs fn(ctx, task) for every task in [0, tasks) and returns when all are done. Tasks are handed out
  // dynamically; the caller runs tasks too. Called from inside a task, or while another thread's job
  // holds the pool, it runs every task on the calling thread instead (no nesting, no waiting).
  void run(int tasks, void (*fn)(void*, int), void* ctx);

  template <class F>
  void parallelFor(int tasks, F&& f) {
    if (tasks <= 0) return;
    auto call = [](void* ctx, int t) { (*static_cast<F*>(ctx))(t); };
    run(tasks, call, static_cast<void*>(&f));
  }

  // True on a thread that is running a task of this pool's current job.
  static bool inTask();

 private:
  void workerLoop();
  bool runOne(uint64_t generation);

  std::vector<std::thread> workers_;
  std::mutex mutex_;  // guards sleeping and wake-ups
  std::condition_variable cv_;
  std::mutex jobMutex_;  // one job at a time
  // (generation << 32) | next task: a worker claims a task with one compare-and-swap, so a worker that
  // arrives late (or was descheduled) never touches a job that has moved on, and the caller only waits
  // for tasks that were actually claimed
  std::atomic<uint64_t> ticket_{0};
  std::atomic<int> tasks_{0};
  std::atomic<int> done_{0};
  std::atomic<int> sleepers_{0};
  std::atomic<bool> stop_{false};
  void (*fn_)(void*, int) = nullptr;
  void* ctx_ = nullptr;
};

}  // namespace dendrite
