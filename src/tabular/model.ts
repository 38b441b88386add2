import { dense } from '../nn/layers/dense.js';
import { dropout as dropoutLayer } from '../nn/layers/dropout.js';
import type { Layer } from '../nn/layer.js';
import type { LossName } from '../nn/losses.js';
import { adam } from '../nn/optimizers/index.js';
import { l2 as l2Regularizer } from '../nn/regularizers.js';
import { sequential, type Sequential } from '../model/sequential.js';
import type { Task } from './target.js';

/** How a tabular network is built and trained; every field has a default in `TABULAR_DEFAULTS`. */
export interface TabularSettings {
  /** Units of each hidden ReLU layer, e.g. [64, 32]. An empty list gives a linear / logistic model. */
  hidden: number[];
  /** The most passes over the training rows; early stopping usually ends training sooner. */
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Dropout rate after each hidden layer (0: none). */
  dropout: number;
  /** L2 penalty on the hidden and output kernels (0: none). */
  l2: number;
  /** Fraction of the rows held out as the test set. */
  testSplit: number;
  /** Fraction of the remaining rows held out to decide when to stop (early stopping on validation loss). */
  validationSplit: number;
  /** Epochs without a better validation loss before stopping; the best epoch's weights are restored. */
  patience: number;
  /**
   * After early stopping has found the best number of epochs, train a fresh network (same seed) on all the
   * training rows, validation rows included, for that many epochs. Small tables gain from the extra rows.
   */
  refit: boolean;
  seed: number;
}

/**
 * Defaults measured on small classic tables (iris, wine, breast cancer, diabetes, 8x8 digits) and on
 * generated tables with mixed columns; see the README's comparison with scikit-learn.
 */
export const TABULAR_DEFAULTS: Readonly<TabularSettings> = Object.freeze({
  hidden: [100],
  epochs: 500,
  batchSize: 32,
  learningRate: 1e-3,
  dropout: 0.1,
  l2: 1e-4,
  testSplit: 0.2,
  validationSplit: 0.2,
  patience: 30,
  refit: true,
  seed: 42,
});

/** The output layer and loss the task calls for. */
export function headFor(task: Task): { activation: 'linear' | 'sigmoid' | 'softmax'; loss: LossName } {
  switch (task) {
    case 'regression':
      return { activation: 'linear', loss: 'meanSquaredError' };
    case 'binary':
      return { activation: 'sigmoid', loss: 'binaryCrossentropy' };
    case 'multiclass':
      return { activation: 'softmax', loss: 'categoricalCrossentropy' };
  }
}

/**
 * A compiled multilayer perceptron for `numFeatures` inputs: hidden ReLU layers (Glorot-uniform initialisation,
 * optional dropout and L2), then the task's output layer with `units` units, trained with Adam.
 *
 *     buildTabularModel(12, 'multiclass', 3, TABULAR_DEFAULTS);   // 12 -> 100 -> 3 softmax
 */
export function buildTabularModel(numFeatures: number, task: Task, units: number, settings: TabularSettings): Sequential {
  const regularizer = settings.l2 > 0 ? l2Regularizer({ l2: settings.l2 }) : undefined;
  const layers: Layer[] = [];
  // NOTE: Keras' Glorot-uniform default rather than He: on small tables with few columns He's larger initial
  // weights generalised worse (iris, diabetes), measured against scikit-learn, which also uses Glorot.
  settings.hidden.forEach((n, i) => {
    layers.push(
      dense({ name: `hidden_${i + 1}`, units: n, activation: 'relu', kernelRegularizer: regularizer, ...(i === 0 ? { inputShape: [numFeatures] } : {}) }),
    );
    if (settings.dropout > 0) layers.push(dropoutLayer({ name: `dropout_${i + 1}`, rate: settings.dropout }));
  });
  const head = headFor(task);
  layers.push(
    dense({
      name: 'output',
      units,
      activation: head.activation,
      kernelRegularizer: regularizer,
      ...(layers.length === 0 ? { inputShape: [numFeatures] } : {}),
    }),
  );
  const model = sequential(layers, { name: `tabular_${task}` });
  model.compile({ optimizer: adam({ learningRate: settings.learningRate }), loss: head.loss, metrics: task === 'regression' ? [] : ['accuracy'] });
  return model;
}
