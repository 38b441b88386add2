// The workloads every peer runs, with the same sizes, so that their numbers can be put side by side.

export const GEMM_SIZES: readonly (readonly [number, number, number])[] = [
  [256, 256, 256],
  [512, 512, 512],
  [1024, 1024, 1024],
  [128, 784, 128],
];

export const MLP = { batchSize: 128, hidden: 128, steps: 100 } as const;
export const CNN = { batchSize: 64, steps: 12 } as const;
/** A 2-layer LSTM (the second returning its last step) and a softmax head over random sequences of random classes. */
export const LSTM = { batchSize: 32, timesteps: 100, features: 32, units: 128, classes: 10, steps: 6 } as const;
export const INFERENCE = { latencyRuns: 50, throughputBatch: 256, throughputRuns: 5 } as const;

/** Results of one peer, as printed (one JSON line) by its runner. */
export interface PeerResult {
  peer: string;
  /** e.g. 'gemm 1024' -> GFLOP/s. */
  gemm: Record<string, number>;
  mlpSamplesPerSec?: number;
  /** The same MLP as a graph model (`model({ inputs, outputs })`), timed in turns with the Sequential one. */
  mlpGraphSamplesPerSec?: number;
  /** That Sequential one's samples/s in the same turns (the graph model's should be no lower). */
  mlpTurnsSequentialSamplesPerSec?: number;
  /** The same MLP trained with fitDataset on a data.array of the same batches, timed in turns with fit. */
  mlpDatasetSamplesPerSec?: number;
  /** fit's samples/s in those turns (fitDataset's should be about the same). */
  mlpTurnsFitSamplesPerSec?: number;
  cnnSamplesPerSec?: number;
  /** The LSTM's training (fit) and inference (predict on one batch of LSTM.batchSize), samples/s. */
  lstmSamplesPerSec?: number;
  lstmInferenceSamplesPerSec?: number;
  cnnLatencyMs?: number;
  cnnThroughput?: number;
  peakRssMb?: number;
  notes?: string[];
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function gemmKey([m, k, n]: readonly number[]): string {
  return m === k && k === n ? `gemm ${m}` : `gemm ${m}x${k}x${n}`;
}
