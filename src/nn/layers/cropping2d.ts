import { slice } from '../../ops/slice.js';
import { formatShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Layer, type CallArgs, type LayerArgs, type SymbolicShape } from '../layer.js';
import { describeLayer, imageDims } from './image-args.js';
import { channelsLast, layerArgs, type LayerConfig } from './config-args.js';

type Pair = readonly [number, number];

export interface Cropping2DArgs extends LayerArgs {
  /**
   * Rows and columns to remove from each image: `n` (all four sides), `[h, w]` (top and bottom h, left and
   * right w) or `[[top, bottom], [left, right]]` (default 0).
   */
  cropping?: number | Pair | readonly [Pair, Pair];
}

/** Crops NHWC images: [N, H, W, C] -> [N, H-top-bottom, W-left-right, C]; the inverse of ZeroPadding2D. */
export class Cropping2D extends Layer {
  static readonly className = 'Cropping2D';
  /** `[[top, bottom], [left, right]]`. */
  readonly cropping: [[number, number], [number, number]];

  constructor(args: Cropping2DArgs = {}) {
    super(args, 'Cropping2D');
    const c = args.cropping ?? 0;
    const ok = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;
    const isPair = (v: unknown): v is Pair => Array.isArray(v) && v.length === 2 && v.every(ok);
    if (ok(c))
      this.cropping = [
        [c, c],
        [c, c],
      ];
    else if (isPair(c))
      this.cropping = [
        [c[0], c[0]],
        [c[1], c[1]],
      ];
    else if (Array.isArray(c) && c.length === 2 && c.every(isPair))
      this.cropping = [
        [c[0][0], c[0][1]],
        [c[1][0], c[1][1]],
      ];
    else {
      throw new Error(
        `${describeLayer(this)}: cropping must be a non-negative integer, [height, width] or [[top, bottom], [left, right]], got ${JSON.stringify(args.cropping)}.`,
      );
    }
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const [h, w, c] = imageDims(this, inputShape);
    const [[top, bottom], [left, right]] = this.cropping;
    const keep = (size: number | null, before: number, after: number, what: string): number | null => {
      if (size === null) return null;
      if (before + after >= size) {
        throw new Error(
          `${describeLayer(this)}: cropping ${before} + ${after} ${what} leaves nothing of the ${size} ${what} of inputs of shape ${formatShape(inputShape)}; crop less.`,
        );
      }
      return size - before - after;
    };
    return [inputShape[0], keep(h, top, bottom, 'rows'), keep(w, left, right, 'columns'), c];
  }

  call(x: Tensor, args: CallArgs): Tensor {
    void args;
    const [[top, bottom], [left, right]] = this.cropping;
    const [, h, w] = x.shape;
    return slice(x, [0, top, left, 0], [-1, h - top - bottom, w - left - right, -1]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), cropping: this.cropping.map((p) => [...p]), dataFormat: 'channelsLast' };
  }

  /** The layer a model file's config describes (camelCase keys); the inverse of `getConfig`. */
  static fromConfig(c: LayerConfig): Cropping2D {
    channelsLast(c);
    return new Cropping2D({ ...layerArgs(c), cropping: (c.cropping ?? 0) as Cropping2DArgs['cropping'] });
  }
}

/**
 * Removes rows and columns at the edges of NHWC images (TF.js `tf.layers.cropping2D`, Keras `Cropping2D`).
 *
 *     cropping2d({ cropping: [[2, 2], [4, 4]] });  // [null, 28, 28, 1] -> [null, 24, 20, 1]
 */
export function cropping2d(args: Cropping2DArgs = {}): Cropping2D {
  return new Cropping2D(args);
}
