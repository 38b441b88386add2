import { reshape } from '../../ops/reshape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Layer, type CallArgs, type LayerArgs, type SymbolicShape } from '../layer.js';
import { channelsLast, keepDimsArg, layerArgs, type LayerConfig } from './config-args.js';
import { sequenceDims } from './sequence-args.js';

export interface GlobalPooling1DArgs extends LayerArgs {
  /** Keep the steps axis as size 1: `[N, 1, C]` instead of `[N, C]` (default false; Keras 3's `keepdims`). */
  keepDims?: boolean;
}

/** What GlobalAveragePooling1D and GlobalMaxPooling1D share: [N, steps, C] -> [N, C] (or [N, 1, C]). */
export abstract class GlobalPooling1D extends Layer {
  readonly keepDims: boolean;

  constructor(args: GlobalPooling1DArgs, className: string) {
    super(args, className);
    this.keepDims = args.keepDims ?? false;
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const [, channels] = sequenceDims(this, inputShape);
    return this.keepDims ? [inputShape[0], 1, channels] : [inputShape[0], channels];
  }

  /** The reduction over the steps, [N, T, C] -> [N, C]. */
  protected abstract pool(x: Tensor, args: CallArgs): Tensor;

  call(x: Tensor, args: CallArgs): Tensor {
    const y = this.pool(x, args);
    return this.keepDims ? reshape(y, [x.shape[0], 1, x.shape[2]]) : y;
  }

  override getConfig(): Record<string, unknown> {
    // as TF.js writes it: no data_format; keepDims only when set (model files write it as Keras 3's keepdims)
    return { ...super.getConfig(), keepDims: this.keepDims };
  }

  /** The layer a model file's config describes (camelCase keys); the inverse of `getConfig`. Both global poolings read the same config. */
  static fromConfig<T extends GlobalPooling1D>(this: new (args: GlobalPooling1DArgs) => T, c: LayerConfig): T {
    channelsLast(c);
    return new this({ ...layerArgs(c), keepDims: keepDimsArg(c) });
  }
}
