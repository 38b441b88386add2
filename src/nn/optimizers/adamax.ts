import { backend } from '../../backend/registry.js';
import { Optimizer } from './optimizer.js';

export interface AdamaxArgs {
  /** Step size (Keras default 0.001; TF.js' `tf.train.adamax` defaults to 0.002). */
  learningRate?: number;
  /** Decay of the first-moment (mean) estimate (default 0.9). */
  beta1?: number;
  /** Decay of the infinity norm of past gradients (default 0.999). */
  beta2?: number;
  /** Added to the norm for stability (default 1e-7). */
  epsilon?: number;
  /** Time decay of the learning rate, `lr / (1 + decay * (t - 1))` at step t (TF.js' and Keras 2's `decay`; default 0: none). */
  decay?: number;
}

/**
 * Adamax (Kingma & Ba, section 7.1), Adam with the infinity norm:
 * `m = b1 m + (1-b1) g; u = max(b2 u, |g|); p -= lr / (1 - b1^t) * m / (u + eps)`. Keras and TF.js agree.
 *
 *     const opt = new Adamax({ learningRate: 0.002 });
 */
export class Adamax extends Optimizer {
  readonly className = 'Adamax';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly decay: number;
  // Keras' slot names
  protected readonly slotNames = ['momentum', 'norm'] as const;

  constructor(args: AdamaxArgs = {}) {
    super(args.learningRate ?? 0.001);
    this.beta1 = args.beta1 ?? 0.9;
    this.beta2 = args.beta2 ?? 0.999;
    this.epsilon = args.epsilon ?? 1e-7;
    this.decay = args.decay ?? 0;
    if (!(this.beta1 >= 0 && this.beta1 < 1)) throw new Error(`Adamax: beta1 must be in [0, 1), got ${this.beta1}.`);
    if (!(this.beta2 >= 0 && this.beta2 < 1)) throw new Error(`Adamax: beta2 must be in [0, 1), got ${this.beta2}.`);
    if (!(this.epsilon >= 0) || !Number.isFinite(this.epsilon)) throw new Error(`Adamax: epsilon must be a non-negative number, got ${this.epsilon}.`);
    if (!(this.decay >= 0) || !Number.isFinite(this.decay)) throw new Error(`Adamax: decay must be a non-negative number, got ${this.decay}.`);
  }

  protected update(p: Float32Array, g: Float32Array, slots: Float32Array[], step: number): void {
    backend().adamaxUpdate(p, g, slots[0], slots[1], {
      learningRate: this.learningRate / (1 + this.decay * (step - 1)),
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      correction1: 1 / (1 - this.beta1 ** step),
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, decay: this.decay };
  }
}
