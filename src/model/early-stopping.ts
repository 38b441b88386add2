import type { Tensor } from '../tensor/tensor.js';
import type { Callback, Logs, TrainingModel } from './callbacks.js';

export interface EarlyStoppingArgs {
  /** The logged quantity to watch (default `'val_loss'`). */
  monitor?: string;
  /** The smallest change that counts as an improvement (default 0). */
  minDelta?: number;
  /** Epochs without improvement before stopping (default 0). */
  patience?: number;
  /** `'auto'` (default) minimises unless the name contains "acc", `'min'` or `'max'`. */
  mode?: 'auto' | 'min' | 'max';
  /** A value the monitored quantity must beat; training stops if it does not within `patience` epochs. */
  baseline?: number;
  /** Put back the weights of the best epoch when training ends (default false). */
  restoreBestWeights?: boolean;
  /** Epochs to wait before watching starts (default 0). */
  startFromEpoch?: number;
}

/**
 * Stops training when a monitored quantity stops improving, as Keras `EarlyStopping`.
 *
 *     model.fit(x, y, { validationSplit: 0.2, callbacks: [earlyStopping({ patience: 5, restoreBestWeights: true })] });
 */
export class EarlyStopping implements Callback {
  readonly monitor: string;
  readonly minDelta: number;
  readonly patience: number;
  readonly restoreBestWeights: boolean;
  readonly baseline: number | undefined;
  readonly startFromEpoch: number;
  private readonly sign: 1 | -1;
  private model: TrainingModel | null = null;
  private best = Infinity;
  private wait = 0;
  private bestWeights: Tensor[] | null = null;
  /** The epoch training stopped at (0 if it ran to the end). */
  stoppedEpoch = 0;
  /** The epoch with the best monitored value. */
  bestEpoch = 0;

  constructor(args: EarlyStoppingArgs = {}) {
    this.monitor = args.monitor ?? 'val_loss';
    this.minDelta = Math.abs(args.minDelta ?? 0);
    this.patience = args.patience ?? 0;
    this.restoreBestWeights = args.restoreBestWeights ?? false;
    this.baseline = args.baseline;
    this.startFromEpoch = args.startFromEpoch ?? 0;
    const mode = args.mode ?? 'auto';
    const maximise = mode === 'max' || (mode === 'auto' && /acc|auc|precision|recall|f1|r2/i.test(this.monitor));
    // internally always minimise sign * value
    this.sign = maximise ? -1 : 1;
  }

  setModel(model: TrainingModel): void {
    this.model = model;
  }

  onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.best = this.baseline === undefined ? Infinity : this.sign * this.baseline;
    this.bestWeights = null;
    this.bestEpoch = 0;
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    const value = logs[this.monitor];
    if (value === undefined) {
      throw new Error(
        `earlyStopping: the monitored quantity '${this.monitor}' is not in the logs (available: ${Object.keys(logs).join(', ')}). Did you forget validationSplit or validationData?`,
      );
    }
    if (epoch < this.startFromEpoch) return;
    const score = this.sign * value;
    this.wait++;
    if (score < this.best - this.minDelta) {
      this.best = score;
      this.bestEpoch = epoch;
      this.wait = 0;
      if (this.restoreBestWeights) this.bestWeights = this.model!.getWeights();
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      this.model!.stopTraining = true;
    }
  }

  onTrainEnd(): void {
    if (this.restoreBestWeights && this.bestWeights && this.model) this.model.setWeights(this.bestWeights);
  }
}

/** Factory for `EarlyStopping` (Keras / TensorFlow.js `callbacks.earlyStopping`). */
export function earlyStopping(args?: EarlyStoppingArgs): EarlyStopping {
  return new EarlyStopping(args);
}
