// Exporting a model, Sequential or graph, to ONNX, so it runs on ONNX Runtime (servers, phones, browsers) and
// anything else that reads ONNX. `toOnnxModel` builds the bytes (no Node.js needed); `exportOnnx` writes a file.
import onnxProto, { type onnx } from 'onnx-proto';
import type { SymbolicShape } from '../../nn/layer.js';
import { checkExportable } from './check-exportable.js';
import type { ExportableModel } from './exportable-model.js';
import { GraphBuilder } from './graph.js';
import { exportModelLayers } from './inline-model.js';
import { toNhwc, type Value } from './layout.js';
import { onnxSignature, type OnnxTensorInfo } from './signature.js';

export { ONNX_INPUT_NAME, ONNX_OUTPUT_NAME, onnxSignature, type OnnxSignature, type OnnxTensorInfo } from './signature.js';
export type { ExportableModel } from './exportable-model.js';

const { onnx: OnnxProto } = onnxProto;

/** The ONNX operator set the graphs use (17: LayerNormalization; onnxruntime has run it since 1.14). */
export const ONNX_OPSET = 17;
/** The ONNX IR version that goes with opset 17. */
export const ONNX_IR_VERSION = 8;

/** A float32 tensor type of `shape`: batch axis 'N' when unknown, other unknown axes 'd1', 'd2', ... */
function tensorType(shape: SymbolicShape): onnx.ITypeProto {
  const dim = shape.map((d, i) => (d !== null ? { dimValue: d } : { dimParam: i === 0 ? 'N' : `d${i}` }));
  return { tensorType: { elemType: OnnxProto.TensorProto.DataType.FLOAT, shape: { dim } } };
}

/** The node that computes the value `name`, if any (searched from the end: in a chain, it is the last). */
function producerOf(g: GraphBuilder, name: string): onnx.INodeProto | undefined {
  for (let i = g.nodes.length - 1; i >= 0; i--) if (g.nodes[i].output?.includes(name)) return g.nodes[i];
  return undefined;
}

/**
 * Makes each of `values` the graph output of the same index in `outputs`. The node that computes a value writes
 * it under the output's name (and the nodes that read it read that name); a value that no node computes (a
 * graph input passed through) or that is already another output is copied by an Identity.
 */
function nameOutputs(g: GraphBuilder, values: readonly Value[], outputs: readonly OnnxTensorInfo[]): void {
  const renamed = new Map<string, string>();
  values.forEach((value, i) => {
    const name = outputs[i].name;
    const x = toNhwc(g, value, name);
    const earlier = renamed.get(x.name);
    const producer = earlier === undefined ? producerOf(g, x.name) : undefined;
    if (!producer) {
      g.nodes.push({ opType: 'Identity', input: [earlier ?? x.name], output: [name], name: `${name}/identity` });
      return;
    }
    for (const node of g.nodes) {
      if (node === producer) node.output = node.output!.map((v) => (v === x.name ? name : v));
      else if (node.input?.includes(x.name)) node.input = node.input.map((v) => (v === x.name ? name : v));
    }
    renamed.set(x.name, name);
  });
}

/**
 * The model as ONNX bytes (a serialized ModelProto, opset 17). Each graph input has dendrite's input shape
 * with a symbolic batch axis `N` and float32 values in dendrite's layout (NHWC for images); each output is
 * what `model.predict` gives. A model of one input and one output names them `input` and `output`; one of
 * several names them as the model does (`model.inputNames`, `model.outputNames`). Graph models export layer
 * call by layer call: shared layers keep one set of weights, nested models are inlined. Works in the browser too.
 *
 *     const bytes = toOnnxModel(model);
 *     const session = await ort.InferenceSession.create(bytes);
 */
export function toOnnxModel(model: ExportableModel): Uint8Array {
  if (!model.built || !model.inputShapes || !model.outputShapes) {
    throw new Error(
      `Model '${model.name}' is not built yet (its input shape is unknown), so it cannot be exported to ONNX. Give the first layer an inputShape, or call fit or predict once.`,
    );
  }
  checkExportable(model);
  const signature = onnxSignature(model);
  const g = new GraphBuilder([...signature.inputs, ...signature.outputs].map((t) => t.name));
  const inputs = signature.inputs.map((t): Value => ({ name: t.name, shape: t.shape, layout: 'nhwc' }));
  nameOutputs(g, exportModelLayers(g, model, inputs), signature.outputs);
  const graph: onnx.IGraphProto = {
    name: model.name,
    node: g.nodes,
    initializer: g.initializers,
    input: signature.inputs.map((t) => ({ name: t.name, type: tensorType(t.shape), docString: t.shape.length === 4 ? 'NHWC images' : '' })),
    output: signature.outputs.map((t) => ({ name: t.name, type: tensorType(t.shape) })),
  };
  const message = OnnxProto.ModelProto.create({
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'dendrite',
    producerVersion: '0.1.0',
    graph,
  });
  const bytes = OnnxProto.ModelProto.encode(message).finish();
  // a plain Uint8Array (Node's encoder hands back a Buffer view of a shared pool)
  return new Uint8Array(bytes);
}

/**
 * Writes the model to the ONNX file `path` (written atomically: a crash never leaves half a file). Node.js only.
 *
 *     await exportOnnx(model, './mnist.onnx');
 */
export async function exportOnnx(model: ExportableModel, path: string): Promise<void> {
  const bytes = toOnnxModel(model);
  const { basename, dirname } = await import('node:path');
  const { writeFilesAtomically } = await import('../atomic.js');
  await writeFilesAtomically(dirname(path), [[basename(path), bytes]]);
}
