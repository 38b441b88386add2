import { notEqual } from '../../ops/binary.js';
import { gather } from '../../ops/gather.js';
import { formatShape } from '../../tensor/shape.js';
import type { Tensor, Variable } from '../../tensor/tensor.js';
import { getInitializer, serializeInitializer, type Initializer, type InitializerIdentifier } from '../initializers.js';
import { Layer, type CallArgs, type LayerArgs, type LayerMask, type SymbolicShape } from '../layer.js';
import { getRegularizer, serializeRegularizer, type Regularizer, type RegularizerIdentifier } from '../regularizers.js';
import { describeLayer } from './image-args.js';
import { fail, initializerArg, layerArgs, refuse, regularizerArg, type LayerConfig } from './config-args.js';

export interface EmbeddingArgs extends LayerArgs {
  /** Size of the vocabulary: ids run from 0 to inputDim - 1. */
  inputDim: number;
  /** Length of each id's vector. */
  outputDim: number;
  /** Initial vectors (default `'randomUniform'`, uniform in ±0.05, as TF.js and Keras). */
  embeddingsInitializer?: InitializerIdentifier;
  embeddingsRegularizer?: RegularizerIdentifier;
  /** Whether id 0 is padding: the layer then gives later layers a mask of (id != 0) (default false). */
  maskZero?: boolean;
  /** The length of the input sequences (a list for inputs of rank > 2), when the layer comes first in a model (TF.js). */
  inputLength?: number | readonly number[];
}

/**
 * Turns integer ids (given as numbers in a float tensor) into vectors: `[N, ...] -> [N, ..., outputDim]`, row
 * `id` of the weight `embeddings` [inputDim, outputDim].
 */
export class Embedding extends Layer {
  static readonly className = 'Embedding';
  readonly inputDim: number;
  readonly outputDim: number;
  readonly embeddingsInitializer: Initializer;
  readonly embeddingsRegularizer: Regularizer | null;
  readonly maskZero: boolean;
  readonly inputLength: number | number[] | null;
  embeddings: Variable | null = null;

  constructor(args: EmbeddingArgs) {
    // as TF.js and Keras 2: the input length, when given, is the input shape of a first layer
    const length =
      args.inputLength === undefined || args.inputLength === null ? null : typeof args.inputLength === 'number' ? [args.inputLength] : [...args.inputLength];
    const shaped = !args.inputShape && !args.batchInputShape && length !== null ? { ...args, batchInputShape: [null, ...length] } : args;
    super(shaped, 'Embedding');
    for (const key of ['inputDim', 'outputDim'] as const) {
      if (!Number.isInteger(args[key]) || args[key] < 1)
        throw new Error(`${describeLayer(this)}: ${key} must be a positive integer, got ${String(args[key])}.`);
    }
    if (length !== null && !length.every((d) => Number.isInteger(d) && d > 0)) {
      throw new Error(`${describeLayer(this)}: inputLength must be a positive integer (or a list of them), got ${JSON.stringify(args.inputLength)}.`);
    }
    this.inputDim = args.inputDim;
    this.outputDim = args.outputDim;
    this.embeddingsInitializer = getInitializer(args.embeddingsInitializer ?? 'randomUniform');
    this.embeddingsRegularizer = args.embeddingsRegularizer ? getRegularizer(args.embeddingsRegularizer) : null;
    this.maskZero = args.maskZero ?? false;
    // as Keras 3: a layer that makes the mask passes it on
    this.supportsMasking = this.maskZero;
    this.inputLength = length === null ? null : typeof args.inputLength === 'number' ? length[0] : length;
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    if (inputShape.length < 1) throw new Error(`${describeLayer(this)} expects inputs with a batch axis ([batch, steps]), got a scalar shape [].`);
    if (this.inputLength !== null) {
      const lengths = typeof this.inputLength === 'number' ? [this.inputLength] : this.inputLength;
      const steps = inputShape.slice(1);
      if (steps.length !== lengths.length || !lengths.every((d, i) => steps[i] === null || steps[i] === d)) {
        throw new Error(
          `${describeLayer(this)} was declared with inputLength ${JSON.stringify(this.inputLength)}, so it expects inputs of shape ${formatShape([null, ...lengths])}, got ${formatShape(inputShape)}.`,
        );
      }
    }
    return [...inputShape, this.outputDim];
  }

  override build(inputShape: SymbolicShape): void {
    void inputShape;
    this.embeddings = this.addWeight('embeddings', [this.inputDim, this.outputDim], this.embeddingsInitializer, { regularizer: this.embeddingsRegularizer });
  }

  call(ids: Tensor, args: CallArgs): Tensor {
    void args;
    this.checkIds(ids);
    return gather(this.embeddings!, ids, 0);
  }

  /** Every id an integer in 0..inputDim-1, or an error naming the layer, the id and where it is. */
  private checkIds(ids: Tensor): void {
    const v = ids.values;
    for (let i = 0; i < v.length; i++) {
      const id = v[i];
      if (Number.isInteger(id) && id >= 0 && id < this.inputDim) continue;
      const at: number[] = [];
      for (let rest = i, a = ids.rank - 1; a >= 0; a--) {
        at.unshift(rest % ids.shape[a]);
        rest = Math.floor(rest / ids.shape[a]);
      }
      const what = Number.isInteger(id) ? 'outside the vocabulary' : 'not an integer id; ids are whole numbers';
      throw new Error(
        `${describeLayer(this)}: id ${id} at position ${formatShape(at)} of the input (shape ${formatShape(ids.shape)}) is ${what} 0..${this.inputDim - 1} (inputDim ${this.inputDim}).${id >= this.inputDim ? ' Raise inputDim to the vocabulary size (the largest id + 1).' : ''}`,
      );
    }
  }

  /** With `maskZero`, the mask of the output: 1 where the id is not 0 (a real token), 0 where it is padding. */
  override computeMask(inputs: Tensor | Tensor[], mask: LayerMask | undefined): LayerMask {
    void mask;
    if (!this.maskZero) return null;
    return notEqual(Array.isArray(inputs) ? inputs[0] : inputs, 0);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      inputDim: this.inputDim,
      outputDim: this.outputDim,
      embeddingsInitializer: serializeInitializer(this.embeddingsInitializer),
      embeddingsRegularizer: this.embeddingsRegularizer ? serializeRegularizer(this.embeddingsRegularizer) : null,
      maskZero: this.maskZero,
      inputLength: this.inputLength,
    };
  }

  /** The layer a model file's config describes (camelCase keys); the inverse of `getConfig`. */
  static fromConfig(c: LayerConfig): Embedding {
    refuse(c, ['activityRegularizer', 'embeddingsConstraint', 'loraRank', 'quantizationConfig']);
    const inputLength = c.inputLength;
    if (inputLength !== undefined && inputLength !== null && typeof inputLength !== 'number' && !Array.isArray(inputLength)) {
      fail(`input_length must be a number or a list, got ${JSON.stringify(inputLength)}`);
    }
    return new Embedding({
      ...layerArgs(c),
      inputDim: Number(c.inputDim),
      outputDim: Number(c.outputDim),
      embeddingsInitializer: initializerArg(c, 'embeddingsInitializer', 'randomUniform'),
      embeddingsRegularizer: regularizerArg(c, 'embeddingsRegularizer'),
      maskZero: Boolean(c.maskZero ?? false),
      inputLength: inputLength === null || inputLength === undefined ? undefined : (inputLength as number | number[]),
    });
  }
}

/**
 * A table of learnt vectors, one per token id (TF.js `tf.layers.embedding`, Keras `Embedding`); `maskZero`
 * makes id 0 padding that masking layers after it skip.
 *
 *     embedding({ inputDim: 10000, outputDim: 64, inputLength: 100 });  // [null, 100] ids -> [null, 100, 64]
 */
export function embedding(args: EmbeddingArgs): Embedding {
  return new Embedding(args);
}
