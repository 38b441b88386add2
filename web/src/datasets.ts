// The 2-D data sets of the playground, built with dendrite's toy-data functions.
import * as dd from 'dendrite';
import type { DatasetName, Task } from './protocol.js';

export interface PlaneData {
  task: Task;
  classes: number;
  /** [N, 2] inputs in [-EXTENT, EXTENT]^2 and [N, 1] targets (class ids or values). */
  x: dd.Tensor;
  y: dd.Tensor;
}

/** Every data set fits in the square [-EXTENT, EXTENT]^2. */
export const EXTENT = 1.5;

export const DATASETS: Record<DatasetName, { label: string; task: Task; classes: number }> = {
  xor: { label: 'XOR', task: 'binary', classes: 2 },
  circles: { label: 'Circles', task: 'binary', classes: 2 },
  spirals: { label: 'Two spirals', task: 'binary', classes: 2 },
  blobs: { label: 'Gaussian blobs (3 classes)', task: 'multiclass', classes: 3 },
  regression: { label: 'Regression surface', task: 'regression', classes: 0 },
};

/** The surface the regression set samples: a smooth bump-and-dip landscape with values in [-1, 1]. */
export function surface(x1: number, x2: number): number {
  return Math.sin(2 * x1) * Math.cos(1.6 * x2);
}

/**
 * `n` points of the named data set, seeded, with extra Gaussian noise of standard deviation `noise` on the
 * inputs (the classes then overlap) or, for the regression, on the targets.
 */
export function makeDataset(name: DatasetName, n: number, seed: number, noise = 0): PlaneData {
  const data = cleanDataset(name, n, seed);
  if (!(noise > 0)) return data;
  if (data.task === 'regression') return { ...data, y: dd.add(data.y, dd.randomNormal([n, 1], 0, noise)) };
  return { ...data, x: dd.clipByValue(dd.add(data.x, dd.randomNormal([n, 2], 0, noise)), -EXTENT, EXTENT) };
}

function cleanDataset(name: DatasetName, n: number, seed: number): PlaneData {
  const { task, classes } = DATASETS[name];
  dd.setSeed(seed);
  switch (name) {
    case 'xor':
      return { task, classes, ...xorClouds(n) };
    case 'circles': {
      const { x, y } = dd.circles({ n, noise: 0.06, factor: 0.45, seed });
      return { task, classes, x: dd.mul(x, 1.25), y };
    }
    case 'spirals': {
      const { x, y } = dd.spirals({ n, noise: 0.04, turns: 1.5, seed });
      return { task, classes, x: dd.mul(x, 1.3), y };
    }
    case 'blobs': {
      const { x, y } = dd.blobs({
        n,
        centers: [
          [-0.7, -0.5],
          [0.7, -0.5],
          [0, 0.7],
        ],
        std: 0.3,
        seed,
      });
      return { task, classes, x: dd.clipByValue(x, -EXTENT, EXTENT), y };
    }
    case 'regression': {
      const x = dd.randomUniform([n, 2], -1.3, 1.3);
      const v = x.dataSync();
      const y = new Float32Array(n);
      for (let i = 0; i < n; i++) y[i] = surface(v[2 * i], v[2 * i + 1]);
      return { task, classes, x, y: dd.tensor(y, [n, 1]) };
    }
  }
}

/**
 * XOR as four noisy clouds around the corners of `xorData()`, moved to (±0.75, ±0.75). A point that
 * noise pushes across an axis is mirrored back, so the classes stay separable and 100% is reachable.
 */
function xorClouds(n: number): { x: dd.Tensor; y: dd.Tensor } {
  const corners = dd.xorData();
  const c = corners.x.dataSync();
  const labels = corners.y.dataSync();
  const noise = dd.randomNormal([n, 2], 0, 0.22).dataSync();
  const x = new Float32Array(n * 2);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const k = i % 4;
    for (let j = 0; j < 2; j++) {
      const center = c[2 * k + j] * 1.5 - 0.75;
      let v = center + noise[2 * i + j];
      if (Math.sign(v) !== Math.sign(center) || Math.abs(v) < 0.08) v = center - (v - center);
      x[2 * i + j] = Math.max(-1.4, Math.min(1.4, v));
    }
    y[i] = labels[k];
  }
  return { x: dd.tensor(x, [n, 2]), y: dd.tensor(y, [n, 1]) };
}
