import { reshape } from '../../ops/reshape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Layer, type CallArgs, type LayerArgs, type SymbolicShape } from '../layer.js';
import { describeLayer } from './image-args.js';
import { channelsLast, fail, layerArgs, type LayerConfig } from './config-args.js';
import { positiveInt, sequenceDims, singleArg, windowOutputSteps } from './sequence-args.js';

export interface Pooling1DArgs extends LayerArgs {
  /** Window length in steps, `p` or `[p]` (default 2). */
  poolSize?: number | readonly [number];
  /** Step between windows (default: the pool size, so windows do not overlap). */
  strides?: number | readonly [number];
  /** `'valid'` (default) or `'same'` (output = ceil(steps / stride); padded steps never count). */
  padding?: 'valid' | 'same';
}

/** The 2-D pooling op a 1-D pooling runs on sequences seen as images one row high. */
export type Pool2DOp = (x: Tensor, options: { poolSize: [number, number]; strides: [number, number]; padding: 'valid' | 'same' }) => Tensor;

/** What MaxPooling1D and AveragePooling1D share: arguments, output shape, config, and pooling as a 2-D pooling of height 1. */
export abstract class Pooling1D extends Layer {
  readonly poolSize: [number];
  readonly strides: [number];
  readonly padding: 'valid' | 'same';

  constructor(args: Pooling1DArgs, className: string) {
    super(args, className);
    this.poolSize = [positiveInt(this, 'poolSize', args.poolSize ?? 2)];
    this.strides = [positiveInt(this, 'strides', args.strides ?? this.poolSize)];
    const padding = args.padding ?? 'valid';
    if (padding !== 'valid' && padding !== 'same')
      throw new Error(`${describeLayer(this)}: padding must be 'valid' or 'same', got ${JSON.stringify(args.padding)}.`);
    this.padding = padding;
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const [, channels] = sequenceDims(this, inputShape);
    return [inputShape[0], windowOutputSteps(this, inputShape, this.poolSize[0], this.strides[0], 1, this.padding, 'pool window'), channels];
  }

  /** The 2-D pooling op (max or average) on NHWC images. */
  protected abstract readonly pool2d: Pool2DOp;

  call(x: Tensor, args: CallArgs): Tensor {
    void args;
    const [batch, steps, channels] = x.shape;
    // NOTE: [N, T, C] viewed as [N, 1, T, C]: the backends' 2-D pooling kernels and their gradients do the work
    const y = this.pool2d(reshape(x, [batch, 1, steps, channels]), { poolSize: [1, this.poolSize[0]], strides: [1, this.strides[0]], padding: this.padding });
    return reshape(y, [batch, y.shape[2], channels]);
  }

  override getConfig(): Record<string, unknown> {
    // as TF.js writes it: no data_format (Keras reads its absence as channels_last)
    return { ...super.getConfig(), poolSize: [...this.poolSize], padding: this.padding, strides: [...this.strides] };
  }

  /** The layer a model file's config describes (camelCase keys); the inverse of `getConfig`. MaxPooling1D and AveragePooling1D read the same config. */
  static fromConfig<T extends Pooling1D>(this: new (args: Pooling1DArgs) => T, c: LayerConfig): T {
    channelsLast(c);
    const padding = c.padding ?? 'valid';
    if (padding !== 'valid' && padding !== 'same') fail(`padding '${String(padding)}' is not supported (valid or same)`);
    const poolSize = singleArg(c.poolSize, 2);
    return new this({ ...layerArgs(c), poolSize, strides: singleArg(c.strides, poolSize), padding });
  }
}
