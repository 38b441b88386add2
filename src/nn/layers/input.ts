import { formatShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Layer, type CallArgs, type SymbolicShape } from '../layer.js';
import type { SymbolicTensor } from '../symbolic-tensor.js';
import { fail, layerArgs, type LayerConfig } from './config-args.js';

export interface InputArgs {
  /**
   * Shape of one sample, without the batch axis, e.g. `[28, 28, 1]`; `null` for a size that may change from batch
   * to batch, e.g. `[null]` for token ids of any length or `[null, 8]` for sequences of any number of steps.
   */
  shape: readonly (number | null)[];
  /** A fixed batch size; by default any batch size is accepted. */
  batchSize?: number;
  name?: string;
}

/**
 * The entry point of a model: declares the per-sample input shape and passes tensors through unchanged,
 * so the layers after it can be built (and their shapes checked) before any data arrives.
 */
export class InputLayer extends Layer {
  static readonly className = 'InputLayer';
  declare readonly batchInputShape: SymbolicShape;
  /** A mask given with the model's input passes on to the first layer. */
  override supportsMasking = true;

  constructor(args: InputArgs) {
    const shape = args.shape;
    const name = args.name;
    if (!Array.isArray(shape) || !shape.every((d) => d === null || (Number.isInteger(d) && d > 0))) {
      throw new Error(
        `input(${name ? `'${name}'` : ''}): shape must be the shape of one sample (positive integers, or null for a size free to vary; no batch axis), got ${Array.isArray(shape) ? formatShape(shape) : String(shape)}.`,
      );
    }
    if (args.batchSize !== undefined && !(Number.isInteger(args.batchSize) && args.batchSize > 0)) {
      throw new Error(`input(${name ? `'${name}'` : ''}): batchSize must be a positive integer, got ${String(args.batchSize)}.`);
    }
    super({ name, batchInputShape: [args.batchSize ?? null, ...shape], trainable: false }, 'InputLayer');
    // nothing to build: the declared shape is the built shape, which `apply` then checks every input against
    this.builtInputShape = this.batchInputShape;
    this.builtInputShapes = [this.batchInputShape];
    this.built = true;
    // as in Keras, the layer's one node (without inputs) makes the symbolic tensor that a model starts from
    this.addInboundNode([], [this.batchInputShape], {});
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const declared = this.batchInputShape;
    const fits = inputShape.length === declared.length && inputShape.every((d, i) => declared[i] === null || d === null || d === declared[i]);
    if (!fits) {
      throw new Error(
        `Layer '${this.name}' (InputLayer) expects inputs of shape ${formatShape(declared)}, got ${formatShape(inputShape)} (the first axis is the batch).`,
      );
    }
    return [...declared];
  }

  call(x: Tensor, args: CallArgs): Tensor {
    void args;
    const batch = this.batchInputShape[0];
    if (batch !== null && x.shape[0] !== batch) {
      throw new Error(
        `Layer '${this.name}' (InputLayer) was declared with batchSize ${batch}, got a batch of ${x.shape[0]} (input shape ${formatShape(x.shape)}).`,
      );
    }
    return x;
  }

  override getConfig(): Record<string, unknown> {
    return { name: this.name, batchInputShape: this.batchInputShape, dtype: 'float32', sparse: false };
  }

  /** The layer a model file's config describes (camelCase keys); the inverse of `getConfig`. */
  static fromConfig(c: LayerConfig): InputLayer {
    const args = layerArgs(c);
    if (!args.batchInputShape) fail('an InputLayer needs batch_input_shape (or batch_shape)');
    const [batch, ...shape] = args.batchInputShape;
    return new InputLayer({ shape, batchSize: batch ?? undefined, name: args.name });
  }
}

/**
 * The input layer of a Sequential model (Keras `InputLayer`, TF.js `tf.layers.inputLayer`): `shape` is one
 * sample's shape. For a graph model, the top-level `input()` gives its symbolic tensor.
 *
 *     sequential([layers.input({ shape: [784] }), layers.dense({ units: 10 })]);
 */
export function input(args: InputArgs): InputLayer {
  return new InputLayer(args);
}

/**
 * A model's input as a symbolic tensor (Keras `keras.Input`, TF.js `tf.input`): the output of a new
 * `InputLayer`. `shape` is one sample's shape; `batchSize` fixes the batch axis.
 *
 *     const x = input({ shape: [28, 28, 1], name: 'image' });   // SymbolicTensor [null, 28, 28, 1]
 */
export function symbolicInput(args: InputArgs): SymbolicTensor {
  return new InputLayer(args).output;
}
