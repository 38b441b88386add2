// A small builder for an ONNX graph: nodes, initializers (the weights) and fresh value names. The protobuf
// messages themselves come from the `onnx-proto` package; this file only assembles their plain objects.
import onnxProto, { type onnx } from 'onnx-proto';

const { onnx: OnnxProto } = onnxProto;

/** An attribute value: a number is an INT, an array INTS, a string STRING; floats are marked `{ float }` / `{ floats }`, string lists `{ strings }`. */
export type AttributeValue = number | string | readonly number[] | { float: number } | { floats: readonly number[] } | { strings: readonly string[] };

/** One ONNX node's attributes by name; `undefined` entries are left out. */
export type Attributes = Record<string, AttributeValue | undefined>;

const encoder = new TextEncoder();

function attribute(name: string, value: AttributeValue): onnx.IAttributeProto {
  const { AttributeType } = OnnxProto.AttributeProto;
  if (typeof value === 'string') return { name, type: AttributeType.STRING, s: encoder.encode(value) };
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new Error(`ONNX attribute '${name}': ${value} is not an integer; mark floats as { float: x }.`);
    return { name, type: AttributeType.INT, i: value };
  }
  // NOTE: floats are marked explicitly, since runtimes check the type and alpha = 1 must still be a FLOAT
  if ('float' in value) return { name, type: AttributeType.FLOAT, f: value.float };
  if ('floats' in value) return { name, type: AttributeType.FLOATS, floats: [...value.floats] };
  if ('strings' in value) return { name, type: AttributeType.STRINGS, strings: value.strings.map((v) => encoder.encode(v)) };
  return { name, type: AttributeType.INTS, ints: [...value] };
}

function isLittleEndian(): boolean {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
}

/** Whether two initializers hold the same type, dims and bytes. */
function sameTensor(a: onnx.ITensorProto, b: onnx.ITensorProto): boolean {
  const [x, y] = [a.rawData as Uint8Array, b.rawData as Uint8Array];
  const dims = (t: onnx.ITensorProto) => (t.dims ?? []).join(',');
  return a.dataType === b.dataType && dims(a) === dims(b) && x.length === y.length && x.every((v, i) => v === y[i]);
}

/** The layer being exported: the initializers its earlier calls made (by base name) and those this call makes. */
interface LayerScope {
  readonly earlier: Map<string, onnx.ITensorProto[]>;
  readonly made: [string, onnx.ITensorProto][];
}

/** Collects the nodes and initializers of one graph; every value gets a unique name. */
export class GraphBuilder {
  readonly nodes: onnx.INodeProto[] = [];
  readonly initializers: onnx.ITensorProto[] = [];
  /** Values already brought to the other layout, by name and layout, so that a value several layers read is transposed once. */
  readonly relaid = new Map<string, string>();
  private readonly used = new Set<string>();
  private readonly scalars = new Map<number, string>();
  /** Put before every new name: the path of the nested models being inlined (`encoder/`). */
  private prefix = '';
  /** The initializers each layer's calls made, by base name, so that a layer called twice (shared) keeps one set. */
  private readonly layerInitializers = new Map<object, Map<string, onnx.ITensorProto[]>>();
  private layerScope: LayerScope | null = null;

  constructor(reserved: readonly string[] = []) {
    for (const name of reserved) this.used.add(name);
  }

  /** `base`, or `base_1`, `base_2`, ... if taken (each after the prefix of the nested models being inlined). */
  fresh(base: string): string {
    const wanted = this.prefix + base;
    let name = wanted;
    for (let i = 1; this.used.has(name); i++) name = `${wanted}_${i}`;
    this.used.add(name);
    return name;
  }

  /** Runs `build` with every new name under `path/` (a nested model's layers: `encoder/dense/matmul`). */
  within<T>(path: string, build: () => T): T {
    const outer = this.prefix;
    this.prefix = `${outer}${path}/`;
    try {
      return build();
    } finally {
      this.prefix = outer;
    }
  }

  /**
   * Runs `build`, the nodes of one call of `layer`. An initializer that an earlier call of the same layer made
   * with the same base name and contents (a shared layer's weights) is reused rather than stored again; one that
   * differs (a weight laid out for another input layout) is stored beside it.
   */
  forLayer<T>(layer: object, build: () => T): T {
    const earlier = this.layerInitializers.get(layer) ?? new Map<string, onnx.ITensorProto[]>();
    const outer = this.layerScope;
    const scope: LayerScope = { earlier, made: [] };
    this.layerScope = scope;
    try {
      return build();
    } finally {
      this.layerScope = outer;
      // only earlier calls are searched: within one call every initializer stays its own, as before sharing existed
      for (const [base, tensor] of scope.made) earlier.set(base, [...(earlier.get(base) ?? []), tensor]);
      this.layerInitializers.set(layer, earlier);
    }
  }

  /** Stores an initializer named after `base`, or returns the equal one an earlier call of the current layer stored. */
  private initializer(base: string, tensor: Omit<onnx.ITensorProto, 'name'>): string {
    const scope = this.layerScope;
    const same = scope?.earlier.get(base)?.find((t) => sameTensor(t, tensor));
    if (same) return same.name as string;
    const stored: onnx.ITensorProto = { name: this.fresh(base), ...tensor };
    this.initializers.push(stored);
    scope?.made.push([base, stored]);
    return stored.name as string;
  }

  /** Adds a node with one output named after `outputBase`; returns the output's name. */
  node(opType: string, inputs: readonly string[], outputBase: string, attributes: Attributes = {}): string {
    return this.nodeOutputs(opType, inputs, [outputBase], attributes)[0];
  }

  /**
   * Adds a node with several outputs, each named after its base; a null base is an output left out (`''`, as
   * ONNX marks an optional output nobody reads). Returns the outputs' names ('' for those left out).
   */
  nodeOutputs(opType: string, inputs: readonly string[], outputBases: readonly (string | null)[], attributes: Attributes = {}): string[] {
    const outputs = outputBases.map((base) => (base === null ? '' : this.fresh(base)));
    const attrs = Object.entries(attributes).flatMap(([k, v]) => (v === undefined ? [] : [attribute(k, v)]));
    this.nodes.push({ opType, input: [...inputs], output: outputs, name: outputs.find((o) => o !== '') ?? this.fresh(opType), attribute: attrs });
    return outputs;
  }

  /** A float32 initializer (a copy of `values`, little-endian raw data); returns its name. */
  floatTensor(base: string, values: Float32Array, dims: readonly number[]): string {
    if (!isLittleEndian()) throw new Error('Exporting to ONNX on a big-endian machine is not supported.');
    const size = dims.reduce((a, b) => a * b, 1);
    if (size !== values.length) throw new Error(`ONNX initializer '${base}': ${values.length} values do not fill shape [${dims.join(', ')}].`);
    const rawData = new Uint8Array(values.buffer, values.byteOffset, values.byteLength).slice();
    return this.initializer(base, { dataType: OnnxProto.TensorProto.DataType.FLOAT, dims: [...dims], rawData });
  }

  /** An int64 initializer (shapes, pads); returns its name. */
  int64Tensor(base: string, values: readonly number[]): string {
    if (!isLittleEndian()) throw new Error('Exporting to ONNX on a big-endian machine is not supported.');
    const data = new BigInt64Array(values.map((v) => BigInt(v)));
    return this.initializer(base, { dataType: OnnxProto.TensorProto.DataType.INT64, dims: [values.length], rawData: new Uint8Array(data.buffer) });
  }

  /** A float32 scalar constant, shared by every node that needs the same value. */
  scalar(value: number): string {
    const known = this.scalars.get(value);
    if (known) return known;
    // a graph-wide constant: named without the prefix of a nested model, and not a layer's own
    const [prefix, scope] = [this.prefix, this.layerScope];
    this.prefix = '';
    this.layerScope = null;
    try {
      const name = this.floatTensor(`const_${String(value).replace(/[^0-9a-zA-Z]/g, '_')}`, new Float32Array([value]), []);
      this.scalars.set(value, name);
      return name;
    } finally {
      this.prefix = prefix;
      this.layerScope = scope;
    }
  }
}

/**
 * Copies `values` of `shape` with its axes reordered: output axis i is input axis `perm[i]` (numpy's
 * `transpose`), e.g. a Keras kernel [kh, kw, in, out] with perm [3, 2, 0, 1] becomes ONNX's [out, in, kh, kw].
 */
export function permute(values: Float32Array, shape: readonly number[], perm: readonly number[]): { values: Float32Array; shape: number[] } {
  const rank = shape.length;
  const outShape = perm.map((p) => shape[p]);
  const inStrides = new Array<number>(rank);
  for (let i = rank - 1, s = 1; i >= 0; i--) {
    inStrides[i] = s;
    s *= shape[i];
  }
  const strides = perm.map((p) => inStrides[p]);
  const out = new Float32Array(values.length);
  const index = new Array<number>(rank).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let i = 0; i < rank; i++) src += index[i] * strides[i];
    out[o] = values[src];
    for (let i = rank - 1; i >= 0; i--) {
      if (++index[i] < outShape[i]) break;
      index[i] = 0;
    }
  }
  return { values: out, shape: outShape };
}
