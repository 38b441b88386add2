// The live CNN's training, shared by the page's worker (web/src/live/worker.ts) and the browser benchmark
// (bench/browser-cnn/): the playground's small CNN trained on an MNIST slice in chunks of mini-batches, with
// the time spent training measured apart from everything else (evaluation, drawing data).
import * as dd from 'dendrite';
import type { MnistSlice } from './mnist-slice.js';

const SIDE = 28;
const PIXELS = SIDE * SIDE;

/** The playground's CNN (the same layers as the shipped model), trained here from random weights. */
export function buildLiveCnn(seed: number): dd.Sequential {
  dd.setSeed(seed);
  const model = dd.sequential(
    [
      dd.layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu', inputShape: [SIDE, SIDE, 1], name: 'conv1' }),
      dd.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }),
      dd.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu', name: 'conv2' }),
      dd.layers.maxPooling2d({ poolSize: 2, name: 'pool2' }),
      dd.layers.flatten({ name: 'flatten' }),
      dd.layers.dense({ units: 10, activation: 'softmax', name: 'probabilities' }),
    ],
    { name: 'live_cnn' },
  );
  model.compile({ optimizer: dd.optimizers.adam({ learningRate: 3e-3 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

function images(bytes: Uint8Array, from: number, count: number): Float32Array {
  const out = new Float32Array(count * PIXELS);
  const src = bytes.subarray(from * PIXELS, (from + count) * PIXELS);
  for (let i = 0; i < src.length; i++) out[i] = src[i] / 255;
  return out;
}

export class LiveCnn {
  readonly model: dd.Sequential;
  /** Training samples seen, and the milliseconds spent in fit for them. */
  seen = 0;
  trainMs = 0;
  lastLoss = Number.NaN;
  private readonly xTrain: Float32Array;
  private readonly yTrain: Float32Array;
  private readonly xTest: dd.Tensor;
  private readonly yTest: dd.Tensor;
  private readonly order: number[];
  private cursor = 0;
  private seed: number;

  constructor(
    readonly data: MnistSlice,
    seed = 1,
    readonly batchSize = 32,
  ) {
    this.seed = seed;
    this.model = buildLiveCnn(seed);
    const nTrain = data.trainLabels.length;
    this.xTrain = images(data.trainImages, 0, nTrain);
    this.yTrain = Float32Array.from(data.trainLabels);
    this.xTest = dd.tensor(images(data.testImages, 0, data.testLabels.length), [data.testLabels.length, SIDE, SIDE, 1]);
    this.yTest = dd.tensor(Float32Array.from(data.testLabels), [data.testLabels.length]);
    this.order = Array.from({ length: nTrain }, (_, i) => i);
    this.shuffle();
  }

  private random(): number {
    // mulberry32: the same order on every run with the same seed
    this.seed = (this.seed + 0x6d2b79f5) | 0;
    let t = this.seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  private shuffle(): void {
    for (let i = this.order.length - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      [this.order[i], this.order[j]] = [this.order[j], this.order[i]];
    }
  }

  /** Trains on the next `batches` mini-batches of the shuffled slice (a new order after each pass). */
  async train(batches: number): Promise<void> {
    const count = batches * this.batchSize;
    const x = new Float32Array(count * PIXELS);
    const y = new Float32Array(count);
    for (let k = 0; k < count; k++) {
      if (this.cursor === this.order.length) {
        this.cursor = 0;
        this.shuffle();
      }
      const i = this.order[this.cursor++];
      x.set(this.xTrain.subarray(i * PIXELS, (i + 1) * PIXELS), k * PIXELS);
      y[k] = this.yTrain[i];
    }
    const xs = dd.tensor(x, [count, SIDE, SIDE, 1]);
    const ys = dd.tensor(y, [count]);
    const started = performance.now();
    const history = await this.model.fit(xs, ys, { epochs: 1, batchSize: this.batchSize, shuffle: false, verbose: 0 });
    this.trainMs += performance.now() - started;
    this.seen += count;
    const losses = history.history.loss;
    this.lastLoss = Number(losses[losses.length - 1]);
  }

  /** Accuracy on the slice's test images. */
  testAccuracy(): number {
    return this.model.evaluate(this.xTest, this.yTest, { batchSize: 250 }).accuracy;
  }

  /** conv1's kernels, [3, 3, 1, 8], and conv2's, [3, 3, 8, 16], as flat arrays. */
  filters(): Float32Array[] {
    return this.model.layers.filter((l) => l.className === 'Conv2D').map((l) => l.getWeights()[0].dataSync().slice());
  }

  /** The outputs of conv1 and conv2 ([1, h, w, c], flat) and the probabilities for test image `index`. */
  look(index: number): { maps: { shape: number[]; values: Float32Array }[]; probabilities: Float32Array; image: Float32Array } {
    const image = images(this.data.testImages, index, 1);
    return dd.noGrad(() => {
      let h = dd.tensor(image, [1, SIDE, SIDE, 1]);
      const maps: { shape: number[]; values: Float32Array }[] = [];
      for (const layer of this.model.layers) {
        h = layer.apply(h, { training: false });
        if (layer.className === 'Conv2D') maps.push({ shape: [...h.shape], values: h.dataSync().slice() });
      }
      return { maps, probabilities: h.dataSync().slice(), image };
    });
  }
}
