// The vocabulary of a layer graph (Keras' functional API): a `SymbolicTensor` stands for the data that will flow
// along an edge (its shape, with the batch axis as null, and the layer call that produces it), and a `Node`
// records one call of a layer on symbolic tensors: which went in, which came out. A model walks these links
// back from its outputs to find its layers and the order to run them in.
//
// NOTE: a symbolic tensor and a node refer to their layer through `GraphLayer`, the part of `Layer` the graph
// needs, rather than `Layer` itself: layer.ts imports this file (a layer makes nodes), and the dependency check
// forbids cycles, type-only ones included. A model gets the `Layer` back with `layerOf` (nn/layer.ts).
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

/** A shape with the batch axis first; `null` where the size is not known until data arrives. */
export type SymbolicShape = readonly (number | null)[];

/** Options of one call of a layer (Keras call arguments). */
export interface CallArgs {
  /** Training mode: dropout drops, batch normalisation uses batch statistics. */
  training?: boolean;
  /**
   * The mask of the input (Keras' `mask`): for a sequence `[batch, timesteps, ...]`, a `[batch, timesteps]` tensor
   * of 1 where a step holds data and 0 where it is padding; a list (one entry per input, `null` for none) for a
   * layer of several inputs. Models pass it from layer to layer (see `Layer.computeMask`).
   */
  mask?: LayerMask;
}

/** A mask as it flows between layers: one per tensor, `null` for none. */
export type LayerMask = Tensor | null | (Tensor | null)[];

/** What the graph needs of a layer: its name and class, and the nodes of its calls. `Layer` implements it. */
export interface GraphLayer {
  readonly name: string;
  readonly className: string;
  /** One node per call of the layer on symbolic tensors, in call order (the node index). */
  readonly inboundNodes: Node[];
  /** The nodes of the calls that consumed this layer's outputs. */
  readonly outboundNodes: Node[];
}

let nextId = 0;

/**
 * A placeholder for a tensor in a model under construction (Keras `KerasTensor`, TF.js `SymbolicTensor`): it
 * holds a shape, not values. `input()` makes one; calling a layer on symbolic tensors (`layer.apply(x)`)
 * returns new ones, whose shapes the layer infers; `model({ inputs, outputs })` turns the graph between them
 * into a model.
 *
 *     const x = input({ shape: [784] });
 *     const h = layers.dense({ units: 64, activation: 'relu' }).apply(x);   // SymbolicTensor [null, 64]
 */
export class SymbolicTensor {
  /** Unique in the process, for maps and error messages. */
  readonly id = nextId++;
  readonly dtype = 'float32';

  constructor(
    /** Batch axis first; `null` where unknown (the batch, unless `input()` fixed it). */
    readonly shape: SymbolicShape,
    /** The layer call's name for it: the layer's name, or `layer[node][tensor]` for a second call or a second output. */
    readonly name: string,
    /** The layer that produces it. */
    readonly sourceLayer: GraphLayer,
    /** Which call of `sourceLayer` produces it (an index into `sourceLayer.inboundNodes`). */
    readonly nodeIndex: number,
    /** Which output of that call it is. */
    readonly tensorIndex: number,
  ) {}

  get rank(): number {
    return this.shape.length;
  }

  /** The node (layer call) that produces this tensor. */
  get node(): Node {
    return this.sourceLayer.inboundNodes[this.nodeIndex];
  }

  toString(): string {
    return `SymbolicTensor '${this.name}' ${formatShape(this.shape)} (from layer '${this.sourceLayer.name}')`;
  }
}

/**
 * One call of a layer on symbolic tensors (Keras and TF.js `Node`): the tensors that went in and the tensors
 * that came out. A layer called twice (a shared layer) has two nodes and one set of weights. An `InputLayer`'s
 * node has no inputs.
 */
export class Node {
  readonly id = nextId++;

  constructor(
    /** The layer that was called. */
    readonly outboundLayer: GraphLayer,
    readonly inputTensors: readonly SymbolicTensor[],
    readonly outputTensors: readonly SymbolicTensor[],
    /** Call arguments given explicitly (e.g. `{ training: true }`); they override the model's when it runs. */
    readonly callArgs: CallArgs,
  ) {}

  /** The layers whose outputs went in, one per input tensor (a layer may appear more than once). */
  get inboundLayers(): GraphLayer[] {
    return this.inputTensors.map((t) => t.sourceLayer);
  }

  /** For each input tensor, which call of its layer made it. */
  get nodeIndices(): number[] {
    return this.inputTensors.map((t) => t.nodeIndex);
  }

  /** For each input tensor, which output of that call it is. */
  get tensorIndices(): number[] {
    return this.inputTensors.map((t) => t.tensorIndex);
  }

  get inputShapes(): SymbolicShape[] {
    return this.inputTensors.map((t) => t.shape);
  }

  get outputShapes(): SymbolicShape[] {
    return this.outputTensors.map((t) => t.shape);
  }

  /** The nodes that made this node's inputs. */
  get parentNodes(): Node[] {
    return this.inputTensors.map((t) => t.node);
  }

  /** A node without inputs: an `InputLayer`'s, where data enters a model. */
  get isInput(): boolean {
    return this.inputTensors.length === 0;
  }
}

/** True for a list of shapes (a layer of several inputs or outputs), false for one shape. */
export function isShapeList(shape: SymbolicShape | readonly SymbolicShape[]): shape is readonly SymbolicShape[] {
  return shape.length > 0 && Array.isArray(shape[0]);
}
