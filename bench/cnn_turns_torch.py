"""PyTorch's side of bench/cnn-turns.ts: the classic Keras CNN and the `dendrite train mnist` CNN, timed once per
line read from stdin ('round'); prints one JSON line per round. Usage: cnn_turns_torch.py MNIST_DIR THREADS"""
import json, sys, time
import numpy as np
import torch
import torch.nn as nn

from mnist_idx import idx

mnist_dir, threads = sys.argv[1], int(sys.argv[2])
torch.set_num_threads(threads)
torch.manual_seed(1)


images = torch.tensor(idx(f'{mnist_dir}/train-images-idx3-ubyte')[:1536], dtype=torch.float32).reshape(-1, 1, 28, 28) / 255
labels = torch.tensor(idx(f'{mnist_dir}/train-labels-idx1-ubyte')[:1536], dtype=torch.long)
test = torch.tensor(idx(f'{mnist_dir}/t10k-images-idx3-ubyte')[:256], dtype=torch.float32).reshape(-1, 1, 28, 28) / 255

classic = nn.Sequential(
    nn.Conv2d(1, 32, 3), nn.ReLU(), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.25),
    nn.Flatten(), nn.Linear(9216, 128), nn.ReLU(), nn.Dropout(0.5), nn.Linear(128, 10))
mnist_cnn = nn.Sequential(
    nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Dropout(0.3), nn.Linear(1600, 128), nn.ReLU(), nn.Linear(128, 10))
optimizers = {id(m): torch.optim.Adam(m.parameters(), 1e-3) for m in (classic, mnist_cnn)}


def timed(fn):
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def train_epoch(model, n):
    model.train()
    opt = optimizers[id(model)]
    perm = torch.randperm(n)
    for i in range(0, n, 64):
        b = perm[i:i + 64]
        opt.zero_grad()
        nn.functional.cross_entropy(model(images[b]), labels[b]).backward()
        opt.step()


def one_round(latency_runs, throughput_runs):
    r = {}
    r['classicTrain'] = 768 / timed(lambda: train_epoch(classic, 768))
    r['mnistTrain'] = 1536 / timed(lambda: train_epoch(mnist_cnn, 1536))
    classic.eval()
    with torch.no_grad():
        one = test[:1]
        classic(one)
        r['latencyMs'] = 1000 * float(np.median([timed(lambda: classic(one)) for _ in range(latency_runs)]))
        classic(test)
        r['throughput'] = 256 / float(np.median([timed(lambda: classic(test)) for _ in range(throughput_runs)]))
    return r


one_round(5, 1)  # warm-up
print('ready', flush=True)
for line in sys.stdin:
    latency_runs, throughput_runs = (int(v) for v in line.split())
    print(json.dumps(one_round(latency_runs, throughput_runs)), flush=True)
