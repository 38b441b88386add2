// PLACEHOLDER: replaced by the regularizers implementation.
import type { Tensor } from '../tensor/tensor.js';
export type RegularizerIdentifier = string | Regularizer;
export interface Regularizer {
  readonly className: string;
  apply(w: Tensor): Tensor;
  getConfig(): Record<string, unknown>;
}
export function getRegularizer(id: RegularizerIdentifier): Regularizer {
  if (typeof id !== 'string') return id;
  throw new Error('not implemented');
}
