// TF.js' models: `tf.sequential`, `tf.model`, `tf.input`, `tf.loadLayersModel` and the two model classes. They
// are dendrite's `Sequential` and `Model` (same layers, training and files) with the two members TF.js defines
// differently: `evaluate` (and `evaluateDataset`) returns scalar tensors (the loss, then each metric, as TF.js lists them) instead of
// dendrite's object of numbers, and `save` takes a URL or an IOHandler (`tf.io.withSaveHandler(...)`) instead
// of a folder path. Files load as these classes, nested models too.
import { readCheckpoint, readCheckpointFolder } from '../io/load.js';
import { modelToArtifacts, type SaveOptions } from '../io/save.js';
import type { ModelMakers } from '../io/saveable-model.js';
import type { Layer } from '../nn/layer.js';
import { symbolicInput as input } from '../nn/layers/input.js';
import type { Dataset } from '../data/dataset/dataset.js';
import type { CompileArgs } from '../model/compile-settings.js';
import type { EvaluateArgs } from '../model/evaluate.js';
import type { EvaluateDatasetArgs } from '../model/evaluate-dataset.js';
import { Model, type ModelArgs } from '../model/model.js';
import type { ModelData } from '../model/model-data.js';
import { Sequential as DendriteSequential, type SequentialArgs } from '../model/sequential.js';
import { tensor } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import { artifactsInfo, fromTfjsArtifacts, toTfjsArtifacts } from './artifacts.js';
import type { IOHandler, SaveResult } from './io-types.js';
import { handlerFor } from './io-router.js';

export { input };
export { SymbolicTensor } from '../nn/symbolic-tensor.js';

/** TF.js' `evaluate`: the record's values as scalars in its order (loss first); one scalar when there is only the loss. */
function scalars(record: Record<string, number>): Tensor | Tensor[] {
  const values = Object.values(record).map((v) => tensor([v], []));
  return values.length === 1 ? values[0] : values;
}

/**
 * TF.js' `save`: a URL or a handler. `file://` saves a folder (Node.js); `localstorage://`, `indexeddb://`,
 * `downloads://` and `http(s)://` go to their handlers (io-router.ts), which take the model's artifacts as TF.js'
 * handlers do.
 */
async function saveAs(model: Model, handlerOrUrl: IOHandler | string, config: SaveOptions): Promise<SaveResult> {
  const handler = typeof handlerOrUrl === 'string' ? handlerFor(handlerOrUrl, 'save', 'model.save') : handlerOrUrl;
  if (handler === null) {
    await Model.prototype.save.call(model, handlerOrUrl as string, config);
    const { modelJson, weightData } = modelToArtifacts(model, config);
    return { modelArtifactsInfo: artifactsInfo(toTfjsArtifacts(modelJson, weightData)) };
  }
  if (typeof handler?.save !== 'function') throw new Error('model.save(): the handler has no save() method.');
  const { modelJson, weightData } = modelToArtifacts(model, config);
  return handler.save(toTfjsArtifacts(modelJson, weightData));
}

/**
 * TF.js logs the metric given as 'accuracy' under `acc` (`logs.acc`, `val_acc`, as Keras 2 did), where dendrite
 * logs `accuracy`: the TF.js classes ask dendrite for 'acc', which logs `acc`. Lists and objects per output too.
 */
function tfjsMetrics(metrics: CompileArgs['metrics']): CompileArgs['metrics'] {
  const rename = (m: unknown): unknown => (m === 'accuracy' ? 'acc' : Array.isArray(m) ? m.map(rename) : m);
  if (metrics === undefined || metrics === null) return metrics;
  if (Array.isArray(metrics)) return rename(metrics) as CompileArgs['metrics'];
  if (typeof metrics === 'object') return Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, rename(v)])) as CompileArgs['metrics'];
  return metrics;
}

type TfjsMembers = 'compile' | 'evaluate' | 'evaluateDataset' | 'save';

/** dendrite's Model with TF.js' `evaluate` and `save` in place of its own. */
const ModelBase = Model as unknown as new (args: ModelArgs) => Omit<Model, TfjsMembers>;

/** tf.LayersModel: a graph model (dendrite's `Model`) with TF.js' `evaluate` and `save`. */
export class LayersModel extends ModelBase {
  static readonly className: string = 'Model';

  /** dendrite's compile, with TF.js' `acc` for the metric 'accuracy' in the logs. */
  compile(args: CompileArgs): void {
    Model.prototype.compile.call(this, { ...args, metrics: tfjsMetrics(args.metrics) });
  }

  /** The loss, then each metric, as scalars (one scalar when there are no metrics and one output). */
  evaluate(x: ModelData, y: ModelData, args: EvaluateArgs = {}): Tensor | Tensor[] {
    return scalars(Model.prototype.evaluate.call(this, x, y, args));
  }

  /** evaluate over a dataset's batches: scalars as `evaluate` gives them. */
  async evaluateDataset(dataset: Dataset<unknown>, args: EvaluateDatasetArgs = {}): Promise<Tensor | Tensor[]> {
    return scalars(await Model.prototype.evaluateDataset.call(this, dataset, args));
  }

  /** Saves to a URL (`file://` in Node.js; `localstorage://`, `indexeddb://`, `downloads://`, `http(s)://`) or an IOHandler, as TF.js' `model.save`. */
  async save(handlerOrUrl: IOHandler | string, config: SaveOptions = {}): Promise<SaveResult> {
    return saveAs(this as unknown as Model, handlerOrUrl, config);
  }
}

const SequentialBase = DendriteSequential as unknown as new (args?: SequentialArgs) => Omit<DendriteSequential, TfjsMembers>;

/** tf.Sequential: dendrite's `Sequential` with TF.js' `evaluate` and `save`. */
export class Sequential extends SequentialBase {
  static readonly className: string = 'Sequential';

  compile(args: CompileArgs): void {
    Model.prototype.compile.call(this, { ...args, metrics: tfjsMetrics(args.metrics) });
  }

  evaluate(x: ModelData, y: ModelData, args: EvaluateArgs = {}): Tensor | Tensor[] {
    return scalars(Model.prototype.evaluate.call(this, x, y, args));
  }

  async evaluateDataset(dataset: Dataset<unknown>, args: EvaluateDatasetArgs = {}): Promise<Tensor | Tensor[]> {
    return scalars(await Model.prototype.evaluateDataset.call(this, dataset, args));
  }

  async save(handlerOrUrl: IOHandler | string, config: SaveOptions = {}): Promise<SaveResult> {
    return saveAs(this as unknown as Model, handlerOrUrl, config);
  }
}

/** tf.model({ inputs, outputs, name }). */
export function model(args: ModelArgs): LayersModel {
  return new LayersModel(args);
}

/** tf.sequential({ layers, name }) (a list of layers is taken too). */
export function sequential(args: SequentialArgs | readonly Layer[] = {}): Sequential {
  return new Sequential(Array.isArray(args) ? { layers: args as readonly Layer[] } : (args as SequentialArgs));
}

const MAKERS = {
  sequential: (args: { name?: string }) => new Sequential(args),
  graph: (args: ModelArgs) => new LayersModel(args),
} as unknown as ModelMakers<Model>;

/**
 * tf.loadLayersModel: a model from a `file://` URL (Node.js), a `localstorage://` or `indexeddb://` URL (what TF.js
 * or dendrite saved there), an `http(s)://` URL, or an IOHandler
 * (`tf.io.fromMemory(...)`, a TF.js handler). A Sequential file loads as a `tf.Sequential`, a functional one as
 * a `tf.LayersModel`; compiled when the file has a training config, as in TF.js.
 */
export async function loadLayersModel(pathOrIOHandler: string | IOHandler): Promise<LayersModel | Sequential> {
  if (typeof pathOrIOHandler === 'string') {
    const handler = handlerFor(pathOrIOHandler, 'load', 'loadLayersModel');
    if (handler) return loadLayersModel(handler);
    return (await readCheckpointFolder(pathOrIOHandler, MAKERS)).model as unknown as LayersModel | Sequential;
  }
  if (typeof pathOrIOHandler?.load !== 'function') throw new Error('loadLayersModel(): the handler has no load() method.');
  const { json, weights } = fromTfjsArtifacts(await pathOrIOHandler.load());
  return readCheckpoint(json, weights, MAKERS).model as unknown as LayersModel | Sequential;
}
