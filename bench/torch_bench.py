"""PyTorch's side of `npm run bench`: the same workloads; prints one JSON line.
Usage: torch_bench.py MNIST_DIR THREADS [--training]   (--training: only the MLP, CNN and LSTM training workloads)"""
import json, resource, sys, time
import numpy as np
import torch
import torch.nn as nn

from mnist_idx import idx

mnist_dir, threads = sys.argv[1], int(sys.argv[2])
training_only = sys.argv[3:] == ['--training']
torch.set_num_threads(threads)
torch.manual_seed(1)
GEMM_SIZES = [(256, 256, 256), (512, 512, 512), (1024, 1024, 1024), (128, 784, 128), (64, 1600, 128), (43264, 9, 32),
              (36864, 288, 64), (7744, 288, 64)]  # as bench/workloads.ts


def median(xs):
    return float(np.median(xs))


def timed(fn):
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


result = {'peer': f'pytorch {torch.__version__} ({threads} thread{"s" if threads > 1 else ""})', 'gemm': {}}
for m, k, n in ([] if training_only else GEMM_SIZES):
    a, b, c = torch.rand(m, k), torch.rand(k, n), torch.empty(m, n)  # one output for every call, as dendrite's bench
    start = time.perf_counter()
    while time.perf_counter() - start < 0.02:
        torch.matmul(a, b, out=c)
    reps = max(3, min(30, round(2e9 / (2 * m * k * n))))
    key = f'gemm {m}' if m == k == n else f'gemm {m}x{k}x{n}'
    result['gemm'][key] = 2 * m * k * n / median([timed(lambda: torch.matmul(a, b, out=c)) for _ in range(reps)]) / 1e9

images = torch.tensor(idx(f'{mnist_dir}/train-images-idx3-ubyte')[:12800], dtype=torch.float32) / 255
labels = torch.tensor(idx(f'{mnist_dir}/train-labels-idx1-ubyte')[:12800], dtype=torch.long)
test = torch.tensor(idx(f'{mnist_dir}/t10k-images-idx3-ubyte')[:256], dtype=torch.float32) / 255


def train_epoch(model, opt, x, y, batch):
    perm = torch.randperm(x.shape[0])
    for i in range(0, x.shape[0], batch):
        idx_ = perm[i:i + batch]
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(x[idx_]), y[idx_])
        loss.backward()
        opt.step()


mlp = nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
opt = torch.optim.Adam(mlp.parameters(), 1e-3)
x = images.reshape(-1, 784)
# warm-up epochs as bench/workloads.ts: MLP.warmupEpochs, CNN.warmupEpochs, MNIST_CNN.warmupEpochs
for _ in range(3):
    train_epoch(mlp, opt, x, labels, 128)
result['mlpSamplesPerSec'] = x.shape[0] / median([timed(lambda: train_epoch(mlp, opt, x, labels, 128)) for _ in range(5)])

cnn = nn.Sequential(
    nn.Conv2d(1, 32, 3), nn.ReLU(), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.25),
    nn.Flatten(), nn.Linear(9216, 128), nn.ReLU(), nn.Dropout(0.5), nn.Linear(128, 10))
opt = torch.optim.Adam(cnn.parameters(), 1e-3)
xc, yc = images[:768].reshape(-1, 1, 28, 28), labels[:768]
train_epoch(cnn, opt, xc, yc, 64)
result['cnnSamplesPerSec'] = xc.shape[0] / median([timed(lambda: train_epoch(cnn, opt, xc, yc, 64)) for _ in range(3)])

# the `dendrite train mnist` default CNN (bench/workloads.ts MNIST_CNN): conv 32 - pool - conv 64 - pool - flatten -
# dropout - dense 128 - dense 10, batch 64, 24 batches
mnist_cnn = nn.Sequential(
    nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Dropout(0.3), nn.Linear(1600, 128), nn.ReLU(), nn.Linear(128, 10))
opt = torch.optim.Adam(mnist_cnn.parameters(), 1e-3)
xm, ym = images[:1536].reshape(-1, 1, 28, 28), labels[:1536]
train_epoch(mnist_cnn, opt, xm, ym, 64)
result['mnistCnnSamplesPerSec'] = xm.shape[0] / median([timed(lambda: train_epoch(mnist_cnn, opt, xm, ym, 64)) for _ in range(3)])

# the LSTM of bench/workloads.ts: 2 layers of 128 over 100 steps of 32 features, the last step's output to a
# dense softmax head of 10, batch 32, Adam, cross-entropy; random sequences and classes
LSTM_BATCH, LSTM_TIMESTEPS, LSTM_FEATURES, LSTM_UNITS, LSTM_CLASSES, LSTM_STEPS = 32, 100, 32, 128, 10, 6


class LstmNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(LSTM_FEATURES, LSTM_UNITS, num_layers=2, batch_first=True)
        self.head = nn.Linear(LSTM_UNITS, LSTM_CLASSES)

    def forward(self, x):
        return self.head(self.lstm(x)[0][:, -1])


lstm = LstmNet()
opt = torch.optim.Adam(lstm.parameters(), 1e-3)
n_lstm = LSTM_BATCH * LSTM_STEPS
xs = torch.randn(n_lstm, LSTM_TIMESTEPS, LSTM_FEATURES)
ys = torch.randint(0, LSTM_CLASSES, (n_lstm,))
train_epoch(lstm, opt, xs[:LSTM_BATCH], ys[:LSTM_BATCH], LSTM_BATCH)
result['lstmSamplesPerSec'] = n_lstm / median([timed(lambda: train_epoch(lstm, opt, xs, ys, LSTM_BATCH)) for _ in range(3)])

if not training_only:
    lstm.eval()
    with torch.no_grad():
        one_batch = xs[:LSTM_BATCH]
        lstm(one_batch)
        result['lstmInferenceSamplesPerSec'] = LSTM_BATCH / median([timed(lambda: lstm(one_batch)) for _ in range(5)])
    cnn.eval()
    with torch.no_grad():
        one = test[:1].reshape(1, 1, 28, 28)
        batch = test.reshape(-1, 1, 28, 28)
        # INFERENCE.latencyWarmupSeconds and latencyRuns of bench/workloads.ts
        start = time.perf_counter()
        while time.perf_counter() - start < 1:
            cnn(one)
        result['cnnLatencyMs'] = 1000 * median([timed(lambda: cnn(one)) for _ in range(500)])
        cnn(batch)
        result['cnnThroughput'] = 256 / median([timed(lambda: cnn(batch)) for _ in range(5)])
result['peakRssMb'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(result))
