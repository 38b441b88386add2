import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inferColumns } from '../../src/tabular/column-kinds.js';
import { parseCsv } from '../../src/tabular/csv.js';
import { TabularPipeline } from '../../src/tabular/pipeline.js';
import { assertClose } from '../helpers.js';

const CSV = `age,city,grade,member,paid
20,Lyon,low,yes,1
30,Paris,high,no,0
40,Lyon,mid,yes,1
50,Nice,high,no,0
100,Paris,low,yes,1
`;
const ORDER = { grade: ['low', 'mid', 'high'] };

async function fitted(rows = [0, 1, 2, 3], impute = false, csv = CSV) {
  const table = await parseCsv(csv, { source: 'train.csv' });
  const plan = inferColumns(table, { target: 'paid', ordinal: ORDER });
  return { table, pipeline: TabularPipeline.fit(table, plan, 'binary', { impute, rows }) };
}

test('TabularPipeline standardises numbers and ordered codes, one-hot encodes categories, 0/1 for booleans', async () => {
  const { table, pipeline } = await fitted();
  assert.deepEqual(pipeline.featureNames, ['age', 'city_Lyon', 'city_Nice', 'city_Paris', 'grade', 'member']);
  const x = pipeline.transform(table);
  assert.deepEqual(x.shape, [5, 6]);
  // statistics come from the training rows 0..3 only: age mean 35, std sqrt(125); grade codes 0,2,1,2: mean 1.25
  const z = (v: number) => (v - 35) / Math.sqrt(125);
  const g = (c: number) => (c - 1.25) / Math.sqrt(0.6875);
  assertClose(x.values.subarray(0, 6), [z(20), 1, 0, 0, g(0), 1], { rtol: 1e-5 });
  assertClose(x.values.subarray(24, 30), [z(100), 0, 0, 1, g(0), 1], { rtol: 1e-5 });
  assertClose(pipeline.transformTarget(table), [1, 0, 1, 0, 1], { shape: [5, 1] });
});

test('TabularPipeline round-trips through JSON and transforms identically', async () => {
  const { table, pipeline } = await fitted();
  const back = TabularPipeline.fromJSON(JSON.parse(JSON.stringify(pipeline.toJSON())));
  assert.deepEqual(back.featureNames, pipeline.featureNames);
  assert.deepEqual(Array.from(back.transform(table).values), Array.from(pipeline.transform(table).values));
  assert.deepEqual(back.target.classes, ['0', '1']);
  assert.throws(() => TabularPipeline.fromJSON({ format: 'other' }), /format 'dendrite-tabular-preprocessing'/);
});

test('TabularPipeline finds columns by name, in any order, and names a missing one', async () => {
  const { pipeline } = await fitted();
  const shuffled = await parseCsv('member,grade,extra,city,age\nno,mid,x,Nice,35\n', { source: 'new.csv' });
  assert.deepEqual(shuffled.columns.length, 5);
  assert.deepEqual(pipeline.transform(shuffled).shape, [1, 6]);
  const missing = await parseCsv('member,grade,age\nno,mid,35\n', { source: 'new.csv' });
  assert.throws(() => pipeline.transform(missing), /new\.csv has no column 'city', which the model needs/);
});

test('TabularPipeline: unseen categories are an error naming column and line, or zeros with ignore', async () => {
  const { pipeline } = await fitted();
  const t = await parseCsv('age,city,grade,member\n30,Lyon,low,yes\n30,Brest,low,yes\n', { source: 'new.csv' });
  assert.throws(
    () => pipeline.transform(t),
    /new\.csv, line 3: column 'city' has the category "Brest", never seen in training \(known: "Lyon", "Nice", "Paris"\); pass --handle-unknown ignore/,
  );
  const x = pipeline.transform(t, { handleUnknown: 'ignore' });
  assert.deepEqual(Array.from(x.values.subarray(7, 10)), [0, 0, 0]);
  const bad = await parseCsv('age,city,grade,member\nold,Lyon,low,yes\n', { source: 'new.csv' });
  assert.throws(() => pipeline.transform(bad), /new\.csv, line 2: column 'age' must hold a number, got "old"/);
});

test('TabularPipeline: missing values are refused, or filled from the training rows with impute', async () => {
  const csv = 'age,city,grade,member,paid\n20,Lyon,low,yes,1\n,Paris,high,no,0\n40,,mid,yes,1\n60,Paris,NA,no,0\n';
  const strict = await fitted([0, 1, 2, 3], false, csv);
  assert.throws(() => strict.pipeline.transform(strict.table), /train\.csv, line 3: column 'age' has no value, and the model was trained without --impute/);
  const { table, pipeline } = await fitted([0, 1, 2, 3], true, csv);
  assert.deepEqual(pipeline.featureNames, ['age', 'city_Lyon', 'city_Paris', 'grade', 'member']);
  const x = pipeline.transform(table);
  assertClose([x.values[5]], [0], { atol: 1e-6 }); // row 2's age: the training mean (40) standardises to 0
  assert.deepEqual(Array.from(x.values.subarray(11, 13)), [0, 1]); // row 3's city: the most frequent, Paris
  assert.match(pipeline.describe()[1].encoding, /missing -> "Paris"/);
});
