import type { OptimizerFormula } from '../../backend/backend.js';
import { backend } from '../../backend/registry.js';
import { checkFormula, Optimizer } from './optimizer.js';

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
  /**
   * 'keras' (default): epsilon outside the root, `sqrt(a) + eps`. 'tfjs': TF.js 4.x's `sqrt(a + eps)`, and
   * centred `sqrt(a - mg^2 - eps)`, which is NaN where the variance estimate is below epsilon (as in TF.js).
   */
  formula?: OptimizerFormula;
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
  readonly formula: OptimizerFormula;
  // Slots exist only for the features in use (Keras names): 'velocity', then 'momentum', 'average_gradient'.
  protected readonly slotNames: readonly string[];

  constructor(args: RMSpropArgs = {}) {
    super(args.learningRate ?? 0.001);
    this.rho = args.rho ?? 0.9;
    this.momentum = args.momentum ?? 0;
    this.epsilon = args.epsilon ?? 1e-7;
    this.centered = args.centered ?? false;
    this.formula = checkFormula('RMSprop', args.formula);
    if (!(this.rho >= 0 && this.rho < 1)) throw new Error(`RMSprop: rho must be in [0, 1), got ${this.rho}.`);
    if (!(this.momentum >= 0 && this.momentum < 1)) throw new Error(`RMSprop: momentum must be in [0, 1), got ${this.momentum}.`);
    if (!(this.epsilon >= 0) || !Number.isFinite(this.epsilon)) throw new Error(`RMSprop: epsilon must be a non-negative number, got ${this.epsilon}.`);
    this.slotNames = ['velocity', ...(this.momentum > 0 ? ['momentum'] : []), ...(this.centered ? ['average_gradient'] : [])];
  }

  protected update(p: Float32Array, g: Float32Array, slots: Float32Array[]): void {
    const momentum = this.momentum > 0 ? slots[1] : null;
    const average = this.centered ? slots[slots.length - 1] : null;
    backend().rmspropUpdate(p, g, slots[0], momentum, average, {
      learningRate: this.learningRate,
      rho: this.rho,
      momentum: this.momentum,
      epsilon: this.epsilon,
      formula: this.formula,
    });
  }

  override getConfig(): Record<string, unknown> {
    const config = { ...super.getConfig(), rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
    return this.formula === 'tfjs' ? { ...config, formula: this.formula } : config;
  }
}
