// Data preparation: encoders, scalers, splits and toy data sets.
export type { Category } from './categories.js';
export { LabelEncoder, type LabelEncoderJSON } from './label-encoder.js';
export { OrdinalEncoder, type OrdinalEncoderConfig, type OrdinalEncoderJSON, type OrdinalHandleUnknown } from './ordinal-encoder.js';
export { OneHotEncoder, type OneHotEncoderConfig, type OneHotEncoderJSON, type OneHotHandleUnknown } from './one-hot-encoder.js';
export { toCategorical } from './to-categorical.js';
export { StandardScaler, type StandardScalerConfig, type StandardScalerJSON } from './standard-scaler.js';
export { MinMaxScaler, type MinMaxScalerConfig, type MinMaxScalerJSON } from './min-max-scaler.js';
export { gatherRows } from './gather-rows.js';
export { trainTestSplit, trainTestIndices, type TrainTestSplitOptions, type TrainTestSplit, type TrainTestIndices } from './split.js';
export {
  xorData,
  circles,
  spirals,
  blobs,
  sineWave,
  type ToyData,
  type CirclesOptions,
  type SpiralsOptions,
  type BlobsOptions,
  type SineWaveOptions,
} from './toy.js';
export { parseIdx, encodeIdx, type IdxArray } from './idx.js';
export { mnist, type Mnist, type MnistOptions } from './mnist.js';
