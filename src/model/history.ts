import type { Logs } from './callbacks.js';

/**
 * What `fit` returns: the logged values of every epoch.
 *
 *     const h = await model.fit(x, y, { epochs: 10 });
 *     h.history.loss;  // one number per epoch
 */
export class History {
  /** Epoch numbers (from 0). */
  readonly epoch: number[] = [];
  /** Each logged quantity's value per epoch, e.g. `history.loss`, `history.val_accuracy`. */
  readonly history: Record<string, number[]> = {};

  record(epoch: number, logs: Logs): void {
    this.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) {
      this.history[k] ??= [];
      this.history[k].push(v);
    }
  }
}
