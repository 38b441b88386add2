// tf.metrics against real TensorFlow.js: each metric on the same inputs gives TF.js' values and shapes (a tensor
// per sample for most, a scalar for precision, recall and r2Score), on rank-1, rank-2 and rank-3 inputs.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tfjs from '@tensorflow/tfjs';
import { tensor } from '../../src/tensor/create.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { grad } from '../../src/tfjs/gradients.js';
import * as metrics from '../../src/tfjs/metrics.js';
import { assertClose } from '../helpers.js';

before(async () => {
  await tfjs.setBackend('cpu');
});

function same(actual: Tensor, expected: tfjs.Tensor, what: string): void {
  assert.deepEqual([...actual.shape], expected.shape, `${what}: shape`);
  assertClose(actual.values, expected.dataSync() as Float32Array, { rtol: 1e-5, atol: 1e-6 });
}

type Metric = (yTrue: never, yPred: never) => unknown;
type Lib = Record<string, Metric>;
const ours = metrics as unknown as Lib;
const theirs = tfjs.metrics as unknown as Lib;

/** Inputs as [yTrue, yPred] nested arrays, several ranks. */
const BINARY: [string, unknown, unknown][] = [
  ['[4, 1]', [[1], [0], [1], [0]], [[0.7], [0.6], [0.2], [0.1]]],
  [
    '[2, 3]',
    [
      [1, 0, 1],
      [0, 1, 1],
    ],
    [
      [0.9, 0.5, 0.51],
      [0.2, 0.8, 0.4],
    ],
  ],
  ['[4]', [1, 0, 1, 1], [0.6, 0.4, 0.3, 0.9]],
];
const CATEGORICAL: [string, unknown, unknown][] = [
  [
    '[3, 3]',
    [
      [0, 1, 0],
      [1, 0, 0],
      [0, 0, 1],
    ],
    [
      [0.2, 0.7, 0.1],
      [0.3, 0.6, 0.1],
      [0.1, 0.1, 0.8],
    ],
  ],
  [
    '[2, 2, 3]',
    [
      [
        [0, 1, 0],
        [1, 0, 0],
      ],
      [
        [0, 0, 1],
        [0, 1, 0],
      ],
    ],
    [
      [
        [0.2, 0.7, 0.1],
        [0.3, 0.6, 0.1],
      ],
      [
        [0.1, 0.1, 0.8],
        [0.5, 0.2, 0.3],
      ],
    ],
  ],
];
const REGRESSION: [string, unknown, unknown][] = [
  [
    '[2, 3]',
    [
      [1, -2, 0.5],
      [0, 3, 2],
    ],
    [
      [1.5, -1, 0],
      [0.2, 2.5, 2],
    ],
  ],
  ['[4]', [1, 2, 3, 4], [1.2, 1.7, 3.5, 3.9]],
  [
    '[2, 2, 2]',
    [
      [
        [1, 0],
        [0, 1],
      ],
      [
        [2, 2],
        [-1, 1],
      ],
    ],
    [
      [
        [0.5, 0.5],
        [0, 2],
      ],
      [
        [1, 3],
        [-1, 0.5],
      ],
    ],
  ],
];

function compare(name: string, inputs: [string, unknown, unknown][]): void {
  for (const [shape, yTrue, yPred] of inputs) {
    const expected = theirs[name](tfjs.tensor(yTrue as number[]) as never, tfjs.tensor(yPred as number[]) as never) as tfjs.Tensor;
    const actual = ours[name](tensor(yTrue as number[]) as never, tensor(yPred as number[]) as never) as Tensor;
    same(actual, expected, `${name} on ${shape}`);
  }
}

describe('tf.metrics against TF.js', () => {
  for (const name of ['binaryAccuracy', 'binaryCrossentropy', 'precision', 'recall']) {
    it(`${name}`, () => compare(name, BINARY));
  }

  it('precision and recall count exact 0/1 predictions only, as TF.js', () => {
    const rounded: [string, unknown, unknown][] = [
      ['[6]', [1, 0, 1, 1, 0, 0], [1, 1, 0, 1, 0, 1]],
      [
        '[3, 2]',
        [
          [1, 0],
          [1, 1],
          [0, 0],
        ],
        [
          [1, 0],
          [0, 1],
          [1, 0],
        ],
      ],
      ['no positive predictions', [1, 1, 0], [0, 0, 0]],
      ['no positive labels', [0, 0, 0], [1, 0, 0]],
    ];
    compare('precision', rounded);
    compare('recall', rounded);
  });

  for (const name of ['categoricalAccuracy', 'categoricalCrossentropy', 'cosineProximity']) {
    it(`${name}`, () => compare(name, CATEGORICAL));
  }

  it('sparseCategoricalAccuracy, labels [N] and [N, 1]', () => {
    const predictions = [
      [0.2, 0.7, 0.1],
      [0.3, 0.6, 0.1],
      [0.1, 0.1, 0.8],
    ];
    compare('sparseCategoricalAccuracy', [
      ['[3]', [1, 0, 2], predictions],
      ['[3, 1]', [[1], [0], [2]], predictions],
    ]);
  });

  for (const name of ['meanSquaredError', 'MSE', 'mse', 'meanAbsoluteError', 'meanAbsolutePercentageError', 'MAPE', 'mape', 'r2Score', 'cosineProximity']) {
    it(`${name}`, () => compare(name, REGRESSION));
  }

  it('metrics are differentiable, as TF.js ops are', () => {
    const yTrue = [
      [1, -2, 0.5],
      [0, 3, 2],
    ];
    const yPred = [
      [1.5, -1, 0.1],
      [0.2, 2.5, 1.9],
    ];
    for (const name of ['meanSquaredError', 'meanAbsolutePercentageError', 'cosineProximity', 'r2Score']) {
      const expected = tfjs.grad((p: tfjs.Tensor) => theirs[name](tfjs.tensor(yTrue) as never, p as never) as tfjs.Tensor)(tfjs.tensor(yPred));
      const actual = grad((p: Tensor) => ours[name](tensor(yTrue) as never, p as never) as Tensor)(tensor(yPred));
      same(actual, expected, `d ${name} / d yPred`);
    }
  });

  it('has the names tf.metrics has', () => {
    assert.deepEqual(Object.keys(ours).sort(), Object.keys(theirs).sort());
  });
});
