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
  void run(int tasks, void (*fn)(void*, int), void* ctx) { run(tasks, fn, ctx, 0); }

  // As run, but each thread first takes the tasks of its own share (thread t of T: [t * tasks / T,
  // (t + 1) * tasks / T); the caller is thread 0), then helps with any left unclaimed. A job that reads the same
  // data in the same tasks call after call (a Dense layer's weights, one slice per task) then finds each share in
  // the cache of the core that read it last time. `descending` takes a share's tasks last first: a share
  // larger than the core's cache, read in the same order every time, would find nothing left of its start
  // when it comes back to it, while alternate directions start where the last job ended. At most 32 tasks;
  // more run as in run.
  void runPinned(int tasks, void (*fn)(void*, int), void* ctx, bool descending) {
    run(tasks, fn, ctx, tasks <= 32 ? (descending ? kPinnedDescending : kPinned) : 0);
  }

  template <class F>
  void parallelFor(int tasks, F&& f) {
    if (tasks <= 0) return;
    auto call = [](void* ctx, int t) { (*static_cast<F*>(ctx))(t); };
    run(tasks, call, static_cast<void*>(&f));
  }

  template <class F>
  void parallelForPinned(int tasks, bool descending, F&& f) {
    if (tasks <= 0) return;
    auto call = [](void* ctx, int t) { (*static_cast<F*>(ctx))(t); };
    runPinned(tasks, call, static_cast<void*>(&f), descending);
  }

  // True on a thread that is running a task of this pool's current job.
  static bool inTask();

 private:
  // a job's mode, in the low two bits of its generation
  static constexpr uint32_t kPinned = 1, kPinnedDescending = 3;
  void run(int tasks, void (*fn)(void*, int), void* ctx, uint32_t mode);
  void workerLoop(int lane);
  bool runOne(uint64_t generation, int lane);
  bool runOnePinned(uint64_t generation, int lane);
  // Runs task `index` of the current job, once claimed, and counts it done.
  void runTask(int index);

  std::vector<std::thread> workers_;
  std::mutex mutex_;  // guards sleeping and wake-ups
  std::condition_variable cv_;
  std::mutex jobMutex_;  // one job at a time
  // (generation << 32) | next task: a worker claims a task with one compare-and-swap, so a worker that
  // arrives late (or was descheduled) never touches a job that has moved on, and the caller only waits
  // for tasks that were actually claimed. A pinned job's generation has its mode in the low two bits, and
  // the ticket's low half is the mask of the tasks claimed.
  std::atomic<uint64_t> ticket_{0};
  std::atomic<int> tasks_{0};
  std::atomic<int> done_{0};
  std::atomic<int> sleepers_{0};
  std::atomic<bool> stop_{false};
  void (*fn_)(void*, int) = nullptr;
  void* ctx_ = nullptr;
};

}  // namespace dendrite
