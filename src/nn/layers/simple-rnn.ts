import { add } from '../../ops/binary.js';
import { matmul } from '../../ops/matmul.js';
import { simpleRnnSequence, type RecurrenceOptions } from '../../ops/recurrent.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { LayerConfig } from './config-args.js';
import { fusableActivation, RNN, rnnConfigArgs, type RNNArgs } from './rnn.js';

export type SimpleRNNArgs<S extends boolean = boolean> = RNNArgs<S>;

/**
 * A fully connected recurrent layer (Keras / TF.js `SimpleRNN`): per step `h = activation(x·kernel + h·recurrentKernel + bias)`;
 * the output is h.
 *
 *     simpleRNN({ units: 16, inputShape: [20, 4] });   // [null, 20, 4] -> [null, 16]
 */
export class SimpleRNN<S extends boolean = false> extends RNN<S> {
  static readonly className = 'SimpleRNN';
  protected readonly gates = 1;
  readonly stateCount = 1;

  constructor(args: SimpleRNNArgs<S>) {
    super(args, 'SimpleRNN');
  }

  protected fusedSequence(xProj: Tensor, states: readonly Tensor[], options: Omit<RecurrenceOptions, 'activation' | 'recurrentActivation'>): Tensor | null {
    const activation = fusableActivation(this.activation);
    if (!activation) return null;
    return simpleRnnSequence(xProj, this.recurrentKernel!, states[0], { ...options, activation, recurrentActivation: 'linear' });
  }

  protected step(xt: Tensor, states: readonly Tensor[], hIn: Tensor): Tensor[] {
    void states;
    return [this.activation.apply(add(xt, matmul(hIn, this.recurrentKernel!)))];
  }

  /** The layer a model file's config describes (camelCase keys); the inverse of `getConfig` (a missing `kernelInitializer` is TF.js' glorotNormal). */
  static fromConfig(c: LayerConfig): SimpleRNN {
    return new SimpleRNN(rnnConfigArgs(c, { kernelInitializer: 'glorotNormal' }));
  }
}

/**
 * A fully connected recurrent layer (TF.js `tf.layers.simpleRNN`, Keras `SimpleRNN`).
 *
 *     simpleRNN({ units: 16, returnSequences: true });
 */
export function simpleRNN<S extends boolean = false>(args: SimpleRNNArgs<S>): SimpleRNN<S> {
  return new SimpleRNN(args);
}
