// The optimizer's variables in a `.keras` file (`optimizer/vars/N`), as Keras 3 lays them out: the iteration
// count, the learning rate, then the slots of each trainable variable of the model, in the order of
// `model.trainable_variables`. Optimizers that create their slots in one call (Adam: momentum and velocity) keep
// each variable's slots together (m0, v0, m1, v1...); those that create them one kind after another (RMSprop:
// velocities, then momentums) keep each kind together (v0, v1, ..., m0, m1...). dendrite's slots are named as
// Keras names them. Browser-safe.
import type { Optimizer } from '../../nn/optimizers/optimizer.js';
import type { Variable } from '../../tensor/tensor.js';

/** Keras 3 optimizers whose `build` makes all slot kinds in one `add_optimizer_variables` call. */
const INTERLEAVED = new Set(['Adam', 'AdamW', 'Adamax', 'Adadelta']);

/** One slot of the layout: which trainable variable, which slot kind. */
export interface SlotPlace {
  variable: Variable;
  slot: string;
}

/** The slots after `iteration` and `learning_rate`, in Keras' order, for `optimizer` over `trainable`. */
export function kerasSlotOrder(optimizer: Optimizer, trainable: readonly Variable[]): SlotPlace[] {
  const out: SlotPlace[] = [];
  const slotNames = optimizer.slotKinds;
  if (INTERLEAVED.has(optimizer.className)) {
    for (const variable of trainable) for (const slot of slotNames) out.push({ variable, slot });
  } else {
    for (const slot of slotNames) for (const variable of trainable) out.push({ variable, slot });
  }
  return out;
}
