// `Sequential`: a model that is a chain of layers, each fed by the one before (Keras and TF.js `Sequential`). It
// is a `Model` (training, saving, summaries and nesting are the same), built layer by layer as they are added;
// once its input shape is known it also has the graph of any model (`inputs`, `outputs`, `layer.output`).
import { Conv2D } from '../nn/layers/conv2d.js';
import { InputLayer } from '../nn/layers/input.js';
import { Layer, uniqueLayerName, type CallArgs, type LayerMask, type SymbolicShape } from '../nn/layer.js';
import { isShapeList, type SymbolicTensor } from '../nn/symbolic-tensor.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import type { LoadableModel } from '../io/saveable-model.js';
import { registerModelClass } from './model-classes.js';
import { applyMasked, maskList } from './masks.js';
import { Model, type ModelArgs } from './model.js';

export interface SequentialArgs {
  layers?: readonly Layer[];
  name?: string;
}

/**
 * A linear stack of layers, as Keras `Sequential`.
 *
 *     const model = sequential([
 *       layers.dense({ units: 4, activation: 'tanh', inputShape: [2] }),
 *       layers.dense({ units: 1, activation: 'sigmoid' }),
 *     ]);
 *     model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
 *     await model.fit(x, y, { epochs: 100 });
 */
export class Sequential extends Model<Tensor> implements LoadableModel {
  static override readonly className: string = 'Sequential';
  /** The input and output shapes (batch axis first) once known. */
  private shapes: { input: SymbolicShape; output: SymbolicShape } | null = null;
  /** The graph's input (the input layer's output), and the last layer's output, once the input shape is known. */
  private graphIn: SymbolicTensor | null = null;
  private lastOutput: SymbolicTensor | null = null;
  private names = new Set<string>();

  constructor(args: SequentialArgs = {}) {
    // the graph comes once the input shape is known
    super({ name: args.name ?? uniqueLayerName('Sequential') } as ModelArgs);
    for (const layer of args.layers ?? []) this.add(layer);
  }

  /** The input shape (batch axis first) once known. */
  override get inputShapes(): SymbolicShape[] | null {
    return this.shapes ? [this.shapes.input] : null;
  }

  /** The output shape (batch axis first) once built. */
  override get outputShapes(): SymbolicShape[] | null {
    return this.shapes ? [this.shapes.output] : null;
  }

  /** The input's name: the input layer's, `<first layer>_input` without one (as Keras names it). */
  override get inputNames(): string[] {
    const first = this.layers[0];
    return [first instanceof InputLayer ? first.name : first ? `${first.name}_input` : 'input'];
  }

  /** The output's name: the last layer's. */
  override get outputNames(): string[] {
    return [this.layers.at(-1)?.name ?? 'output'];
  }

  /**
   * Appends a layer; when the input shape is known the new layer is built at once (shape errors show here).
   * Only the new layer is built, from the current output shape, so adding N layers takes time linear in N.
   */
  add(layer: Layer): void {
    if (!(layer instanceof Layer)) throw new Error(`Sequential.add() expects a layer (e.g. layers.dense({ units: 8 })), got ${typeof layer}.`);
    if (this.layerNames().has(layer.name)) throw new Error(`Model '${this.name}' already has a layer named '${layer.name}'; layer names must be unique.`);
    if (layer instanceof InputLayer && this.layers.length > 0)
      throw new Error(`An input layer can only be the first layer of a Sequential model ('${layer.name}').`);
    if (this.shapes) {
      // the layers before keep their shapes: building the new one on the current output shape is enough
      this.shapes = { input: this.shapes.input, output: this.connect(layer, this.layers.length, this.shapes.output) };
    } else if (this.layers.length === 0 && declaredInput(layer)) {
      const input = declaredInput(layer)!;
      this.shapes = { input, output: this.connect(layer, 0, input) };
      this.built = true;
    }
    // a layer rejected above never joins the stack
    this.layers.push(layer);
    this.names.add(layer.name);
  }

  /**
   * Builds `layer`, the model's layer `index`, for inputs of `shape` (checking the shape first) and adds its call
   * to the graph; returns its output shape. Its output shape is computed once, by the call.
   */
  private connect(layer: Layer, index: number, shape: SymbolicShape): SymbolicShape {
    checkBuiltFor(layer, index, shape);
    const input = index === 0 ? this.graphInputFor(layer, shape) : this.graphIn;
    const last = index === 0 ? input : this.lastOutput;
    if (!input || !last || layer === input.sourceLayer) {
      const out = singleShape(layer, layer.ensureBuilt(shape));
      if (input) this.startGraph(input, input);
      return out;
    }
    const y = layer.apply(last);
    if (Array.isArray(y)) throw new Error(`Layer '${layer.name}' (${layer.className}) has ${y.length} outputs; a Sequential model needs layers of one output.`);
    this.startGraph(input, y);
    return y.shape;
  }

  /** The symbolic input of the graph for a first layer taking `shape`: its own if it is an input layer, else a new `<layer>_input` (as Keras and TF.js name it); null when a size besides the batch is unknown. */
  private graphInputFor(first: Layer, shape: SymbolicShape): SymbolicTensor | null {
    if (first instanceof InputLayer) return first.output;
    if (shape.length === 0 || shape.slice(1).some((d) => d === null)) return null;
    return new InputLayer({ shape: shape.slice(1) as number[], batchSize: shape[0] ?? undefined, name: `${first.name}_input` }).output;
  }

  /** Makes the chain from `input` to `output` the model's graph. */
  private startGraph(input: SymbolicTensor, output: SymbolicTensor): void {
    this.graphIn = input;
    this.lastOutput = output;
    this.setGraph([input], [output]);
  }

  /** The layer names, kept beside `layers` so that checking a new name does not scan them all. */
  private layerNames(): Set<string> {
    // `layers` is a public array: rebuild the set if it was changed other than through add()
    if (this.names.size !== this.layers.length) this.names = new Set(this.layers.map((l) => l.name));
    return this.names;
  }

  /** Builds every layer for inputs of `inputShape` (batch axis first), checking each layer's input shape. */
  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    const shape = oneInput(this, inputShape);
    const shapes = this.chainShapes(shape);
    for (const [i, layer] of this.layers.entries()) layer.ensureBuilt(shapes[i]);
    this.shapes = { input: shape, output: shapes[shapes.length - 1] };
    this.built = true;
    if (!this.graphIn) this.makeGraph(shape);
  }

  /** The shape before each layer and after the last, for inputs of `shape`; checked before any layer is built, so a shape error leaves none built for the bad shape. */
  private chainShapes(shape: SymbolicShape): SymbolicShape[] {
    const shapes: SymbolicShape[] = [shape];
    for (const [i, layer] of this.layers.entries()) {
      checkBuiltFor(layer, i, shapes[i]);
      shapes.push(singleShape(layer, layer.computeOutputShape(shapes[i])));
    }
    return shapes;
  }

  /** The graph of the built chain (Keras builds it the same way): the input, then each layer called on the one before. */
  private makeGraph(shape: SymbolicShape): void {
    const first = this.layers[0];
    const input = first ? this.graphInputFor(first, shape) : null;
    if (!input) return;
    let x = input;
    for (const layer of this.layers) if (layer !== input.sourceLayer) x = layer.apply(x) as SymbolicTensor;
    this.startGraph(input, x);
  }

  /** The output shape for inputs of `inputShape`, through every layer. */
  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape {
    if (this.layers.length === 0) throw new Error(`Model '${this.name}' has no layers.`);
    const shapes = this.chainShapes(oneInput(this, inputShape));
    return shapes[shapes.length - 1];
  }

  /** Called as a layer of another model: runs the stack. */
  override call(inputs: Tensor | Tensor[], args: CallArgs): Tensor {
    return this.runLayers(Array.isArray(inputs) ? inputs[0] : inputs, args);
  }

  /** Runs the layers in order on the one input (recorded on the tape when gradients are on). */
  override forward(inputs: readonly Tensor[], args: CallArgs = {}): Tensor[] {
    if (inputs.length !== 1) throw new Error(`Model '${this.name}' (Sequential) has one input, got ${inputs.length} tensors.`);
    return [this.runLayers(inputs[0], args)];
  }

  private runLayers(x: Tensor, args: CallArgs): Tensor {
    requireTensor(x, 'apply');
    if (this.layers.length === 0) throw new Error(`Model '${this.name}' has no layers.`);
    if (!this.built) this.build([null, ...x.shape.slice(1)]);
    this.checkInput(x);
    let y = x;
    let mask: LayerMask = args.mask ?? null;
    const outer: CallArgs = args.mask === undefined ? args : { ...args, mask: undefined };
    const layers = this.layers;
    for (let i = 0; i < layers.length; i++) {
      const layer = layers[i];
      // a Conv2D and the MaxPooling2D after it in one pass (in inference the convolved image is never written whole)
      const pool = mask === null && layer instanceof Conv2D ? layer.pooledBy(layers[i + 1]) : null;
      if (pool && layer instanceof Conv2D) {
        y = layer.applyPooled(y, pool);
        i++;
        continue;
      }
      const out = applyMasked(layer, y, mask, outer);
      y = out.y as Tensor;
      mask = out.mask;
    }
    this.outputMasks.remember([y], maskList(mask, 1));
    return y;
  }

  private checkInput(x: Tensor): void {
    const expected = this.shapes!.input;
    if (!compatible(expected, [null, ...x.shape.slice(1)])) {
      throw new Error(`Model '${this.name}' expects input of shape ${formatShape(expected)} (first axis = batch), got ${formatShape(x.shape)}.`);
    }
  }

  /** The model's Keras config (camelCase, as TF.js' `getConfig`): its name and its layers, the first with the input shape. */
  override getConfig(): Record<string, unknown> {
    const layers = this.layers.filter((l) => l.className !== 'InputLayer');
    const input = this.shapes?.input;
    return {
      name: this.name,
      layers: layers.map((l, i) => ({ className: l.className, config: i === 0 && input ? { ...l.getConfig(), batchInputShape: [...input] } : l.getConfig() })),
    };
  }
}

registerModelClass(Sequential);

/**
 * The input shape a first layer declares: its own, or, for a model of one input nested as the first layer, the model's
 * (as Keras takes it), so that a Sequential starting with a built Sequential or functional model is built too.
 */
function declaredInput(layer: Layer): SymbolicShape | null {
  if (layer.batchInputShape) return layer.batchInputShape;
  const shapes = layer instanceof Model ? layer.inputShapes : null;
  return shapes?.length === 1 ? shapes[0] : null;
}

function requireTensor(x: unknown, fn: string): void {
  if (!(x instanceof Tensor)) {
    const got = x === null ? 'null' : Array.isArray(x) ? 'an array (wrap it with tensor(...))' : typeof x;
    throw new Error(`${fn}(): x must be a Tensor, got ${got}.`);
  }
}

/** The one input shape of a Sequential model (a list of one is accepted). */
function oneInput(model: Sequential, inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape {
  if (!isShapeList(inputShape)) return inputShape;
  if (inputShape.length === 1) return inputShape[0];
  throw new Error(`Model '${model.name}' (Sequential) has one input, got ${inputShape.length} input shapes.`);
}

/** A layer already built for other inputs cannot take `shape`. */
function checkBuiltFor(layer: Layer, index: number, shape: SymbolicShape): void {
  if (layer.built && layer.builtInputShape && !compatible(layer.builtInputShape, shape)) {
    throw new Error(
      `Layer ${index} '${layer.name}' (${layer.className}) was built for inputs of shape ${formatShape(layer.builtInputShape)} but now receives ${formatShape(shape)}.`,
    );
  }
}

/** The output shape of a layer in a stack, which must have one output. */
function singleShape(layer: Layer, shape: SymbolicShape | SymbolicShape[]): SymbolicShape {
  if (isShapeList(shape))
    throw new Error(`Layer '${layer.name}' (${layer.className}) has ${shape.length} outputs; a Sequential model needs layers of one output.`);
  return shape;
}

function compatible(expected: SymbolicShape, actual: SymbolicShape): boolean {
  return expected.length === actual.length && expected.every((d, i) => d === null || actual[i] === null || d === actual[i]);
}

/**
 * Creates a Sequential model from a list of layers, or from `{ layers, name }` as TF.js' `tf.sequential` takes it.
 *
 *     sequential([layers.dense({ units: 1, inputShape: [3] })]);
 *     sequential({ layers: [layers.dense({ units: 1, inputShape: [3] })], name: 'linear' });
 */
export function sequential(layers?: readonly Layer[] | SequentialArgs, args: Omit<SequentialArgs, 'layers'> = {}): Sequential {
  if (layers === undefined || Array.isArray(layers)) return new Sequential({ ...args, layers: layers ?? [] });
  if (layers !== null && typeof layers === 'object' && !(layers instanceof Layer)) return new Sequential({ ...layers, ...args });
  throw new Error(
    `sequential() takes a list of layers or { layers, name }, got ${layers instanceof Layer ? `the layer '${layers.name}' alone: put it in a list` : String(layers)}.`,
  );
}
