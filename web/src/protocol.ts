// Messages between the page and the training worker (worker.ts).

export type DatasetName = 'xor' | 'circles' | 'spirals' | 'blobs' | 'regression';
export type HiddenActivation = 'relu' | 'tanh' | 'sigmoid' | 'linear' | 'elu' | 'leakyRelu';
export type OptimizerChoice = 'sgd' | 'momentum' | 'adam' | 'rmsprop' | 'adagrad';
/** What the output layer of a classifier is: one sigmoid unit (binary only) or one softmax unit per class. */
export type OutputHead = 'sigmoid' | 'softmax';
export type Task = 'binary' | 'multiclass' | 'regression';

export interface JobConfig {
  dataset: DatasetName;
  /** Seeds the data, the initial weights and the shuffling. */
  seed: number;
  /** Units of each hidden layer, input side first. */
  hidden: number[];
  activation: HiddenActivation;
  /** 'auto' = Dense's default (Glorot uniform); 'heNormal' suits ReLU. */
  initializer: 'auto' | 'heNormal';
  /** For binary tasks; multi-class tasks always use softmax, regression a linear unit. */
  output: OutputHead;
  optimizer: OptimizerChoice;
  learningRate: number;
  /** 0 = the whole training set in one batch. */
  batchSize: number;
  l2: number;
  /** L1 penalty on the kernels; absent = 0. */
  l1?: number;
  dropout: number;
  /** Side of the square grid on which the decision boundary is drawn. */
  grid: number;
  /** Side of each neuron's small heat map; 0 = do not compute them. */
  neuronGrid: number;
  /** Report the gradient norm of every layer's kernel. */
  gradients: boolean;
  /** Training points (validation points come on top: a third as many unless `validation` says otherwise). */
  samples: number;
  /** The share of all points held out for validation (0.1 to 0.5); absent = 0.25. */
  validation?: number;
  /** Extra Gaussian noise (standard deviation) on the inputs, or on the targets of the regression; absent = 0. */
  noise?: number;
  /** Seeds the data alone (so "regenerate data" keeps the network's seed); absent = `seed`. */
  dataSeed?: number;
}

export type ToWorker =
  | { type: 'init'; job: number; config: JobConfig }
  | { type: 'train'; maxEpochs?: number }
  | { type: 'stop' }
  | { type: 'step' }
  | { type: 'learningRate'; learningRate: number }
  /** Sets one neuron's incoming weights and bias (`layer`: the Dense layer, 0 = the first). */
  | { type: 'setNeuron'; layer: number; unit: number; weights: number[]; bias: number };

export interface DataMessage {
  type: 'data';
  task: Task;
  classes: number;
  /** Inputs (x1, x2 pairs) and targets of the training and validation points. */
  xTrain: Float32Array;
  yTrain: Float32Array;
  xVal: Float32Array;
  yVal: Float32Array;
  /** The plotted square is [-extent, extent]^2. */
  extent: number;
  /** Units per layer, inputs first, outputs last. */
  layerSizes: number[];
}

export interface ProgressMessage {
  type: 'progress';
  epoch: number;
  running: boolean;
  /** The data loss on each set, measured as validation loss is: without dropout and without the L1/L2 penalty. */
  trainLoss: number;
  valLoss: number;
  /**
   * What the optimizer minimised during the last epoch: the mean over its batches of the loss with dropout
   * on, plus the L1/L2 penalty. Equals trainLoss only roughly, and only without dropout and penalty.
   */
  objective: number | null;
  /** The optimizer's learning rate now (it can change during a run). */
  learningRate: number;
  /** The loss curves since the last report, one point per epoch, measured as trainLoss and valLoss are. */
  curve: { epochs: number[]; train: number[]; val: number[] };
  /** Classification only. */
  trainAccuracy: number | null;
  valAccuracy: number | null;
  /** grid*grid rows (top row first), `channels` numbers each: P(class 1) for binary tasks, class probabilities, or the regression output. */
  boundary: Float32Array;
  channels: number;
  /** Per Dense layer, per unit: a neuronGrid*neuronGrid map of the unit's output (top row first). */
  neurons: Float32Array[][] | null;
  /** Per Dense layer: its kernel [in, out], row-major, and its bias [out]. */
  kernels: Float32Array[];
  biases: Float32Array[];
  /** Per Dense layer: the L2 norm of the loss gradient for its kernel, averaged since the last report. */
  gradientNorms: number[] | null;
}

export type FromWorker = DataMessage | ProgressMessage | { type: 'stopped'; epoch: number } | { type: 'error'; message: string };

/** Every reply names the job (the `init`) it belongs to, so the page can drop replies of a job it replaced. */
export type Reply = FromWorker & { job: number };
