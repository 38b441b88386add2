import { Adam, type AdamArgs } from './adam.js';

export interface AdamWArgs extends AdamArgs {
  /** Decoupled weight decay per unit learning rate (Keras default 0.004). */
  weightDecay?: number;
}

/**
 * Adam with decoupled weight decay (Loshchilov & Hutter): `p -= lr * weightDecay * p`, then the Adam step.
 * Unlike an L2 penalty, the decay is not rescaled by Adam's per-weight step sizes.
 *
 *     const opt = new AdamW({ learningRate: 0.001, weightDecay: 0.01 });
 */
export class AdamW extends Adam {
  override get className(): string {
    return 'AdamW';
  }
  readonly weightDecay: number;

  constructor(args: AdamWArgs = {}) {
    super(args);
    this.weightDecay = args.weightDecay ?? 0.004;
    if (!(this.weightDecay >= 0) || !Number.isFinite(this.weightDecay))
      throw new Error(`AdamW: weightDecay must be a non-negative number, got ${this.weightDecay}.`);
  }

  protected override decay(): number {
    return 1 - this.learningRate * this.weightDecay;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), weightDecay: this.weightDecay };
  }
}
