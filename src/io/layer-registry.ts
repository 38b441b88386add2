// Keras class names -> dendrite layers. Each entry reads the camelCase config (keys and string values
// converted as TF.js does) of a Keras / TF.js model file and calls the layer's factory with dendrite's
// argument names and value spellings. Features dendrite lacks (constraints, channels_first...) are refused
// with a message rather than silently dropped.
import { getActivation, type ActivationIdentifier } from '../nn/activations.js';
import { getInitializer, initializers, VarianceScaling, type FanMode, type Initializer, type VarianceScalingDistribution } from '../nn/initializers.js';
import type { Layer, LayerArgs, SymbolicShape } from '../nn/layer.js';
import { didYouMean } from '../nn/suggest.js';
import * as layers from '../nn/layers/index.js';
import { L1L2, type Regularizer } from '../nn/regularizers.js';

type Config = Record<string, unknown>;

/** Thrown for a config dendrite cannot build; the loader adds the file and layer. */
export class LayerConfigError extends Error {}

function fail(message: string): never {
  throw new LayerConfigError(message);
}

function isObject(v: unknown): v is Config {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `name`, `trainable` and the input shape: Keras 2 / TF.js `batchInputShape`, Keras 3 `batchShape`, or `inputShape`. */
function common(c: Config): LayerArgs {
  const args: LayerArgs = {};
  if (typeof c.name === 'string') args.name = c.name;
  if (typeof c.trainable === 'boolean') args.trainable = c.trainable;
  const shape = c.batchInputShape ?? c.batchShape;
  if (Array.isArray(shape)) args.batchInputShape = shape.map((d) => (d === null ? null : Number(d))) as SymbolicShape;
  else if (Array.isArray(c.inputShape)) args.batchInputShape = [null, ...c.inputShape.map(Number)];
  return args;
}

/** `table[key]` for a name read from a file: only the table's own entries (a class named 'constructor' finds nothing). */
function lookup<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

function refuse(c: Config, keys: readonly string[]): void {
  for (const key of keys) {
    const v = c[key];
    if (v !== undefined && v !== null) fail(`${key} ${JSON.stringify(v)} is not supported by dendrite`);
  }
}

function channelsLast(c: Config): void {
  if (c.dataFormat !== undefined && c.dataFormat !== null && c.dataFormat !== 'channelsLast') {
    fail(`data_format '${String(c.dataFormat)}' is not supported; dendrite's images are channels_last (NHWC)`);
  }
}

const ACTIVATIONS: Record<string, ActivationIdentifier> = {
  linear: 'linear', relu: 'relu', leakyRelu: 'leakyRelu', elu: 'elu', sigmoid: 'sigmoid', tanh: 'tanh',
  softmax: 'softmax', softplus: 'softplus', gelu: 'gelu', swish: 'swish', silu: 'swish',
};

function activation(c: Config): ActivationIdentifier {
  const a = c.activation ?? 'linear';
  // Keras 3 may store an activation as an object; its name is what matters
  const name = isObject(a) ? String(a.className ?? (isObject(a.config) ? a.config.name : '')) : String(a);
  const found = lookup(ACTIVATIONS, name);
  if (!found) fail(`activation '${name}' is not supported (supported: ${Object.keys(ACTIVATIONS).join(', ')})`);
  getActivation(found);
  return found;
}

const FAN_MODES: Record<string, FanMode> = { fanIn: 'fanIn', fanOut: 'fanOut', fanAvg: 'fanAvg' };
// NOTE: TF.js writes 'normal' for its truncated normal; Keras 2 treats 'normal' as 'truncated_normal' too
const DISTRIBUTIONS: Record<string, VarianceScalingDistribution> = { normal: 'truncatedNormal', truncatedNormal: 'truncatedNormal', untruncatedNormal: 'untruncatedNormal', uniform: 'uniform' };

/** The named initializers that are VarianceScaling with fixed arguments, to give loaded ones their names back. */
const NAMED_SCALING: readonly (() => Initializer)[] = [initializers.glorotUniform, initializers.glorotNormal, initializers.heNormal, initializers.heUniform, initializers.lecunNormal, initializers.lecunUniform];

function initializer(c: Config, key: string, fallback: string): Initializer {
  const v = c[key];
  if (v === undefined || v === null) return getInitializer(fallback as never);
  if (typeof v === 'string') return getInitializer(v as never);
  if (!isObject(v) || typeof v.className !== 'string') fail(`${key} must be an initializer {class_name, config}, got ${JSON.stringify(v)}`);
  const cfg = isObject(v.config) ? v.config : {};
  const num = (k: string, d: number) => (typeof cfg[k] === 'number' ? (cfg[k] as number) : d);
  switch (v.className) {
    case 'Zeros':
      return initializers.zeros();
    case 'Ones':
      return initializers.ones();
    case 'Constant':
      return initializers.constant({ value: num('value', 0) });
    case 'RandomNormal':
      return initializers.randomNormal({ mean: num('mean', 0), stddev: num('stddev', 0.05) });
    case 'RandomUniform':
      return initializers.randomUniform({ minval: num('minval', -0.05), maxval: num('maxval', 0.05) });
    case 'TruncatedNormal':
      return initializers.truncatedNormal({ mean: num('mean', 0), stddev: num('stddev', 0.05) });
    case 'VarianceScaling': {
      const mode = lookup(FAN_MODES, String(cfg.mode ?? 'fanIn'));
      const distribution = lookup(DISTRIBUTIONS, String(cfg.distribution ?? 'truncatedNormal'));
      if (!mode) fail(`${key}: VarianceScaling mode '${String(cfg.mode)}' is not one of fan_in, fan_out, fan_avg`);
      if (!distribution) fail(`${key}: VarianceScaling distribution '${String(cfg.distribution)}' is not one of normal, truncated_normal, untruncated_normal, uniform`);
      const scale = num('scale', 1);
      const named = NAMED_SCALING.map((f) => f() as VarianceScaling).find((n) => n.scale === scale && n.mode === mode && n.distribution === distribution);
      return named ?? initializers.varianceScaling({ scale, mode, distribution });
    }
    default:
      try {
        // Keras 3 names the Glorot / He / LeCun initializers by class: GlorotUniform, HeNormal, LeCunNormal...
        return getInitializer(v.className as never);
      } catch {
        return fail(`${key}: initializer '${v.className}' is not supported (supported: Zeros, Ones, Constant, RandomNormal, RandomUniform, TruncatedNormal, VarianceScaling, GlorotUniform, GlorotNormal, HeNormal, HeUniform, LecunNormal, LecunUniform)`);
      }
  }
}

function regularizer(c: Config, key: string): Regularizer | undefined {
  const v = c[key];
  if (v === undefined || v === null) return undefined;
  if (!isObject(v) || typeof v.className !== 'string') fail(`${key} must be a regularizer {class_name, config}, got ${JSON.stringify(v)}`);
  const cfg = isObject(v.config) ? v.config : {};
  const l1 = typeof cfg.l1 === 'number' ? cfg.l1 : 0;
  const l2 = typeof cfg.l2 === 'number' ? cfg.l2 : 0;
  if (v.className === 'L1L2' || v.className === 'L1' || v.className === 'L2') return new L1L2({ l1, l2 });
  return fail(`${key}: regularizer '${v.className}' is not supported (supported: L1L2, L1, L2)`);
}

type Pair = [number, number];

function pair(v: unknown, fallback: number | Pair): number | Pair {
  if (v === undefined || v === null) return fallback;
  if (typeof v === 'number') return v;
  if (Array.isArray(v) && v.length === 2) return [Number(v[0]), Number(v[1])];
  return fail(`expected a number or a pair [height, width], got ${JSON.stringify(v)}`);
}

function padding(c: Config): 'valid' | 'same' {
  const p = c.padding ?? 'valid';
  if (p !== 'valid' && p !== 'same') fail(`padding '${String(p)}' is not supported (valid or same)`);
  return p;
}

function convCommon(c: Config) {
  channelsLast(c);
  refuse(c, ['activityRegularizer', 'kernelConstraint', 'biasConstraint', 'depthwiseConstraint', 'outputPadding']);
  if (c.groups !== undefined && c.groups !== null && c.groups !== 1) fail(`groups ${JSON.stringify(c.groups)} is not supported`);
  return {
    ...common(c),
    kernelSize: pair(c.kernelSize, NaN),
    strides: pair(c.strides, 1),
    padding: padding(c),
    dilationRate: pair(c.dilationRate, 1),
    activation: activation(c),
    useBias: c.useBias === undefined ? true : Boolean(c.useBias),
    biasInitializer: initializer(c, 'biasInitializer', 'zeros'),
    biasRegularizer: regularizer(c, 'biasRegularizer'),
  };
}

function pooling(c: Config) {
  channelsLast(c);
  const poolSize = pair(c.poolSize, 2);
  return { ...common(c), poolSize, strides: pair(c.strides, poolSize), padding: padding(c) };
}

function norm(c: Config) {
  return {
    ...common(c),
    epsilon: typeof c.epsilon === 'number' ? c.epsilon : undefined,
    center: c.center === undefined ? undefined : Boolean(c.center),
    scale: c.scale === undefined ? undefined : Boolean(c.scale),
    betaInitializer: initializer(c, 'betaInitializer', 'zeros'),
    gammaInitializer: initializer(c, 'gammaInitializer', 'ones'),
    betaRegularizer: regularizer(c, 'betaRegularizer'),
    gammaRegularizer: regularizer(c, 'gammaRegularizer'),
  };
}

function keepDims(c: Config): boolean {
  return Boolean(c.keepdims ?? c.keepDims ?? false);
}

/** Keras class name -> the dendrite layer built from its (camelCase) config. */
const REGISTRY: Record<string, (c: Config) => Layer> = {
  InputLayer: (c) => {
    const args = common(c);
    if (!args.batchInputShape) fail('an InputLayer needs batch_input_shape (or batch_shape)');
    const [batch, ...shape] = args.batchInputShape;
    if (shape.some((d) => d === null)) fail(`dendrite needs every non-batch input size, got ${JSON.stringify(args.batchInputShape)}`);
    return layers.input({ shape: shape as number[], batchSize: batch ?? undefined, name: args.name });
  },
  Dense: (c) => {
    refuse(c, ['activityRegularizer', 'kernelConstraint', 'biasConstraint']);
    return layers.dense({
      ...common(c),
      units: Number(c.units),
      activation: activation(c),
      useBias: c.useBias === undefined ? true : Boolean(c.useBias),
      kernelInitializer: initializer(c, 'kernelInitializer', 'glorotUniform'),
      biasInitializer: initializer(c, 'biasInitializer', 'zeros'),
      kernelRegularizer: regularizer(c, 'kernelRegularizer'),
      biasRegularizer: regularizer(c, 'biasRegularizer'),
    });
  },
  Activation: (c) => layers.activation({ ...common(c), activation: activation(c) }),
  Dropout: (c) => {
    refuse(c, ['noiseShape']);
    return layers.dropout({ ...common(c), rate: Number(c.rate), ...(typeof c.seed === 'number' ? { seed: c.seed } : {}) });
  },
  Flatten: (c) => {
    channelsLast(c);
    return layers.flatten(common(c));
  },
  Reshape: (c) => layers.reshape({ ...common(c), targetShape: (c.targetShape as number[]) ?? fail('target_shape is missing') }),
  Conv2D: (c) => layers.conv2d({
    ...convCommon(c),
    filters: Number(c.filters),
    kernelInitializer: initializer(c, 'kernelInitializer', 'glorotUniform'),
    kernelRegularizer: regularizer(c, 'kernelRegularizer'),
  } as layers.Conv2DArgs),
  Conv2DTranspose: (c) => layers.conv2dTranspose({
    ...convCommon(c),
    filters: Number(c.filters),
    kernelInitializer: initializer(c, 'kernelInitializer', 'glorotUniform'),
    kernelRegularizer: regularizer(c, 'kernelRegularizer'),
  } as layers.Conv2DTransposeArgs),
  DepthwiseConv2D: (c) => layers.depthwiseConv2d({
    ...convCommon(c),
    depthMultiplier: c.depthMultiplier === undefined ? 1 : Number(c.depthMultiplier),
    depthwiseInitializer: initializer(c, 'depthwiseInitializer', 'glorotUniform'),
    depthwiseRegularizer: regularizer(c, 'depthwiseRegularizer'),
  } as layers.DepthwiseConv2DArgs),
  MaxPooling2D: (c) => layers.maxPooling2d(pooling(c) as layers.Pooling2DArgs),
  AveragePooling2D: (c) => layers.averagePooling2d(pooling(c) as layers.Pooling2DArgs),
  GlobalAveragePooling2D: (c) => {
    channelsLast(c);
    return layers.globalAveragePooling2d({ ...common(c), keepDims: keepDims(c) });
  },
  GlobalMaxPooling2D: (c) => {
    channelsLast(c);
    return layers.globalMaxPooling2d({ ...common(c), keepDims: keepDims(c) });
  },
  BatchNormalization: (c) => {
    refuse(c, ['betaConstraint', 'gammaConstraint']);
    if (c.renorm === true) fail('renorm is not supported');
    const axis = Array.isArray(c.axis) ? (c.axis.length === 1 ? Number(c.axis[0]) : fail(`axis ${JSON.stringify(c.axis)}: dendrite normalises one axis`)) : c.axis;
    return layers.batchNormalization({
      ...norm(c),
      axis: axis === undefined || axis === null ? undefined : Number(axis),
      momentum: typeof c.momentum === 'number' ? c.momentum : undefined,
      movingMeanInitializer: initializer(c, 'movingMeanInitializer', 'zeros'),
      movingVarianceInitializer: initializer(c, 'movingVarianceInitializer', 'ones'),
    });
  },
  LayerNormalization: (c) => {
    refuse(c, ['betaConstraint', 'gammaConstraint']);
    if (c.rmsScaling === true) fail('rms_scaling is not supported');
    const axis = c.axis === undefined || c.axis === null ? undefined : Array.isArray(c.axis) ? c.axis.map(Number) : Number(c.axis);
    return layers.layerNormalization({ ...norm(c), axis });
  },
  UpSampling2D: (c) => {
    channelsLast(c);
    const interpolation = c.interpolation ?? 'nearest';
    if (interpolation !== 'nearest' && interpolation !== 'bilinear') fail(`interpolation '${String(interpolation)}' is not supported (nearest or bilinear)`);
    return layers.upSampling2d({ ...common(c), size: pair(c.size, 2), interpolation });
  },
  ZeroPadding2D: (c) => {
    channelsLast(c);
    return layers.zeroPadding2d({ ...common(c), padding: (c.padding ?? 1) as layers.ZeroPadding2DArgs['padding'] });
  },
};

/** The Keras class names dendrite can load, in a stable order for messages. */
export const SUPPORTED_LAYERS: readonly string[] = Object.keys(REGISTRY);

/** Builds the dendrite layer for one `{class_name, config}` entry whose config is already camelCase. */
export function layerFromConfig(className: string, config: Config): Layer {
  const make = lookup(REGISTRY, className);
  if (!make) {
    const hint = didYouMean(className, SUPPORTED_LAYERS);
    throw new LayerConfigError(`unknown layer class '${className}'${hint ? ` (${hint})` : ''}; dendrite can load ${SUPPORTED_LAYERS.join(', ')}`);
  }
  return make(config);
}
