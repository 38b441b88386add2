// Custom layers written TF.js style (subclass `layers.Layer`, `static className`), with weights, several inputs,
// and `serialization.registerClass` so that model files naming them load.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  input,
  layers,
  model,
  modelFromArtifacts,
  modelToArtifacts,
  serialization,
  sequential,
  setSeed,
  tensor,
  type CallArgs,
  type SymbolicShape,
  type Tensor,
} from '../../src/index.js';
import { assertClose } from '../helpers.js';

interface ScaleArgs {
  name?: string;
  factor?: number;
}

/** y = x * w * factor, with one learned weight per feature. */
class Scale extends layers.Layer {
  static readonly className = 'Scale';
  readonly factor: number;
  w: Tensor | null = null;

  constructor(args: ScaleArgs = {}) {
    super(args);
    this.factor = args.factor ?? 1;
  }

  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    const shape = inputShape as SymbolicShape;
    this.w = this.addWeight('w', [shape[shape.length - 1] as number], 'ones');
  }

  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape {
    return inputShape as SymbolicShape;
  }

  call(x: Tensor | Tensor[], args: CallArgs): Tensor {
    void args;
    return (x as Tensor).mul(this.w!).mul(this.factor);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: this.factor };
  }
}

/** A gate of two inputs: a * sigmoid(b). */
class Gate extends layers.Layer {
  static readonly className = 'Gate';

  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape {
    return (inputShape as SymbolicShape[])[0];
  }

  call(inputs: Tensor | Tensor[], args: CallArgs): Tensor {
    void args;
    const [a, b] = inputs as Tensor[];
    return a.mul(b.sigmoid());
  }
}

describe('custom layers', () => {
  test('are named after their static className, as built-in layers are', () => {
    assert.equal(new Scale().name, 'scale');
    assert.equal(new Scale().name, 'scale_1');
    assert.equal(new Gate().getClassName(), 'Gate');
  });

  test('registered with serialization.registerClass, they save and load in a Sequential model', () => {
    setSeed(1);
    const m = sequential([layers.dense({ units: 3, inputShape: [2], name: 'before' }), new Scale({ name: 'scaled', factor: 2 })], { name: 'custom' });
    m.getLayer('scaled').setWeights([tensor([1, -2, 3])]);
    const artifacts = modelToArtifacts(m);
    // entry 0 is the input layer
    const entry = (artifacts.modelJson.modelTopology.config as { layers: { class_name: string; config: Record<string, unknown> }[] }).layers[2];
    assert.equal(entry.class_name, 'Scale');
    assert.equal(entry.config.factor, 2);
    assert.throws(() => modelFromArtifacts(artifacts.modelJson, artifacts.weightData), /unknown layer class 'Scale'.*serialization\.registerClass/);
    serialization.registerClass(Scale);
    const back = modelFromArtifacts(artifacts.modelJson, artifacts.weightData);
    const loaded = back.getLayer('scaled') as Scale;
    assert.ok(loaded instanceof Scale);
    assert.equal(loaded.factor, 2);
    const x = tensor([
      [1, 2],
      [-3, 0.5],
    ]);
    assertClose(back.predict(x), m.predict(x).values);
  });

  test('registerClass needs a static className that is not a built-in one', () => {
    assert.throws(() => serialization.registerClass({} as never), /needs a static className/);
    const clash = class extends Gate {};
    Object.defineProperty(clash, 'className', { value: 'Dense' });
    assert.throws(() => serialization.registerClass(clash), /'Dense' is a built-in layer of dendrite; give the class another className/);
  });

  test('a layer of several inputs takes part in a graph model, and its inputs get gradients', async () => {
    setSeed(2);
    const a = input({ shape: [3] });
    const b = input({ shape: [3] });
    const gated = new Gate().apply([layers.dense({ units: 3, name: 'ga' }).apply(a), layers.dense({ units: 3, name: 'gb' }).apply(b)]);
    const m = model({ inputs: [a, b], outputs: layers.dense({ units: 1 }).apply(gated) });
    m.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    const before = m.getWeights().map((w) => w.dataSync());
    const xs = [tensor([[1, 2, 3]]), tensor([[0, -1, 1]])];
    await m.fit(xs, tensor([[0.5]]), { epochs: 1, verbose: 0 });
    const after = m.getWeights().map((w) => w.dataSync());
    // every weight moved, both branches' included
    for (const [i, w] of after.entries()) assert.notDeepEqual(w, before[i], m.weights[i].name);
  });
});
