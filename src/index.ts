// The public API of dendrite. Everything a user imports comes from here.
import './ops/methods.js';

export { Tensor, Variable, type NestedArray } from './tensor/tensor.js';
export { tensor, scalar, zeros, ones, fill, zerosLike, onesLike, randomNormal, randomUniform, linspace, range, type TensorLike } from './tensor/create.js';
export { setSeed, getRngState, setRngState } from './tensor/rng.js';
export type { Shape } from './tensor/shape.js';
export { setBackend, getBackend, listBackends, registerBackend } from './backend/registry.js';
export type { Backend } from './backend/backend.js';
export * from './ops/index.js';
export { noGrad, isGradEnabled } from './autograd/mode.js';
export { backward, gradients } from './autograd/backward.js';
export { grad, grads, valueAndGrad, valueAndGrads } from './autograd/functional.js';
