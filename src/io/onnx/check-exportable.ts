// The checks made before anything is exported, so that one error names every problem at once: layers without an
// ONNX form (in nested models too), and layer calls that would not run as `predict` runs them.
import type { Layer } from '../../nn/layer.js';
import { isGraphModel, isSequentialModel, type ExportableModel } from './exportable-model.js';
import { EXPORTABLE_LAYERS, unsupportedReason } from './layers.js';

/** The layers of `model` and of the models nested in it, each once, with the nested models themselves left out. */
function innermostLayers(model: ExportableModel, into: Set<Layer>): Set<Layer> {
  for (const layer of model.layers) {
    if (isGraphModel(layer) || isSequentialModel(layer)) innermostLayers(layer, into);
    else into.add(layer);
  }
  return into;
}

/** The calls made with `training: true` (dropout that drops at inference, for one), which an inference graph cannot be. */
function trainingCalls(model: ExportableModel, into: string[]): string[] {
  if (isGraphModel(model)) {
    for (const call of model.layerCalls) {
      if (call.callArgs.training === true) into.push(`'${call.layer.name}' (${call.layer.className}) in model '${model.name}'`);
    }
  }
  for (const layer of model.layers) if (isGraphModel(layer) || isSequentialModel(layer)) trainingCalls(layer, into);
  return into;
}

/** Throws one error naming every layer of the model (nested models included) that cannot be exported. */
export function checkExportable(model: ExportableModel): void {
  const reasons = [...innermostLayers(model, new Set())].map((l) => unsupportedReason(l)).filter((r): r is string => r !== null);
  if (reasons.length > 0) {
    const what = reasons.length === 1 ? 'a layer that has' : `${reasons.length} layers that have`;
    throw new Error(
      `Model '${model.name}' cannot be exported to ONNX: it has ${what} no ONNX form: ${reasons.join(', ')}. Exportable layers: ${EXPORTABLE_LAYERS.join(', ')}, and models of them used as layers; activations must be named ones, not functions.`,
    );
  }
  const training = [...new Set(trainingCalls(model, []))];
  if (training.length > 0) {
    throw new Error(
      `Model '${model.name}' cannot be exported to ONNX: ${training.join(', ')} ${training.length === 1 ? 'is' : 'are'} called with training: true, which the exported graph cannot follow: it always runs in inference mode (as predict does by default). Call the layer without training to export the model.`,
    );
  }
}
