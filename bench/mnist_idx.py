"""The MNIST IDX reader of the PyTorch bench scripts (bench/torch_bench.py, bench/cnn_turns_torch.py)."""
import struct

import numpy as np


def idx(path):
    """The array in an IDX file (unsigned bytes): a big-endian header of magic, rank and sizes, then the values."""
    with open(path, 'rb') as f:
        data = f.read()
    rank = data[3]
    shape = struct.unpack('>' + 'I' * rank, data[4:4 + 4 * rank])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(shape)
