import type { Tensor } from '../tensor/tensor.js';

/** Metric values by name, e.g. `{ loss: 0.31, accuracy: 0.9, val_loss: 0.35 }` (Keras names). */
export type Logs = Record<string, number>;

/** What a callback may read and change on the model being trained. */
export interface TrainingModel {
  /** Set to true to end `fit`: after the current epoch from `onEpochEnd`, after the current batch from a batch hook. */
  stopTraining: boolean;
  getWeights(): Tensor[];
  setWeights(weights: readonly Tensor[]): void;
}

/**
 * Hooks into `fit`; every method is optional and may be async. Epochs and batches count from 0.
 *
 *     model.fit(x, y, { callbacks: [{ onEpochEnd: (epoch, logs) => console.log(epoch, logs.loss) }] });
 */
export interface Callback {
  setModel?(model: TrainingModel): void;
  onTrainBegin?(logs: Logs): void | Promise<void>;
  onTrainEnd?(logs: Logs): void | Promise<void>;
  onEpochBegin?(epoch: number, logs: Logs): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: Logs): void | Promise<void>;
  onBatchBegin?(batch: number, logs: Logs): void | Promise<void>;
  onBatchEnd?(batch: number, logs: Logs): void | Promise<void>;
}

/** Calls a hook on every callback in order, awaiting each. */
export async function dispatch<K extends keyof Callback>(
  callbacks: readonly Callback[],
  hook: K,
  ...args: Parameters<NonNullable<Callback[K]>>
): Promise<void> {
  for (const cb of callbacks) {
    const fn = cb[hook] as ((...a: unknown[]) => unknown) | undefined;
    if (fn) await fn.apply(cb, args);
  }
}
