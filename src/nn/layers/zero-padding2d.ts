import { pad } from '../../ops/slice.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Layer, type CallArgs, type LayerArgs, type SymbolicShape } from '../layer.js';
import { describeLayer, imageDims } from './image-args.js';
import { channelsLast, layerArgs, type LayerConfig } from './config-args.js';

type Pair = readonly [number, number];

export interface ZeroPadding2DArgs extends LayerArgs {
  /**
   * Zeros around each image: `n` (all four sides), `[h, w]` (top and bottom h, left and right w) or
   * `[[top, bottom], [left, right]]` (default 1).
   */
  padding?: number | Pair | readonly [Pair, Pair];
}

/** Pads NHWC images with zero rows and columns: [N, H, W, C] -> [N, top+H+bottom, left+W+right, C]. */
export class ZeroPadding2D extends Layer {
  static readonly className = 'ZeroPadding2D';
  /** `[[top, bottom], [left, right]]`. */
  readonly padding: [[number, number], [number, number]];

  constructor(args: ZeroPadding2DArgs = {}) {
    super(args, 'ZeroPadding2D');
    const p = args.padding ?? 1;
    const ok = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;
    const isPair = (v: unknown): v is Pair => Array.isArray(v) && v.length === 2 && v.every(ok);
    if (ok(p))
      this.padding = [
        [p, p],
        [p, p],
      ];
    else if (isPair(p))
      this.padding = [
        [p[0], p[0]],
        [p[1], p[1]],
      ];
    else if (Array.isArray(p) && p.length === 2 && p.every(isPair))
      this.padding = [
        [p[0][0], p[0][1]],
        [p[1][0], p[1][1]],
      ];
    else {
      throw new Error(
        `${describeLayer(this)}: padding must be a non-negative integer, [height, width] or [[top, bottom], [left, right]], got ${JSON.stringify(args.padding)}.`,
      );
    }
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const [h, w, c] = imageDims(this, inputShape);
    const [[top, bottom], [left, right]] = this.padding;
    return [inputShape[0], h === null ? null : top + h + bottom, w === null ? null : left + w + right, c];
  }

  call(x: Tensor, args: CallArgs): Tensor {
    void args;
    return pad(x, [[0, 0], this.padding[0], this.padding[1], [0, 0]]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), padding: this.padding.map((p) => [...p]), dataFormat: 'channelsLast' };
  }

  /** The layer a model file's config describes (camelCase keys); the inverse of `getConfig`. */
  static fromConfig(c: LayerConfig): ZeroPadding2D {
    channelsLast(c);
    return new ZeroPadding2D({ ...layerArgs(c), padding: (c.padding ?? 1) as ZeroPadding2DArgs['padding'] });
  }
}

/**
 * Adds zero rows and columns around NHWC images (Keras `ZeroPadding2D`).
 *
 *     zeroPadding2d({ padding: [[1, 2], [0, 1]] });  // [null, 28, 28, 1] -> [null, 31, 29, 1]
 */
export function zeroPadding2d(args: ZeroPadding2DArgs = {}): ZeroPadding2D {
  return new ZeroPadding2D(args);
}
