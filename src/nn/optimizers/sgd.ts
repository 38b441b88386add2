import { backend } from '../../backend/registry.js';
import { Optimizer } from './optimizer.js';

export interface SGDArgs {
  /** Step size (Keras default 0.01). */
  learningRate?: number;
  /** Velocity decay in [0, 1); 0 is plain gradient descent. */
  momentum?: number;
  /** Nesterov momentum: step along the updated velocity's look-ahead. */
  nesterov?: boolean;
}

/**
 * Stochastic gradient descent, optionally with (Nesterov) momentum, in Keras' form:
 * `v = momentum * v - lr * g; p += v` (Nesterov: `p += momentum * v - lr * g`).
 *
 *     const opt = new SGD({ learningRate: 0.1, momentum: 0.9 });
 */
export class SGD extends Optimizer {
  readonly className = 'SGD';
  readonly momentum: number;
  readonly nesterov: boolean;
  // Plain SGD keeps no state, so no memory is spent on a velocity it would never use.
  protected readonly slotNames: readonly string[];

  constructor(args: SGDArgs = {}) {
    super(args.learningRate ?? 0.01);
    this.momentum = args.momentum ?? 0;
    this.nesterov = args.nesterov ?? false;
    if (!(this.momentum >= 0 && this.momentum < 1)) throw new Error(`SGD: momentum must be in [0, 1), got ${this.momentum}.`);
    this.slotNames = this.momentum > 0 ? ['momentum'] : [];
  }

  protected update(p: Float32Array, g: Float32Array, slots: Float32Array[]): void {
    backend().sgdUpdate(p, g, this.momentum === 0 ? null : slots[0], { learningRate: this.learningRate, momentum: this.momentum, nesterov: this.nesterov });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), momentum: this.momentum, nesterov: this.nesterov };
  }
}
