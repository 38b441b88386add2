import { upSampling2d as upSampling2dOp } from '../../ops/resize.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Layer, type CallArgs, type LayerArgs, type SymbolicShape } from '../layer.js';
import { describeLayer, imageDims, positivePair } from './image-args.js';
import { channelsLast, fail, layerArgs, pairArg, type LayerConfig } from './config-args.js';

export interface UpSampling2DArgs extends LayerArgs {
  /** Integer factors for height and width, one number for both or `[sh, sw]` (default 2). */
  size?: number | readonly [number, number];
  /** `'nearest'` (default, repeats pixels) or `'bilinear'` (half-pixel centres, as Keras). */
  interpolation?: 'nearest' | 'bilinear';
}

/** Enlarges NHWC images by integer factors: [N, H, W, C] -> [N, H*sh, W*sw, C]. */
export class UpSampling2D extends Layer {
  static readonly className = 'UpSampling2D';
  readonly size: [number, number];
  readonly interpolation: 'nearest' | 'bilinear';

  constructor(args: UpSampling2DArgs = {}) {
    super(args, 'UpSampling2D');
    this.size = positivePair(this, 'size', args.size ?? 2);
    const interpolation = args.interpolation ?? 'nearest';
    if (interpolation !== 'nearest' && interpolation !== 'bilinear') {
      throw new Error(`${describeLayer(this)}: interpolation must be 'nearest' or 'bilinear', got ${JSON.stringify(args.interpolation)}.`);
    }
    this.interpolation = interpolation;
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const [h, w, c] = imageDims(this, inputShape);
    return [inputShape[0], h === null ? null : h * this.size[0], w === null ? null : w * this.size[1], c];
  }

  call(x: Tensor, args: CallArgs): Tensor {
    void args;
    return upSampling2dOp(x, { size: this.size, interpolation: this.interpolation });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), size: [...this.size], dataFormat: 'channelsLast', interpolation: this.interpolation };
  }

  /** The layer a model file's config describes (camelCase keys); the inverse of `getConfig`. */
  static fromConfig(c: LayerConfig): UpSampling2D {
    channelsLast(c);
    const interpolation = c.interpolation ?? 'nearest';
    if (interpolation !== 'nearest' && interpolation !== 'bilinear') fail(`interpolation '${String(interpolation)}' is not supported (nearest or bilinear)`);
    return new UpSampling2D({ ...layerArgs(c), size: pairArg(c.size, 2), interpolation });
  }
}

/**
 * Up-samples NHWC images (Keras `UpSampling2D`), e.g. in a decoder.
 *
 *     upSampling2d({ size: 2 });  // [null, 7, 7, 16] -> [null, 14, 14, 16]
 */
export function upSampling2d(args: UpSampling2DArgs = {}): UpSampling2D {
  return new UpSampling2D(args);
}
