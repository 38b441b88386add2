// A dendrite layer as the `{class_name, config}` entry that TensorFlow.js writes for the same layer:
// snake_case keys and string values, initializers in TF.js' VarianceScaling form, and the null-valued
// keys TF.js always writes (constraints, activity regularizers), so that the file reads like one from
// `tfModel.save()`.
import { ACTIVATIONS, isCanonicalActivationName, type ActivationFunction } from '../nn/activations.js';
import { initializerForClassName } from '../nn/initializers.js';
import type { Layer, SymbolicShape } from '../nn/layer.js';
import { Wrapper } from '../nn/layers/wrapper.js';
import { toKerasConfig } from './keras-json.js';

/** Keys TF.js writes as null for features dendrite does not have. */
const NULL_KEYS: Record<string, readonly string[]> = {
  Dense: ['activityRegularizer', 'kernelConstraint', 'biasConstraint'],
  Embedding: ['activityRegularizer', 'embeddingsConstraint'],
  Conv1D: ['activityRegularizer', 'kernelConstraint', 'biasConstraint'],
  Conv2D: ['activityRegularizer', 'kernelConstraint', 'biasConstraint'],
  Conv2DTranspose: ['activityRegularizer', 'kernelConstraint', 'biasConstraint'],
  DepthwiseConv2D: ['activityRegularizer', 'depthwiseConstraint', 'biasConstraint'],
  SeparableConv2D: ['activityRegularizer', 'depthwiseConstraint', 'pointwiseConstraint', 'biasConstraint'],
  PReLU: ['alphaConstraint'],
  SimpleRNN: ['activityRegularizer', 'kernelConstraint', 'recurrentConstraint', 'biasConstraint'],
  GRU: ['activityRegularizer', 'kernelConstraint', 'recurrentConstraint', 'biasConstraint', 'implementation'],
  LSTM: ['activityRegularizer', 'kernelConstraint', 'recurrentConstraint', 'biasConstraint', 'implementation'],
  BatchNormalization: ['betaConstraint', 'gammaConstraint'],
  Dropout: ['noiseShape'],
};

/**
 * An initializer `{className, config}` as TF.js serialises it: the Glorot / He / LeCun family as
 * `VarianceScaling` (as Keras 2 and TF.js do), random ones with `seed: null`. NOTE: TF.js calls the
 * truncated normal distribution 'normal'; dendrite's 'truncatedNormal' is written that way.
 */
function initializerEntry(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || !('className' in value)) return value;
  const { className, config } = value as { className: string; config: Record<string, unknown> };
  const saved = initializerForClassName(className)?.saved;
  if (saved === 'varianceScaling') {
    const distribution = config.distribution === 'truncatedNormal' ? 'normal' : config.distribution;
    return { className: 'VarianceScaling', config: { scale: config.scale, mode: config.mode, distribution, seed: null } };
  }
  if (saved === 'seeded') return { className, config: { ...config, seed: null } };
  return { className, config };
}

/** The `{class_name, config}` entry of `layer`; `batchInputShape` is given for the first layer of a model only. */
export function layerEntry(layer: Layer, batchInputShape: SymbolicShape | null): { class_name: string; config: Record<string, unknown> } {
  return { class_name: layer.className, config: toKerasConfig(fileConfig(layer, batchInputShape)) as Record<string, unknown> };
}

/** The config of `layer` as a file holds it, still camelCase; a wrapper's layers nested as `{className, config}`. */
function fileConfig(layer: Layer, batchInputShape: SymbolicShape | null): Record<string, unknown> {
  const config: Record<string, unknown> = { ...layer.getConfig() };
  delete config.batchInputShape;
  if (layer instanceof Wrapper) {
    for (const [key, inner] of Object.entries(layer.nestedLayers))
      config[key] = { className: inner.className, config: layer.nestedConfig(key, fileConfig(inner, null)) };
  }
  for (const key of Object.keys(config)) if (key.endsWith('Initializer')) config[key] = initializerEntry(config[key]);
  // an activation no name stands for (LeakyReLU alpha 0.3) is written as its Keras layer, as Keras 3 writes it
  const activationLayer = (layer as { activation?: ActivationFunction }).activation?.layer;
  if ('activation' in config && activationLayer) config.activation = { className: activationLayer.className, config: { ...activationLayer.config } };
  // a model file holds the canonical names (written snake_case: `leakyRelu` -> `leaky_relu`)
  else if ('activation' in config && !isCanonicalActivationName(config.activation)) {
    throw new Error(
      `Layer '${layer.name}' (${layer.className}) uses the custom activation '${String(config.activation)}', which a model file cannot hold; use a named one (${Object.keys(ACTIVATIONS).join(', ')}).`,
    );
  }
  for (const key of NULL_KEYS[layer.className] ?? []) config[key] ??= null;
  if (layer.className === 'Dropout') config.seed ??= null;
  if ('keepDims' in config) {
    // TF.js has no keepDims; Keras 3 spells it `keepdims`. Written only when set, so TF.js files stay the same.
    const keep = config.keepDims;
    delete config.keepDims;
    if (keep) config.keepdims = true;
  }
  if (layer.className === 'Conv2DTranspose' && String(config.dilationRate) === '1,1') {
    // TF.js' Conv2DTranspose has no dilation (and writes none); Keras reads its absence as 1
    delete config.dilationRate;
  }
  if (layer.className === 'LayerNormalization' && layer.builtInputShape) {
    // as TF.js and Keras 2 write it once built: the list of non-negative axes
    const rank = layer.builtInputShape.length;
    const axes = typeof config.axis === 'number' ? [config.axis] : (config.axis as number[]);
    config.axis = axes.map((a) => (a < 0 ? a + rank : a)).sort((p, q) => p - q);
  }
  if (batchInputShape) {
    config.batchInputShape = [...batchInputShape];
    config.dtype = 'float32';
  }
  return config;
}
