import type { Callback, Logs, TrainingModel } from './callbacks.js';

/** A model whose optimizer's learning rate a callback may change. */
interface ModelWithOptimizer extends TrainingModel {
  compiled: { optimizer: { learningRate: number } } | null;
}

/**
 * Sets the learning rate at the start of each epoch from `schedule(epoch, currentRate)` (Keras
 * `LearningRateScheduler`); with `perBatch`, `schedule(step, rate)` is called before every batch instead,
 * counting steps across epochs.
 *
 *     callbacks: [learningRateScheduler((epoch, lr) => (epoch < 2 ? lr : lr * 0.5))]
 */
export class LearningRateScheduler implements Callback {
  private model: ModelWithOptimizer | null = null;
  private step = 0;

  constructor(
    private readonly schedule: (index: number, rate: number) => number,
    private readonly perBatch = false,
  ) {}

  setModel(model: TrainingModel): void {
    this.model = model as ModelWithOptimizer;
  }

  private apply(index: number): void {
    const optimizer = this.model?.compiled?.optimizer;
    if (!optimizer) throw new Error('learningRateScheduler: the model is not compiled.');
    const rate = this.schedule(index, optimizer.learningRate);
    if (!(rate > 0) || !Number.isFinite(rate))
      throw new Error(`learningRateScheduler: the schedule returned ${rate} at ${this.perBatch ? 'step' : 'epoch'} ${index}; it must be a positive number.`);
    optimizer.learningRate = rate;
  }

  onEpochBegin(epoch: number): void {
    if (!this.perBatch) this.apply(epoch);
  }

  onBatchBegin(): void {
    if (this.perBatch) this.apply(this.step++);
  }

  onEpochEnd(_epoch: number, logs: Logs): void {
    logs.lr = this.model?.compiled?.optimizer.learningRate ?? NaN;
  }
}

/** Factory for `LearningRateScheduler`. */
export function learningRateScheduler(schedule: (index: number, rate: number) => number, options: { perBatch?: boolean } = {}): LearningRateScheduler {
  return new LearningRateScheduler(schedule, options.perBatch ?? false);
}
