// What ONNX export reads of a model. Like the interfaces of io/saveable-model.ts, these are structural: io
// never imports the model floor (the model imports io to save and export), so a `Model` or `Sequential` is
// handed over as the members below, and a model nested in another is recognised by the same members.
import type { Layer, SymbolicShape } from '../../nn/layer.js';
import type { CallArgs, SymbolicTensor } from '../../nn/symbolic-tensor.js';

/** One call of a layer in a graph model: the layer, the symbolic tensors it reads and writes, and its call arguments. */
export interface LayerCall {
  readonly layer: Layer;
  readonly inputs: readonly SymbolicTensor[];
  readonly outputs: readonly SymbolicTensor[];
  readonly callArgs: CallArgs;
}

/** What `toOnnxModel` reads of a model, Sequential or graph. */
export interface ExportableModel {
  readonly name: string;
  /** 'Sequential' (a chain of `layers`), or 'Model' for a graph model (its `layerCalls`). */
  readonly className: string;
  readonly built: boolean;
  /** Every layer, each once. */
  readonly layers: readonly Layer[];
  /** One shape per input and per output (batch axis first); null until built. */
  readonly inputShapes: readonly SymbolicShape[] | null;
  readonly outputShapes: readonly SymbolicShape[] | null;
  /** The inputs' and outputs' names, in order (the keys `predict` takes and gives): several inputs or outputs are named so in the ONNX graph. */
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
}

/** A graph model as export walks it: its symbolic inputs and outputs, and the layer calls between them in the order the model runs them, each once. */
export interface ExportableGraphModel extends ExportableModel {
  readonly inputs: readonly SymbolicTensor[];
  readonly outputs: readonly SymbolicTensor[];
  readonly layerCalls: readonly LayerCall[];
}

/** Whether `layer` is a graph model of dendrite's own (a `Model` used as a layer), whose calls can be inlined. */
export function isGraphModel(layer: ExportableModel | Layer): layer is Layer & ExportableGraphModel {
  return layer.className === 'Model' && 'layerCalls' in layer && 'inputs' in layer && 'outputs' in layer;
}

/** Whether `layer` is a Sequential model (a chain of its `layers`). */
export function isSequentialModel(layer: ExportableModel | Layer): layer is Layer & ExportableModel {
  return layer.className === 'Sequential' && 'layers' in layer && Array.isArray(layer.layers);
}
