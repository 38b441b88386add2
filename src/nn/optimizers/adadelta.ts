import type { OptimizerFormula } from '../../backend/backend.js';
import { backend } from '../../backend/registry.js';
import { checkFormula, Optimizer } from './optimizer.js';

export interface AdadeltaArgs {
  /** Scales each step (default 0.001, as in Keras and TF.js). */
  learningRate?: number;
  /** Decay of both moving averages (default 0.95). */
  rho?: number;
  /** Added inside both roots (default 1e-7). */
  epsilon?: number;
  /**
   * 'keras' (default), or 'tfjs': TF.js 4.x divides by the root of the squared-gradient average from before
   * the current gradient, so its first step is `lr * g` where Keras' is about `lr * sqrt(eps / (1 - rho))`.
   */
  formula?: OptimizerFormula;
}

/**
 * Adadelta (Zeiler): steps scaled by the ratio of two moving roots, of past updates and of past gradients:
 * `ag = rho ag + (1-rho) g^2; d = g sqrt(ad + eps) / sqrt(ag + eps); ad = rho ad + (1-rho) d^2; p -= lr d`.
 *
 *     const opt = new Adadelta({ learningRate: 1 });
 */
export class Adadelta extends Optimizer {
  readonly className = 'Adadelta';
  readonly rho: number;
  readonly epsilon: number;
  readonly formula: OptimizerFormula;
  // Keras' slot names
  protected readonly slotNames = ['accumulated_grad', 'accumulated_delta_var'] as const;

  constructor(args: AdadeltaArgs = {}) {
    super(args.learningRate ?? 0.001);
    this.rho = args.rho ?? 0.95;
    this.epsilon = args.epsilon ?? 1e-7;
    this.formula = checkFormula('Adadelta', args.formula);
    if (!(this.rho >= 0 && this.rho < 1)) throw new Error(`Adadelta: rho must be in [0, 1), got ${this.rho}.`);
    if (!(this.epsilon > 0) || !Number.isFinite(this.epsilon)) throw new Error(`Adadelta: epsilon must be a positive number, got ${this.epsilon}.`);
  }

  protected update(p: Float32Array, g: Float32Array, slots: Float32Array[]): void {
    backend().adadeltaUpdate(p, g, slots[0], slots[1], { learningRate: this.learningRate, rho: this.rho, epsilon: this.epsilon, formula: this.formula });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rho: this.rho, epsilon: this.epsilon, ...(this.formula === 'tfjs' ? { formula: this.formula } : {}) };
  }
}
