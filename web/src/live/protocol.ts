// Messages between the live CNN section (web/src/sections/live-cnn.ts) and its worker (web/src/live/worker.ts).

export type ToLiveWorker = { type: 'init'; sliceUrl: string } | { type: 'start' } | { type: 'stop' } | { type: 'reset' } | { type: 'train'; batches: number };

/** What the worker runs on: the page must be cross-origin isolated for wasm to have threads. */
export interface LiveSetup {
  type: 'setup';
  crossOriginIsolated: boolean;
  backend: string;
  /** Threads the wasm GEMM may use, the caller included (1 without isolation). */
  threads: number;
  relaxedSimd: boolean;
  trainSize: number;
  testSize: number;
}

export interface LiveProgress {
  type: 'progress';
  running: boolean;
  /** Mini-batches (of `batchSize`) and samples trained so far. */
  steps: number;
  seen: number;
  batchSize: number;
  /** Training samples per second of time spent in fit (evaluation and drawing excluded). */
  samplesPerSecond: number;
  /** The last mini-batch's loss and the accuracy on the slice's test images. */
  loss: number;
  testAccuracy: number;
  /** Threads working now (they start on the first large GEMM). */
  threadsRunning: number;
  /** conv1's and conv2's kernels, flat ([3, 3, in, out]). */
  filters: Float32Array[];
  filterShapes: number[][];
  /** conv1's and conv2's outputs for one test digit, flat ([1, h, w, c]). */
  maps: { shape: number[]; values: Float32Array }[];
  image: Float32Array;
  label: number;
  probabilities: Float32Array;
}

export type FromLiveWorker = LiveSetup | LiveProgress | { type: 'error'; message: string };
