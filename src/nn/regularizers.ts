import { abs } from '../ops/unary.js';
import { add, mul, square } from '../ops/binary.js';
import { sum } from '../ops/reduce.js';
import { scalar } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import { unknownNameMessage } from './suggest.js';

/** A weight penalty added to the training loss. */
export interface Regularizer {
  /** The Keras / TF.js class name, e.g. `'L1L2'` (model files store it). */
  readonly className: string;
  /** The penalty for weight `w`: a scalar tensor, recorded on the tape so it adds to the gradients. */
  apply(w: Tensor): Tensor;
  /** The constructor arguments (Keras names). */
  getConfig(): Record<string, unknown>;
}

/** A regularizer by name (default strengths 0.01) or as an object (`regularizers.l2({ l2: 1e-4 })`). */
export type RegularizerIdentifier = 'l1' | 'l2' | 'l1l2' | Regularizer;

function checkStrength(name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new Error(`Regularizer strength ${name} must be a finite number >= 0, got ${String(value)}.`);
  }
}

/**
 * `l1 * sum(|w|) + l2 * sum(w^2)`, as Keras and TF.js (no 1/2 on the L2 term, so weight decay per step is
 * `2 * l2 * lr * w`). One class for all three factories, like TF.js, so model files name it `L1L2`.
 */
export class L1L2 implements Regularizer {
  readonly className = 'L1L2';
  readonly l1: number;
  readonly l2: number;

  constructor({ l1 = 0, l2 = 0 }: { l1?: number; l2?: number } = {}) {
    checkStrength('l1', l1);
    checkStrength('l2', l2);
    this.l1 = l1;
    this.l2 = l2;
  }

  apply(w: Tensor): Tensor {
    let penalty: Tensor = scalar(0);
    // terms with strength 0 are skipped rather than multiplied by 0, which saves the work on big kernels
    if (this.l1 > 0) penalty = add(penalty, mul(sum(abs(w)), this.l1));
    if (this.l2 > 0) penalty = add(penalty, mul(sum(square(w)), this.l2));
    return penalty;
  }

  getConfig(): Record<string, unknown> {
    return { l1: this.l1, l2: this.l2 };
  }
}

/**
 * L1 penalty `l1 * sum(|w|)` (default 0.01); pushes weights to exactly zero.
 *
 *     layers.dense({ units: 8, kernelRegularizer: l1({ l1: 1e-3 }) });
 */
export function l1({ l1 = 0.01 }: { l1?: number } = {}): Regularizer {
  return new L1L2({ l1 });
}

/**
 * L2 penalty `l2 * sum(w^2)` (default 0.01).
 *
 *     layers.dense({ units: 8, kernelRegularizer: l2({ l2: 1e-4 }) });
 */
export function l2({ l2 = 0.01 }: { l2?: number } = {}): Regularizer {
  return new L1L2({ l2 });
}

/**
 * Both penalties, `l1 * sum(|w|) + l2 * sum(w^2)` (defaults 0.01 each, as TF.js `l1l2`).
 *
 *     layers.dense({ units: 8, kernelRegularizer: l1l2({ l1: 1e-5, l2: 1e-4 }) });
 */
export function l1l2({ l1 = 0.01, l2 = 0.01 }: { l1?: number; l2?: number } = {}): Regularizer {
  return new L1L2({ l1, l2 });
}

/** The regularizer factories, as `tf.regularizers`. */
export const regularizers = { l1, l2, l1l2 } as const;

const BY_NAME = { l1, l2, l1l2, l1_l2: l1l2 } as const;

/**
 * The regularizer for a name (strengths 0.01) or object; Keras' `'l1_l2'` is accepted too.
 *
 *     getRegularizer('l2').apply(kernel);  // 0.01 * sum(kernel^2)
 */
export function getRegularizer(id: RegularizerIdentifier): Regularizer {
  if (typeof id === 'object' && id !== null && typeof id.apply === 'function') return id;
  if (typeof id !== 'string') throw new Error(`A regularizer must be 'l1', 'l2', 'l1l2' or a Regularizer object, got ${String(id)}.`);
  if (Object.hasOwn(BY_NAME, id)) return BY_NAME[id as keyof typeof BY_NAME]();
  throw new Error(unknownNameMessage('regularizer', id, ['l1', 'l2', 'l1l2']));
}

/** The `{ className, config }` form of a regularizer that model files store. */
export function serializeRegularizer(regularizer: Regularizer): { className: string; config: Record<string, unknown> } {
  return { className: regularizer.className, config: regularizer.getConfig() };
}
