import { backend } from '../../backend/registry.js';
import { Optimizer } from './optimizer.js';

export interface AdamArgs {
  /** Step size (default 0.001). */
  learningRate?: number;
  /** Decay of the first-moment (mean) estimate (default 0.9). */
  beta1?: number;
  /** Decay of the second-moment (uncentred variance) estimate (default 0.999). */
  beta2?: number;
  /** Added to the denominator for stability (Keras default 1e-7). */
  epsilon?: number;
}

function checkAdamArgs(name: string, beta1: number, beta2: number, epsilon: number): void {
  if (!(beta1 >= 0 && beta1 < 1)) throw new Error(`${name}: beta1 must be in [0, 1), got ${beta1}.`);
  if (!(beta2 >= 0 && beta2 < 1)) throw new Error(`${name}: beta2 must be in [0, 1), got ${beta2}.`);
  if (!(epsilon >= 0) || !Number.isFinite(epsilon)) throw new Error(`${name}: epsilon must be a non-negative number, got ${epsilon}.`);
}

/**
 * Adam (Kingma & Ba) with bias correction:
 * `m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; p -= lr * m_hat / (sqrt(v_hat) + eps)`.
 *
 *     const opt = new Adam({ learningRate: 0.01 });
 */
export class Adam extends Optimizer {
  // A getter rather than a field, so that AdamW's name is already right while Adam's constructor validates.
  get className(): string {
    return 'Adam';
  }
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  protected readonly slotNames = ['momentum', 'velocity'] as const;

  constructor(args: AdamArgs = {}) {
    super(args.learningRate ?? 0.001);
    this.beta1 = args.beta1 ?? 0.9;
    this.beta2 = args.beta2 ?? 0.999;
    this.epsilon = args.epsilon ?? 1e-7;
    checkAdamArgs(this.className, this.beta1, this.beta2, this.epsilon);
  }

  /** The factor AdamW multiplies the weights by before each step (1: none). */
  protected decay(): number {
    return 1;
  }

  protected update(p: Float32Array, g: Float32Array, slots: Float32Array[], step: number): void {
    // NOTE: m_hat = m / (1 - b1^t) and v_hat = v / (1 - b2^t) undo the bias of zero-initialised moments.
    backend().adamUpdate(p, g, slots[0], slots[1], {
      learningRate: this.learningRate,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      correction1: 1 / (1 - this.beta1 ** step),
      correction2: 1 / (1 - this.beta2 ** step),
      decay: this.decay(),
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
