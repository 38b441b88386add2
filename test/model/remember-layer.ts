// A custom layer that keeps every input it is called on, with a copy of its values at the time: the buffer-reuse
// tests (fit, predict) check that what user code keeps is never handed back and overwritten.
import { Layer, type CallArgs, type SymbolicShape, type Tensor } from '../../src/index.js';

export class Remember extends Layer {
  static readonly className = 'Remember';
  readonly seen: { tensor: Tensor; copy: number[] }[] = [];
  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }
  call(x: Tensor, args: CallArgs): Tensor {
    void args;
    this.seen.push({ tensor: x, copy: [...x.values] });
    return x;
  }
}
