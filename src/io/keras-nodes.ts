// The layer calls of a functional topology, read from either way Keras writes them, into one form:
//
// - TF.js and Keras 2 (list style): `inbound_nodes: [[[layer, node, tensor, kwargs], ...], ...]`, a list per call
//   holding one `[layer name, node index, tensor index, call arguments]` per input;
// - Keras 3: `inbound_nodes: [{ args: [x], kwargs: {...} }, ...]`, where `x` is a tensor or a list of them, each
//   `{ class_name: '__keras_tensor__', config: { shape, dtype, keras_history: [layer, node, tensor] } }`.
//
// The model's own `input_layers` and `output_layers` are `[layer, node, tensor]` triples: one (Keras 3, for a
// model of one input), a list of them, or an object of them keyed by name (Keras 3, for inputs given as a dict).
// Names are read as written (never camelCased: `dense_1` is a layer's name). Browser-safe.
import type { CallArgs } from '../nn/symbolic-tensor.js';
import { isCount, isObject, shortJson } from './untrusted-json.js';

/** A tensor a layer call made, as a file refers to it: the layer's name, which of its calls (as the file numbers them), which output. */
export interface TensorRef {
  readonly layer: string;
  readonly node: number;
  readonly tensor: number;
}

/** One call of a layer as a file records it: the tensors that go in and the call's arguments. */
export interface CallRecord {
  readonly inputs: readonly TensorRef[];
  readonly callArgs: CallArgs;
}

/**
 * How the file numbers a nested model's calls: `list` (TF.js, Keras 2: from 1 everywhere, a model's node 0 being
 * its own graph) or `keras3` (from 0 in a call's arguments; from 1 for a functional model in `output_layers`).
 */
export type NodeStyle = 'list' | 'keras3';

/** A `[layer, node, tensor]` triple (a fourth item, Keras 2's call arguments, is allowed and read separately). */
function isTriple(v: unknown): v is [string, number, number, ...unknown[]] {
  return Array.isArray(v) && (v.length === 3 || v.length === 4) && typeof v[0] === 'string' && isCount(v[1]) && isCount(v[2]);
}

function refOf(v: [string, number, number, ...unknown[]]): TensorRef {
  return { layer: v[0], node: v[1], tensor: v[2] };
}

/**
 * A call's arguments dendrite can honour: `training` (true or false forces the mode for that call). Arguments
 * left at their defaults (null, as Keras writes `mask: null`) are skipped; any other is refused, since dropping it
 * would change what the model computes.
 */
function callArgsOf(value: unknown, where: string): CallArgs {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw new Error(`${where}: the call arguments must be an object, got ${shortJson(value)}.`);
  const args: CallArgs = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === null) continue;
    if (key === 'training' && typeof v === 'boolean') args.training = v;
    else throw new Error(`${where}: the call argument ${key} = ${shortJson(v)} is not supported by dendrite (it honours training only).`);
  }
  return args;
}

/** A list-style call: one `[layer, node, tensor, kwargs]` per input (or, as some writers give one input, the item alone). */
function listCall(node: unknown[], where: string): CallRecord {
  const items = isTriple(node) ? [node] : node;
  if (items.length === 0) throw new Error(`${where}: a call has no inputs.`);
  const inputs = items.map((item, i) => {
    if (!isTriple(item)) {
      const constant = Array.isArray(item) && item[0] === '_CONSTANT_VALUE';
      throw new Error(
        constant
          ? `${where}: input ${i} of a call is a constant (Keras' _CONSTANT_VALUE), which dendrite does not support.`
          : `${where}: input ${i} of a call must be [layer name, node index, tensor index, call arguments], got ${shortJson(item)}.`,
      );
    }
    return refOf(item);
  });
  // Keras 2 repeats the call's arguments on every input; TF.js reads the last
  return { inputs, callArgs: callArgsOf((items[items.length - 1] as unknown[])[3], where) };
}

/** A Keras 3 tensor reference: `{ class_name: '__keras_tensor__', config: { keras_history: [layer, node, tensor] } }`. */
function kerasTensor(v: unknown, where: string): TensorRef {
  const history = isObject(v) && v.class_name === '__keras_tensor__' && isObject(v.config) ? v.config.keras_history : undefined;
  if (!isTriple(history)) throw new Error(`${where}: a call's input must be a Keras tensor with a keras_history [layer, node, tensor], got ${shortJson(v)}.`);
  return refOf(history);
}

/** A Keras 3 call: `{ args: [tensor or list of tensors], kwargs }`. */
function keras3Call(node: Record<string, unknown>, where: string): CallRecord {
  const args = node.args;
  if (!Array.isArray(args) || args.length !== 1) {
    throw new Error(
      `${where}: a call's args must hold one item (the input tensor, or a list of them), got ${shortJson(args)}; dendrite's layers take their inputs as one argument.`,
    );
  }
  const first = args[0];
  const inputs = Array.isArray(first) ? first.map((t) => kerasTensor(t, where)) : [kerasTensor(first, where)];
  if (inputs.length === 0) throw new Error(`${where}: a call has no inputs.`);
  return { inputs, callArgs: callArgsOf(node.kwargs, where) };
}

/** The calls of a layer entry's `inbound_nodes`, and the style they are written in (null when there are none). */
export function readCalls(value: unknown, where: string): { calls: CallRecord[]; style: NodeStyle | null } {
  if (value === undefined || value === null) return { calls: [], style: null };
  if (!Array.isArray(value)) throw new Error(`${where}: inbound_nodes must be a list, got ${shortJson(value)}.`);
  let style: NodeStyle | null = null;
  const calls = value.map((node, i) => {
    const own: NodeStyle = isObject(node) ? 'keras3' : 'list';
    if (!Array.isArray(node) && !isObject(node))
      throw new Error(`${where}: inbound node ${i} must be a list (TF.js, Keras 2) or an {args, kwargs} object (Keras 3), got ${shortJson(node)}.`);
    if (style !== null && style !== own) throw new Error(`${where}: inbound_nodes mixes Keras 2 lists and Keras 3 {args, kwargs} objects.`);
    style = own;
    return isObject(node) ? keras3Call(node, `${where}, inbound node ${i}`) : listCall(node, `${where}, inbound node ${i}`);
  });
  return { calls, style };
}

/**
 * A topology's `input_layers` or `output_layers`: the tensors they name, in order (one triple, a list of them,
 * or an object of them keyed by name, taken in the object's order).
 */
export function readModelTensors(value: unknown, where: string): TensorRef[] {
  if (isTriple(value)) return [refOf(value)];
  const items = Array.isArray(value) ? value : isObject(value) ? Object.values(value) : null;
  if (!items || items.length === 0) throw new Error(`${where} must be a non-empty list of [layer name, node index, tensor index], got ${shortJson(value)}.`);
  return items.map((item, i) => {
    if (!isTriple(item)) throw new Error(`${where}[${i}] must be [layer name, node index, tensor index], got ${shortJson(item)}.`);
    return refOf(item);
  });
}
