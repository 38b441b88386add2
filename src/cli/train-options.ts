// The options `dendrite train mnist` parses. Apart from train.ts, which registers the command and calls the
// MNIST job, so that the job (mnist-job.ts, mnist-resume.ts) can take them without importing the command back.

export interface TrainOptions {
  model: 'cnn' | 'mlp';
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  seed: number;
  validationSplit: number;
  out?: string;
  trainSize?: number;
  testSize?: number;
  quiet?: boolean;
  /** Continue the interrupted run whose --out folder (or checkpoint/ in it) this is. */
  resume?: string;
  /** The options given on the command line (the rest are defaults). */
  explicit?: readonly string[];
}
