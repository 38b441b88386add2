// Exporting a Sequential model to ONNX, so it runs on ONNX Runtime (servers, phones, browsers) and anything
// else that reads ONNX. `toOnnxModel` builds the bytes (no Node.js needed); `exportOnnx` writes a file.
import onnxProto, { type onnx } from 'onnx-proto';
import type { SymbolicShape } from '../../nn/layer.js';
import { GraphBuilder } from './graph.js';
import { EXPORTABLE_LAYERS, exportLayer, unsupportedReason } from './layers.js';
import { toNhwc, type Value } from './layout.js';
import type { SaveableModel } from '../saveable-model.js';

const { onnx: OnnxProto } = onnxProto;

/** The ONNX operator set the graphs use (17: LayerNormalization; onnxruntime has run it since 1.14). */
export const ONNX_OPSET = 17;
/** The ONNX IR version that goes with opset 17. */
export const ONNX_IR_VERSION = 8;
/** The graph's input and output names. */
export const ONNX_INPUT_NAME = 'input';
export const ONNX_OUTPUT_NAME = 'output';

/** A float32 tensor type of `shape`: batch axis 'N' when unknown, other unknown axes 'd1', 'd2', ... */
function tensorType(shape: SymbolicShape): onnx.ITypeProto {
  const dim = shape.map((d, i) => (d !== null ? { dimValue: d } : { dimParam: i === 0 ? 'N' : `d${i}` }));
  return { tensorType: { elemType: OnnxProto.TensorProto.DataType.FLOAT, shape: { dim } } };
}

/** Throws one error naming every layer that cannot be exported. */
function checkExportable(model: SaveableModel): void {
  const reasons = model.layers.map((l) => unsupportedReason(l)).filter((r): r is string => r !== null);
  if (reasons.length === 0) return;
  const what = reasons.length === 1 ? 'a layer that has' : `${reasons.length} layers that have`;
  throw new Error(
    `Model '${model.name}' cannot be exported to ONNX: it has ${what} no ONNX form: ${reasons.join(', ')}. Exportable layers: ${EXPORTABLE_LAYERS.join(', ')}; activations must be named ones, not functions.`,
  );
}

/**
 * The model as ONNX bytes (a serialized ModelProto, opset 17). The graph's input `input` has dendrite's
 * input shape with a symbolic batch axis `N` and float32 values in dendrite's layout (NHWC for images);
 * its output `output` is what `model.predict` gives. Works in the browser too.
 *
 *     const bytes = toOnnxModel(model);
 *     const session = await ort.InferenceSession.create(bytes);
 */
export function toOnnxModel(model: SaveableModel): Uint8Array {
  // the layers of a graph model are not a chain: exporting them in order would be a different network
  if (model.className !== 'Sequential')
    throw new Error(`Model '${model.name}' is a graph model (${model.className}); ONNX export supports Sequential models only so far.`);
  if (!model.built || !model.inputShape || !model.outputShape) {
    throw new Error(
      `Model '${model.name}' is not built yet (its input shape is unknown), so it cannot be exported to ONNX. Give the first layer an inputShape, or call fit or predict once.`,
    );
  }
  checkExportable(model);
  const g = new GraphBuilder([ONNX_INPUT_NAME, ONNX_OUTPUT_NAME]);
  let x: Value = { name: ONNX_INPUT_NAME, shape: model.inputShape, layout: 'nhwc' };
  for (const layer of model.layers) x = exportLayer(g, layer, x);
  x = toNhwc(g, x, 'output');
  const last = g.nodes[g.nodes.length - 1];
  if (last && last.output?.[0] === x.name) {
    // the last node writes the graph output directly (nothing else reads its value: it was made last)
    last.output = [ONNX_OUTPUT_NAME];
  } else {
    g.nodes.push({ opType: 'Identity', input: [x.name], output: [ONNX_OUTPUT_NAME], name: 'output/identity' });
  }
  const graph: onnx.IGraphProto = {
    name: model.name,
    node: g.nodes,
    initializer: g.initializers,
    input: [{ name: ONNX_INPUT_NAME, type: tensorType(model.inputShape), docString: model.inputShape.length === 4 ? 'NHWC images' : '' }],
    output: [{ name: ONNX_OUTPUT_NAME, type: tensorType(model.outputShape) }],
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
export async function exportOnnx(model: SaveableModel, path: string): Promise<void> {
  const bytes = toOnnxModel(model);
  const { basename, dirname } = await import('node:path');
  const { writeFilesAtomically } = await import('../atomic.js');
  await writeFilesAtomically(dirname(path), [[basename(path), bytes]]);
}
