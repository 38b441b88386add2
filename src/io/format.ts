// The shape of `model.json` in the TensorFlow.js layers format, plus the `dendrite` section in which
// dendrite keeps what TF.js has no place for (exact compile settings, optimizer state, training progress).
// TF.js ignores keys it does not know, so files with a `dendrite` section still load there.

export const FORMAT_VERSION = 'dendrite 0.1.0';

/**
 * How far `fit` got into an epoch it did not finish (`stopTraining` set during the epoch, e.g. by Ctrl-C in
 * `dendrite train`): enough to continue that epoch exactly with `initialEpochProgress`. Defined with the file
 * format that keeps it in a checkpoint, so that the file layer need not import the training loop.
 */
export interface EpochProgress {
  /** Batches of the epoch already trained. */
  batch: number;
  /** The random generator's state when the epoch began, before its shuffle. */
  epochRngState: (number | null)[];
  /** The epoch's running log sums (each batch's value times its size) and the samples they cover. */
  sums: Record<string, number>;
  seen: number;
}

/** One entry of a `weightsManifest` group (TF.js `WeightsManifestEntry`). */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool' | string;
  /** `'optimizer'` marks optimizer weights in TF.js files; absent for model weights. */
  group?: string;
  /** Quantisation written by the TF.js converter: float16 values, or uint8 / uint16 ones with value = q * scale + min. */
  quantization?: { dtype: string; scale?: number; min?: number };
}

/** A group of weight files read one after another (`group1-shard1of2.bin`, ...). */
export interface WeightsGroup {
  paths: string[];
  weights: WeightSpec[];
}

/**
 * What TF.js stores from `compile` (`LayersModel.getTrainingConfig`): for a model of several outputs, `loss` is a
 * list (one per output) or an object keyed by output name, and `metrics` one list for all outputs or an object.
 * Keras also writes `loss_weights`, which TF.js refuses to load ('Loading loss_weights is not supported yet').
 */
export interface TrainingConfig {
  loss: string | unknown;
  metrics?: unknown;
  loss_weights?: unknown;
  optimizer_config: { class_name: string; config: Record<string, unknown> };
}

/** What one output of a model of several outputs trains with, in dendrite's compile settings. */
export interface OutputCompileConfig {
  /** The output's name (its layer's), checked against the loaded model's. */
  name: string;
  loss: string;
  fromLogits: boolean;
  /** The loss's weight in the total (`lossWeights`). */
  weight: number;
  /** Metric names as compile takes them (`accuracy`), without the output's prefix of the log keys. */
  metrics: string[];
}

/**
 * dendrite's own compile settings: exact, including options TF.js cannot express (fromLogits, AdamW, loss
 * weights). A model of several outputs also lists each output's settings in `outputs`, which then rule; `loss`,
 * `fromLogits` and `metrics` are the first output's.
 */
export interface CompileConfig {
  loss: string;
  fromLogits: boolean;
  metrics: string[];
  optimizer: { className: string; config: Record<string, unknown> };
  outputs?: OutputCompileConfig[];
}

/** Where the optimizer's slots are: `path` holds them as float32 in `weights` order. */
export interface OptimizerStateSpec {
  path: string;
  iterations: number;
  weights: { variable: string; slot: string; shape: number[] }[];
}

/** Training progress kept with a checkpoint, so that `fit` can resume exactly. */
export interface TrainingState {
  /** Completed epochs: pass it to `fit` as `initialEpoch`. */
  epoch: number;
  /** The global random generator's state at the end of that epoch (`setRngState`). */
  rngState?: (number | null)[];
  /** The logs of the last completed epoch. */
  logs?: Record<string, number>;
  /** Present when training stopped inside epoch `epoch` (Ctrl-C): how far it got, for `fit`'s `initialEpochProgress`. */
  progress?: EpochProgress;
}

export interface DendriteSection {
  version: 1;
  compile?: CompileConfig;
  optimizerState?: OptimizerStateSpec;
  training?: TrainingState;
  /**
   * Byte length and CRC-32 of every data file, keyed by its path in the folder (as weightsManifest,
   * optimizerState.path and extraFiles name it), to catch files from different saves or damaged ones.
   */
  files?: Record<string, { bytes: number; crc32: number }>;
  /**
   * Companion files saved with the model in the same atomic step (`SaveOptions.extraFiles`), by name
   * (e.g. `preprocessing.json`) -> path in the folder. A save in progress, or one that could not use hard
   * links, leaves a temporary path here (`preprocessing.json.tmp-...`); `readCompanionFile` follows it.
   */
  extraFiles?: Record<string, string>;
  /** Anything the caller asked to keep with the model (e.g. a job's settings). */
  metadata?: Record<string, unknown>;
}

/** The parsed `model.json`. */
export interface ModelJson {
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  modelTopology: Record<string, unknown>;
  weightsManifest?: WeightsGroup[];
  trainingConfig?: TrainingConfig;
  dendrite?: DendriteSection;
}

/** Bytes per value of the dtypes a weights file can hold. */
export const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };
