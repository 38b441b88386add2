// Keras class names -> dendrite layer classes. Each class reads its own camelCase config (keys and string
// values converted as TF.js does) with its `static fromConfig`, beside its `getConfig`, as in TF.js and Keras;
// the argument reading they share is nn/layers/config-args.ts.
import type { Layer } from '../nn/layer.js';
import { LayerConfigError, type LayerConfig, type LayerDeserializer } from '../nn/layers/config-args.js';
import * as layers from '../nn/layers/index.js';
import { didYouMean } from '../nn/suggest.js';

export { LayerConfigError };

/** A layer class a model file can name (a wrapper builds the layer its config nests with `nested`). */
interface LoadableLayer {
  fromConfig(config: LayerConfig, nested: LayerDeserializer): Layer;
}

/** The exported (non-abstract) layer classes that read a config: each must be in LAYER_CLASSES below, or the build fails. */
type LoadableLayerName = {
  [K in keyof typeof layers]: (typeof layers)[K] extends LoadableLayer & (new (...args: never[]) => Layer) ? K : never;
}[keyof typeof layers];

/** Keras class name -> the dendrite class that builds the layer from its config, in a stable order for messages. */
const LAYER_CLASSES = {
  InputLayer: layers.InputLayer,
  Dense: layers.Dense,
  Embedding: layers.Embedding,
  Activation: layers.Activation,
  Dropout: layers.Dropout,
  Flatten: layers.Flatten,
  Reshape: layers.Reshape,
  Conv1D: layers.Conv1D,
  MaxPooling1D: layers.MaxPooling1D,
  AveragePooling1D: layers.AveragePooling1D,
  GlobalAveragePooling1D: layers.GlobalAveragePooling1D,
  GlobalMaxPooling1D: layers.GlobalMaxPooling1D,
  UpSampling1D: layers.UpSampling1D,
  ZeroPadding1D: layers.ZeroPadding1D,
  Cropping1D: layers.Cropping1D,
  SimpleRNN: layers.SimpleRNN,
  LSTM: layers.LSTM,
  GRU: layers.GRU,
  Conv2D: layers.Conv2D,
  Conv2DTranspose: layers.Conv2DTranspose,
  DepthwiseConv2D: layers.DepthwiseConv2D,
  MaxPooling2D: layers.MaxPooling2D,
  AveragePooling2D: layers.AveragePooling2D,
  GlobalAveragePooling2D: layers.GlobalAveragePooling2D,
  GlobalMaxPooling2D: layers.GlobalMaxPooling2D,
  BatchNormalization: layers.BatchNormalization,
  LayerNormalization: layers.LayerNormalization,
  UpSampling2D: layers.UpSampling2D,
  ZeroPadding2D: layers.ZeroPadding2D,
  Cropping2D: layers.Cropping2D,
  SeparableConv2D: layers.SeparableConv2D,
  Permute: layers.Permute,
  RepeatVector: layers.RepeatVector,
  Masking: layers.Masking,
  TimeDistributed: layers.TimeDistributed,
  Bidirectional: layers.Bidirectional,
  SpatialDropout2D: layers.SpatialDropout2D,
  ReLU: layers.ReLU,
  LeakyReLU: layers.LeakyReLU,
  PReLU: layers.PReLU,
  ELU: layers.ELU,
  Softmax: layers.Softmax,
  ThresholdedReLU: layers.ThresholdedReLU,
  Add: layers.Add,
  Subtract: layers.Subtract,
  Multiply: layers.Multiply,
  Average: layers.Average,
  Maximum: layers.Maximum,
  Minimum: layers.Minimum,
  Concatenate: layers.Concatenate,
  Dot: layers.Dot,
} satisfies Record<LoadableLayerName, LoadableLayer>;

/** The Keras class names dendrite can load, in a stable order for messages. */
export const SUPPORTED_LAYERS: readonly string[] = Object.keys(LAYER_CLASSES);

/** Layer classes of the program's own, by class name (`serialization.registerClass`). */
const CUSTOM_CLASSES = new Map<string, LoadableLayer>();

/** A layer class as `registerClass` takes it: TF.js style, named by `static className`. */
export interface SerializableLayerClass {
  readonly className: string;
  new (config: never): Layer;
  /** Builds the layer from its (camelCase) config; without one of its own, `new Cls(config)` does, as in TF.js. */
  fromConfig?(config: LayerConfig): Layer;
}

/**
 * Registers a custom layer class, so that model files naming it (its `static className`) load (TF.js'
 * `tf.serialization.registerClass`). Its `getConfig` is what a file keeps of it; its config comes back
 * camelCase to its own `static fromConfig`, or to its constructor when it has none.
 *
 *     class Scale extends layers.Layer { static readonly className = 'Scale'; ... }
 *     serialization.registerClass(Scale);
 */
export function registerClass(cls: SerializableLayerClass): void {
  const name = (cls as { className?: unknown })?.className;
  if (typeof cls !== 'function' || typeof name !== 'string' || name === '') {
    throw new Error(`registerClass(): the class needs a static className (its name in model files), e.g. static readonly className = 'MyLayer'.`);
  }
  if (Object.hasOwn(LAYER_CLASSES, name)) throw new Error(`registerClass(): '${name}' is a built-in layer of dendrite; give the class another className.`);
  // a subclass of a built-in layer inherits its fromConfig, which would make the built-in: only the class's own counts
  const own = Object.hasOwn(cls, 'fromConfig') && typeof cls.fromConfig === 'function';
  CUSTOM_CLASSES.set(name, { fromConfig: own ? (config) => cls.fromConfig!(config) : (config) => new cls(config as never) });
}

/** Builds the dendrite layer for one `{class_name, config}` entry whose config is already camelCase. */
export function layerFromConfig(className: string, config: LayerConfig): Layer {
  // only the table's own entries: a class named 'constructor' finds nothing
  const layerClass: LoadableLayer | undefined = Object.hasOwn(LAYER_CLASSES, className)
    ? LAYER_CLASSES[className as LoadableLayerName]
    : CUSTOM_CLASSES.get(className);
  if (!layerClass) {
    const known = [...SUPPORTED_LAYERS, ...CUSTOM_CLASSES.keys()];
    const hint = didYouMean(className, known);
    throw new LayerConfigError(
      `unknown layer class '${className}'${hint ? ` (${hint})` : ''}; dendrite can load ${known.join(', ')}, and custom layers registered with serialization.registerClass`,
    );
  }
  return layerClass.fromConfig(config, nestedLayerFromConfig);
}

/**
 * Builds the layer of a `{className, config}` entry nested in another layer's config (camelCase, as
 * `fromKerasConfig` reads it): the layer a `TimeDistributed` or `Bidirectional` wraps.
 */
export function nestedLayerFromConfig(entry: unknown): Layer {
  const e = entry as { className?: unknown; config?: unknown } | null;
  if (typeof e !== 'object' || e === null || typeof e.className !== 'string' || typeof e.config !== 'object' || e.config === null || Array.isArray(e.config)) {
    throw new LayerConfigError(`a nested layer must be a {class_name, config} object, got ${JSON.stringify(entry)?.slice(0, 200)}`);
  }
  try {
    return layerFromConfig(e.className, e.config as LayerConfig);
  } catch (error) {
    const name = typeof (e.config as LayerConfig).name === 'string' ? `'${String((e.config as LayerConfig).name)}' ` : '';
    const message = `its layer ${name}(${e.className}): ${error instanceof Error ? error.message : String(error)}`;
    // our layers' own argument errors (plain Errors) end their sentence already
    throw error instanceof LayerConfigError ? new LayerConfigError(message) : new Error(message);
  }
}
