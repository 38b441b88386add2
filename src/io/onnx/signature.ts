// The names and shapes of an exported graph's inputs and outputs. A model of one input and one output keeps
// the names it has always had, `input` and `output`; a model of several takes the model's own names (the input
// layers' and the output layers', the keys `predict` takes and gives), so that ONNX Runtime is fed as dendrite is.
import type { SymbolicShape } from '../../nn/layer.js';
import type { ExportableModel } from './exportable-model.js';

/** The graph's single input and output, for a model of one of each. */
export const ONNX_INPUT_NAME = 'input';
export const ONNX_OUTPUT_NAME = 'output';

/** One input or output of the exported graph: its name and its shape in dendrite's layout (batch axis first). */
export interface OnnxTensorInfo {
  readonly name: string;
  readonly shape: SymbolicShape;
}

/** The inputs and outputs of the graph `toOnnxModel` writes for `model`, in the model's order. */
export interface OnnxSignature {
  readonly inputs: readonly OnnxTensorInfo[];
  readonly outputs: readonly OnnxTensorInfo[];
}

/** `name`, or `name_1`, `name_2`, ... if taken. */
function distinct(name: string, taken: ReadonlySet<string>): string {
  let unique = name;
  for (let i = 1; taken.has(unique); i++) unique = `${name}_${i}`;
  return unique;
}

/** The inputs and outputs of the exported graph of a built `model`. */
export function onnxSignature(model: ExportableModel): OnnxSignature {
  const inputShapes = model.inputShapes ?? [];
  const outputShapes = model.outputShapes ?? [];
  const inputNames = inputShapes.length === 1 ? [ONNX_INPUT_NAME] : model.inputNames;
  const taken = new Set(inputNames);
  // an output that is an input passed through is named after its input layer too: it gets a name of its own
  const outputNames = (outputShapes.length === 1 ? [ONNX_OUTPUT_NAME] : model.outputNames).map((name) => {
    const unique = distinct(name, taken);
    taken.add(unique);
    return unique;
  });
  return {
    inputs: inputShapes.map((shape, i) => ({ name: inputNames[i], shape })),
    outputs: outputShapes.map((shape, i) => ({ name: outputNames[i], shape })),
  };
}
