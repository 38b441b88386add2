import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { customers, houses, students } from '../tabular/tables.js';
import { assertOneLineError, runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'dendrite-train-csv-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

test('train FILE.csv: binary target with ordinal, nominal and boolean columns and an identifier', () => {
  const csv = file('students.csv', students(240));
  const out = join(dir, 'students-model');
  const r = runCli(['train', csv, '--target', 'passed', '--ordinal', 'grade=F,D,C,B,A', '--epochs', '40', '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /dropped column 'id': identifier-like: every value is a different string \(keep it with --keep id\)/);
  assert.match(r.stdout, /target 'passed': binary \(classes no, yes\)/);
  assert.match(r.stdout, /hours \(numeric\), age \(numeric\), country \(nominal\), grade \(ordinal\), tutored \(boolean\) -> 8 features/);
  assert.match(r.stdout, /test \(48 rows\): accuracy [\d.]+%, precision [\d.]+%, recall [\d.]+%, F1 [\d.]+%/);
  assert.match(r.stdout, /true\\pred\s+no\s+yes/);
  // as the README says: the column kinds, the split and the model summary come before training, then progress, then the scores
  const order = [
    /^inputs: hours \(numeric\)/m,
    /^rows: \d+ training, \d+ validation, 48 test/m,
    /^Model: "tabular_binary"/m,
    /^epoch 1 - loss/m,
    /^test \(48 rows\)/m,
  ].map((p) => r.stdout.search(p));
  assert.ok(
    order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1])),
    `out of order (${order.join(', ')}):\n${r.stdout}`,
  );
  for (const f of ['model.json', 'weights.bin', 'preprocessing.json', 'report.html']) assert.ok(existsSync(join(out, f)), f);
  const pre = JSON.parse(readFileSync(join(out, 'preprocessing.json'), 'utf8'));
  assert.equal(pre.target.task, 'binary');
  assert.deepEqual(
    pre.columns.map((c: { kind: string }) => c.kind),
    ['numeric', 'numeric', 'nominal', 'ordinal', 'boolean'],
  );
  assert.deepEqual(pre.dropped, [{ name: 'id', reason: 'identifier-like: every value is a different string' }]);
  const accuracy = Number(/accuracy ([\d.]+)%/.exec(r.stdout)![1]);
  assert.ok(accuracy > 80, `accuracy ${accuracy}%`);
});

test('train FILE.csv: numeric target -> regression with RMSE, MAE and R² in the target unit', () => {
  const csv = file('houses.csv', houses(240));
  const out = join(dir, 'houses-model');
  const r = runCli(['train', csv, '--target', 'price', '--ordinal', 'condition=poor,fair,good,excellent', '--hidden', '32,16', '--epochs', '60', '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /target 'price': regression/);
  const m = /test \(48 rows\): RMSE ([\d.]+), MAE ([\d.]+), R² ([-\d.]+)/.exec(r.stdout);
  assert.ok(m, r.stdout);
  assert.ok(Number(m[3]) > 0.7, `R² ${m[3]}`);
  assert.ok(Number(m[1]) > 5, 'RMSE is in thousands, not in standardised units');
  assert.match(readFileSync(join(out, 'model.json'), 'utf8'), /"units": ?32/);
});

test('train FILE.csv: multiclass with missing values needs --impute; --delimiter and quoted cells work', () => {
  const text = customers(200)
    .replace(/,web,/g, ',"web, online",')
    .split('\n')
    .map((line, i) => (i % 9 === 4 ? line.replace(/^([\d.]+),(\d+),/, '$1,,') : line))
    .join('\n')
    .replace(/,/g, ';')
    .replace(/"web; online"/g, '"web, online"');
  const csv = file('customers.csv', text);
  assertOneLineError(
    ['train', csv, '--target', 'segment', '--delimiter', ';'],
    /missing values in column 'visits' \(\d+ rows: lines 5, 14, 23, 32, 41 and \d+ more\); fill them in, or pass --impute/,
  );
  const out = join(dir, 'customers-model');
  const r = runCli(['train', csv, '--target', 'segment', '--delimiter', ';', '--ordinal', 'tier=low,mid,high', '--impute', '--epochs', '30', '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /target 'segment': multiclass \(classes bronze, gold, platinum, silver\)/);
  assert.match(r.stdout, /column 'visits': \d+ missing values filled from the training rows/);
  assert.match(r.stdout, /test \(40 rows\): accuracy [\d.]+%, macro F1 [\d.]+%/);
  const pre = JSON.parse(readFileSync(join(out, 'preprocessing.json'), 'utf8'));
  assert.deepEqual(pre.columns[2].encoder.categories, ['phone', 'store', 'web, online']);
  assert.equal(typeof pre.columns[1].impute, 'number');
});

test('train FILE.csv: --keep keeps an identifier column; --task overrides the guess', () => {
  const csv = file('keep.csv', students(120));
  const r = runCli(['train', csv, '--target', 'passed', '--keep', 'id', '--task', 'multiclass', '--epochs', '3', '--out', join(dir, 'keep-model'), '--quiet']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /accuracy [\d.]+%, macro F1/);
  const pre = JSON.parse(readFileSync(join(dir, 'keep-model', 'preprocessing.json'), 'utf8'));
  assert.equal(pre.columns[0].name, 'id');
  assert.equal(pre.target.task, 'multiclass');
});

test('train FILE.csv: bad tables and flags are one-line errors naming the column and line', () => {
  const ragged = file('ragged.csv', 'a,b,y\n1,2,0\n3,4,1\n5,1\n');
  assertOneLineError(['train', ragged, '--target', 'y'], /ragged\.csv, line 4: expected 3 fields as in the header, got 2/);
  const words = file('words.csv', `age,y\n${Array.from({ length: 20 }, (_, i) => `${i === 7 ? 'forty' : 20 + i},${i % 2}`).join('\n')}\n`);
  assertOneLineError(['train', words, '--target', 'y'], /column 'age' holds numbers, but line 9 has non-numeric values \(line 9: "forty"\)/);
  const csv = file('small.csv', students(40));
  assertOneLineError(['train', csv], /--target is required for a CSV file/);
  assertOneLineError(['train', csv, '--target', 'pass'], /has no column 'pass' \(given to --target\); its columns are 'id', 'hours'/);
  assertOneLineError(['train', csv, '--target', 'passed', '--ordinal', 'grade'], /--ordinal takes COLUMN=LOWEST,...,HIGHEST/);
  assertOneLineError(['train', csv, '--target', 'passed', '--ordinal', 'grade=A,B'], /column 'grade' has values missing from its --ordinal order \(A,B\)/);
  assertOneLineError(['train', csv, '--target', 'passed', '--hidden', '64,x'], /--hidden takes units per hidden layer/);
  assertOneLineError(['train', csv, '--target', 'passed', '--model', 'mlp'], /--model is for 'dendrite train mnist', not for a CSV file/);
  assertOneLineError(['train', 'mnist', '--target', 'passed'], /--target is for training on a CSV file, not on 'mnist'/);
  assertOneLineError(['train', join(dir, 'nothing.csv'), '--target', 'y'], /cannot read '.*nothing\.csv': no such file/);
});
