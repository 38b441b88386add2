import { reshape } from '../../ops/reshape.js';
import { formatShape } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { isShapeList } from '../symbolic-tensor.js';
import type { CallArgs, Layer, LayerMask, SymbolicShape } from '../layer.js';
import { fail, layerArgs, type LayerConfig, type LayerDeserializer } from './config-args.js';
import { describeLayer } from './image-args.js';
import { Wrapper, type WrapperArgs } from './wrapper.js';

export type TimeDistributedArgs = WrapperArgs;

/**
 * Applies a layer to every step of a sequence (Keras `TimeDistributed`): [N, T, ...] is run as a batch of N*T
 * samples [N*T, ...] and the output reshaped to [N, T, ...], so every step shares the layer's weights. The
 * mask passes through.
 */
export class TimeDistributed extends Wrapper {
  static readonly className = 'TimeDistributed';
  override supportsMasking = true;

  constructor(args: TimeDistributedArgs) {
    super(args, 'TimeDistributed');
    this.freezeIfFrozen();
  }

  get wrappedLayers(): readonly Layer[] {
    return [this.layer];
  }

  /** [N, ...] of one step, from [N, T, ...]; an error naming the layer for a shape without a time axis. */
  private stepShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape {
    if (isShapeList(inputShape)) throw new Error(`${describeLayer(this)} takes one input, got ${inputShape.length}.`);
    if (inputShape.length < 3) {
      throw new Error(
        `${describeLayer(this)} expects inputs of rank 3 or more [batch, timesteps, ...], got shape ${formatShape(inputShape)} of rank ${inputShape.length}.`,
      );
    }
    return [inputShape[0], ...inputShape.slice(2)];
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const out = this.layer.computeOutputShape(this.stepShape(inputShape));
    if (isShapeList(out))
      throw new Error(`${describeLayer(this)}: its layer '${this.layer.name}' has ${out.length} outputs; TimeDistributed wraps a layer of one.`);
    return [inputShape[0], inputShape[1], ...out.slice(1)];
  }

  override build(inputShape: SymbolicShape): void {
    if (this.layer.built) return;
    // its weights are named as TF.js and Keras name them in files: `time_distributed/kernel`
    this.layer.weightScope = this.name;
    this.layer.ensureBuilt(this.stepShape(inputShape));
  }

  call(x: Tensor, args: CallArgs): Tensor {
    const [n, t] = x.shape;
    const inner: CallArgs = args.training === undefined ? {} : { training: args.training };
    // a mask of each step's own time axis ([N, T, T2] for a wrapped RNN) goes to the layer, one row per sample
    const mask = args.mask;
    if (mask instanceof Tensor && mask.rank >= 3) inner.mask = reshape(mask, [n * t, ...mask.shape.slice(2)]);
    const y = this.layer.apply(reshape(x, [n * t, ...x.shape.slice(2)]), inner);
    if (!(y instanceof Tensor))
      throw new Error(`${describeLayer(this)}: its layer '${this.layer.name}' returned several outputs; TimeDistributed wraps a layer of one.`);
    return reshape(y, [n, t, ...y.shape.slice(1)]);
  }

  /** The input's mask, as Keras 3 passes it on. */
  override computeMask(inputs: Tensor | Tensor[], mask?: LayerMask): LayerMask {
    void inputs;
    return mask ?? null;
  }

  /** The layer a model file's config describes (camelCase keys), its wrapped layer built by `nested`. */
  static fromConfig(c: LayerConfig, nested: LayerDeserializer): TimeDistributed {
    if (c.layer === undefined || c.layer === null) fail('layer is missing (the wrapped layer, {class_name, config})');
    return new TimeDistributed({ ...layerArgs(c), layer: nested(c.layer) });
  }
}

/**
 * Applies `layer` to every timestep (TF.js `tf.layers.timeDistributed`, Keras `TimeDistributed`).
 *
 *     timeDistributed({ layer: dense({ units: 10, activation: 'softmax' }) });  // [null, 7, 32] -> [null, 7, 10]
 */
export function timeDistributed(args: TimeDistributedArgs): TimeDistributed {
  return new TimeDistributed(args);
}
