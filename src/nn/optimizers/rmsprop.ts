import { Optimizer } from './optimizer.js';

export interface RMSpropArgs {
  /** Step size (default 0.001). */
  learningRate?: number;
  /** Decay of the moving average of squared gradients (default 0.9). */
  rho?: number;
  /** Momentum on the scaled step (default 0: none). */
  momentum?: number;
  /** Added to the root-mean-square for stability (default 1e-7). */
  epsilon?: number;
  /** Divide by an estimate of the gradient's variance instead of its second moment. */
  centered?: boolean;
}

/**
 * RMSprop: `a = rho a + (1-rho) g^2; p -= lr g / (sqrt(a) + eps)`. With `centered`, the denominator uses
 * `a - mean_g^2`; with `momentum`, `mom = momentum * mom + step; p -= mom`.
 *
 *     const opt = new RMSprop({ learningRate: 0.01 });
 */
export class RMSprop extends Optimizer {
  readonly className = 'RMSprop';
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;
  // Slots exist only for the features in use (Keras names): 'velocity', then 'momentum', 'average_gradient'.
  protected readonly slotNames: readonly string[];

  constructor(args: RMSpropArgs = {}) {
    super(args.learningRate ?? 0.001);
    this.rho = args.rho ?? 0.9;
    this.momentum = args.momentum ?? 0;
    this.epsilon = args.epsilon ?? 1e-7;
    this.centered = args.centered ?? false;
    if (!(this.rho >= 0 && this.rho < 1)) throw new Error(`RMSprop: rho must be in [0, 1), got ${this.rho}.`);
    if (!(this.momentum >= 0 && this.momentum < 1)) throw new Error(`RMSprop: momentum must be in [0, 1), got ${this.momentum}.`);
    if (!(this.epsilon >= 0) || !Number.isFinite(this.epsilon)) throw new Error(`RMSprop: epsilon must be a non-negative number, got ${this.epsilon}.`);
    this.slotNames = ['velocity', ...(this.momentum > 0 ? ['momentum'] : []), ...(this.centered ? ['average_gradient'] : [])];
  }

  protected update(p: Float32Array, g: Float32Array, slots: Float32Array[]): void {
    const a = slots[0];
    const mom = this.momentum > 0 ? slots[1] : null;
    const avg = this.centered ? slots[slots.length - 1] : null;
    const rho = this.rho;
    const lr = this.learningRate;
    const eps = this.epsilon;
    const m = this.momentum;
    for (let i = 0, n = p.length; i < n; i++) {
      const gi = g[i];
      const ai = rho * a[i] + (1 - rho) * gi * gi;
      a[i] = ai;
      let denom = ai;
      if (avg) {
        const mg = rho * avg[i] + (1 - rho) * gi;
        avg[i] = mg;
        // NOTE: a - mean^2 is a variance estimate; clamp the rounding error that can make it slightly negative.
        denom = Math.max(ai - mg * mg, 0);
      }
      // NOTE: eps outside the square root (the fixtures' primary form); Keras 3 and TF.js add it inside.
      const stepSize = (lr * gi) / (Math.sqrt(denom) + eps);
      if (mom) {
        const mi = m * mom[i] + stepSize;
        mom[i] = mi;
        p[i] -= mi;
      } else {
        p[i] -= stepSize;
      }
    }
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }
}
