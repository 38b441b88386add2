// `dendrite train mnist --resume DIR`: finds the checkpoint an interrupted run left, and the settings it ran with.
import { loadCheckpoint } from '../io/load.js';
import type { Sequential } from '../model/sequential.js';
import type { EpochProgress } from '../model/training.js';
import { UsageError } from './errors.js';
import type { TrainOptions } from './train.js';

/** What the MNIST job stores with each checkpoint, so that `--resume` repeats the run exactly. */
export interface MnistJobSettings {
  model: 'cnn' | 'mlp';
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  validationSplit: number;
  trainSize: number | null;
}

export interface ResumedRun {
  settings: Partial<TrainOptions>;
  model: Sequential;
  /** Completed epochs. */
  epoch: number;
  /** How far the run got into the next epoch when Ctrl-C stopped it, or null. */
  progress: EpochProgress | null;
  rngState: (number | null)[] | null;
  checkpointDir: string;
  /** The interrupted run's --out folder. */
  outDir: string;
}

/** Flags that must match the interrupted run (the others, --epochs, --test-size, --out and --quiet, may change). */
const FIXED = ['model', 'batchSize', 'learningRate', 'seed', 'validationSplit', 'trainSize'] as const;

function flag(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

async function exists(path: string): Promise<boolean> {
  const { stat } = await import('node:fs/promises');
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Loads the checkpoint in `options.resume` (the run's --out folder, or its checkpoint/ subfolder). */
export async function resumeMnist(options: TrainOptions): Promise<ResumedRun> {
  const { basename, dirname, join } = await import('node:path');
  const dir = options.resume!;
  if (!(await exists(dir))) throw new UsageError(`--resume: '${dir}' does not exist.`);
  let checkpointDir: string;
  let outDir: string;
  if (await exists(join(dir, 'checkpoint', 'model.json'))) {
    checkpointDir = join(dir, 'checkpoint');
    outDir = dir;
  } else if (await exists(join(dir, 'model.json'))) {
    checkpointDir = dir;
    outDir = basename(dir) === 'checkpoint' ? dirname(dir) : dir;
  } else {
    throw new UsageError(`--resume: '${dir}' holds no checkpoint (expected ${join(dir, 'checkpoint', 'model.json')}, which 'dendrite train mnist' writes after every epoch).`);
  }
  let checkpoint;
  try {
    checkpoint = await loadCheckpoint(checkpointDir);
  } catch (error) {
    throw new UsageError(`cannot resume from '${checkpointDir}': ${error instanceof Error ? error.message : String(error)}`);
  }
  const saved = checkpoint.metadata?.mnistJob as MnistJobSettings | undefined;
  if (!saved || typeof saved !== 'object' || !checkpoint.model.compiled) {
    throw new UsageError(`--resume: '${checkpointDir}' is not a checkpoint of 'dendrite train mnist' (its model.json has no job settings or training config).`);
  }
  const given = new Set(options.explicit ?? []);
  for (const key of FIXED) {
    const value = options[key] ?? null;
    if (given.has(key) && value !== saved[key]) {
      throw new UsageError(`${flag(key)} ${String(value)} differs from the interrupted run's ${String(saved[key])}; leave it out to resume (only --epochs, --test-size, --out and --quiet may change).`);
    }
  }
  return {
    settings: {
      model: saved.model,
      epochs: options.epochs ?? saved.epochs,
      batchSize: saved.batchSize,
      learningRate: saved.learningRate,
      seed: saved.seed,
      validationSplit: saved.validationSplit,
      trainSize: saved.trainSize ?? undefined,
    },
    model: checkpoint.model,
    epoch: checkpoint.epoch,
    progress: checkpoint.progress,
    rngState: checkpoint.rngState,
    checkpointDir,
    outDir,
  };
}
