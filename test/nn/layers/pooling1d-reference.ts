// Float64 references for the 1-D poolings, written independently of the kernels: each window over the steps,
// padded steps ('same', TensorFlow's rule) never counted.
import { nd, type ND } from '../../gradcheck.js';

export function refPool1d(x: ND, poolSize: number, strides: number, padding: 'valid' | 'same', kind: 'max' | 'avg'): ND {
  const [n, t, c] = x.shape;
  const out = padding === 'same' ? Math.ceil(t / strides) : Math.floor((t - poolSize) / strides) + 1;
  const before = padding === 'same' ? Math.floor(Math.max((out - 1) * strides + poolSize - t, 0) / 2) : 0;
  const data: number[] = [];
  for (let b = 0; b < n; b++) {
    for (let o = 0; o < out; o++) {
      for (let ch = 0; ch < c; ch++) {
        const cells: number[] = [];
        for (let j = 0; j < poolSize; j++) {
          const step = o * strides - before + j;
          if (step >= 0 && step < t) cells.push(x.data[(b * t + step) * c + ch]);
        }
        data.push(kind === 'max' ? cells.reduce((m, v) => Math.max(m, v), -Infinity) : cells.reduce((s, v) => s + v, 0) / cells.length);
      }
    }
  }
  return nd([n, out, c], data);
}
