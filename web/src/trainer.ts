// One training job on a 2-D data set: builds the network from a JobConfig, runs gradient steps, and
// measures what the page draws. Runs inside the worker; free of any worker or DOM API.
import * as dd from 'dendrite';
import { EXTENT, makeDataset } from './datasets.js';
import type { DataMessage, JobConfig, ProgressMessage, Task } from './protocol.js';

export class Trainer {
  readonly task: Task;
  readonly classes: number;
  readonly model: dd.Sequential;
  /** The Dense layers, input side first (dropout layers sit between them). */
  readonly dense: dd.layers.Dense[];
  epoch = 0;
  private readonly xTrain: dd.Tensor;
  private readonly yTrain: dd.Tensor;
  private readonly xVal: dd.Tensor;
  private readonly yVal: dd.Tensor;
  private readonly labels: { train: Float32Array; val: Float32Array };
  private readonly order: number[];
  private readonly random: () => number;
  private readonly boundaryInput: dd.Tensor;
  private readonly neuronInput: dd.Tensor | null;
  private gradientSums: number[];
  private gradientSteps = 0;
  private curve: ProgressMessage['curve'] = { epochs: [], train: [], val: [] };
  private objective: number | null = null;

  constructor(readonly config: JobConfig) {
    const share = Math.max(0.05, Math.min(0.5, config.validation ?? 0.25));
    const nVal = Math.max(4, Math.round((config.samples * share) / (1 - share)));
    const data = makeDataset(config.dataset, config.samples + nVal, config.dataSeed ?? config.seed, config.noise ?? 0);
    this.task = data.task;
    this.classes = data.classes;
    const n = config.samples;
    const rows = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
    this.xTrain = dd.gatherRows(data.x, rows(0, n));
    this.xVal = dd.gatherRows(data.x, rows(n, n + nVal));
    const yTrain = dd.gatherRows(data.y, rows(0, n));
    const yVal = dd.gatherRows(data.y, rows(n, n + nVal));
    this.labels = { train: yTrain.dataSync(), val: yVal.dataSync() };
    // softmax heads learn from one-hot targets with categorical crossentropy, as in Keras
    const oneHot = this.outputUnits > 1;
    this.yTrain = oneHot ? dd.toCategorical(yTrain.reshape([n]), this.outputUnits) : yTrain;
    this.yVal = oneHot ? dd.toCategorical(yVal.reshape([nVal]), this.outputUnits) : yVal;

    dd.setSeed(config.seed + 1);
    this.model = this.buildModel();
    this.dense = this.model.layers.filter((l): l is dd.layers.Dense => l instanceof dd.layers.Dense);
    this.model.compile({
      optimizer: this.optimizer(),
      loss: this.task === 'regression' ? 'meanSquaredError' : oneHot ? 'categoricalCrossentropy' : 'binaryCrossentropy',
      metrics: this.task === 'regression' ? [] : ['accuracy'],
    });
    this.order = rows(0, n);
    this.random = mulberry32(config.seed + 2);
    this.boundaryInput = gridPoints(config.grid);
    this.neuronInput = config.neuronGrid > 0 ? gridPoints(config.neuronGrid) : null;
    this.gradientSums = this.dense.map(() => 0);
  }

  /** Output units: 1 for regression and sigmoid heads, else one per class. */
  get outputUnits(): number {
    if (this.task === 'regression') return 1;
    if (this.task === 'binary' && this.config.output === 'sigmoid') return 1;
    return this.classes;
  }

  private buildModel(): dd.Sequential {
    const { hidden, activation, initializer, l2, dropout } = this.config;
    const l1 = this.config.l1 ?? 0;
    const model = dd.sequential([dd.layers.input({ shape: [2] })]);
    const regularizer = l1 > 0 || l2 > 0 ? dd.regularizers.l1l2({ l1, l2 }) : undefined;
    for (const units of hidden) {
      model.add(
        dd.layers.dense({
          units,
          activation,
          kernelInitializer: initializer === 'heNormal' ? 'heNormal' : 'glorotUniform',
          kernelRegularizer: regularizer,
        }),
      );
      if (dropout > 0) model.add(dd.layers.dropout({ rate: dropout }));
    }
    const outputActivation = this.task === 'regression' ? 'linear' : this.outputUnits === 1 ? 'sigmoid' : 'softmax';
    model.add(dd.layers.dense({ units: this.outputUnits, activation: outputActivation, kernelRegularizer: regularizer }));
    return model;
  }

  private optimizer(): dd.optimizers.Optimizer {
    const learningRate = this.config.learningRate;
    switch (this.config.optimizer) {
      case 'sgd':
        return dd.optimizers.sgd({ learningRate });
      case 'momentum':
        return dd.optimizers.sgd({ learningRate, momentum: 0.9 });
      case 'adam':
        return dd.optimizers.adam({ learningRate });
      case 'rmsprop':
        return dd.optimizers.rmsprop({ learningRate });
      case 'adagrad':
        return dd.optimizers.adagrad({ learningRate });
    }
  }

  /** Changes the step size of the next updates; the optimizer keeps its state (Adam's moments), as in TF Playground. */
  setLearningRate(learningRate: number): void {
    if (learningRate > 0 && Number.isFinite(learningRate)) this.model.compiled!.optimizer.learningRate = learningRate;
  }

  /** Overwrites one neuron's incoming weights (a column of the kernel) and its bias, as a learner edits them. */
  setNeuron(layer: number, unit: number, weights: number[], bias: number): void {
    const dense = this.dense[layer];
    if (!dense || unit < 0 || unit >= dense.units || !weights.every(Number.isFinite) || !Number.isFinite(bias)) return;
    const kernel = dense.kernel!.dataSync().slice();
    const nIn = kernel.length / dense.units;
    for (let j = 0; j < Math.min(nIn, weights.length); j++) kernel[j * dense.units + unit] = weights[j];
    dense.kernel!.assign(kernel);
    if (dense.bias) {
      const b = dense.bias.dataSync().slice();
      b[unit] = bias;
      dense.bias.assign(b);
    }
  }

  /** The data and layer sizes, sent once per job. */
  describe(): DataMessage {
    return {
      type: 'data',
      task: this.task,
      classes: this.classes,
      xTrain: this.xTrain.dataSync().slice(),
      yTrain: this.labels.train.slice(),
      xVal: this.xVal.dataSync().slice(),
      yVal: this.labels.val.slice(),
      extent: EXTENT,
      layerSizes: [2, ...this.dense.map((d) => d.units)],
    };
  }

  /** One pass over the training points in shuffled mini-batches. */
  epochStep(): void {
    const compiled = this.model.compiled!;
    const n = this.order.length;
    const batch = this.config.batchSize > 0 ? Math.min(this.config.batchSize, n) : n;
    shuffle(this.order, this.random);
    const variables = this.model.trainableWeights;
    const kernelIndex = this.dense.map((d) => variables.indexOf(d.kernel!));
    let lossSum = 0;
    for (let start = 0; start < n; start += batch) {
      const idx = this.order.slice(start, start + batch);
      const yPred = this.model.apply(dd.gatherRows(this.xTrain, idx), { training: true });
      let loss = compiled.loss(dd.gatherRows(this.yTrain, idx), yPred);
      for (const layer of this.model.layers) if (layer.hasRegularization) loss = dd.add(loss, layer.regularizationLoss());
      const value = loss.item();
      if (!Number.isFinite(value)) throw new Error(`The loss became ${value} at epoch ${this.epoch + 1}: lower the learning rate and press Reset.`);
      lossSum += value * idx.length;
      const grads = dd.gradients(loss, variables);
      compiled.optimizer.applyGradients(grads.map((g, i) => [g, variables[i]] as const));
      if (this.config.gradients) {
        kernelIndex.forEach((k, layer) => {
          this.gradientSums[layer] += l2Norm(grads[k].dataSync());
        });
        this.gradientSteps++;
      }
    }
    this.epoch++;
    this.objective = lossSum / n;
    // the curve shows what the read-outs show: the data loss without dropout or penalty, on both sets alike
    this.curve.epochs.push(this.epoch);
    this.curve.train.push(this.dataLoss(this.xTrain, this.yTrain));
    this.curve.val.push(this.dataLoss(this.xVal, this.yVal));
  }

  /** The loss of the model as it predicts (dropout off), without the L1/L2 penalty. */
  private dataLoss(x: dd.Tensor, y: dd.Tensor): number {
    return dd.noGrad(() => this.model.compiled!.loss(y, this.model.apply(x, { training: false })).item());
  }

  /** Losses, accuracies and the maps the page draws, for the model as it is now. */
  measure(running: boolean): ProgressMessage {
    const train = this.model.evaluate(this.xTrain, this.yTrain, { batchSize: 1024 });
    const val = this.model.evaluate(this.xVal, this.yVal, { batchSize: 1024 });
    const trainLoss = this.dataLoss(this.xTrain, this.yTrain);
    const valLoss = this.dataLoss(this.xVal, this.yVal);
    const boundary = this.model.predict(this.boundaryInput, { batchSize: 4096 }).dataSync();
    const units = this.outputUnits;
    let channels = units;
    let map = boundary;
    if (this.task === 'binary' && units === 2) {
      // P(class 1), the same quantity a sigmoid head outputs, so both heads draw alike
      channels = 1;
      map = new Float32Array(boundary.length / 2);
      for (let i = 0; i < map.length; i++) map[i] = boundary[2 * i + 1];
    }
    let gradientNorms: number[] | null = null;
    if (this.config.gradients && this.gradientSteps > 0) {
      gradientNorms = this.gradientSums.map((s) => s / this.gradientSteps);
      this.gradientSums = this.dense.map(() => 0);
      this.gradientSteps = 0;
    }
    const curve = this.epoch === 0 ? { epochs: [0], train: [trainLoss], val: [valLoss] } : this.curve;
    this.curve = { epochs: [], train: [], val: [] };
    return {
      type: 'progress',
      epoch: this.epoch,
      curve,
      running,
      trainLoss,
      valLoss,
      objective: this.objective,
      learningRate: this.model.compiled!.optimizer.learningRate,
      trainAccuracy: train.accuracy ?? null,
      valAccuracy: val.accuracy ?? null,
      boundary: map.slice(),
      channels,
      neurons: this.neuronInput ? this.neuronMaps(this.neuronInput) : null,
      kernels: this.dense.map((d) => d.kernel!.dataSync().slice()),
      biases: this.dense.map((d) => (d.bias ? d.bias.dataSync().slice() : new Float32Array(d.units))),
      gradientNorms,
    };
  }

  /** Each Dense unit's output over the plane: run the layers one by one and keep every Dense output. */
  private neuronMaps(points: dd.Tensor): Float32Array[][] {
    return dd.noGrad(() => {
      const maps: Float32Array[][] = [];
      let h = points;
      for (const layer of this.model.layers) {
        h = layer.apply(h, { training: false });
        if (!(layer instanceof dd.layers.Dense)) continue;
        const [rows, units] = h.shape;
        const values = h.dataSync();
        const perUnit = Array.from({ length: units }, () => new Float32Array(rows));
        for (let r = 0; r < rows; r++) for (let u = 0; u < units; u++) perUnit[u][r] = values[r * units + u];
        maps.push(perUnit);
      }
      return maps;
    });
  }

  /** Gradient norms of a fresh batch without training (shown before the first step). */
  probeGradients(): number[] {
    const compiled = this.model.compiled!;
    const variables = this.model.trainableWeights;
    const loss = compiled.loss(this.yTrain, this.model.apply(this.xTrain, { training: true }));
    const grads = dd.gradients(loss, variables);
    return this.dense.map((d) => l2Norm(grads[variables.indexOf(d.kernel!)].dataSync()));
  }
}

/** side*side points covering [-EXTENT, EXTENT]^2, top row (largest x2) first, as an image is stored. */
export function gridPoints(side: number): dd.Tensor {
  const v = new Float32Array(side * side * 2);
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      const i = (r * side + c) * 2;
      v[i] = -EXTENT + ((c + 0.5) / side) * 2 * EXTENT;
      v[i + 1] = EXTENT - ((r + 0.5) / side) * 2 * EXTENT;
    }
  }
  return dd.tensor(v, [side * side, 2]);
}

function l2Norm(values: Float32Array): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i] * values[i];
  return Math.sqrt(s);
}

function shuffle(order: number[], random: () => number): void {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
}

/** A small seeded generator for the batch order, so the library's own stream drives only weights and dropout. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
