// Masks flowing through a model (Keras' mask propagation): each layer call receives the mask of its input in
// `args.mask`, and the layer's `computeMask` gives the mask of its output. A sequence padded to a common length
// keeps, from its `Embedding({ maskZero })` or `Masking` layer on, a [batch, timesteps] mask of its real steps,
// which recurrent layers and pooling read.
import type { CallArgs, Layer, LayerMask } from '../nn/layer.js';
import type { Tensor } from '../tensor/tensor.js';

/** `mask` spread over `count` tensors: a list as given, one mask for a single tensor, else nulls. */
export function maskList(mask: LayerMask | undefined, count: number): (Tensor | null)[] {
  if (Array.isArray(mask)) return Array.from({ length: count }, (_, i) => mask[i] ?? null);
  return Array.from({ length: count }, (_, i) => (i === 0 && count === 1 ? (mask ?? null) : null));
}

/** The mask argument for a call on `count` inputs (one mask, or a list), or null when no input has one. */
export function callMask(masks: readonly (Tensor | null)[]): LayerMask {
  if (!masks.some((m) => m !== null)) return null;
  return masks.length === 1 ? masks[0] : [...masks];
}

/** `args` with `mask` set for this call: the same object when neither has a mask (the common, unmasked case). */
export function withMask(args: CallArgs, mask: LayerMask): CallArgs {
  if (mask === null && args.mask === undefined) return args;
  return { ...args, mask: mask ?? undefined };
}

/**
 * Runs `layer` on `x` with the mask of its input, and gives its output with the output's mask: the step of
 * a model's forward pass (Sequential and graph alike).
 */
export function applyMasked(layer: Layer, x: Tensor | Tensor[], mask: LayerMask, args: CallArgs): { y: Tensor | Tensor[]; mask: LayerMask } {
  const y = layer.apply(x, withMask(args, mask)) as Tensor | Tensor[];
  return { y, mask: layer.computeMask(x, mask ?? undefined, y) };
}

/**
 * The masks of a model's latest outputs, kept by output tensor, so that a model nested as a layer in another
 * can report the mask of what it returned (its `computeMask`) without running again.
 */
export class OutputMasks {
  private readonly byOutput = new WeakMap<Tensor, Tensor>();

  remember(outputs: readonly Tensor[], masks: readonly (Tensor | null)[]): void {
    outputs.forEach((t, i) => {
      const m = masks[i];
      if (m) this.byOutput.set(t, m);
      else this.byOutput.delete(t);
    });
  }

  of(outputs: readonly Tensor[]): (Tensor | null)[] {
    return outputs.map((t) => this.byOutput.get(t) ?? null);
  }
}
