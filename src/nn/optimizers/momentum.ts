import { backend } from '../../backend/registry.js';
import { Optimizer } from './optimizer.js';

export interface MomentumArgs {
  /** Step size (default 0.01). */
  learningRate?: number;
  /** Decay of the accumulated gradient, in [0, 1) (default 0.9). */
  momentum?: number;
  /** Nesterov momentum: step along `g + momentum * acc` (TF.js' useNesterov). */
  nesterov?: boolean;
}

/**
 * TF.js' momentum optimizer (`tf.train.momentum`, class name 'Momentum'): the slot accumulates gradients and
 * the learning rate scales the whole step, `acc = momentum * acc + g; p -= lr * acc` (Nesterov:
 * `p -= lr * (g + momentum * acc)`).
 *
 * NOTE: at a constant learning rate this is Keras' SGD with momentum (its velocity is `-lr * acc`), up to
 * rounding; once the learning rate changes (a schedule, TF.js' setLearningRate) the two part: here the new
 * rate scales the momentum gathered so far, in Keras it applies to new gradients only.
 *
 *     const opt = new Momentum({ learningRate: 0.1, momentum: 0.9 });
 */
export class Momentum extends Optimizer {
  readonly className = 'Momentum';
  readonly momentum: number;
  readonly nesterov: boolean;
  protected readonly slotNames = ['momentum'] as const;

  constructor(args: MomentumArgs = {}) {
    super(args.learningRate ?? 0.01);
    this.momentum = args.momentum ?? 0.9;
    this.nesterov = args.nesterov ?? false;
    if (!(this.momentum >= 0 && this.momentum < 1)) throw new Error(`Momentum: momentum must be in [0, 1), got ${this.momentum}.`);
  }

  protected update(p: Float32Array, g: Float32Array, slots: Float32Array[]): void {
    backend().momentumUpdate(p, g, slots[0], { learningRate: this.learningRate, momentum: this.momentum, nesterov: this.nesterov });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), momentum: this.momentum, nesterov: this.nesterov };
  }
}
