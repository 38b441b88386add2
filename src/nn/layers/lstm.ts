import { add, mul } from '../../ops/binary.js';
import { matmul } from '../../ops/matmul.js';
import { lstmSequence, type RecurrenceOptions } from '../../ops/recurrent.js';
import { slice } from '../../ops/slice.js';
import type { Tensor } from '../../tensor/tensor.js';
import { getActivation, type ActivationFunction, type ActivationIdentifier } from '../activations.js';
import type { Initializer } from '../initializers.js';
import type { LayerConfig } from './config-args.js';
import { fusableActivation, recurrentActivationArg, RNN, rnnConfigArgs, type RNNArgs } from './rnn.js';

export interface LSTMArgs<S extends boolean = boolean> extends RNNArgs<S> {
  /**
   * Applied to the input, forget and output gates. Default `'sigmoid'`, as in Keras 3 and PyTorch (TF.js' default
   * is `'hardSigmoid'`; a model file without the key means that, see `LSTM.fromConfig`).
   */
  recurrentActivation?: ActivationIdentifier;
  /** Start the forget gate's bias at 1 (the rest from `biasInitializer`), as Keras advises (default true). */
  unitForgetBias?: boolean;
}

/**
 * Long short-term memory (Keras / TF.js `LSTM`): per step, with z = x·kernel + h·recurrentKernel + bias split
 * into the gates i, f, c, o (Keras' order), `c = f * c + i * activation(z_c)` and `h = o * activation(c)`, where
 * i, f, o are `recurrentActivation` of their blocks. States [h, c]; the output is h.
 *
 *     lstm({ units: 32, inputShape: [100, 8] });                   // [null, 100, 8] -> [null, 32]
 *     lstm({ units: 32, returnSequences: true });                 // -> [null, 100, 32]
 */
export class LSTM<S extends boolean = false> extends RNN<S> {
  static readonly className = 'LSTM';
  protected readonly gates = 4;
  readonly stateCount = 2;
  readonly recurrentActivation: ActivationFunction;
  readonly unitForgetBias: boolean;

  constructor(args: LSTMArgs<S>) {
    super(args, 'LSTM');
    this.recurrentActivation = getActivation(args.recurrentActivation ?? 'sigmoid');
    this.unitForgetBias = args.unitForgetBias ?? true;
  }

  protected override biasValues(): Initializer {
    const base = this.biasInitializer;
    if (!this.unitForgetBias) return base;
    const units = this.units;
    // Keras: the bias initializer for i, ones for f, the bias initializer for c and o
    return {
      className: base.className,
      getConfig: () => base.getConfig(),
      generate: () => {
        const out = new Float32Array(4 * units);
        out.set(base.generate([units]), 0);
        out.fill(1, units, 2 * units);
        out.set(base.generate([2 * units]), 2 * units);
        return out;
      },
    };
  }

  protected step(xt: Tensor, states: readonly Tensor[], hIn: Tensor): Tensor[] {
    const [batch] = xt.shape;
    const u = this.units;
    const z = add(xt, matmul(hIn, this.recurrentKernel!));
    const gate = (k: number) => slice(z, [0, k * u], [batch, u]);
    const i = this.recurrentActivation.apply(gate(0));
    const f = this.recurrentActivation.apply(gate(1));
    const g = this.activation.apply(gate(2));
    const o = this.recurrentActivation.apply(gate(3));
    const c = add(mul(f, states[1]), mul(i, g));
    return [mul(o, this.activation.apply(c)), c];
  }

  protected fusedSequence(xProj: Tensor, states: readonly Tensor[], options: Omit<RecurrenceOptions, 'activation' | 'recurrentActivation'>): Tensor | null {
    const activation = fusableActivation(this.activation);
    const recurrentActivation = fusableActivation(this.recurrentActivation);
    if (!activation || !recurrentActivation) return null;
    return lstmSequence(xProj, this.recurrentKernel!, states[0], states[1], { ...options, activation, recurrentActivation });
  }

  override getConfig(): Record<string, unknown> {
    const { units, activation, ...rest } = super.getConfig();
    return { units, activation, recurrentActivation: this.recurrentActivation.name, unitForgetBias: this.unitForgetBias, ...rest };
  }

  /**
   * The layer a model file's config describes (camelCase keys); the inverse of `getConfig`. A key the file lacks
   * means what it means to TF.js: `recurrentActivation` hardSigmoid, `unitForgetBias` false, `kernelInitializer`
   * glorotNormal.
   */
  static fromConfig(c: LayerConfig): LSTM {
    return new LSTM({
      ...rnnConfigArgs(c, { kernelInitializer: 'glorotNormal' }),
      recurrentActivation: recurrentActivationArg(c, 'hardSigmoid'),
      unitForgetBias: c.unitForgetBias === true,
    });
  }
}

/**
 * A long short-term memory layer (TF.js `tf.layers.lstm`, Keras `LSTM`).
 *
 *     lstm({ units: 64, inputShape: [timesteps, features] });
 *     lstm({ units: 64, returnState: true });   // apply gives [output, h, c]
 */
export function lstm<S extends boolean = false>(args: LSTMArgs<S>): LSTM<S> {
  return new LSTM(args);
}
