// Which buffers of a training step `fit` may hand back to the buffer pool (src/tensor/buffer-pool.ts).
// Only those no user code can still hold. That is decided by the code involved: a model with a custom
// layer, activation, regularizer, loss, metric or optimizer reuses less (or nothing) and trains exactly as
// before.
import { isBuiltInActivation, type ActivationFunction } from '../nn/activations.js';
import type { Layer } from '../nn/layer.js';
import * as builtInLayers from '../nn/layers/index.js';
import { Adagrad, Adam, AdamW, RMSprop, SGD, type Optimizer } from '../nn/optimizers/index.js';
import { L1L2 } from '../nn/regularizers.js';
import { isOwnModel } from './model-classes.js';
import type { CompiledState, TrainableModel } from './trainable-model.js';

// exact classes: a user's subclass may keep what it is given
const LAYER_CLASSES = new Set<unknown>(Object.values(builtInLayers));
const OPTIMIZER_CLASSES = new Set<unknown>([SGD, Adam, AdamW, RMSprop, Adagrad]);
/**
 * Whether `test` holds for every layer of a model: the layers of nested models (dendrite's own, which run only their
 * layers' code) in place of those models, and the layers a wrapper (TimeDistributed, Bidirectional) runs after it.
 * It builds no list and stops at the first layer that fails (predict asks on every call).
 */
function everyLeafLayer(layers: readonly Layer[], test: (layer: Layer) => boolean): boolean {
  for (const layer of layers) {
    if (isOwnModel(layer)) {
      if (!everyLeafLayer((layer as unknown as { layers: Layer[] }).layers, test)) return false;
    } else if (!test(layer) || (layer instanceof builtInLayers.Wrapper && !everyLeafLayer(layer.wrappedLayers, test))) {
      return false;
    }
  }
  return true;
}

/** True when every layer is a built-in one: none keeps its input, so the batch is dead after the step. */
export function batchIsReusable(model: TrainableModel): boolean {
  return everyLeafLayer(model.layers, (layer) => LAYER_CLASSES.has(layer.constructor));
}

/** True for the built-in optimizers: they read the gradients in `applyGradients` and keep nothing. */
export function gradientsAreReusable(optimizer: Optimizer): boolean {
  return OPTIMIZER_CLASSES.has(optimizer.constructor);
}

/** A built-in layer whose activation and regularizers are built-in too: a call runs none of the user's code. */
function layerRunsOwnCodeOnly(layer: Layer): boolean {
  if (!LAYER_CLASSES.has(layer.constructor)) return false;
  if (!layer.regularizers.every((r) => r.constructor === L1L2)) return false;
  // resolved activations (and regularizers) are the properties with an `apply` method
  return Object.values(layer).every((value) => {
    if (typeof value === 'function') return false;
    // a wrapper's layers are checked as layers of their own (everyLeafLayer)
    if (value instanceof builtInLayers.Layer) return true;
    if (value === null || typeof value !== 'object' || typeof (value as { apply?: unknown }).apply !== 'function') return true;
    return value.constructor === L1L2 || isBuiltInActivation(value as ActivationFunction);
  });
}

/**
 * True when a whole training step runs only dendrite's code (layers, activations, regularizers, loss,
 * metrics, optimizer): then nothing the step allocates outlives it, and `fit` hands all of it back.
 */
export function stepRunsOwnCodeOnly(model: TrainableModel, compiled: CompiledState): boolean {
  return compiled.builtInLossAndMetrics && gradientsAreReusable(compiled.optimizer) && everyLeafLayer(model.layers, layerRunsOwnCodeOnly);
}

// A layer's verdict, found once: its class, activations and regularizers are fixed when it is constructed
// (readonly), and scanning its properties on every `predict` cost 4 us of the 0.18 ms of a batch-1 CNN predict.
const ownCodeVerdicts = new WeakMap<Layer, boolean>();

function layerRunsOwnCodeOnlyKnown(layer: Layer): boolean {
  let own = ownCodeVerdicts.get(layer);
  if (own === undefined) {
    own = layerRunsOwnCodeOnly(layer);
    ownCodeVerdicts.set(layer, own);
  }
  return own;
}

/**
 * True when an inference forward pass of the model runs only dendrite's code (built-in layers, activations and
 * regularizers): then nothing it allocates outlives it but its outputs, and `predict` hands the rest back.
 */
export function inferenceRunsOwnCodeOnly(model: TrainableModel): boolean {
  return model.built && everyLeafLayer(model.layers, layerRunsOwnCodeOnlyKnown);
}
