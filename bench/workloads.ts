// The workloads every peer runs, with the same sizes, so that their numbers can be put side by side.

/** [m, k, n]: square sizes, then the skinny products training runs (the MLP's first layer, the default CNN's dense
 * layer, and the forward im2col products of both CNNs at batch 64: [batch * outH * outW, 3 * 3 * inC] x [., outC]). */
export const GEMM_SIZES: readonly (readonly [number, number, number])[] = [
  [256, 256, 256],
  [512, 512, 512],
  [1024, 1024, 1024],
  [128, 784, 128],
  [64, 1600, 128],
  [43264, 9, 32],
  [36864, 288, 64],
  [7744, 288, 64],
];

/**
 * Training is timed in the steady state of a long run, on every peer alike: after `warmupEpochs` untimed epochs
 * (JavaScript compiled by V8's optimizing tiers, which takes a few hundred steps of the MLP: 1 epoch left it about
 * 10% slower than 3; allocators' and caches' contents settled). bench/torch_bench.py uses the same numbers.
 */
export const MLP = { batchSize: 128, hidden: 128, steps: 100, warmupEpochs: 3 } as const;
export const CNN = { batchSize: 64, steps: 12, warmupEpochs: 1 } as const;
/** The `dendrite train mnist` default (conv 32 - pool - conv 64 - pool - flatten - dropout - dense 128 - dense 10). */
export const MNIST_CNN = { batchSize: 64, steps: 24, warmupEpochs: 1 } as const;
/** A 2-layer LSTM (the second returning its last step) and a softmax head over random sequences of random classes. */
export const LSTM = { batchSize: 32, timesteps: 100, features: 32, units: 128, classes: 10, steps: 6 } as const;
/**
 * Batch-1 latency is the median of `latencyRuns` calls after `latencyWarmupSeconds` of untimed ones on every peer:
 * the steady state of a model serving requests. dendrite's latency was still falling after a few hundred calls (from
 * 0.26 to 0.17 ms over the first 2,000: V8's optimizing compiler, the caches and the buffer pool settling), PyTorch's
 * settles within tens. bench/torch_bench.py uses the same numbers.
 */
export const INFERENCE = { latencyWarmupSeconds: 1, latencyRuns: 500, throughputBatch: 256, throughputRuns: 5 } as const;

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
  /** The `dendrite train mnist` default CNN's training. */
  mnistCnnSamplesPerSec?: number;
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

// ---- Roofline: floating-point operations per sample (2 per multiply-add) of the products a workload runs ----
// Counted: dense layers, convolutions and the recurrent products; in training each also runs its weight gradient and,
// except in the first layer (whose input gradient nobody asks for), its input gradient, each as many as the forward.
// Element-wise work (bias, activations, pooling, the optimizer) is not counted: it is a few percent at most.

/** A dense layer's (or any [in] x [in, out] product's) forward FLOPs per sample. */
const denseFlops = (inputs: number, outputs: number) => 2 * inputs * outputs;
/** A 'valid' convolution's forward FLOPs per sample. */
const convFlops = (outH: number, outW: number, kernel: number, inC: number, outC: number) => 2 * outH * outW * kernel * kernel * inC * outC;
/** Training FLOPs of a layer whose forward is `forward`: with the weight and (not first) the input gradient. */
const trainingFlops = (forward: number, first: boolean) => forward * (first ? 2 : 3);

const CLASSIC_CNN_LAYERS = [convFlops(26, 26, 3, 1, 32), convFlops(24, 24, 3, 32, 64), denseFlops(12 * 12 * 64, 128), denseFlops(128, 10)];
const MNIST_CNN_LAYERS = [convFlops(26, 26, 3, 1, 32), convFlops(11, 11, 3, 32, 64), denseFlops(5 * 5 * 64, 128), denseFlops(128, 10)];
const MLP_LAYERS = [denseFlops(784, MLP.hidden), denseFlops(MLP.hidden, 10)];
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const trainingOf = (layers: readonly number[]) => sum(layers.map((f, i) => trainingFlops(f, i === 0)));

/** The LSTM's per-sample FLOPs: per step, each layer's input projection and recurrent product (4 gates). */
function lstmFlops(training: boolean): number {
  const gates = 4 * LSTM.units;
  const input1 = LSTM.timesteps * denseFlops(LSTM.features, gates);
  const recurrent = LSTM.timesteps * denseFlops(LSTM.units, gates);
  const input2 = LSTM.timesteps * denseFlops(LSTM.units, gates);
  const head = denseFlops(LSTM.units, LSTM.classes);
  return training ? trainingOf([input1, recurrent, input2, recurrent, head]) : input1 + 2 * recurrent + input2 + head;
}

/** FLOPs per sample of each workload of the table (its `PeerResult` key). */
export const FLOPS_PER_SAMPLE = {
  mlpSamplesPerSec: trainingOf(MLP_LAYERS),
  cnnSamplesPerSec: trainingOf(CLASSIC_CNN_LAYERS),
  mnistCnnSamplesPerSec: trainingOf(MNIST_CNN_LAYERS),
  cnnThroughput: sum(CLASSIC_CNN_LAYERS),
  cnnLatencyMs: sum(CLASSIC_CNN_LAYERS),
  lstmSamplesPerSec: lstmFlops(true),
  lstmInferenceSamplesPerSec: lstmFlops(false),
} as const satisfies Partial<Record<keyof PeerResult, number>>;
