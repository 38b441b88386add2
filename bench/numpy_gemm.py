"""numpy/OpenBLAS GEMM GFLOP/s for `npm run bench`; prints one JSON line."""
import json, time
import numpy as np

result = {'peer': f'numpy {np.__version__} / OpenBLAS', 'gemm': {}}
# as bench/workloads.ts GEMM_SIZES
SIZES = [(256, 256, 256), (512, 512, 512), (1024, 1024, 1024), (128, 784, 128), (64, 1600, 128), (43264, 9, 32),
         (36864, 288, 64), (7744, 288, 64)]
for m, k, n in SIZES:
    a = np.random.rand(m, k).astype(np.float32)
    b = np.random.rand(k, n).astype(np.float32)
    c = np.empty((m, n), dtype=np.float32)  # one output for every call, as dendrite's bench
    start = time.perf_counter()
    while time.perf_counter() - start < 0.02:
        np.matmul(a, b, out=c)
    reps = max(3, min(30, round(2e9 / (2 * m * k * n))))
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        np.matmul(a, b, out=c)
        times.append(time.perf_counter() - t)
    key = f'gemm {m}' if m == k == n else f'gemm {m}x{k}x{n}'
    result['gemm'][key] = 2 * m * k * n / float(np.median(times)) / 1e9
print(json.dumps(result))
