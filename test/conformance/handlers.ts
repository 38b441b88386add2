import * as dd from '../../src/index.js';
import type { Fixture, FixtureTensor } from './fixture.js';

/** What running a fixture produced: the primary output, named extra outputs and input gradients. */
export interface Result {
  output?: dd.Tensor;
  extras?: Record<string, dd.Tensor>;
  grads?: Record<string, dd.Tensor>;
}

/** Thrown by a handler for a case it recognises but dendrite does not support yet. */
export class Skip extends Error {}

type Handler = (f: Fixture) => Result | Promise<Result>;

function toTensor(t: FixtureTensor): dd.Tensor {
  return dd.tensor(Float32Array.from(t.data), t.shape);
}

function inputs(f: Fixture): dd.Tensor[] {
  return f.input_order.map((k) => toTensor(f.inputs[k]));
}

/**
 * Runs `op` on the fixture's inputs (in input_order) and, when the fixture lists gradients, differentiates
 * L = sum(output * upstream) with respect to exactly those inputs.
 */
function differentiable(op: (...xs: dd.Tensor[]) => dd.Tensor): Handler {
  return (f) => {
    const xs = inputs(f);
    const wanted = f.input_order.map((k) => k in f.grads);
    xs.forEach((x, i) => {
      x.requireGrad(wanted[i]);
    });
    const output = op(...xs);
    if (!f.upstream || !wanted.includes(true)) return { output };
    const targets = xs.filter((_, i) => wanted[i]);
    const g = dd.gradients(output, targets, toTensor(f.upstream));
    const names = f.input_order.filter((_, i) => wanted[i]);
    return { output, grads: Object.fromEntries(names.map((n, i) => [n, g[i]])) };
  };
}

// biome-ignore lint/suspicious/noExplicitAny: fixture parameters are free-form JSON, read by name
const p = (f: Fixture) => f.params as Record<string, any>;
const axisParam = (v: unknown): number | number[] | null => (v === undefined ? null : (v as number | number[] | null));

const elementwise: Record<string, (f: Fixture) => (...xs: dd.Tensor[]) => dd.Tensor> = {
  add: () => (a, b) => dd.add(a, b),
  sub: () => (a, b) => dd.sub(a, b),
  mul: () => (a, b) => dd.mul(a, b),
  div: () => (a, b) => dd.div(a, b),
  exp: () => (x) => dd.exp(x),
  log: () => (x) => dd.log(x),
  sqrt: () => (x) => dd.sqrt(x),
  tanh: () => (x) => dd.tanh(x),
  sigmoid: () => (x) => dd.sigmoid(x),
  relu: () => (x) => dd.relu(x),
  softplus: () => (x) => dd.softplus(x),
  swish: () => (x) => dd.swish(x),
  leaky_relu: (f) => (x) => dd.leakyRelu(x, p(f).alpha ?? 0.2),
  elu: (f) => (x) => dd.elu(x, p(f).alpha ?? 1),
  gelu: (f) => (x) => dd.gelu(x, p(f).approximate ?? false),
  softmax: (f) => (x) => dd.softmax(x, p(f).axis ?? -1),
  log_softmax: (f) => (x) => dd.logSoftmax(x, p(f).axis ?? -1),
  reduce_sum: (f) => (x) => dd.sum(x, axisParam(p(f).axis), p(f).keepdims ?? false),
  reduce_mean: (f) => (x) => dd.mean(x, axisParam(p(f).axis), p(f).keepdims ?? false),
  reduce_max: (f) => (x) => dd.max(x, axisParam(p(f).axis), p(f).keepdims ?? false),
  reduce_min: (f) => (x) => dd.min(x, axisParam(p(f).axis), p(f).keepdims ?? false),
  transpose: (f) => (x) => dd.transpose(x, p(f).perm ?? undefined),
  reshape: (f) => (x) => dd.reshape(x, p(f).shape),
  slice: (f) => (x) => dd.slice(x, p(f).begin, p(f).size),
  concat:
    (f) =>
    (...xs) =>
      dd.concat(xs, p(f).axis ?? 0),
  matmul: (f) => (a, b) => dd.matmul(a, b, p(f).transpose_a ?? false, p(f).transpose_b ?? false),
};

/** Keras loss op ids -> dendrite loss names. */
const lossNames: Record<string, string> = {
  mean_squared_error: 'meanSquaredError',
  mean_absolute_error: 'meanAbsoluteError',
  huber: 'huber',
  binary_crossentropy: 'binaryCrossentropy',
  categorical_crossentropy: 'categoricalCrossentropy',
  sparse_categorical_crossentropy: 'sparseCategoricalCrossentropy',
};

function lossHandler(name: string): Handler {
  return (f) => {
    const loss = dd.losses.getLoss(name as dd.losses.LossName, { fromLogits: p(f).from_logits ?? false, delta: p(f).delta });
    if ((p(f).reduction ?? 'mean') !== 'mean') throw new Skip(`loss reduction '${p(f).reduction}'`);
    return differentiable((yTrue, yPred) => loss(yTrue, yPred))(f);
  };
}

function denseHandler(f: Fixture): Result {
  const [x, W, b] = inputs(f);
  const layer = dd.layers.dense({ units: W.shape[1], activation: p(f).activation ?? 'linear', useBias: b !== undefined });
  layer.ensureBuilt([null, ...x.shape.slice(1)]);
  layer.setWeights(b ? [W, b] : [W]);
  x.requireGrad('x' in f.grads);
  const output = layer.apply(x);
  const [kernel, bias] = layer.weights;
  const g = dd.gradients(output, bias ? [x, kernel, bias] : [x, kernel], toTensor(f.upstream!));
  return { output, grads: { x: g[0], W: g[1], ...(bias ? { b: g[2] } : {}) } };
}

/**
 * Runs a layer built for the first input with the fixture's weights (the next inputs in input_order, which
 * lists them in the layer's Keras weight order) and differentiates L = sum(output * upstream) with respect
 * to the listed gradients, x and weights alike.
 */
function throughLayer(f: Fixture, layer: dd.Layer, training = false): Result & { x: dd.Tensor } {
  const [xName, ...rest] = f.input_order;
  const x = toTensor(f.inputs[xName]);
  layer.ensureBuilt([null, ...x.shape.slice(1)]);
  const weightNames = rest.slice(0, layer.weights.length);
  layer.setWeights(weightNames.map((n) => toTensor(f.inputs[n])));
  x.requireGrad(xName in f.grads);
  const output = layer.apply(x, { training });
  const byName = new Map<string, dd.Tensor>([[xName, x], ...weightNames.map((n, i) => [n, layer.weights[i]] as const)]);
  const wanted = Object.keys(f.grads).filter((n) => byName.has(n));
  if (!f.upstream || wanted.length === 0) return { x, output };
  const g = dd.gradients(
    output,
    wanted.map((n) => byName.get(n)!),
    toTensor(f.upstream),
  );
  return { x, output, grads: Object.fromEntries(wanted.map((n, i) => [n, g[i]])) };
}

/** The bias is added when the fixture says use_bias, or (without the flag) when it gives one. */
const useBias = (f: Fixture): boolean => p(f).use_bias ?? 'bias' in f.inputs;
const kernelShape = (f: Fixture): number[] => f.inputs[f.input_order[1]].shape;
/** Window geometry in layer argument names; a missing or null param keeps the layer's default. */
const geometry = (f: Fixture) => ({ strides: p(f).strides ?? undefined, padding: p(f).padding ?? undefined, dilationRate: p(f).dilation_rate ?? undefined });

function conv2dHandler(f: Fixture): Result {
  const [kh, kw, , filters] = kernelShape(f);
  return throughLayer(f, dd.layers.conv2d({ filters, kernelSize: [kh, kw], ...geometry(f), useBias: useBias(f) }));
}

function depthwiseConv2dHandler(f: Fixture): Result {
  const [kh, kw, , multiplier] = kernelShape(f);
  return throughLayer(
    f,
    dd.layers.depthwiseConv2d({ kernelSize: [kh, kw], ...geometry(f), depthMultiplier: p(f).depth_multiplier ?? multiplier, useBias: useBias(f) }),
  );
}

function conv2dTransposeHandler(f: Fixture): Result {
  const [kh, kw, filters] = kernelShape(f);
  if (p(f).output_padding != null) throw new Skip('conv2d_transpose output_padding');
  return throughLayer(f, dd.layers.conv2dTranspose({ filters: p(f).filters ?? filters, kernelSize: [kh, kw], ...geometry(f), useBias: useBias(f) }));
}

const poolArgs = (f: Fixture) => ({ poolSize: p(f).pool_size ?? undefined, strides: p(f).strides ?? undefined, padding: p(f).padding ?? undefined });

/**
 * batch_norm through the BatchNormalization layer: weights gamma, beta, moving_mean, moving_variance from the
 * fixture; in training the extras are the updated moving statistics and the batch's own (biased) ones.
 */
function batchNormHandler(f: Fixture): Result {
  const { axis = -1, epsilon = 1e-3, momentum = 0.99, training = false } = p(f);
  const layer = dd.layers.batchNormalization({ axis, epsilon, momentum });
  const { x, output, grads } = throughLayer(f, layer, training);
  if (!training) return { output, grads };
  const a = axis < 0 ? axis + x.rank : axis;
  const { mean, variance } = dd.noGrad(() =>
    dd.moments(
      x,
      x.shape.map((_, i) => i).filter((i) => i !== a),
    ),
  );
  const [movingMean, movingVariance] = layer.nonTrainableWeights.map((w) => dd.tensor(w.dataSync(), w.shape));
  return { output, grads, extras: { moving_mean: movingMean, moving_variance: movingVariance, batch_mean: mean, batch_variance: variance } };
}

/** Keras optimizer arguments (snake_case in fixtures) -> dendrite factory arguments. */
// biome-ignore lint/suspicious/noExplicitAny: fixture parameters are free-form JSON, read by name
function optimizerFromParams(params: Record<string, any>): dd.optimizers.Optimizer {
  const args: Record<string, unknown> = {};
  const rename: Record<string, string> = {
    learning_rate: 'learningRate',
    beta_1: 'beta1',
    beta_2: 'beta2',
    epsilon: 'epsilon',
    momentum: 'momentum',
    nesterov: 'nesterov',
    rho: 'rho',
    centered: 'centered',
    weight_decay: 'weightDecay',
    initial_accumulator_value: 'initialAccumulatorValue',
  };
  for (const [k, v] of Object.entries(params)) {
    if (k in rename) args[rename[k]] = v;
    else if (k === 'amsgrad' && v) throw new Skip('amsgrad');
  }
  const factory = (dd.optimizers as unknown as Record<string, (a: object) => dd.optimizers.Optimizer>)[params.optimizer];
  if (typeof factory !== 'function') throw new Skip(`optimizer '${params.optimizer}'`);
  return factory(args);
}

function optimizerSteps(f: Fixture): Result {
  const [p0, ...gs] = f.input_order;
  const start = f.inputs[p0];
  const variable = new dd.Variable(Float32Array.from(start.data), start.shape, 'p');
  const optimizer = optimizerFromParams(p(f));
  const extras: Record<string, dd.Tensor> = {};
  gs.forEach((name, i) => {
    optimizer.applyGradients([[toTensor(f.inputs[name]), variable]]);
    extras[`p_step${i + 1}`] = dd.tensor(variable.dataSync(), variable.shape);
  });
  return { output: dd.tensor(variable.dataSync(), variable.shape), extras };
}

/**
 * `train_mlp`: Dense(hidden, act1) -> Dense(out, act2) trained by `fit` with one full batch per epoch and no
 * shuffling, so each epoch's logged loss is the loss before that epoch's update.
 */
async function trainMlp(f: Fixture): Promise<Result> {
  const [x, y, W1, b1, W2, b2] = inputs(f);
  const params = p(f);
  const acts = [...String(params.architecture ?? '').matchAll(/Dense\(\s*\d+\s*,\s*(\w+)\s*\)/g)].map((m) => m[1]);
  const lossName = lossNames[String(params.loss ?? 'binary_crossentropy').split(/[\s(]/)[0]];
  if (!lossName) throw new Skip(`train_mlp loss '${params.loss}'`);
  const model = dd.sequential([
    dd.layers.dense({ units: W1.shape[1], activation: (acts[0] ?? 'tanh') as dd.ActivationName, inputShape: [x.shape[1]] }),
    dd.layers.dense({ units: W2.shape[1], activation: (acts[1] ?? 'sigmoid') as dd.ActivationName }),
  ]);
  model.setWeights([W1, b1, W2, b2]);
  model.compile({ optimizer: optimizerFromParams(params), loss: lossName as dd.losses.LossName });
  const history = await model.fit(x, y, { epochs: Number(params.steps), batchSize: x.shape[0], shuffle: false, verbose: 0 });
  const [w1, c1, w2, c2] = model.getWeights();
  const predictions = model.predict(x);
  const finalLoss = model.evaluate(x, y, { batchSize: x.shape[0] }).loss;
  return {
    output: dd.tensor(history.history.loss),
    extras: { W1: w1, b1: c1, W2: w2, b2: c2, final_loss: dd.scalar(finalLoss), final_predictions: predictions },
  };
}

export const handlers: Record<string, Handler> = {
  ...Object.fromEntries(Object.entries(elementwise).map(([op, make]) => [op, (f: Fixture) => differentiable(make(f))(f)])),
  ...Object.fromEntries(Object.entries(lossNames).map(([op, name]) => [op, lossHandler(name)])),
  dense: denseHandler,
  conv2d: conv2dHandler,
  depthwise_conv2d: depthwiseConv2dHandler,
  conv2d_transpose: conv2dTransposeHandler,
  max_pool2d: (f) => throughLayer(f, dd.layers.maxPooling2d(poolArgs(f))),
  avg_pool2d: (f) => throughLayer(f, dd.layers.averagePooling2d(poolArgs(f))),
  global_avg_pool2d: (f) => throughLayer(f, dd.layers.globalAveragePooling2d({ keepDims: p(f).keepdims ?? false })),
  global_max_pool2d: (f) => throughLayer(f, dd.layers.globalMaxPooling2d({ keepDims: p(f).keepdims ?? false })),
  layer_norm: (f) => throughLayer(f, dd.layers.layerNormalization({ axis: p(f).axis ?? -1, epsilon: p(f).epsilon ?? 1e-3 })),
  batch_norm: batchNormHandler,
  optimizer_steps: optimizerSteps,
  train_mlp: trainMlp,
};
