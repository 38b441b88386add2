import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { PNG } from 'pngjs';
import { encodeIdx } from '../../src/data/idx.js';
import { mnist } from '../../src/data/mnist.js';
import { parseCsvRows as parseCsv } from '../../src/tabular/csv.js';
import { houses, students } from '../tabular/tables.js';
import { assertOneLineError, runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'dendrite-predict-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const studentsModel = join(dir, 'students-model');
const housesModel = join(dir, 'houses-model');
const mnistModel = join(dir, 'mnist-model');

function file(name: string, text: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

before(() => {
  const s = runCli([
    'train',
    file('students.csv', students(200)),
    '--target',
    'passed',
    '--ordinal',
    'grade=F,D,C,B,A',
    '--epochs',
    '30',
    '--out',
    studentsModel,
    '--quiet',
  ]);
  assert.equal(s.status, 0, s.stderr);
  const h = runCli([
    'train',
    file('houses.csv', houses(200)),
    '--target',
    'price',
    '--ordinal',
    'condition=poor,fair,good,excellent',
    '--epochs',
    '30',
    '--out',
    housesModel,
    '--quiet',
  ]);
  assert.equal(h.status, 0, h.stderr);
});

test('predict: a tabular model writes the inputs plus predicted_<target> and probability_<class>', async () => {
  // new rows: columns in another order, an extra column, no target, the identifier present or not
  const input = file('new.csv', 'grade,tutored,country,age,hours,note\nA,yes,Japan,21,9.5,"likes, commas"\nF,no,Brazil,27,0.5,\n');
  const out = join(dir, 'predictions.csv');
  const r = runCli(['predict', studentsModel, input, '-o', out]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /wrote 2 predictions of 'passed' to/);
  const t = await parseCsv(readFileSync(out, 'utf8'));
  assert.deepEqual(t.columns, ['grade', 'tutored', 'country', 'age', 'hours', 'note', 'predicted_passed', 'probability_no', 'probability_yes']);
  assert.deepEqual(
    t.rows.map((row) => row.slice(0, 6)),
    [
      ['A', 'yes', 'Japan', '21', '9.5', 'likes, commas'],
      ['F', 'no', 'Brazil', '27', '0.5', ''],
    ],
  );
  assert.deepEqual(
    t.rows.map((row) => row[6]),
    ['yes', 'no'],
  );
  for (const row of t.rows) assert.ok(Math.abs(Number(row[7]) + Number(row[8]) - 1) < 1e-5);
});

test('predict: standard output by default; with the target column present the scores go to stderr', async () => {
  const r = runCli(['predict', studentsModel, join(dir, 'students.csv')]);
  assert.equal(r.status, 0, r.stderr);
  const t = await parseCsv(r.stdout);
  assert.equal(t.rows.length, 200);
  assert.equal(t.columns.at(-3), 'predicted_passed');
  assert.match(r.stderr, /scores against the 'passed' column: accuracy [\d.]+, precision/);
});

test('predict: a regression model writes values in the target unit', async () => {
  const input = file('new-houses.csv', 'area,rooms,city,condition,garden\n120,4,Paris,good,true\n40,1,Brest,poor,false\n');
  const r = runCli(['predict', housesModel, input]);
  assert.equal(r.status, 0, r.stderr);
  const t = await parseCsv(r.stdout);
  assert.deepEqual(t.columns.at(-1), 'predicted_price');
  const [paris, brest] = t.rows.map((row) => Number(row.at(-1)));
  assert.ok(paris > 2 * brest && paris > 400, `Paris ${paris}, Brest ${brest}`);
});

test('predict: missing columns, unseen categories, bad numbers and ragged rows are one-line errors', async () => {
  assertOneLineError(
    ['predict', studentsModel, file('no-grade.csv', 'hours,age,country,tutored\n1,20,Japan,no\n')],
    /no-grade\.csv has no column 'grade', which the model needs/,
  );
  const unseen = file('unseen.csv', 'hours,age,country,grade,tutored\n1,20,Japan,B,no\n2,22,Peru,C,yes\n');
  assertOneLineError(
    ['predict', studentsModel, unseen],
    /unseen\.csv, line 3: column 'country' has the category "Peru", never seen in training .*--handle-unknown ignore/,
  );
  const ignored = runCli(['predict', studentsModel, unseen, '--handle-unknown', 'ignore']);
  assert.equal(ignored.status, 0, ignored.stderr);
  assert.equal((await parseCsv(ignored.stdout)).rows.length, 2);
  assertOneLineError(
    ['predict', studentsModel, file('bad-number.csv', 'hours,age,country,grade,tutored\n1,20,Japan,B,no\nlots,22,Japan,C,yes\n')],
    /bad-number\.csv, line 3: column 'hours' must hold a number, got "lots"/,
  );
  assertOneLineError(
    ['predict', studentsModel, file('ragged-new.csv', 'hours,age,country,grade,tutored\n1,20,Japan,B,no\n1,20,Japan\n')],
    /ragged-new\.csv, line 3: expected 5 fields as in the header, got 3/,
  );
  assertOneLineError(
    ['predict', studentsModel, file('gap.csv', 'hours,age,country,grade,tutored\n1,,Japan,B,no\n')],
    /gap\.csv, line 2: column 'age' has no value, and the model was trained without --impute/,
  );
  assertOneLineError(['predict', join(dir, 'no-model'), unseen], /no model at '.*no-model'/);
  assertOneLineError(['predict', studentsModel, unseen, unseen], /one CSV file at a time, got 2 inputs/);
});

test('predict: an image model takes PNG files, IDX image files and CSVs of 784 pixels', async () => {
  const t = runCli(['train', 'mnist', '--model', 'mlp', '--train-size', '2000', '--test-size', '200', '--epochs', '2', '--out', mnistModel, '--quiet']);
  assert.equal(t.status, 0, t.stderr);
  assert.ok(existsSync(join(mnistModel, 'report.html')), 'train mnist writes a report');
  const data = await mnist({ trainSize: 1, testSize: 3 });
  const bytes = Uint8Array.from(data.xTest.values, (v) => Math.round(v * 255));
  const labels = Array.from(data.yTest.values);
  // a PNG as people draw digits: dark on a light background, in colour (RGBA)
  const png = new PNG({ width: 28, height: 28 });
  for (let p = 0; p < 784; p++) png.data.set([255 - bytes[p], 255 - bytes[p], 255 - bytes[p], 255], 4 * p);
  const pngFile = file('digit.png', PNG.sync.write(png));
  const idxFile = file('digits-idx3-ubyte', encodeIdx([3, 28, 28], bytes));
  const pixelCsv = file(
    'pixels.csv',
    `${[`label,${Array.from({ length: 784 }, (_, i) => `p${i}`).join(',')}`, ...labels.map((l, i) => `${l},${Array.from(bytes.subarray(i * 784, (i + 1) * 784)).join(',')}`)].join('\n')}\n`,
  );
  const r = runCli(['predict', mnistModel, pngFile, idxFile, pixelCsv]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /digit\.png: dark digit on a light background, inverted/);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 7);
  assert.match(lines[0], /^digit\.png: class \d \([\d.]+%\)\s+0: [\d.]+\s+1: [\d.]+/);
  const classes = lines.map((l) => Number(/class (\d)/.exec(l)![1]));
  // the same first image three ways gives the same class
  assert.equal(classes[0], classes[1]);
  assert.equal(classes[0], classes[4]);
  assert.match(lines[4], /^pixels\.csv:1 \(label \d\): class/);
  const out = join(dir, 'digits.csv');
  const w = runCli(['predict', mnistModel, idxFile, '-o', out]);
  assert.equal(w.status, 0, w.stderr);
  const table = await parseCsv(readFileSync(out, 'utf8'));
  assert.deepEqual(table.columns.slice(0, 3), ['input', 'predicted_class', 'probability_0']);
  assert.equal(table.rows.length, 3);
  const small = new PNG({ width: 20, height: 20 });
  assertOneLineError(['predict', mnistModel, file('small.png', PNG.sync.write(small))], /small\.png is 20x20 pixels; the model takes 28x28 images/);
  assertOneLineError(['predict', mnistModel, file('wide.csv', 'a,b\n1,2\n')], /wide\.csv has 2 pixel columns; an image model takes 784/);
});
