// Bad input at every public entry point, in one place: each case feeds one kind of wrong input and checks that
// the error names the problem (what is wrong, where, and what was expected), so a user can fix it from the
// message alone. The CLI's side (one line, non-zero exit, no stack) is in test/cli/bad-input.test.ts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  encodeIdx,
  getActivation,
  layers,
  loadModel,
  losses,
  modelFromArtifacts,
  modelToArtifacts,
  optimizers,
  parseCsv,
  parseIdx,
  sequential,
  setSeed,
  tensor,
  toCategorical,
  zeros,
  type Sequential,
} from '../../src/index.js';
import { getLoss } from '../../src/nn/losses.js';
import { getOptimizer } from '../../src/nn/optimizers/index.js';

/** Asserts that `run` throws (or rejects) with a message matching every pattern. */
async function fails(run: () => unknown, ...patterns: RegExp[]): Promise<void> {
  let message: string | null = null;
  try {
    await run();
  } catch (error) {
    message = error instanceof Error ? error.message : String(error);
  }
  assert.ok(message !== null, 'expected an error, got none');
  for (const p of patterns) assert.match(message, p);
}

function classifier(units = 3): Sequential {
  setSeed(1);
  const model = sequential([layers.dense({ units: 8, activation: 'relu', inputShape: [4] }), layers.dense({ units, activation: 'softmax' })]);
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

const x = (n: number) =>
  tensor(
    Array.from({ length: n * 4 }, (_, i) => Math.sin(i)),
    [n, 4],
  );
const silent = { verbose: 0 } as const;

describe('tensors with NaN or Infinity', () => {
  test('fit refuses them in x, naming the row and the element', async () => {
    const data = x(10).values.slice();
    data[6 * 4 + 2] = Number.POSITIVE_INFINITY;
    await fails(
      () => classifier().fit(tensor(data, [10, 4]), toCategorical([0, 1, 2, 0, 1, 2, 0, 1, 2, 0], 3), silent),
      /fit\(\): x has Infinity in row 6 \(element \[2\] of that row\)/,
      /checkInputs: false/,
    );
  });
  test('fit refuses them in y and in validation data', async () => {
    const y = toCategorical([0, 1, 2, 0], 3).values.slice();
    y[3 * 3] = Number.NaN;
    await fails(() => classifier().fit(x(4), tensor(y, [4, 3]), silent), /fit\(\): y has NaN in row 3/);
    const xv = x(3).values.slice();
    xv[1] = Number.NaN;
    await fails(
      () => classifier().fit(x(4), toCategorical([0, 1, 2, 0], 3), { ...silent, validationData: [tensor(xv, [3, 4]), toCategorical([0, 1, 2], 3)] }),
      /validationData\(\): x has NaN in row 0 \(element \[1\]/,
    );
  });
  test('evaluate refuses them too', async () => {
    const data = x(5).values.slice();
    data[17] = Number.NEGATIVE_INFINITY;
    await fails(() => classifier().evaluate(tensor(data, [5, 4]), toCategorical([0, 1, 2, 0, 1], 3)), /evaluate\(\): x has -Infinity in row 4 \(element \[1\]/);
  });
});

describe('wrong ranks and shapes', () => {
  test('fit names the expected and the actual input shape', async () => {
    await fails(() => classifier().fit(zeros([6, 5]), toCategorical([0, 1, 2, 0, 1, 2], 3), silent), /expects x of shape \[null, 4\] but x has shape \[6, 5\]/);
  });
  test('x and y with different sample counts', async () => {
    await fails(() => classifier().fit(x(6), toCategorical([0, 1, 2], 3), silent), /x has 6 samples but y has 3/);
  });
  test('predict and apply name the layer, the expected and the actual shape', async () => {
    const model = classifier();
    await fails(() => model.predict(zeros([2, 7])), /\[null, 4\]/, /\[2, 7\]/);
  });
  test('a Dense layer on images suggests Flatten', async () => {
    const model = sequential([layers.conv2d({ filters: 2, kernelSize: 3, inputShape: [8, 8, 1] }), layers.dense({ units: 3, activation: 'softmax' })]);
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    await fails(() => model.fit(zeros([4, 8, 8, 1]), toCategorical([0, 1, 2, 0], 3), silent), /Flatten/);
  });
  test('matmul names both shapes', async () => {
    await fails(() => zeros([2, 3]).matmul(zeros([4, 5])), /matmul\(\): inner dimensions differ: \[2, 3\] \. \[4, 5\] \(3 vs 4\)/);
  });
});

describe('labels that do not match the loss', () => {
  test('class ids given to categorical crossentropy: one-hot them or use the sparse loss', async () => {
    await fails(
      () => classifier().fit(x(4), tensor([0, 1, 2, 1], [4, 1]), silent),
      /look like class indices: one-hot encode them \(toCategorical\) or use sparseCategoricalCrossentropy/,
    );
  });
  test('one-hot labels given to the sparse loss', async () => {
    const model = classifier();
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    await fails(() => model.fit(x(4), toCategorical([0, 1, 2, 1], 3), silent), /look one-hot: use 'categoricalCrossentropy'/);
  });
  test('a wrong class count names both counts', async () => {
    await fails(
      () => classifier(3).fit(x(4), toCategorical([0, 1, 2, 3], 4), silent),
      /y has shape \[4, 4\].*output shape \[null, 3\].*make the last layer's units 4/,
    );
  });
  test('class ids beyond the output units', async () => {
    const model = classifier(3);
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    await fails(
      () => model.fit(x(4), tensor([0, 1, 3, 1]), silent),
      /y row 2 is 3, but sparseCategoricalCrossentropy takes class ids 0\.\.2 for the model's 3 output units/,
    );
    await fails(() => model.fit(x(4), tensor([0, 1.5, 2, 1]), silent), /y row 1 is 1\.5/);
  });
  test('binary labels outside [0, 1]', async () => {
    setSeed(2);
    const model = sequential([layers.dense({ units: 1, activation: 'sigmoid', inputShape: [4] })]);
    model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
    await fails(
      () => model.fit(x(4), tensor([[0], [1], [2], [1]]), silent),
      /y row 2 \(element \[0\] of that row\) is 2, outside \[0, 1\]: binaryCrossentropy needs binary labels/,
    );
  });
});

describe('empty data and batch sizes', () => {
  test('an empty data set', async () => {
    await fails(() => classifier().fit(zeros([0, 4]), zeros([0, 3]), silent), /fit\(\): the data set is empty/);
    await fails(() => classifier().evaluate(zeros([0, 4]), zeros([0, 3])), /evaluate\(\): the data set is empty/);
  });
  test('batch size 0, negative or fractional', async () => {
    for (const batchSize of [0, -4, 2.5])
      await fails(
        () => classifier().fit(x(4), toCategorical([0, 1, 2, 1], 3), { ...silent, batchSize }),
        new RegExp(`batchSize must be a positive integer, got ${batchSize}`),
      );
    await fails(
      () => classifier().evaluate(x(4), toCategorical([0, 1, 2, 1], 3), { batchSize: 0 }),
      /evaluate\(\): batchSize must be a positive integer, got 0/,
    );
  });
  test('a batch size larger than the data trains on one batch and says so', async () => {
    const lines: string[] = [];
    const h = await classifier().fit(x(4), toCategorical([0, 1, 2, 1], 3), { verbose: 2, batchSize: 32, progressSink: { line: (l) => lines.push(l) } });
    assert.equal(h.epoch.length, 1);
    assert.match(lines[0], /batchSize 32 is larger than the 4 training samples, so each epoch is one batch of 4/);
  });
  test('validation split leaving nothing to train on', async () => {
    await fails(() => classifier().fit(x(2), toCategorical([0, 1], 3), { ...silent, validationSplit: 0.9 }), /leaves 0 for training and 2 for validation/);
  });
});

describe('unknown names suggest the closest one', () => {
  test('layers: activation, initializer', async () => {
    await fails(() => layers.dense({ units: 2, activation: 'rleu' as never }), /rleu/, /did you mean 'relu'/);
    await fails(() => getActivation('sigmod' as never), /did you mean 'sigmoid'/);
    await fails(() => layers.dense({ units: 2, kernelInitializer: 'glorotUnifrom' as never }), /did you mean 'glorotUniform'/);
  });
  test('losses and optimizers', async () => {
    await fails(() => getLoss('categoricalCrossEntropy' as never), /did you mean 'categoricalCrossentropy'/);
    await fails(() => getOptimizer('adamm' as never), /did you mean 'adam'/);
    await fails(() => classifier().compile({ optimizer: 'sdg' as never, loss: 'mse' }), /did you mean 'sgd'/);
  });
  test('a layer class in a model file', async () => {
    const artifacts = modelToArtifacts(classifier());
    const json = structuredClone(artifacts.modelJson);
    (json.modelTopology as { config: { layers: { class_name: string }[] } }).config.layers[0].class_name = 'Dens';
    await fails(() => modelFromArtifacts(json, artifacts.weightData), /Dens/, /did you mean 'Dense'/);
  });
  test('bad optimizer arguments name the argument', async () => {
    await fails(() => optimizers.adam({ learningRate: -1 }), /learningRate/);
    await fails(
      () => losses.categoricalCrossentropy(zeros([2, 3]), zeros([2, 4])),
      /labels \(yTrue\) have shape \[2, 3\] but predictions \(yPred\) have shape \[2, 4\]/,
    );
  });
});

describe('malformed CSV names the line', () => {
  test('a ragged row', async () => {
    await fails(() => parseCsv('a,b,c\n1,2,3\n4,5\n', { source: 'data.csv' }), /data\.csv/, /line 3/);
  });
  test('bad quoting', async () => {
    await fails(() => parseCsv('a,b\n1,"2\n3,4\n', { source: 'data.csv' }), /data\.csv/, /line \d+/, /quot/i);
  });
  test('a non-numeric value in a numeric column', async () => {
    const { trainTabular } = await import('../../src/index.js');
    const rows = Array.from({ length: 30 }, (_, i) => `${i},${i % 2}`);
    rows[12] = 'twelve,0';
    const table = await parseCsv(`x,y\n${rows.join('\n')}\n`, { source: 'data.csv' });
    await fails(
      () => trainTabular(table, { target: 'y', keep: ['x'], epochs: 1 }),
      /column 'x' holds numbers, but line 14 has non-numeric values \(line 14: "twelve"\)/,
    );
  });
});

describe('damaged model files and IDX files', () => {
  test('truncated weights, wrong JSON and wrong shapes name the file', async () => {
    const artifacts = modelToArtifacts(classifier());
    await fails(
      () => modelFromArtifacts(artifacts.modelJson, artifacts.weightData.slice(0, 10)),
      /weights\.bin is truncated: the 4 weights in model\.json's weightsManifest need 268 bytes, got 10/,
    );
    const wrong = structuredClone(artifacts.modelJson);
    wrong.weightsManifest![0].weights[0].shape = [5, 8];
    await fails(() => modelFromArtifacts(wrong, artifacts.weightData), /the 4 weights in model\.json's weightsManifest need 300 bytes, got 268/);
    const swapped = structuredClone(artifacts.modelJson);
    swapped.weightsManifest![0].weights[0].shape = [8, 4];
    await fails(
      () => modelFromArtifacts(swapped, artifacts.weightData),
      /weight '.*\/kernel' has shape \[8, 4\] in the weightsManifest but the model's '.*\/kernel' has shape \[4, 8\]/,
    );
    await fails(() => modelFromArtifacts({ format: 'layers-model' } as never, artifacts.weightData), /modelTopology/);
    await fails(() => loadModel('/nonexistent/dendrite-model'), /nonexistent\/dendrite-model/);
  });
  test('corrupted IDX data: magic number, dimensions, size', async () => {
    const good = encodeIdx([2, 2, 2], new Uint8Array(8));
    const magic = good.slice();
    magic[0] = 0x1f;
    await fails(() => parseIdx(magic, 'train-images.idx3-ubyte'), /train-images\.idx3-ubyte/, /magic/i);
    const type = good.slice();
    type[2] = 0x0d;
    await fails(
      () => parseIdx(type, 'train-images.idx3-ubyte'),
      /train-images\.idx3-ubyte: the header says 2 x 2 x 2 float32 values \(48 bytes in all\) but the file has 24 bytes/,
    );
    await fails(
      () => parseIdx(good.slice(0, good.length - 3), 'train-images.idx3-ubyte'),
      /train-images\.idx3-ubyte: the header says 2 x 2 x 2 .* but the file has \d+ bytes \(truncated\?\)/,
    );
    await fails(() => parseIdx(good.slice(0, 2), 'labels.idx1-ubyte'), /labels\.idx1-ubyte/);
  });
});
