// Every layer, as a class and as its lower-camel factory (`layers.dense({ units: 8 })`).
export { Activation, activation, type ActivationArgs } from './activation.js';
export { Dense, dense, type DenseArgs } from './dense.js';
export { Dropout, dropout, type DropoutArgs } from './dropout.js';
export { Flatten, flatten } from './flatten.js';
export { InputLayer, input, type InputArgs } from './input.js';
