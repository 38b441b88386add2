// TF.js' tensor methods on dendrite's Tensor. A dendrite tensor is the tensor of dendrite/tfjs (models, layers and
// optimizers take and return it), so the methods TF.js code calls are put on its prototype when dendrite/tfjs is
// loaded, the way src/ops/methods.ts adds dendrite's own chainable methods: each is one of the facade's functions
// with the tensor as first argument. Three kinds:
//
// - methods dendrite lacks (data, array, arraySync, print, dispose, clone, as1D ... as5D, asScalar, cast, toInt,
//   matMul, equal, conv2d, maxPool, ...): added;
// - methods dendrite has with the same meaning (add, sum, reshape, exp, ...): replaced by the facade's function,
//   which gives the same result as dendrite's on float32 tensors (all that dendrite's own code makes) and adds
//   TF.js' dtype rules for int32 and bool ones;
// - three methods whose meaning differs: argMax() and argMin() without an axis reduce axis 0 as in TF.js (dendrite:
//   the last axis) and give int32; flatten() gives a 1-D tensor as in TF.js (dendrite: [batch, features]). These are
//   TF.js' once dendrite/tfjs is imported; dendrite's own code never calls them without an axis
//   (test/tfjs/methods.test.ts checks), and dendrite's functions `argMax(x)` / `flatten(x)` keep their meaning.
//
// The declarations below add to the Tensor type wherever this module is compiled in; at run time the methods exist
// once dendrite/tfjs has been imported.
import { Tensor, type DataType, type DataTypeMap, type NestedArray } from '../tensor/tensor.js';
import * as arith from './arithmetic.js';
import { TensorBuffer } from './buffer.js';
import { cast, clone, onesLike, variable, zerosLike } from './creation.js';
import type { TensorLike } from './dtype.js';
import { print } from './format.js';
import * as image from './image.js';
import * as math from './math.js';
import { isMarkedDisposed, markDisposed } from './memory.js';
import * as nn from './nn-ops.js';
import * as red from './reduction.js';
import * as shape from './shape-ops.js';

type Arg = Tensor | TensorLike;
type Pair = number | [number, number];
type Axis = number | number[] | null;

declare module '../tensor/tensor.js' {
  interface Tensor {
    /** The values, as TF.js' asynchronous read (a copy in the dtype's typed array). */
    data<D extends DataType = 'float32'>(): Promise<DataTypeMap[D]>;
    /** The values as nested arrays, asynchronously (TF.js). */
    array(): Promise<NestedArray | NestedArray[]>;
    /** The values as nested arrays (TF.js: a number for a scalar, [] for an empty tensor). */
    arraySync(): NestedArray | NestedArray[];
    print(verbose?: boolean): void;
    /** Marks the tensor disposed; its values stay (dendrite's tensors are garbage-collected). */
    dispose(): void;
    readonly isDisposed: boolean;
    clone(): Tensor;
    buffer(): Promise<TensorBuffer>;
    bufferSync(): TensorBuffer;
    variable(trainable?: boolean, name?: string, dtype?: DataType): import('../tensor/tensor.js').Variable;
    as1D(): Tensor;
    as2D(rows: number, columns: number): Tensor;
    as3D(rows: number, columns: number, depth: number): Tensor;
    as4D(rows: number, columns: number, depth: number, depth2: number): Tensor;
    as5D(rows: number, columns: number, depth: number, depth2: number, depth3: number): Tensor;
    asScalar(): Tensor;
    asType(dtype: DataType): Tensor;
    cast(dtype: DataType): Tensor;
    toFloat(): Tensor;
    toInt(): Tensor;
    toBool(): Tensor;
    reshapeAs(x: Tensor): Tensor;
    add(b: Arg): Tensor;
    sub(b: Arg): Tensor;
    mul(b: Arg): Tensor;
    div(b: Arg): Tensor;
    floorDiv(b: Arg): Tensor;
    pow(exp: Arg): Tensor;
    maximum(b: Arg): Tensor;
    minimum(b: Arg): Tensor;
    squaredDifference(b: Arg): Tensor;
    equal(b: Arg): Tensor;
    notEqual(b: Arg): Tensor;
    greater(b: Arg): Tensor;
    greaterEqual(b: Arg): Tensor;
    less(b: Arg): Tensor;
    lessEqual(b: Arg): Tensor;
    logicalAnd(b: Arg): Tensor;
    logicalOr(b: Arg): Tensor;
    logicalXor(b: Arg): Tensor;
    logicalNot(): Tensor;
    floor(): Tensor;
    ceil(): Tensor;
    round(): Tensor;
    sign(): Tensor;
    step(alpha?: number): Tensor;
    clipByValue(min: number, max: number): Tensor;
    matMul(b: Arg, transposeA?: boolean, transposeB?: boolean): Tensor;
    dot(b: Arg): Tensor;
    sum(axis?: Axis, keepDims?: boolean): Tensor;
    mean(axis?: Axis, keepDims?: boolean): Tensor;
    max(axis?: Axis, keepDims?: boolean): Tensor;
    min(axis?: Axis, keepDims?: boolean): Tensor;
    prod(axis?: Axis, keepDims?: boolean): Tensor;
    any(axis?: Axis, keepDims?: boolean): Tensor;
    all(axis?: Axis, keepDims?: boolean): Tensor;
    norm(ord?: number | 'euclidean' | 'fro', axis?: Axis, keepDims?: boolean): Tensor;
    tile(reps: number[]): Tensor;
    pad(paddings: [number, number][], constantValue?: number): Tensor;
    gather(indices: Arg, axis?: number, batchDims?: number): Tensor;
    concat(x: Arg | Arg[], axis?: number): Tensor;
    stack(x: Arg | Arg[], axis?: number): Tensor;
    unstack(axis?: number): Tensor[];
    split(numOrSizeSplits: number | number[], axis?: number): Tensor[];
    broadcastTo(shape: number[]): Tensor;
    oneHot(depth: number, onValue?: number, offValue?: number): Tensor;
    where(condition: Arg, x: Arg): Tensor;
    zerosLike(): Tensor;
    onesLike(): Tensor;
    conv2d(filter: Arg, strides: Pair, pad: nn.PadArg, dataFormat?: 'NHWC' | 'NCHW', dilations?: Pair, dimRoundingMode?: nn.DimRoundingMode): Tensor;
    maxPool(filterSize: Pair, strides: Pair, pad: nn.PadArg, dimRoundingMode?: nn.DimRoundingMode): Tensor;
    avgPool(filterSize: Pair, strides: Pair, pad: nn.PadArg, dimRoundingMode?: nn.DimRoundingMode): Tensor;
    resizeBilinear(size: [number, number], alignCorners?: boolean, halfPixelCenters?: boolean): Tensor;
    resizeNearestNeighbor(size: [number, number], alignCorners?: boolean, halfPixelCenters?: boolean): Tensor;
  }
}

/** TF.js' toNestedArray: a number for a scalar, [] for a tensor with no elements, else nested arrays. */
function nested(x: Tensor): NestedArray | NestedArray[] {
  const vals = x.dataSync<DataType>();
  if (x.rank === 0) return vals[0];
  if (x.size === 0) return [];
  const build = (axis: number, offset: number, stride: number): NestedArray => {
    if (axis === x.rank) return vals[offset];
    const inner = stride / x.shape[axis];
    return Array.from({ length: x.shape[axis] }, (_, i) => build(axis + 1, offset + i * inner, inner));
  };
  return build(0, 0, x.size);
}

const methods: Record<string, (this: Tensor, ...args: never[]) => unknown> = {
  async data() {
    return this.dataSync<DataType>();
  },
  async array() {
    return nested(this);
  },
  arraySync() {
    return nested(this);
  },
  print(verbose?: boolean) {
    print(this, verbose);
  },
  dispose() {
    markDisposed(this);
  },
  clone() {
    return clone(this);
  },
  async buffer() {
    return new TensorBuffer(this.shape, this.dtype, this.dataSync<DataType>());
  },
  bufferSync() {
    return new TensorBuffer(this.shape, this.dtype, this.dataSync<DataType>());
  },
  variable(trainable?: boolean, name?: string, dtype?: DataType) {
    return variable(this, trainable, name, dtype);
  },
  as1D() {
    return shape.reshape(this, [this.size]);
  },
  as2D(a: number, b: number) {
    return shape.reshape(this, [a, b]);
  },
  as3D(a: number, b: number, c: number) {
    return shape.reshape(this, [a, b, c]);
  },
  as4D(a: number, b: number, c: number, d: number) {
    return shape.reshape(this, [a, b, c, d]);
  },
  as5D(a: number, b: number, c: number, d: number, e: number) {
    return shape.reshape(this, [a, b, c, d, e]);
  },
  asScalar() {
    if (this.size !== 1) throw new Error('The array must have only 1 element.');
    return shape.reshape(this, []);
  },
  asType(dtype: DataType) {
    return cast(this, dtype);
  },
  cast(dtype: DataType) {
    return cast(this, dtype);
  },
  toFloat() {
    return cast(this, 'float32');
  },
  toInt() {
    return cast(this, 'int32');
  },
  toBool() {
    return cast(this, 'bool');
  },
  reshapeAs(x: Tensor) {
    return shape.reshape(this, x.shape);
  },
  flatten() {
    return shape.reshape(this, [this.size]);
  },
  add: binary(arith.add),
  sub: binary(arith.sub),
  mul: binary(arith.mul),
  div: binary(arith.div),
  floorDiv: binary(arith.floorDiv),
  pow: binary(arith.pow),
  maximum: binary(arith.maximum),
  minimum: binary(arith.minimum),
  squaredDifference: binary(arith.squaredDifference),
  equal: binary(arith.equal),
  notEqual: binary(arith.notEqual),
  greater: binary(arith.greater),
  greaterEqual: binary(arith.greaterEqual),
  less: binary(arith.less),
  lessEqual: binary(arith.lessEqual),
  logicalAnd: binary(arith.logicalAnd),
  logicalOr: binary(arith.logicalOr),
  logicalXor: binary(arith.logicalXor),
  logicalNot: unary(arith.logicalNot),
  neg: unary(arith.neg),
  abs: unary(arith.abs),
  square: unary(arith.square),
  sqrt: unary(math.sqrt),
  exp: unary(math.exp),
  log: unary(math.log),
  sigmoid: unary(math.sigmoid),
  tanh: unary(math.tanh),
  relu: unary(math.relu),
  floor: unary(math.floor),
  ceil: unary(math.ceil),
  round: unary(math.round),
  sign: unary(math.sign),
  step(alpha?: number) {
    return math.step(this, alpha);
  },
  softmax(dim?: number) {
    return math.softmax(this, dim);
  },
  logSoftmax(axis?: number) {
    return math.logSoftmax(this, axis);
  },
  clipByValue(min: number, max: number) {
    return math.clipByValue(this, min, max);
  },
  matMul(b: Arg, transposeA?: boolean, transposeB?: boolean) {
    return nn.matMul(this, b, transposeA, transposeB);
  },
  dot: binary(nn.dot),
  sum: reduction(red.sum),
  mean: reduction(red.mean),
  max: reduction(red.max),
  min: reduction(red.min),
  prod: reduction(red.prod),
  any: reduction(red.any),
  all: reduction(red.all),
  argMax(axis?: number) {
    return red.argMax(this, axis);
  },
  argMin(axis?: number) {
    return red.argMin(this, axis);
  },
  norm(ord?: number | 'euclidean' | 'fro', axis?: Axis, keepDims?: boolean) {
    return red.norm(this, ord, axis, keepDims);
  },
  reshape(newShape: number[]) {
    return shape.reshape(this, newShape);
  },
  transpose(perm?: number[]) {
    return shape.transpose(this, perm);
  },
  expandDims(axis?: number) {
    return shape.expandDims(this, axis);
  },
  squeeze(axis?: number | number[]) {
    return shape.squeeze(this, typeof axis === 'number' ? [axis] : axis);
  },
  slice(begin: number | number[], size?: number | number[]) {
    return shape.slice(this, begin, size);
  },
  tile(reps: number[]) {
    return shape.tile(this, reps);
  },
  pad(paddings: [number, number][], constantValue?: number) {
    return shape.pad(this, paddings, constantValue);
  },
  gather(indices: Arg, axis?: number, batchDims?: number) {
    return shape.gather(this, indices, axis, batchDims);
  },
  concat(x: Arg | Arg[], axis?: number) {
    return shape.concat([this, ...(x instanceof Tensor ? [x] : (x as Arg[]))], axis);
  },
  stack(x: Arg | Arg[], axis?: number) {
    return shape.stack([this, ...(x instanceof Tensor ? [x] : (x as Arg[]))], axis);
  },
  unstack(axis?: number) {
    return shape.unstack(this, axis);
  },
  split(numOrSizeSplits: number | number[], axis?: number) {
    return shape.split(this, numOrSizeSplits, axis);
  },
  broadcastTo(newShape: number[]) {
    return shape.broadcastTo(this, newShape);
  },
  oneHot(depth: number, onValue?: number, offValue?: number) {
    return shape.oneHot(this, depth, onValue, offValue);
  },
  where(condition: Arg, x: Arg) {
    return shape.where(condition, this, x);
  },
  zerosLike() {
    return zerosLike(this);
  },
  onesLike() {
    return onesLike(this);
  },
  conv2d(filter: Arg, strides: Pair, pad: nn.PadArg, dataFormat?: 'NHWC' | 'NCHW', dilations?: Pair, dimRoundingMode?: nn.DimRoundingMode) {
    return nn.conv2d(this, filter, strides, pad, dataFormat, dilations, dimRoundingMode);
  },
  maxPool(filterSize: Pair, strides: Pair, pad: nn.PadArg, dimRoundingMode?: nn.DimRoundingMode) {
    return nn.maxPool(this, filterSize, strides, pad, dimRoundingMode);
  },
  avgPool(filterSize: Pair, strides: Pair, pad: nn.PadArg, dimRoundingMode?: nn.DimRoundingMode) {
    return nn.avgPool(this, filterSize, strides, pad, dimRoundingMode);
  },
  resizeBilinear(size: [number, number], alignCorners?: boolean, halfPixelCenters?: boolean) {
    return image.resizeBilinear(this, size, alignCorners, halfPixelCenters);
  },
  resizeNearestNeighbor(size: [number, number], alignCorners?: boolean, halfPixelCenters?: boolean) {
    return image.resizeNearestNeighbor(this, size, alignCorners, halfPixelCenters);
  },
};

function binary(fn: (a: Tensor, b: Arg) => Tensor): (this: Tensor, b: Arg) => Tensor {
  return function (this: Tensor, b: Arg) {
    return fn(this, b);
  };
}

function unary(fn: (x: Tensor) => Tensor): (this: Tensor) => Tensor {
  return function (this: Tensor) {
    return fn(this);
  };
}

function reduction(fn: (x: Tensor, axis?: Axis, keepDims?: boolean) => Tensor): (this: Tensor, axis?: Axis, keepDims?: boolean) => Tensor {
  return function (this: Tensor, axis?: Axis, keepDims?: boolean) {
    return fn(this, axis ?? null, keepDims);
  };
}

Object.assign(Tensor.prototype, methods);
Object.defineProperty(Tensor.prototype, 'isDisposed', {
  configurable: true,
  get(this: Tensor) {
    return isMarkedDisposed(this);
  },
});
