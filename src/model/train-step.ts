// One training step on one batch: the forward pass, the loss (with the layers' regularisation penalties), the
// gradients and the optimizer's update, then the metrics.
import { gradients } from '../autograd/backward.js';
import { noGrad } from '../autograd/mode.js';
import type { Loss } from '../nn/losses.js';
import { add } from '../ops/binary.js';
import { recycle } from '../tensor/buffer-pool.js';
import type { Tensor, Variable } from '../tensor/tensor.js';
import type { Logs } from './callbacks.js';
import type { CompiledState, TrainableModel } from './trainable-model.js';

/** The loss of one batch plus the layers' regularisation penalties. */
export function batchLoss(model: TrainableModel, loss: Loss, yTrue: Tensor, yPred: Tensor): Tensor {
  let total = loss(yTrue, yPred);
  for (const layer of model.layers) if (layer.hasRegularization) total = add(total, layer.regularizationLoss());
  return total;
}

/**
 * One gradient step on a batch; returns its logs. A non-finite loss (`logs.loss`) stops it before the
 * gradients, so the weights stay as they were. With `reuseGradients` the gradients go back to the buffer pool
 * once the optimizer has read them.
 */
export function trainOnBatch(
  model: TrainableModel,
  compiled: CompiledState,
  variables: readonly Variable[],
  xb: Tensor,
  yb: Tensor,
  reuseGradients: boolean,
): Logs {
  const yPred = model.apply(xb, { training: true });
  // Keras reports the loss including regularisation penalties
  const total = batchLoss(model, compiled.loss, yb, yPred);
  const logs: Logs = { loss: total.item() };
  if (!Number.isFinite(logs.loss)) return logs;
  const grads = gradients(total, variables);
  compiled.optimizer.applyGradients(grads.map((g, i) => [g, variables[i]] as const));
  if (reuseGradients) for (const g of grads) recycle(g.values);
  noGrad(() => {
    for (const m of compiled.metrics) logs[m.name] = m.fn(yb, yPred).item();
  });
  return logs;
}
