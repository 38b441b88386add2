// Keras class names -> dendrite layer classes. Each class reads its own camelCase config (keys and string
// values converted as TF.js does) with its `static fromConfig`, beside its `getConfig`, as in TF.js and Keras;
// the argument reading they share is nn/layers/config-args.ts.
import type { Layer } from '../nn/layer.js';
import { LayerConfigError, type LayerConfig } from '../nn/layers/config-args.js';
import * as layers from '../nn/layers/index.js';
import { didYouMean } from '../nn/suggest.js';

export { LayerConfigError };

/** A layer class a model file can name. */
interface LoadableLayer {
  fromConfig(config: LayerConfig): Layer;
}

/** The exported (non-abstract) layer classes that read a config: each must be in LAYER_CLASSES below, or the build fails. */
type LoadableLayerName = {
  [K in keyof typeof layers]: (typeof layers)[K] extends LoadableLayer & (new (...args: never[]) => Layer) ? K : never;
}[keyof typeof layers];

/** Keras class name -> the dendrite class that builds the layer from its config, in a stable order for messages. */
const LAYER_CLASSES = {
  InputLayer: layers.InputLayer,
  Dense: layers.Dense,
  Activation: layers.Activation,
  Dropout: layers.Dropout,
  Flatten: layers.Flatten,
  Reshape: layers.Reshape,
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
  SpatialDropout2D: layers.SpatialDropout2D,
  ReLU: layers.ReLU,
  LeakyReLU: layers.LeakyReLU,
  PReLU: layers.PReLU,
  ELU: layers.ELU,
  Softmax: layers.Softmax,
  ThresholdedReLU: layers.ThresholdedReLU,
} satisfies Record<LoadableLayerName, LoadableLayer>;

/** The Keras class names dendrite can load, in a stable order for messages. */
export const SUPPORTED_LAYERS: readonly string[] = Object.keys(LAYER_CLASSES);

/** Builds the dendrite layer for one `{class_name, config}` entry whose config is already camelCase. */
export function layerFromConfig(className: string, config: LayerConfig): Layer {
  // only the table's own entries: a class named 'constructor' finds nothing
  const layerClass: LoadableLayer | undefined = Object.hasOwn(LAYER_CLASSES, className) ? LAYER_CLASSES[className as LoadableLayerName] : undefined;
  if (!layerClass) {
    const hint = didYouMean(className, SUPPORTED_LAYERS);
    throw new LayerConfigError(`unknown layer class '${className}'${hint ? ` (${hint})` : ''}; dendrite can load ${SUPPORTED_LAYERS.join(', ')}`);
  }
  return layerClass.fromConfig(config);
}
