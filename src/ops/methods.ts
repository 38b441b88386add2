import { backward } from '../autograd/backward.js';
import type { TensorLike } from '../tensor/create.js';
import type { Shape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import * as ops from './index.js';
import type { Axis } from './reduce.js';

// Chainable methods (`x.add(y).relu()`), attached here so the tensor floor does not depend on the ops floor.
declare module '../tensor/tensor.js' {
  interface Tensor {
    add(b: TensorLike): Tensor;
    sub(b: TensorLike): Tensor;
    mul(b: TensorLike): Tensor;
    div(b: TensorLike): Tensor;
    pow(b: TensorLike): Tensor;
    maximum(b: TensorLike): Tensor;
    minimum(b: TensorLike): Tensor;
    neg(): Tensor;
    abs(): Tensor;
    square(): Tensor;
    sqrt(): Tensor;
    exp(): Tensor;
    log(): Tensor;
    tanh(): Tensor;
    sigmoid(): Tensor;
    relu(): Tensor;
    leakyRelu(alpha?: number): Tensor;
    elu(alpha?: number): Tensor;
    softplus(): Tensor;
    gelu(approximate?: boolean): Tensor;
    swish(): Tensor;
    sum(axis?: Axis, keepDims?: boolean): Tensor;
    mean(axis?: Axis, keepDims?: boolean): Tensor;
    max(axis?: Axis, keepDims?: boolean): Tensor;
    min(axis?: Axis, keepDims?: boolean): Tensor;
    argMax(axis?: number): Tensor;
    argMin(axis?: number): Tensor;
    matmul(b: Tensor, transposeA?: boolean, transposeB?: boolean): Tensor;
    dot(b: Tensor): Tensor;
    reshape(shape: Shape): Tensor;
    flatten(): Tensor;
    expandDims(axis?: number): Tensor;
    squeeze(axis?: number | readonly number[]): Tensor;
    transpose(perm?: readonly number[]): Tensor;
    slice(begin: readonly number[] | number, size?: readonly number[] | number): Tensor;
    softmax(axis?: number): Tensor;
    logSoftmax(axis?: number): Tensor;
    /** Backpropagates from this tensor (a scalar, or pass `dy`) into `.grad` of the leaves. */
    backward(dy?: Tensor): void;
  }
}

const methods: Partial<Record<keyof Tensor, (this: Tensor, ...args: never[]) => unknown>> = {
  add(b: TensorLike) {
    return ops.add(this, b);
  },
  sub(b: TensorLike) {
    return ops.sub(this, b);
  },
  mul(b: TensorLike) {
    return ops.mul(this, b);
  },
  div(b: TensorLike) {
    return ops.div(this, b);
  },
  pow(b: TensorLike) {
    return ops.pow(this, b);
  },
  maximum(b: TensorLike) {
    return ops.maximum(this, b);
  },
  minimum(b: TensorLike) {
    return ops.minimum(this, b);
  },
  neg() {
    return ops.neg(this);
  },
  abs() {
    return ops.abs(this);
  },
  square() {
    return ops.square(this);
  },
  sqrt() {
    return ops.sqrt(this);
  },
  exp() {
    return ops.exp(this);
  },
  log() {
    return ops.log(this);
  },
  tanh() {
    return ops.tanh(this);
  },
  sigmoid() {
    return ops.sigmoid(this);
  },
  relu() {
    return ops.relu(this);
  },
  leakyRelu(alpha?: number) {
    return ops.leakyRelu(this, alpha);
  },
  elu(alpha?: number) {
    return ops.elu(this, alpha);
  },
  softplus() {
    return ops.softplus(this);
  },
  gelu(approximate?: boolean) {
    return ops.gelu(this, approximate);
  },
  swish() {
    return ops.swish(this);
  },
  sum(axis?: Axis, keepDims?: boolean) {
    return ops.sum(this, axis, keepDims);
  },
  mean(axis?: Axis, keepDims?: boolean) {
    return ops.mean(this, axis, keepDims);
  },
  max(axis?: Axis, keepDims?: boolean) {
    return ops.max(this, axis, keepDims);
  },
  min(axis?: Axis, keepDims?: boolean) {
    return ops.min(this, axis, keepDims);
  },
  argMax(axis?: number) {
    return ops.argMax(this, axis);
  },
  argMin(axis?: number) {
    return ops.argMin(this, axis);
  },
  matmul(b: Tensor, transposeA?: boolean, transposeB?: boolean) {
    return ops.matmul(this, b, transposeA, transposeB);
  },
  dot(b: Tensor) {
    return ops.dot(this, b);
  },
  reshape(shape: Shape) {
    return ops.reshape(this, shape);
  },
  flatten() {
    return ops.flatten(this);
  },
  expandDims(axis?: number) {
    return ops.expandDims(this, axis);
  },
  squeeze(axis?: number | readonly number[]) {
    return ops.squeeze(this, axis);
  },
  transpose(perm?: readonly number[]) {
    return ops.transpose(this, perm);
  },
  slice(begin: readonly number[] | number, size?: readonly number[] | number) {
    return ops.slice(this, begin, size);
  },
  softmax(axis?: number) {
    return ops.softmax(this, axis);
  },
  logSoftmax(axis?: number) {
    return ops.logSoftmax(this, axis);
  },
  backward(dy?: Tensor) {
    backward(this, dy);
  },
};
Object.assign(Tensor.prototype, methods);
