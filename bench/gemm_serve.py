"""numpy/OpenBLAS side of bench/gemm-shapes.ts: reads `m k n transA transB reps` lines on stdin, times
op(A) @ op(B) (A stored [k, m] when transA, B stored [n, k] when transB, as dendrite's matmul) and prints the
median GFLOP/s of `reps` calls, one line per request."""
import sys, time
import numpy as np

cache = {}
for line in sys.stdin:
    m, k, n, ta, tb, reps = (int(v) for v in line.split())
    key = (m, k, n, ta, tb)
    if key not in cache:
        cache.clear()
        a = np.random.rand(*((k, m) if ta else (m, k))).astype(np.float32)
        b = np.random.rand(*((n, k) if tb else (k, n))).astype(np.float32)
        cache[key] = (a.T if ta else a, b.T if tb else b)
    a, b = cache[key]
    out = np.empty((m, n), dtype=np.float32)
    start = time.perf_counter()  # 20 ms of calls before timing, as on dendrite's side
    while True:
        np.matmul(a, b, out=out)
        if time.perf_counter() - start >= 0.02:
            break
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        np.matmul(a, b, out=out)
        times.append(time.perf_counter() - t)
    print(2 * m * k * n / float(np.median(times)) / 1e9, flush=True)
