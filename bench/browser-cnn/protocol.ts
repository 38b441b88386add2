// What the browser benchmark's page asks its worker (bench/browser-cnn/*-worker.ts) and what the worker answers.

export interface BenchRequest {
  sliceUrl: string;
  /** TF.js only: 'wasm' or 'cpu'. */
  backend?: string;
  /** Timed rounds; each trains chunks of `chunkBatches` mini-batches of 32 until `roundMs` have passed. */
  rounds: number;
  chunkBatches: number;
  roundMs: number;
}

export interface BenchResult {
  library: string;
  backend: string;
  /** Threads the backend runs on, as it reports them (0: it does not say). */
  threads: number;
  crossOriginIsolated: boolean;
  /** Training samples per second of each round (time in fit only). */
  rounds: number[];
  error?: string;
}

/** Runs `train(batches)` (it returns the ms spent in fit) for `rounds` rounds of at least `roundMs` each; samples/s per round. */
export async function timeRounds(request: BenchRequest, batchSize: number, train: (batches: number) => Promise<number>): Promise<number[]> {
  await train(2); // warm-up: compiled kernels, workers started, buffers allocated
  const out: number[] = [];
  for (let r = 0; r < request.rounds; r++) {
    let ms = 0;
    let samples = 0;
    while (ms < request.roundMs) {
      ms += await train(request.chunkBatches);
      samples += request.chunkBatches * batchSize;
    }
    out.push((samples * 1000) / ms);
  }
  return out;
}
