import { add, mul, sub } from '../../ops/binary.js';
import { matmul } from '../../ops/matmul.js';
import { gruSequence, type RecurrenceOptions } from '../../ops/recurrent.js';
import { reshape } from '../../ops/reshape.js';
import { slice } from '../../ops/slice.js';
import type { Tensor } from '../../tensor/tensor.js';
import { getActivation, type ActivationFunction, type ActivationIdentifier } from '../activations.js';
import type { LayerConfig } from './config-args.js';
import { fusableActivation, recurrentActivationArg, RNN, rnnConfigArgs, type RNNArgs } from './rnn.js';

export interface GRUArgs<S extends boolean = boolean> extends RNNArgs<S> {
  /**
   * Applied to the update and reset gates. Default `'sigmoid'`, as in Keras 3 and PyTorch (TF.js' default is
   * `'hardSigmoid'`; a model file without the key means that, see `GRU.fromConfig`).
   */
  recurrentActivation?: ActivationIdentifier;
  /**
   * Apply the reset gate after the recurrent product, with a recurrent bias of its own (bias [2, 3 * units]):
   * Keras 3's and cuDNN's variant, and PyTorch's GRU. Default true, as Keras 3. False is TF.js' only variant (and
   * old Keras'): the reset gate scales the state before its product; a model file without the key means that.
   */
  resetAfter?: boolean;
}

/**
 * Gated recurrent unit (Keras / TF.js `GRU`): per step, with the gates in Keras' order z (update), r (reset), h,
 * `z = ra(x·Wz + h·Rz + bz)`, `r = ra(x·Wr + h·Rr + br)`, candidate `hh = activation(x·Wh + r * (h·Rh + bh'))` (with
 * `resetAfter`; without it `activation(x·Wh + (r * h)·Rh + bh)`), and `h = z * h + (1 - z) * hh`.
 *
 *     gru({ units: 32, inputShape: [100, 8] });   // [null, 100, 8] -> [null, 32]
 */
export class GRU<S extends boolean = false> extends RNN<S> {
  static readonly className = 'GRU';
  protected readonly gates = 3;
  readonly stateCount = 1;
  readonly recurrentActivation: ActivationFunction;
  readonly resetAfter: boolean;

  constructor(args: GRUArgs<S>) {
    super(args, 'GRU');
    this.recurrentActivation = getActivation(args.recurrentActivation ?? 'sigmoid');
    this.resetAfter = args.resetAfter ?? true;
  }

  protected override biasShape(): number[] {
    return this.resetAfter ? [2, 3 * this.units] : [3 * this.units];
  }

  /** The input bias (resetAfter: the bias's first row). */
  protected override inputBias(): Tensor | null {
    if (!this.bias || !this.resetAfter) return this.bias;
    return reshape(slice(this.bias, [0, 0], [1, 3 * this.units]), [3 * this.units]);
  }

  /** resetAfter: the recurrent bias, the bias's second row; else none. */
  protected recurrentBias(): Tensor | null {
    if (!this.bias || !this.resetAfter) return null;
    return reshape(slice(this.bias, [1, 0], [1, 3 * this.units]), [3 * this.units]);
  }

  protected fusedSequence(xProj: Tensor, states: readonly Tensor[], options: Omit<RecurrenceOptions, 'activation' | 'recurrentActivation'>): Tensor | null {
    const activation = fusableActivation(this.activation);
    const recurrentActivation = fusableActivation(this.recurrentActivation);
    if (!activation || !recurrentActivation) return null;
    return gruSequence(xProj, this.recurrentKernel!, this.recurrentBias(), states[0], {
      ...options,
      activation,
      recurrentActivation,
      resetAfter: this.resetAfter,
    });
  }

  protected step(xt: Tensor, states: readonly Tensor[], hIn: Tensor): Tensor[] {
    const [batch] = xt.shape;
    const u = this.units;
    const h = states[0];
    const part = (t: Tensor, k: number) => slice(t, [0, k * u], [batch, u]);
    const recurrent = this.recurrentKernel!;
    let rec: Tensor;
    let candidate: (r: Tensor) => Tensor;
    if (this.resetAfter) {
      const bias = this.recurrentBias();
      rec = matmul(hIn, recurrent);
      if (bias) rec = add(rec, bias);
      candidate = (r) => mul(r, part(rec, 2));
    } else {
      rec = matmul(hIn, slice(recurrent, [0, 0], [u, 2 * u]));
      candidate = (r) => matmul(mul(r, hIn), slice(recurrent, [0, 2 * u], [u, u]));
    }
    const z = this.recurrentActivation.apply(add(part(xt, 0), part(rec, 0)));
    const r = this.recurrentActivation.apply(add(part(xt, 1), part(rec, 1)));
    const hh = this.activation.apply(add(part(xt, 2), candidate(r)));
    return [add(mul(z, h), mul(sub(1, z), hh))];
  }

  override getConfig(): Record<string, unknown> {
    const { units, activation, ...rest } = super.getConfig();
    return { units, activation, recurrentActivation: this.recurrentActivation.name, ...rest, resetAfter: this.resetAfter };
  }

  /**
   * The layer a model file's config describes (camelCase keys); the inverse of `getConfig`. A key the file lacks
   * means what it means to TF.js: `resetAfter` false, `recurrentActivation` hardSigmoid, `kernelInitializer`
   * glorotNormal.
   */
  static fromConfig(c: LayerConfig): GRU {
    return new GRU({
      ...rnnConfigArgs(c, { kernelInitializer: 'glorotNormal' }),
      recurrentActivation: recurrentActivationArg(c, 'hardSigmoid'),
      resetAfter: c.resetAfter === true,
    });
  }
}

/**
 * A gated recurrent unit layer (TF.js `tf.layers.gru`, Keras `GRU`).
 *
 *     gru({ units: 64, inputShape: [timesteps, features] });
 *     gru({ units: 64, resetAfter: false });   // TF.js' variant
 */
export function gru<S extends boolean = false>(args: GRUArgs<S>): GRU<S> {
  return new GRU(args);
}
