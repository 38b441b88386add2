import { pad } from '../../ops/slice.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Layer, type CallArgs, type LayerArgs, type SymbolicShape } from '../layer.js';
import { channelsLast, layerArgs, type LayerConfig } from './config-args.js';
import { endsPair, sequenceDims } from './sequence-args.js';

export interface ZeroPadding1DArgs extends LayerArgs {
  /** Zero steps added: `n` at both ends or `[left, right]` (default 1). */
  padding?: number | readonly [number, number];
}

/** Pads sequences with zero steps: [N, T, C] -> [N, left+T+right, C]. */
export class ZeroPadding1D extends Layer {
  static readonly className = 'ZeroPadding1D';
  /** `[left, right]`. */
  readonly padding: [number, number];

  constructor(args: ZeroPadding1DArgs = {}) {
    super(args, 'ZeroPadding1D');
    this.padding = endsPair(this, 'padding', args.padding ?? 1);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const [steps, channels] = sequenceDims(this, inputShape);
    return [inputShape[0], steps === null ? null : this.padding[0] + steps + this.padding[1], channels];
  }

  call(x: Tensor, args: CallArgs): Tensor {
    void args;
    return pad(x, [[0, 0], this.padding, [0, 0]]);
  }

  override getConfig(): Record<string, unknown> {
    // no data_format: Keras 2's ZeroPadding1D has none, and Keras 3 reads its absence as channels_last
    return { ...super.getConfig(), padding: [...this.padding] };
  }

  /** The layer a model file's config describes (camelCase keys); the inverse of `getConfig`. */
  static fromConfig(c: LayerConfig): ZeroPadding1D {
    channelsLast(c);
    return new ZeroPadding1D({ ...layerArgs(c), padding: (c.padding ?? 1) as ZeroPadding1DArgs['padding'] });
  }
}

/**
 * Adds zero steps at the start and end of sequences (Keras `ZeroPadding1D`).
 *
 *     zeroPadding1d({ padding: [2, 0] });  // [null, 10, 4] -> [null, 12, 4]
 */
export function zeroPadding1d(args: ZeroPadding1DArgs = {}): ZeroPadding1D {
  return new ZeroPadding1D(args);
}
