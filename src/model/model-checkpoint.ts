import { saveModel } from '../io/save.js';
import { getRngState } from '../tensor/rng.js';
import type { Callback, Logs, TrainingModel } from './callbacks.js';
import type { Model } from './model.js';

export interface ModelCheckpointArgs {
  /** The folder the checkpoint is written to (model.json, weights.bin, optimizer.bin), replaced each time. */
  dir: string;
  /** Save only when the monitored quantity improves on the best seen so far (default false: every epoch). */
  saveBestOnly?: boolean;
  /** The logged quantity `saveBestOnly` watches (default `'val_loss'`). */
  monitor?: string;
  /** `'auto'` (default) maximises names with "acc" in them and minimises the rest; or `'min'`, `'max'`. */
  mode?: 'auto' | 'min' | 'max';
  /** Also save the optimizer's state, needed to resume exactly (default true). */
  includeOptimizer?: boolean;
  /** A value the monitored quantity must beat before the first save (Keras `initial_value_threshold`), e.g. the best of a resumed run. */
  initialValueThreshold?: number;
  /** Any JSON to keep with each checkpoint (e.g. the settings of the run, to resume it). */
  metadata?: Record<string, unknown>;
}

/**
 * Saves the model at the end of each epoch (Keras `ModelCheckpoint`), and where training stopped inside one, atomically, with the optimizer's
 * state, the number of completed epochs and the random generator's state, so that an interrupted run can
 * resume exactly:
 *
 *     await model.fit(x, y, { epochs: 10, callbacks: [callbacks.modelCheckpoint({ dir: './ckpt' })] });
 *     // later, after a crash:
 *     const { model, epoch, rngState } = await loadCheckpoint('./ckpt');
 *     setRngState(rngState!);
 *     await model.fit(x, y, { epochs: 10, initialEpoch: epoch, callbacks: [callbacks.modelCheckpoint({ dir: './ckpt' })] });
 */
export class ModelCheckpoint implements Callback {
  readonly dir: string;
  readonly saveBestOnly: boolean;
  readonly monitor: string;
  readonly includeOptimizer: boolean;
  readonly metadata: Record<string, unknown> | undefined;
  private readonly sign: 1 | -1;
  private readonly threshold: number | undefined;
  private model: Model | null = null;
  private best = Infinity;
  /** The epoch (counted from 0) of the last save, or -1. */
  lastSavedEpoch = -1;

  constructor(args: ModelCheckpointArgs) {
    if (!args || typeof args.dir !== 'string' || args.dir === '')
      throw new Error(`modelCheckpoint: dir must be a folder path, got ${JSON.stringify(args?.dir)}.`);
    this.dir = args.dir;
    this.saveBestOnly = args.saveBestOnly ?? false;
    this.monitor = args.monitor ?? 'val_loss';
    this.includeOptimizer = args.includeOptimizer ?? true;
    this.metadata = args.metadata;
    this.threshold = args.initialValueThreshold;
    const mode = args.mode ?? 'auto';
    if (mode !== 'auto' && mode !== 'min' && mode !== 'max')
      throw new Error(`modelCheckpoint: mode must be 'auto', 'min' or 'max', got ${JSON.stringify(mode)}.`);
    const maximise = mode === 'max' || (mode === 'auto' && /acc|auc|precision|recall|f1|r2/i.test(this.monitor));
    this.sign = maximise ? -1 : 1;
  }

  setModel(model: TrainingModel): void {
    this.model = model as unknown as Model;
  }

  onTrainBegin(): void {
    this.best = this.threshold === undefined ? Infinity : this.sign * this.threshold;
  }

  async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    if (!this.model) throw new Error('modelCheckpoint: no model; pass the callback to fit().');
    if (this.saveBestOnly) {
      const value = logs[this.monitor];
      if (value === undefined) {
        throw new Error(
          `modelCheckpoint: the monitored quantity '${this.monitor}' is not in the logs (available: ${Object.keys(logs).join(', ')}). Did you forget validationSplit or validationData?`,
        );
      }
      if (!(this.sign * value < this.best)) return;
      this.best = this.sign * value;
    }
    // NOTE: the random state now is the one the next epoch's shuffle starts from, so restoring it resumes the same stream
    await saveModel(this.model, this.dir, {
      includeOptimizer: this.includeOptimizer && this.model.compiled !== null,
      trainingState: { epoch: epoch + 1, rngState: getRngState(), logs: { ...logs } },
      metadata: this.metadata,
    });
    this.lastSavedEpoch = epoch;
  }

  /**
   * A fit that stopped inside an epoch (Ctrl-C, or a loss that became NaN) is saved with how far it got,
   * so that the batches it did are not lost; a best-only checkpoint keeps its best epoch instead.
   */
  async onTrainEnd(): Promise<void> {
    const stopped = this.model?.interruption;
    if (!stopped || this.saveBestOnly) return;
    await saveModel(this.model!, this.dir, {
      includeOptimizer: this.includeOptimizer && this.model!.compiled !== null,
      trainingState: { epoch: stopped.epoch, rngState: getRngState(), progress: stopped.progress },
      metadata: this.metadata,
    });
  }
}

/** Factory for `ModelCheckpoint` (Keras `callbacks.ModelCheckpoint`). */
export function modelCheckpoint(args: ModelCheckpointArgs): ModelCheckpoint {
  return new ModelCheckpoint(args);
}
