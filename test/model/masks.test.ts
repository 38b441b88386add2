// Mask propagation through models (Keras' masking): each layer receives its input's mask in `args.mask`, passes
// it on when it supports masking, drops it when not, and a layer may make one.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { input, layers, model, sequential } from '../../src/index.js';
import { Layer, type CallArgs, type LayerMask, type SymbolicShape } from '../../src/nn/layer.js';
import { notEqual } from '../../src/ops/binary.js';
import { sum } from '../../src/ops/reduce.js';
import { tensor } from '../../src/tensor/create.js';
import type { Tensor } from '../../src/tensor/tensor.js';

/** Makes a mask: a step is real where its first feature is not 0. */
class MakeMask extends Layer {
  static readonly className = 'MakeMask';
  call(x: Tensor): Tensor {
    return x;
  }
  override computeMask(x: Tensor | Tensor[]): LayerMask {
    const t = Array.isArray(x) ? x[0] : x;
    const [n, steps, f] = t.shape;
    const first = Float32Array.from({ length: n * steps }, (_, i) => t.values[i * f]);
    return notEqual(tensor(first, [n, steps]), 0);
  }
}

/** Records the mask it is called with, and reports it as its output: sum of the mask per sample. */
class ReadMask extends Layer {
  static readonly className = 'ReadMask';
  seen: LayerMask | undefined = 'unset' as unknown as undefined;
  override computeOutputShape(s: SymbolicShape): SymbolicShape {
    return [s[0], 1];
  }
  call(x: Tensor, args: CallArgs): Tensor {
    this.seen = args.mask;
    const m = args.mask as Tensor | null | undefined;
    return m ? sum(m, 1, true) : tensor(new Float32Array(x.shape[0]).fill(-1), [x.shape[0], 1]);
  }
}

const { activation, add, dense, flatten } = layers;
const x = tensor([1, 1, 2, 2, 0, 0, 3, 3, 0, 0, 0, 0], [2, 3, 2]);

describe('masks flow through models', () => {
  test('Sequential: a made mask passes layers that support masking and reaches the reader', () => {
    const reader = new ReadMask();
    const m = sequential({ layers: [new MakeMask({ inputShape: [3, 2] }), activation({ activation: 'relu' }), dense({ units: 2 }), reader] });
    const y = m.apply(x) as Tensor;
    assert.deepEqual([...y.values], [2, 1]);
    assert.deepEqual([...(reader.seen as Tensor).values], [1, 1, 0, 1, 0, 0]);
  });

  test('a layer that does not support masking drops it (Keras 3), and unmasked calls get no mask', () => {
    const reader = new ReadMask();
    const m = sequential({ layers: [new MakeMask({ inputShape: [3, 2] }), flatten(), reader] });
    void m.apply(x);
    assert.equal(reader.seen, undefined);
    const plain = new ReadMask();
    void sequential({ layers: [dense({ units: 2, inputShape: [3, 2] }), plain] }).apply(x);
    assert.equal(plain.seen, undefined);
  });

  test('graph model: masks follow the edges; a merge ANDs its inputs masks; a nested model reports its output mask', () => {
    const inp = input({ shape: [3, 2] });
    const masked = new MakeMask().apply(inp);
    const unmasked = dense({ units: 2 }).apply(inp);
    const merged = add().apply([masked, unmasked]);
    const reader = new ReadMask();
    const g = model({ inputs: inp, outputs: reader.apply(merged) });
    assert.deepEqual([...(g.apply(x) as Tensor).values], [2, 1]);

    // the same, nested: the inner model's output mask reaches a reader after it
    const inner = model({ inputs: inp, outputs: new MakeMask().apply(dense({ units: 2 }).apply(inp)) });
    const outerIn = input({ shape: [3, 2] });
    const outerReader = new ReadMask();
    const outer = model({ inputs: outerIn, outputs: outerReader.apply(inner.apply(outerIn)) });
    // a zero step stays zero through the inner Dense (zero bias), so the inner mask marks the same steps
    assert.deepEqual([...(outer.apply(x) as Tensor).values], [2, 1]);
  });

  test('a mask given to the model call reaches the first layer', () => {
    const reader = new ReadMask();
    const m = sequential({ layers: [activation({ activation: 'linear', inputShape: [3, 2] }), reader] });
    const y = m.apply(x, { mask: tensor([1, 0, 0, 1, 1, 1], [2, 3]) }) as Tensor;
    assert.deepEqual([...y.values], [1, 3]);
  });
});
