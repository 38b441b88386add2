import { reshape } from '../../ops/reshape.js';
import { formatShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Layer, type CallArgs, type LayerArgs, type SymbolicShape } from '../layer.js';
import { channelsLast, layerArgs, type LayerConfig } from './config-args.js';

/** Collapses every axis but the batch axis: `[N, h, w, c]` -> `[N, h * w * c]` (row-major, so NHWC order). */
export class Flatten extends Layer {
  static readonly className = 'Flatten';

  constructor(args: LayerArgs = {}) {
    super(args, 'Flatten');
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    if (inputShape.length < 1) {
      throw new Error(`Layer '${this.name}' (Flatten) expects inputs with a batch axis ([batch, ...]), got shape ${formatShape(inputShape)}.`);
    }
    const rest = inputShape.slice(1);
    if (rest.some((d) => d === null)) {
      throw new Error(
        `Layer '${this.name}' (Flatten) needs every axis but the batch axis to be known, got shape ${formatShape(inputShape)}; give the model a fixed inputShape.`,
      );
    }
    // like Keras, a batch of scalars [N] becomes [N, 1]
    return [inputShape[0], (rest as number[]).reduce((a, b) => a * b, 1)];
  }

  call(x: Tensor, args: CallArgs): Tensor {
    void args;
    return reshape(x, [x.shape[0], x.shape.slice(1).reduce((a, b) => a * b, 1)]);
  }

  override getConfig(): Record<string, unknown> {
    // the only layout we have; stated so TF.js and Keras read the file the same way
    return { ...super.getConfig(), dataFormat: 'channelsLast' };
  }

  /** The layer a model file's config describes (camelCase keys); the inverse of `getConfig`. */
  static fromConfig(c: LayerConfig): Flatten {
    channelsLast(c);
    return new Flatten(layerArgs(c));
  }
}

/**
 * Flattens each sample to a vector (Keras `Flatten`), typically between convolutions and Dense layers.
 *
 *     flatten();  // [null, 7, 7, 32] -> [null, 1568]
 */
export function flatten(args: LayerArgs = {}): Flatten {
  return new Flatten(args);
}
