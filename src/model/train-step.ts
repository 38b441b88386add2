// One training step on one batch: the forward pass, the loss (each output's, weighted, plus the layers'
// regularisation penalties), the gradients and the optimizer's update, then the metrics.
import { gradients } from '../autograd/backward.js';
import { noGrad } from '../autograd/mode.js';
import { add, mul } from '../ops/binary.js';
import { recycle } from '../tensor/buffer-pool.js';
import type { Tensor, Variable } from '../tensor/tensor.js';
import type { Logs } from './callbacks.js';
import type { CompiledState, TrainableModel } from './trainable-model.js';

/** A batch's loss: the total training minimises, and each output's own loss (unweighted, as Keras logs it) when there are several. */
export interface BatchLoss {
  total: Tensor;
  perOutput: Tensor[] | null;
}

/** The loss of one batch (one target and one prediction per output) plus the layers' regularisation penalties. */
export function batchLoss(model: TrainableModel, compiled: CompiledState, yTrue: readonly Tensor[], yPred: readonly Tensor[]): BatchLoss {
  const outputs = compiled.outputs;
  let total: Tensor;
  let perOutput: Tensor[] | null = null;
  if (outputs.length === 1 && outputs[0].weight === 1) {
    // one output: exactly the loss, as always (no multiplication by a weight of 1)
    total = outputs[0].loss(yTrue[0], yPred[0]);
  } else {
    perOutput = outputs.map((o, i) => o.loss(yTrue[i], yPred[i]));
    const weighted = perOutput.map((l, i) => (outputs[i].weight === 1 ? l : mul(l, outputs[i].weight)));
    total = weighted.slice(1).reduce((sum, l) => add(sum, l), weighted[0]);
    if (outputs.length === 1) perOutput = null;
  }
  for (const layer of model.layers) if (layer.hasRegularization) total = add(total, layer.regularizationLoss());
  return { total, perOutput };
}

/** The loss logs of a batch: `loss`, then each output's loss when there are several (`dense_2_loss`). */
export function lossLogs(compiled: CompiledState, loss: BatchLoss): Logs {
  const logs: Logs = { loss: loss.total.item() };
  if (loss.perOutput) for (const [i, o] of compiled.outputs.entries()) logs[`${o.outputName}_loss`] = loss.perOutput[i].item();
  return logs;
}

/** Adds the metrics of a batch to its logs, each output's with its log key. */
export function addMetricLogs(logs: Logs, compiled: CompiledState, yTrue: readonly Tensor[], yPred: readonly Tensor[]): void {
  noGrad(() => {
    compiled.outputs.forEach((o, i) => {
      for (const m of o.metrics) logs[m.name] = m.fn(yTrue[i], yPred[i]).item();
    });
  });
}

/**
 * One gradient step on a batch (one tensor per input, one target per output); returns its logs. A non-finite
 * loss (`logs.loss`) stops it before the gradients, so the weights stay as they were. With `reuseGradients`
 * the gradients go back to the buffer pool once the optimizer has read them.
 */
export function trainOnBatch(
  model: TrainableModel,
  compiled: CompiledState,
  variables: readonly Variable[],
  xb: readonly Tensor[],
  yb: readonly Tensor[],
  reuseGradients: boolean,
): Logs {
  const yPred = model.forward(xb, { training: true });
  // Keras reports the loss including regularisation penalties
  const loss = batchLoss(model, compiled, yb, yPred);
  const logs = lossLogs(compiled, loss);
  if (!Number.isFinite(logs.loss)) return logs;
  const grads = gradients(loss.total, variables);
  compiled.optimizer.applyGradients(grads.map((g, i) => [g, variables[i]] as const));
  if (reuseGradients) for (const g of grads) recycle(g.values);
  addMetricLogs(logs, compiled, yb, yPred);
  return logs;
}
