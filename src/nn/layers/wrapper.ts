// The base of the layers that run other layers (Keras' and TF.js' `Wrapper`: `TimeDistributed`, `Bidirectional`):
// the wrapped layers' weights are the wrapper's weights, in their order, and freezing the wrapper freezes them.
import { add } from '../../ops/binary.js';
import { scalar } from '../../tensor/create.js';
import type { Tensor, Variable } from '../../tensor/tensor.js';
import { Layer, type LayerArgs } from '../layer.js';
import type { Regularizer } from '../regularizers.js';

export interface WrapperArgs extends LayerArgs {
  /** The layer to wrap. */
  layer: Layer;
}

/** Each weight once, in first-seen order (a layer wrapped twice over is one set of weights). */
function unique(weights: readonly Variable[]): Variable[] {
  return [...new Set(weights)];
}

/** A layer that runs `layer` (or layers made from it): their weights are its own. */
export abstract class Wrapper extends Layer {
  /** The layer given to the wrapper, as its config records it. */
  readonly layer: Layer;

  constructor(args: WrapperArgs, className: string) {
    super(args, className);
    if (!(args.layer instanceof Layer)) {
      throw new Error(`Layer '${this.name}' (${className}): layer must be a dendrite Layer (e.g. layers.dense({ units: 8 })), got ${String(args.layer)}.`);
    }
    this.layer = args.layer;
  }

  /** The layers whose weights are this layer's, in the order of its weights. */
  abstract get wrappedLayers(): readonly Layer[];

  override get trainable(): boolean {
    return super.trainable;
  }

  override set trainable(value: boolean) {
    super.trainable = value;
    for (const layer of this.wrappedLayers) layer.trainable = value;
  }

  /** Freezes the wrapped layers of a wrapper made frozen (`trainable: false`); a subclass calls it once it has them. */
  protected freezeIfFrozen(): void {
    if (!this.trainable) this.trainable = false;
  }

  override get trainableWeights(): Variable[] {
    return this.trainable ? unique(this.wrappedLayers.flatMap((l) => l.trainableWeights)) : [];
  }

  override get nonTrainableWeights(): Variable[] {
    return unique(this.wrappedLayers.flatMap((l) => (this.trainable ? l.nonTrainableWeights : l.weights)));
  }

  override countParams(): number {
    return this.weights.reduce((n, w) => n + w.size, 0);
  }

  override regularizationLoss(): Tensor {
    let total: Tensor = scalar(0);
    for (const layer of this.wrappedLayers) if (layer.hasRegularization) total = add(total, layer.regularizationLoss());
    return total;
  }

  override get regularizers(): readonly Regularizer[] {
    return this.wrappedLayers.flatMap((l) => l.regularizers);
  }

  override get hasRegularization(): boolean {
    return this.wrappedLayers.some((l) => l.hasRegularization);
  }

  /** The layers the config nests, by config key (`layer`; Bidirectional's `backwardLayer` when given). */
  get nestedLayers(): Readonly<Record<string, Layer>> {
    return { layer: this.layer };
  }

  /** The config a nested layer is written with (under `key`), from its own: Bidirectional adds what Keras records there. */
  nestedConfig(key: string, config: Record<string, unknown>): Record<string, unknown> {
    void key;
    return config;
  }

  /** The nested layers as `{ className, config }`, beside the wrapper's own arguments (TF.js' and Keras' form). */
  override getConfig(): Record<string, unknown> {
    const nested = Object.entries(this.nestedLayers).map(([key, l]) => [key, { className: l.className, config: this.nestedConfig(key, l.getConfig()) }]);
    return { ...super.getConfig(), ...Object.fromEntries(nested) };
  }
}
