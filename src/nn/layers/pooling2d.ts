import type { Tensor } from '../../tensor/tensor.js';
import { Layer, type CallArgs, type LayerArgs, type SymbolicShape } from '../layer.js';
import { imageDims, paddingMode, positivePair, windowOutputDims, type PaddingMode } from './image-args.js';
import { channelsLast, layerArgs, paddingArg, pairArg, type LayerConfig } from './config-args.js';

export interface Pooling2DArgs extends LayerArgs {
  /** Window height and width, one number for both or `[ph, pw]` (default 2). */
  poolSize?: number | readonly [number, number];
  /** Step between windows (default: the pool size, so windows do not overlap). */
  strides?: number | readonly [number, number];
  /** `'valid'` (default) or `'same'` (output = ceil(input / stride); padded cells never count). */
  padding?: PaddingMode;
}

/** What MaxPooling2D and AveragePooling2D share: arguments, output shape and config. */
export abstract class Pooling2D extends Layer {
  readonly poolSize: [number, number];
  readonly strides: [number, number];
  readonly padding: PaddingMode;

  constructor(args: Pooling2DArgs, className: string) {
    super(args, className);
    this.poolSize = positivePair(this, 'poolSize', args.poolSize ?? 2);
    this.strides = positivePair(this, 'strides', args.strides ?? this.poolSize);
    this.padding = paddingMode(this, args.padding ?? 'valid');
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const [, , channels] = imageDims(this, inputShape);
    const [h, w] = windowOutputDims(this, inputShape, this.poolSize, this.strides, [1, 1], this.padding, 'pool window');
    return [inputShape[0], h, w, channels];
  }

  /** The pooling op on an NHWC batch. */
  protected abstract pool(x: Tensor): Tensor;

  call(x: Tensor, args: CallArgs): Tensor {
    void args;
    return this.pool(x);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), poolSize: [...this.poolSize], padding: this.padding, strides: [...this.strides], dataFormat: 'channelsLast' };
  }

  /** The layer a model file's config describes (camelCase keys); the inverse of `getConfig`. MaxPooling2D and AveragePooling2D read the same config. */
  static fromConfig<T extends Pooling2D>(this: new (args: Pooling2DArgs) => T, c: LayerConfig): T {
    channelsLast(c);
    const poolSize = pairArg(c.poolSize, 2);
    return new this({ ...layerArgs(c), poolSize, strides: pairArg(c.strides, poolSize), padding: paddingArg(c) } as Pooling2DArgs);
  }
}
