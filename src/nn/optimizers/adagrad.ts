import type { OptimizerFormula } from '../../backend/backend.js';
import { backend } from '../../backend/registry.js';
import { checkFormula, Optimizer } from './optimizer.js';

export interface AdagradArgs {
  /** Step size (default 0.001). */
  learningRate?: number;
  /** Starting value of every accumulator (default 0.1); positive, so the first steps are not huge. */
  initialAccumulatorValue?: number;
  /** Added to the root of the accumulator for stability (default 1e-7). */
  epsilon?: number;
  /** 'keras' (default): `sqrt(a) + eps`; 'tfjs': TF.js 4.x's `sqrt(a + eps)`. */
  formula?: OptimizerFormula;
}

/**
 * Adagrad: per-weight step sizes that shrink with the sum of squared gradients seen so far:
 * `a += g^2; p -= lr g / (sqrt(a) + eps)`.
 *
 *     const opt = new Adagrad({ learningRate: 0.1 });
 */
export class Adagrad extends Optimizer {
  readonly className = 'Adagrad';
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;
  readonly formula: OptimizerFormula;
  protected readonly slotNames = ['accumulator'] as const;

  constructor(args: AdagradArgs = {}) {
    super(args.learningRate ?? 0.001);
    this.initialAccumulatorValue = args.initialAccumulatorValue ?? 0.1;
    this.epsilon = args.epsilon ?? 1e-7;
    this.formula = checkFormula('Adagrad', args.formula);
    if (!(this.initialAccumulatorValue >= 0) || !Number.isFinite(this.initialAccumulatorValue)) {
      throw new Error(`Adagrad: initialAccumulatorValue must be a non-negative number, got ${this.initialAccumulatorValue}.`);
    }
    if (!(this.epsilon >= 0) || !Number.isFinite(this.epsilon)) throw new Error(`Adagrad: epsilon must be a non-negative number, got ${this.epsilon}.`);
  }

  protected override initialSlotValue(): number {
    return this.initialAccumulatorValue;
  }

  protected update(p: Float32Array, g: Float32Array, slots: Float32Array[]): void {
    backend().adagradUpdate(p, g, slots[0], { learningRate: this.learningRate, epsilon: this.epsilon, formula: this.formula });
  }

  override getConfig(): Record<string, unknown> {
    const config = { ...super.getConfig(), initialAccumulatorValue: this.initialAccumulatorValue, epsilon: this.epsilon };
    return this.formula === 'tfjs' ? { ...config, formula: this.formula } : config;
  }
}
