// The `callbacks` namespace of the public API (Keras / TensorFlow.js `callbacks.earlyStopping`).
export { earlyStopping, EarlyStopping, type EarlyStoppingArgs } from './early-stopping.js';
export { learningRateScheduler, LearningRateScheduler } from './lr-scheduler.js';
export { modelCheckpoint, ModelCheckpoint, type ModelCheckpointArgs } from './model-checkpoint.js';
