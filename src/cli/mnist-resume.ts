// `dendrite train mnist --resume DIR`: finds the checkpoint an interrupted run left, and the settings it ran with.
import { isObject, shortJson } from '../io/untrusted-json.js';
import type { EpochProgress } from '../io/format.js';
import { loadCheckpoint, type Checkpoint } from '../model/load-model.js';
import { Sequential } from '../model/sequential.js';
import { formatShape } from '../tensor/shape.js';
import { UsageError } from './errors.js';
import { MNIST_MODELS } from './mnist-models.js';
import type { TrainOptions } from './train-options.js';

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

/**
 * The job settings a checkpoint records (metadata.mnistJob), checked one by one: a damaged or hand-edited
 * checkpoint must fail here, naming the field, not deep inside training (`model: "rnn"`) or silently
 * (`epochs: "3"`). `where` names the checkpoint's model.json.
 */
function checkSettings(value: unknown, where: string): MnistJobSettings {
  if (!isObject(value))
    throw new UsageError(
      `--resume: ${where} is not a checkpoint of 'dendrite train mnist': its dendrite.metadata.mnistJob (the run's settings) is ${value === undefined ? 'missing' : shortJson(value)}.`,
    );
  const check = (field: keyof MnistJobSettings, ok: (v: unknown) => boolean, rule: string) => {
    if (!ok(value[field]))
      throw new UsageError(
        `--resume: ${where}: dendrite.metadata.mnistJob.${field} must be ${rule}, got ${shortJson(value[field])}; the checkpoint is damaged.`,
      );
  };
  const integer =
    (min: number, max = Number.MAX_SAFE_INTEGER) =>
    (v: unknown) =>
      Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max;
  const models = Object.keys(MNIST_MODELS);
  check('model', (v) => typeof v === 'string' && models.includes(v), `one of ${models.join(', ')}`);
  check('epochs', integer(1, 10000), 'a whole number from 1 to 10000');
  check('batchSize', integer(1), 'a whole number >= 1');
  check('learningRate', (v) => typeof v === 'number' && Number.isFinite(v) && v > 0, 'a positive number');
  check('seed', integer(0), 'a whole number >= 0');
  check('validationSplit', (v) => typeof v === 'number' && v >= 0 && v < 1, 'a number in [0, 1)');
  check('trainSize', (v) => v === null || integer(1, 60000)(v), 'null or a whole number from 1 to 60000');
  return value as unknown as MnistJobSettings;
}

/** The checkpoint must be one `epochs` can continue, hold the model its settings name, and keep its optimizer's state. */
function checkResumable(checkpoint: Checkpoint, settings: MnistJobSettings, epochs: number, epochsFlag: boolean, where: string): void {
  const { epoch, progress, model } = checkpoint;
  // an epoch in progress is epoch `epoch` (counted from 0), so it needs epoch < epochs
  const needed = epoch + (progress ? 1 : 0);
  if (needed > epochs) {
    const limit = epochsFlag ? `--epochs ${epochs}` : `the run's ${epochs} epochs (dendrite.metadata.mnistJob.epochs)`;
    throw new UsageError(
      `--resume: ${where} records ${epoch} completed epochs${progress ? ' and one in progress' : ''} (dendrite.training), more than ${limit}; pass --epochs ${needed} or more to train on, or check that the checkpoint is not damaged.`,
    );
  }
  const sample = MNIST_MODELS[settings.model].flatten ? [784] : [28, 28, 1];
  const input = model.inputShape!.slice(1);
  if (input.length !== sample.length || input.some((d, i) => d !== sample[i]) || model.outputShape!.at(-1) !== 10) {
    throw new UsageError(
      `--resume: ${where} holds a model for inputs ${formatShape(model.inputShape!)} with outputs ${formatShape(model.outputShape!)}, not the '${settings.model}' model its dendrite.metadata.mnistJob.model names (inputs ${formatShape([null, ...sample])}, 10 outputs); the checkpoint is damaged.`,
    );
  }
  if (!checkpoint.rngState) {
    throw new UsageError(
      `--resume: ${where} has no random generator state (dendrite.training.rngState), so the run cannot continue exactly as it was; start a new run instead (without --resume).`,
    );
  }
  if (!checkpoint.optimizerRestored) {
    // a fresh optimizer would restart Adam's moments and the learning-rate schedule (it counts the optimizer's steps)
    throw new UsageError(
      `--resume: ${where} has no optimizer state (dendrite.optimizerState), so the run cannot continue exactly as it was; start a new run instead (without --resume).`,
    );
  }
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
    throw new UsageError(
      `--resume: '${dir}' holds no checkpoint (expected ${join(dir, 'checkpoint', 'model.json')}, which 'dendrite train mnist' writes after every epoch).`,
    );
  }
  let checkpoint: Checkpoint;
  try {
    checkpoint = await loadCheckpoint(checkpointDir);
  } catch (error) {
    throw new UsageError(`cannot resume from '${checkpointDir}': ${error instanceof Error ? error.message : String(error)}`);
  }
  const where = join(checkpointDir, 'model.json');
  const model = checkpoint.model;
  // 'dendrite train mnist' trains a Sequential model; a graph model's checkpoint is some other program's
  if (!(model instanceof Sequential)) {
    throw new UsageError(`--resume: ${where} is not a checkpoint of 'dendrite train mnist' (it holds a graph model, not a Sequential one).`);
  }
  if (!model.compiled) {
    throw new UsageError(`--resume: ${where} is not a checkpoint of 'dendrite train mnist' (it has no training config).`);
  }
  const saved = checkSettings(checkpoint.metadata?.mnistJob, where);
  const given = new Set(options.explicit ?? []);
  for (const key of FIXED) {
    const value = options[key] ?? null;
    if (given.has(key) && value !== saved[key]) {
      throw new UsageError(
        `${flag(key)} ${String(value)} differs from the interrupted run's ${String(saved[key])}; leave it out to resume (only --epochs, --test-size, --out and --quiet may change).`,
      );
    }
  }
  const epochs = options.epochs ?? saved.epochs;
  checkResumable(checkpoint, saved, epochs, options.epochs !== undefined, where);
  return {
    settings: {
      model: saved.model,
      epochs,
      batchSize: saved.batchSize,
      learningRate: saved.learningRate,
      seed: saved.seed,
      validationSplit: saved.validationSplit,
      trainSize: saved.trainSize ?? undefined,
    },
    model,
    epoch: checkpoint.epoch,
    progress: checkpoint.progress,
    rngState: checkpoint.rngState,
    checkpointDir,
    outDir,
  };
}
