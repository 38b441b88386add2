import { slice } from '../../ops/slice.js';
import { formatShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Layer, type CallArgs, type LayerArgs, type SymbolicShape } from '../layer.js';
import { describeLayer } from './image-args.js';
import { layerArgs, type LayerConfig } from './config-args.js';
import { endsPair, sequenceDims } from './sequence-args.js';

export interface Cropping1DArgs extends LayerArgs {
  /** Steps removed: `n` at both ends or `[left, right]` (default [1, 1], as Keras). */
  cropping?: number | readonly [number, number];
}

/** Crops sequences: [N, T, C] -> [N, T-left-right, C]; the inverse of ZeroPadding1D. */
export class Cropping1D extends Layer {
  static readonly className = 'Cropping1D';
  /** `[left, right]`. */
  readonly cropping: [number, number];

  constructor(args: Cropping1DArgs = {}) {
    super(args, 'Cropping1D');
    this.cropping = endsPair(this, 'cropping', args.cropping ?? 1);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const [steps, channels] = sequenceDims(this, inputShape);
    const [left, right] = this.cropping;
    if (steps !== null && left + right >= steps) {
      throw new Error(
        `${describeLayer(this)}: cropping ${left} + ${right} steps leaves nothing of the ${steps} steps of inputs of shape ${formatShape(inputShape)}; crop less.`,
      );
    }
    return [inputShape[0], steps === null ? null : steps - left - right, channels];
  }

  call(x: Tensor, args: CallArgs): Tensor {
    void args;
    const [left, right] = this.cropping;
    return slice(x, [0, left, 0], [-1, x.shape[1] - left - right, -1]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), cropping: [...this.cropping] };
  }

  /** The layer a model file's config describes (camelCase keys); the inverse of `getConfig`. */
  static fromConfig(c: LayerConfig): Cropping1D {
    return new Cropping1D({ ...layerArgs(c), cropping: (c.cropping ?? 1) as Cropping1DArgs['cropping'] });
  }
}

/**
 * Removes steps at the start and end of sequences (Keras `Cropping1D`).
 *
 *     cropping1d({ cropping: [2, 1] });  // [null, 10, 4] -> [null, 7, 4]
 */
export function cropping1d(args: Cropping1DArgs = {}): Cropping1D {
  return new Cropping1D(args);
}
