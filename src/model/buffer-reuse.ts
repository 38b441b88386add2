// Which buffers of a training step `fit` may hand back to the buffer pool (src/tensor/buffer-pool.ts).
// Only those no user code can still hold: that is decided by the classes involved, so a model with a custom
// layer, or a custom optimizer, trains exactly as before, on fresh memory.
import * as builtInLayers from '../nn/layers/index.js';
import { Adagrad, Adam, AdamW, RMSprop, SGD, type Optimizer } from '../nn/optimizers/index.js';
import type { Sequential } from './sequential.js';

// exact classes: a user's subclass may keep what it is given
const LAYER_CLASSES = new Set<unknown>(Object.values(builtInLayers));
const OPTIMIZER_CLASSES = new Set<unknown>([SGD, Adam, AdamW, RMSprop, Adagrad]);

/** True when every layer is a built-in one: none keeps its input, so the batch is dead after the step. */
export function batchIsReusable(model: Sequential): boolean {
  return model.layers.every((layer) => LAYER_CLASSES.has(layer.constructor));
}

/** True for the built-in optimizers: they read the gradients in `applyGradients` and keep nothing. */
export function gradientsAreReusable(optimizer: Optimizer): boolean {
  return OPTIMIZER_CLASSES.has(optimizer.constructor);
}
