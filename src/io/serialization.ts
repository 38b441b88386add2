// `serialization`: what a program registers so that model files can name its own classes (TF.js' `tf.serialization`).
export { registerClass, type SerializableLayerClass } from './layer-registry.js';
