import { reshape } from '../../ops/reshape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Layer, type CallArgs, type LayerArgs, type SymbolicShape } from '../layer.js';
import { imageDims } from './image-args.js';
import { channelsLast, keepDimsArg, layerArgs, type LayerConfig } from './config-args.js';

export interface GlobalPooling2DArgs extends LayerArgs {
  /** Keep the pooled axes as size 1: `[N, 1, 1, C]` instead of `[N, C]` (default false). */
  keepDims?: boolean;
}

/** What GlobalAveragePooling2D and GlobalMaxPooling2D share: [N, H, W, C] -> [N, C] (or [N, 1, 1, C]). */
export abstract class GlobalPooling2D extends Layer {
  readonly keepDims: boolean;

  constructor(args: GlobalPooling2DArgs, className: string) {
    super(args, className);
    this.keepDims = args.keepDims ?? false;
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const [, , channels] = imageDims(this, inputShape);
    return this.keepDims ? [inputShape[0], 1, 1, channels] : [inputShape[0], channels];
  }

  /** The reduction over height and width, [N, H, W, C] -> [N, C]. */
  protected abstract pool(x: Tensor): Tensor;

  call(x: Tensor, args: CallArgs): Tensor {
    void args;
    const y = this.pool(x);
    return this.keepDims ? reshape(y, [x.shape[0], 1, 1, x.shape[3]]) : y;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dataFormat: 'channelsLast', keepDims: this.keepDims };
  }

  /** The layer a model file's config describes (camelCase keys); the inverse of `getConfig`. Both global poolings read the same config. */
  static fromConfig<T extends GlobalPooling2D>(this: new (args: GlobalPooling2DArgs) => T, c: LayerConfig): T {
    channelsLast(c);
    return new this({ ...layerArgs(c), keepDims: keepDimsArg(c) });
  }
}
