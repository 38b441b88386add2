// TF.js' way from values to a tensor: `makeTensor` (behind tf.tensor and its kin) and `convertToTensor` (how every
// op takes a TensorLike argument), with TF.js' shape inference, dtype inference, checks and messages.
import { Tensor } from '../tensor/tensor.js';
import { assertDtype, type DataType, inferDtype, type TensorLike, toStorage } from './dtype.js';

export function isTypedArray(a: unknown): a is Float32Array | Int32Array | Uint8Array | Uint8ClampedArray {
  return a instanceof Float32Array || a instanceof Int32Array || a instanceof Uint8Array || a instanceof Uint8ClampedArray;
}

/** TF.js' `util.flatten`: the leaves of nested arrays (and typed arrays, unless `skipTypedArray`) in order. */
export function flattenValues<T>(arr: unknown, result: T[] = [], skipTypedArray = false): T[] {
  const out = result ?? [];
  if (typeof arr === 'boolean' || typeof arr === 'number' || typeof arr === 'string' || arr == null || (isTypedArray(arr) && skipTypedArray)) {
    out.push(arr as T);
  } else if (Array.isArray(arr) || isTypedArray(arr)) {
    for (let i = 0; i < arr.length; ++i) flattenValues(arr[i], out, skipTypedArray);
  } else {
    let maxIndex = -1;
    for (const key of Object.keys(arr)) if (/^([1-9]+[0-9]*|0)$/.test(key)) maxIndex = Math.max(maxIndex, Number(key));
    for (let i = 0; i <= maxIndex; i++) flattenValues((arr as Record<number, unknown>)[i], out, skipTypedArray);
  }
  return out;
}

function fail(message: string): never {
  throw new Error(message);
}

function checkConsistency(val: unknown, shape: readonly number[], indices: number[]): void {
  if (!Array.isArray(val) && !isTypedArray(val)) {
    if (shape.length !== 0) fail(`Element arr[${indices.join('][')}] is a primitive, but should be an array/TypedArray of ${shape[0]} elements`);
    return;
  }
  if (shape.length === 0) fail(`Element arr[${indices.join('][')}] should be a primitive, but is an array of ${val.length} elements`);
  if (val.length !== shape[0]) fail(`Element arr[${indices.join('][')}] should have ${shape[0]} elements, but has ${val.length} elements`);
  for (let i = 0; i < val.length; ++i) checkConsistency(val[i], shape.slice(1), [...indices, i]);
}

/** TF.js' `inferShape`: the lengths down the first elements, checked to be the same everywhere. */
export function inferShape(val: unknown): number[] {
  if (isTypedArray(val)) return [val.length];
  if (!Array.isArray(val)) return [];
  const shape: number[] = [];
  let first: unknown = val;
  while (Array.isArray(first) || isTypedArray(first)) {
    shape.push(first.length);
    first = first[0];
  }
  checkConsistency(val, shape, []);
  return shape;
}

function sizeFromShape(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

function checkDims(shape: readonly number[]): void {
  for (const d of shape) {
    if (!(Number.isInteger(d) && d >= 0)) fail(`Tensor must have a shape comprised of positive integers but got shape [${shape}].`);
  }
}

/** The values of a TensorLike as a flat list, for `dtype`. */
function flatOf(values: unknown): ArrayLike<number | boolean> {
  if (isTypedArray(values)) return values;
  if (Array.isArray(values)) return flattenValues<number | boolean>(values);
  return [values as number | boolean];
}

function refuseStrings(dtype: DataType | 'string' | 'complex64'): asserts dtype is DataType {
  if (dtype === 'string') fail('dendrite/tfjs has no string tensors: dendrite stores every tensor as float32 numbers.');
  if (dtype === 'complex64') fail('Cannot construct a complex64 tensor directly: dendrite/tfjs has no complex tensors.');
  if (dtype !== 'float32' && dtype !== 'int32' && dtype !== 'bool') fail(`Unknown data type ${dtype}`);
}

/** TF.js' `makeTensor`: values and an optional shape (checked against the inferred one) and dtype. */
export function makeTensor(values: unknown, shape: readonly number[] | undefined | null, inferredShape: number[], dtype?: DataType | null): Tensor {
  const dt = dtype ?? inferDtype(values);
  refuseStrings(dt);
  if (!isTypedArray(values) && !Array.isArray(values) && typeof values !== 'number' && typeof values !== 'boolean' && typeof values !== 'string') {
    fail('values passed to tensor(values) must be a number/boolean/string or an array of numbers/booleans/strings, or a TypedArray');
  }
  if (shape != null) {
    checkDims(shape);
    const providedSize = sizeFromShape(shape);
    const inferredSize = sizeFromShape(inferredShape);
    if (providedSize !== inferredSize) fail(`Based on the provided shape, [${shape}], the tensor should have ${providedSize} values but has ${inferredSize}`);
    for (let i = 0; i < inferredShape.length; ++i) {
      const flatDimsDontMatch = i === inferredShape.length - 1 ? inferredShape[i] !== sizeFromShape(shape.slice(i)) : true;
      if (inferredShape[i] !== shape[i] && flatDimsDontMatch) {
        fail(`Error creating a new Tensor. Inferred shape (${inferredShape}) does not match the provided shape (${shape}). `);
      }
    }
  }
  return new Tensor(toStorage(flatOf(values), dt), shape ?? inferredShape, dt);
}

/**
 * TF.js' `convertToTensor`: a tensor passes through (its dtype checked against `parseAsDtype`); other values
 * become a tensor of their inferred dtype, or of `parseAsDtype` when that names one.
 */
export function convertToTensor(x: Tensor | TensorLike, argName: string, functionName: string, parseAsDtype: 'numeric' | DataType = 'numeric'): Tensor {
  if (x instanceof Tensor) {
    assertDtype(parseAsDtype, x.dtype, argName, functionName);
    return x;
  }
  let inferred = inferDtype(x);
  if (inferred !== 'string' && parseAsDtype !== 'numeric') inferred = parseAsDtype;
  if (inferred === 'string') fail(`Argument '${argName}' passed to '${functionName}' is a string: dendrite/tfjs has no string tensors.`);
  if (x == null || (!isTypedArray(x) && !Array.isArray(x) && typeof x !== 'number' && typeof x !== 'boolean')) {
    const type = x == null ? 'null' : (x as object).constructor.name;
    fail(`Argument '${argName}' passed to '${functionName}' must be a Tensor or TensorLike, but got '${type}'`);
  }
  return new Tensor(toStorage(flatOf(x), inferred), inferShape(x), inferred);
}

/** TF.js' `convertToTensorArray`. */
export function convertToTensorArray(
  arg: readonly (Tensor | TensorLike)[],
  argName: string,
  functionName: string,
  parseAsDtype: 'numeric' | DataType = 'numeric',
): Tensor[] {
  if (!Array.isArray(arg)) fail(`Argument ${argName} passed to ${functionName} must be a \`Tensor[]\` or \`TensorLike[]\``);
  return arg.map((t, i) => convertToTensor(t, `${argName}[${i}]`, functionName, parseAsDtype));
}
