// Reading a layer's Keras config (camelCase keys and string values, as TF.js reads a model file) back into the
// layer's arguments: the helpers each layer's `static fromConfig` shares. Features dendrite lacks (constraints,
// channels_first...) are refused with a message rather than silently dropped.
import { ACTIVATION_ALIASES, ACTIVATIONS, activationFromLayer, getActivation, type ActivationIdentifier } from '../activations.js';
import {
  getInitializer,
  INITIALIZER_CLASS_NAMES,
  INITIALIZERS,
  initializerForClassName,
  type VarianceScaling,
  type FanMode,
  type Initializer,
  type VarianceScalingDistribution,
} from '../initializers.js';
import type { Layer, LayerArgs, SymbolicShape } from '../layer.js';
import { L1L2, type Regularizer } from '../regularizers.js';

/** A layer's config as read from a model file: camelCase keys, values not yet checked. */
export type LayerConfig = Readonly<Record<string, unknown>>;

/**
 * Builds the layer of a nested `{className, config}` entry (camelCase), as a wrapper's config holds its layer
 * (`TimeDistributed`, `Bidirectional`): the model loader's own (io/layer-registry.ts) passes it to `fromConfig`.
 */
export type LayerDeserializer = (entry: unknown) => Layer;

/** Thrown for a config dendrite cannot build; the loader adds the file and layer. */
export class LayerConfigError extends Error {}

export function fail(message: string): never {
  throw new LayerConfigError(message);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `table[key]` for a name read from a file: only the table's own entries (a name such as 'constructor' finds nothing). */
function lookup<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** `name`, `trainable` and the input shape: Keras 2 / TF.js `batchInputShape`, Keras 3 `batchShape`, or `inputShape`. */
export function layerArgs(c: LayerConfig): LayerArgs {
  const args: LayerArgs = {};
  if (typeof c.name === 'string') args.name = c.name;
  if (typeof c.trainable === 'boolean') args.trainable = c.trainable;
  const shape = c.batchInputShape ?? c.batchShape;
  if (Array.isArray(shape)) args.batchInputShape = shape.map((d) => (d === null ? null : Number(d))) as SymbolicShape;
  else if (Array.isArray(c.inputShape)) args.batchInputShape = [null, ...c.inputShape.map(Number)];
  return args;
}

/** Refuses each of `keys` that is set (not undefined or null): a feature dendrite does not have. */
export function refuse(c: LayerConfig, keys: readonly string[]): void {
  for (const key of keys) {
    const v = c[key];
    if (v !== undefined && v !== null) fail(`${key} ${JSON.stringify(v)} is not supported by dendrite`);
  }
}

/** Refuses a data format other than channels_last. */
export function channelsLast(c: LayerConfig): void {
  if (c.dataFormat !== undefined && c.dataFormat !== null && c.dataFormat !== 'channelsLast') {
    fail(`data_format '${String(c.dataFormat)}' is not supported; dendrite's images are channels_last (NHWC)`);
  }
}

/**
 * The names a file's `activation` may hold: the canonical ones and the Keras aliases that reading leaves as
 * they are (`silu`); a snake_case alias arrives camelCased (`leaky_relu` as `leakyRelu`).
 */
const FILE_ACTIVATIONS: readonly string[] = [...Object.keys(ACTIVATIONS), ...Object.keys(ACTIVATION_ALIASES).filter((alias) => !alias.includes('_'))];

/** A named activation of a file, checked. */
function namedActivation(name: string): ActivationIdentifier {
  if (!FILE_ACTIVATIONS.includes(name)) fail(`activation '${name}' is not supported (supported: ${FILE_ACTIVATIONS.join(', ')})`);
  getActivation(name as ActivationIdentifier);
  return name as ActivationIdentifier;
}

/** The number under `key` (`fallback` when absent or null); `where` prefixes the error (`'activation ReLU: '`). */
export function numberArg(c: LayerConfig, key: string, fallback: number, where = ''): number {
  const v = c[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${where}${key} must be a number, got ${JSON.stringify(v)}`);
  return v;
}

/**
 * An activation stored as a Keras activation layer (`{className: 'LeakyReLU', config: {...}}`, as Keras 3 writes
 * `Dense(activation=LeakyReLU())`), or as Keras 3's `{className: 'function', config: 'relu'}`.
 */
function activationObject(a: Record<string, unknown>): ActivationIdentifier {
  const className = String(a.className ?? '');
  if (typeof a.config === 'string') return namedActivation(a.config);
  const cfg: LayerConfig = isObject(a.config) ? a.config : {};
  const param = (key: string, fallback: number) => numberArg(cfg, key, fallback, `activation ${className}: `);
  switch (className) {
    case 'Activation':
      return namedActivation(String(cfg.activation ?? 'linear'));
    case 'ReLU': {
      const maxValue = cfg.maxValue === undefined || cfg.maxValue === null ? null : param('maxValue', 0);
      return activationFromLayer({ className, config: { maxValue, negativeSlope: param('negativeSlope', 0), threshold: param('threshold', 0) } });
    }
    // Keras 3 calls LeakyReLU's slope negative_slope, TF.js and Keras 2 alpha; both default to 0.3
    case 'LeakyReLU':
      return activationFromLayer({ className, config: { alpha: param('alpha', param('negativeSlope', 0.3)) } });
    case 'ELU':
      return activationFromLayer({ className, config: { alpha: param('alpha', 1) } });
    case 'Softmax':
      if (Array.isArray(cfg.axis)) {
        if (cfg.axis.length !== 1) fail(`activation Softmax over several axes ${JSON.stringify(cfg.axis)} is not supported; use a Softmax layer`);
        return activationFromLayer({ className, config: { axis: numberArg({ axis: cfg.axis[0] }, 'axis', -1, 'activation Softmax: ') } });
      }
      return activationFromLayer({ className, config: { axis: param('axis', -1) } });
    case 'ThresholdedReLU':
      return activationFromLayer({ className, config: { theta: param('theta', 1) } });
    case 'PReLU':
      return fail('activation PReLU is not supported inside another layer (its alpha is a weight); put a PReLU layer after this one');
    default:
      return namedActivation(className || String(cfg.name ?? ''));
  }
}

/** The `activation` of a config (default linear): a name, or an activation layer object as Keras 3 may store it. */
export function activationArg(c: LayerConfig): ActivationIdentifier {
  const a = c.activation ?? 'linear';
  return isObject(a) ? activationObject(a) : namedActivation(String(a));
}

const FAN_MODES: Readonly<Record<string, FanMode>> = { fanIn: 'fanIn', fanOut: 'fanOut', fanAvg: 'fanAvg' };
// NOTE: TF.js writes 'normal' for its truncated normal; Keras 2 treats 'normal' as 'truncated_normal' too
const DISTRIBUTIONS: Readonly<Record<string, VarianceScalingDistribution>> = {
  normal: 'truncatedNormal',
  truncatedNormal: 'truncatedNormal',
  untruncatedNormal: 'untruncatedNormal',
  uniform: 'uniform',
};

/** The initializers that are VarianceScaling with fixed arguments (Glorot, He, LeCun), to give loaded ones their names back. */
const NAMED_SCALING = Object.values(INITIALIZERS).filter((entry) => entry.saved === 'varianceScaling' && entry !== INITIALIZERS.varianceScaling);

/** A `VarianceScaling` entry's config, under its own name when its arguments are those of a named one (`HeNormal`...). */
function varianceScaling(key: string, cfg: LayerConfig): Initializer {
  const mode = lookup(FAN_MODES, String(cfg.mode ?? 'fanIn'));
  const distribution = lookup(DISTRIBUTIONS, String(cfg.distribution ?? 'truncatedNormal'));
  if (!mode) fail(`${key}: VarianceScaling mode '${String(cfg.mode)}' is not one of fan_in, fan_out, fan_avg`);
  if (!distribution)
    fail(`${key}: VarianceScaling distribution '${String(cfg.distribution)}' is not one of normal, truncated_normal, untruncated_normal, uniform`);
  const scale = typeof cfg.scale === 'number' ? cfg.scale : 1;
  const named = NAMED_SCALING.map((entry) => entry.fromConfig({}) as VarianceScaling).find(
    (n) => n.scale === scale && n.mode === mode && n.distribution === distribution,
  );
  return named ?? INITIALIZERS.varianceScaling.fromConfig({ scale, mode, distribution });
}

/** The initializer under `key` (`fallback` when absent): a name, or `{className, config}`. */
export function initializerArg(c: LayerConfig, key: string, fallback: string): Initializer {
  const v = c[key];
  if (v === undefined || v === null) return getInitializer(fallback as never);
  if (typeof v === 'string') return getInitializer(v as never);
  if (!isObject(v) || typeof v.className !== 'string') fail(`${key} must be an initializer {class_name, config}, got ${JSON.stringify(v)}`);
  const cfg = isObject(v.config) ? v.config : {};
  if (v.className === 'VarianceScaling') return varianceScaling(key, cfg);
  const entry = initializerForClassName(v.className);
  if (entry) return entry.fromConfig(cfg);
  try {
    // Keras 3 names the Glorot / He / LeCun initializers by class: GlorotUniform, HeNormal, LeCunNormal...
    return getInitializer(v.className as never);
  } catch {
    return fail(`${key}: initializer '${v.className}' is not supported (supported: ${INITIALIZER_CLASS_NAMES.join(', ')})`);
  }
}

/** The regularizer under `key`, or undefined: L1L2, L1 and L2 are all an L1L2. */
export function regularizerArg(c: LayerConfig, key: string): Regularizer | undefined {
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

/** A number or a pair [height, width] (`fallback` when absent). */
export function pairArg(v: unknown, fallback: number | Pair): number | Pair {
  if (v === undefined || v === null) return fallback;
  if (typeof v === 'number') return v;
  if (Array.isArray(v) && v.length === 2) return [Number(v[0]), Number(v[1])];
  return fail(`expected a number or a pair [height, width], got ${JSON.stringify(v)}`);
}

export function paddingArg(c: LayerConfig): 'valid' | 'same' {
  const p = c.padding ?? 'valid';
  if (p !== 'valid' && p !== 'same') fail(`padding '${String(p)}' is not supported (valid or same)`);
  return p;
}

/** A boolean that defaults to true when absent (`useBias`). */
export function trueUnlessFalse(v: unknown): boolean {
  return v === undefined ? true : Boolean(v);
}

/** What the convolutions share (Conv2D, Conv2DTranspose, DepthwiseConv2D): window, activation and bias. */
export function convArgs(c: LayerConfig) {
  channelsLast(c);
  refuse(c, ['activityRegularizer', 'kernelConstraint', 'biasConstraint', 'depthwiseConstraint', 'outputPadding']);
  if (c.groups !== undefined && c.groups !== null && c.groups !== 1) fail(`groups ${JSON.stringify(c.groups)} is not supported`);
  return {
    ...layerArgs(c),
    kernelSize: pairArg(c.kernelSize, NaN),
    strides: pairArg(c.strides, 1),
    padding: paddingArg(c),
    dilationRate: pairArg(c.dilationRate, 1),
    activation: activationArg(c),
    useBias: trueUnlessFalse(c.useBias),
    biasInitializer: initializerArg(c, 'biasInitializer', 'zeros'),
    biasRegularizer: regularizerArg(c, 'biasRegularizer'),
  };
}

/** What the two normalisations share (BatchNormalization, LayerNormalization). */
export function normalizationArgs(c: LayerConfig) {
  return {
    ...layerArgs(c),
    epsilon: typeof c.epsilon === 'number' ? c.epsilon : undefined,
    center: c.center === undefined ? undefined : Boolean(c.center),
    scale: c.scale === undefined ? undefined : Boolean(c.scale),
    betaInitializer: initializerArg(c, 'betaInitializer', 'zeros'),
    gammaInitializer: initializerArg(c, 'gammaInitializer', 'ones'),
    betaRegularizer: regularizerArg(c, 'betaRegularizer'),
    gammaRegularizer: regularizerArg(c, 'gammaRegularizer'),
  };
}

/** Keras 3's `keepdims` (TF.js has none; ours is `keepDims`). */
export function keepDimsArg(c: LayerConfig): boolean {
  return Boolean(c.keepdims ?? c.keepDims ?? false);
}
