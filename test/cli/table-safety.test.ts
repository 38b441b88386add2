// `dendrite train` and `dendrite predict` on tables that try to harm the user: formulas for spreadsheets,
// numbers beyond float32, another encoding, names like __proto__, an output path over the model itself, a
// preprocessing.json that does not fit the network, a damaged network.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { loadModel } from '../../src/model/load-model.js';
import { parseCsvRows } from '../../src/tabular/csv.js';
import { assertOneLineError, runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'dendrite-table-safety-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const model = join(dir, 'model');
const regression = join(dir, 'regression');

function file(name: string, text: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

// classes and a header that a spreadsheet would run as formulas, and column names like Object.prototype's keys
const TRAIN = [
  'constructor,__proto__,"=HYPERLINK(""http://x"")",label',
  ...Array.from({ length: 60 }, (_, i) => `${i % 6},${['lo', 'mid', 'hi'][i % 3]},${i % 4},${['=1+1', '@SUM(A1)', '+cmd', '-2+3'][i % 4]}`),
].join('\n');

before(() => {
  const r = runCli([
    'train',
    file('train.csv', `${TRAIN}\n`),
    '--target',
    'label',
    '--ordinal',
    '__proto__=lo,mid,hi',
    '--epochs',
    '5',
    '--hidden',
    '8',
    '--no-refit',
    '--out',
    model,
    '--quiet',
  ]);
  assert.equal(r.status, 0, r.stderr);
  const rows = Array.from({ length: 60 }, (_, i) => `${i % 7},${(i % 7) * -2.5 - 1}`);
  const g = runCli([
    'train',
    file('prices.csv', `x,price\n${rows.join('\n')}\n`),
    '--target',
    'price',
    '--epochs',
    '5',
    '--no-refit',
    '--out',
    regression,
    '--quiet',
  ]);
  assert.equal(g.status, 0, g.stderr);
});

test('train: columns named constructor and __proto__ (and --ordinal __proto__=...) train', async () => {
  const saved = JSON.parse(readFileSync(join(model, 'preprocessing.json'), 'utf8'));
  assert.deepEqual(
    saved.columns.map((c: { name: string; kind: string }) => `${c.name}:${c.kind}`),
    ['constructor:numeric', '__proto__:ordinal', '=HYPERLINK("http://x"):numeric'],
  );
  assert.deepEqual(saved.target.classes, ['+cmd', '-2+3', '=1+1', '@SUM(A1)']);
});

test('predict: cells, class labels and headers that start with = + - @ are neutralised with a quote (OWASP)', async () => {
  const input = file('new.csv', 'constructor,__proto__,"=HYPERLINK(""http://x"")",@note\n1,lo,2,=cmd|\' /C calc\'!A0\n-3,hi,0,-2+3\n');
  const out = join(dir, 'predictions.csv');
  const r = runCli(['predict', model, input, '-o', out]);
  assert.equal(r.status, 0, r.stderr);
  const text = readFileSync(out, 'utf8');
  const t = await parseCsvRows(text);
  assert.deepEqual(t.columns.slice(0, 5), ['constructor', '__proto__', `'=HYPERLINK("http://x")`, "'@note", 'predicted_label']);
  assert.deepEqual(t.columns.slice(5), ['probability_+cmd', 'probability_-2+3', 'probability_=1+1', 'probability_@SUM(A1)']);
  assert.equal(t.rows[0][3], "'=cmd|' /C calc'!A0");
  assert.equal(t.rows[1][0], "'-3", 'a plain number starting with - is neutralised too by default');
  for (const row of t.rows) assert.match(row[4], /^'(\+cmd|-2\+3|=1\+1|@SUM\(A1\))$/);
  // no cell of the file starts a formula
  for (const line of text.trim().split('\n')) for (const cell of (await parseCsvRows(`${line}\n${line}\n`)).columns) assert.doesNotMatch(cell, /^[=+\-@\t\r]/);
});

test('predict --raw-numbers leaves plain numbers as they are (text is still neutralised)', async () => {
  const r = runCli(['predict', regression, file('new-prices.csv', 'x,=note\n3,=1+2\n-4,x\n'), '--raw-numbers']);
  assert.equal(r.status, 0, r.stderr);
  const t = await parseCsvRows(r.stdout);
  assert.deepEqual(t.columns, ['x', "'=note", 'predicted_price']);
  assert.deepEqual(
    t.rows.map((row) => row.slice(0, 2)),
    [
      ['3', "'=1+2"],
      ['-4', 'x'],
    ],
  );
  assert.ok(
    t.rows.every((row) => Number(row[2]) < 0),
    'negative predictions are plain numbers',
  );
  const escaped = runCli(['predict', regression, join(dir, 'new-prices.csv')]);
  assert.match((await parseCsvRows(escaped.stdout)).rows[0][2], /^'-\d/);
});

test('predict: a number beyond float32 is an error naming the column and the line, not a NaN label', () => {
  assertOneLineError(
    ['predict', model, file('huge.csv', 'constructor,__proto__,"=HYPERLINK(""http://x"")"\n1,lo,2\n1e308,mid,1\n')],
    /huge\.csv, line 3: column 'constructor' holds "1e308", beyond the range of the 32-bit floats/,
  );
});

test('train: 1e39 in a column is an error naming the column and the CSV line', () => {
  const rows = Array.from({ length: 30 }, (_, i) => `${i === 17 ? '1e39' : i % 5},${i % 2}`);
  assertOneLineError(
    ['train', file('e39.csv', `v,y\n${rows.join('\n')}\n`), '--target', 'y', '--out', join(dir, 'e39-model')],
    /e39\.csv, line 19: column 'v' holds "1e39", beyond the range/,
  );
});

test('train and predict: a Latin-1 file is named as such, and --encoding latin1 reads it', () => {
  const rows = Array.from({ length: 40 }, (_, i) =>
    Buffer.concat([Buffer.from(`${i % 5},`), Buffer.from(i % 2 ? 'S\xe3o Paulo' : 'Bras\xedlia', 'latin1'), Buffer.from(`,${i % 2}\n`)]),
  );
  const latin1 = file('latin1.csv', Buffer.concat([Buffer.from('n,city,y\n'), ...rows]));
  assertOneLineError(
    ['train', latin1, '--target', 'y', '--out', join(dir, 'latin1-model')],
    /latin1\.csv, line 2: the file is not valid UTF-8 .*--encoding latin1/,
  );
  const r = runCli(['train', latin1, '--target', 'y', '--encoding', 'latin1', '--epochs', '3', '--no-refit', '--out', join(dir, 'latin1-model'), '--quiet']);
  assert.equal(r.status, 0, r.stderr);
  const saved = JSON.parse(readFileSync(join(dir, 'latin1-model', 'preprocessing.json'), 'utf8'));
  assert.deepEqual(saved.columns[1].encoder.categories, ['Brasília', 'São Paulo']);
  assertOneLineError(['predict', join(dir, 'latin1-model'), latin1], /latin1\.csv, line 2: the file is not valid UTF-8/);
  const p = runCli(['predict', join(dir, 'latin1-model'), latin1, '--encoding', 'latin1']);
  assert.equal(p.status, 0, p.stderr);
  assert.match(p.stdout, /São Paulo/);
});

test('predict -o never overwrites the model or the input', () => {
  const before = readdirSync(model).map((f) => [f, readFileSync(join(model, f)).length]);
  assertOneLineError(
    ['predict', model, join(dir, 'new.csv'), '-o', join(model, 'model.json')],
    /lies inside the model folder .* write the predictions elsewhere/,
  );
  assertOneLineError(['predict', model, join(dir, 'new.csv'), '-o', join(model, 'preds.csv')], /lies inside the model folder/);
  assertOneLineError(['predict', model, join(dir, 'new.csv'), '-o', join(dir, 'new.csv')], /is the input file .* would destroy it/);
  assert.deepEqual(
    readdirSync(model).map((f) => [f, readFileSync(join(model, f)).length]),
    before,
  );
  assert.ok(readFileSync(join(dir, 'new.csv'), 'utf8').startsWith('constructor'));
});

test('predict: a failure part-way leaves no half-written output', () => {
  const out = file('keep.csv', 'old predictions\n');
  const rows = Array.from({ length: 5000 }, (_, i) => `${i === 4500 ? 'oops' : i % 6},lo,1`);
  assertOneLineError(
    ['predict', model, file('late-error.csv', `constructor,__proto__,"=HYPERLINK(""http://x"")"\n${rows.join('\n')}\n`), '-o', out],
    /late-error\.csv, line 4502: column 'constructor' must hold a number, got "oops"/,
  );
  assert.equal(readFileSync(out, 'utf8'), 'old predictions\n');
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.startsWith('keep.csv.tmp')),
    [],
  );
});

test('predict: a preprocessing.json that does not fit the network is an error, not wrong answers', async () => {
  // a binary network saved with a three-class preprocessing.json (a consistent save, so only the meaning is wrong)
  const network = await loadModel(model);
  const saved = JSON.parse(readFileSync(join(model, 'preprocessing.json'), 'utf8'));
  const mismatch = join(dir, 'mismatch');
  await network.save(mismatch, {
    extraFiles: [['preprocessing.json', JSON.stringify({ ...saved, target: { name: 'label', task: 'binary', classes: ['a', 'b'], scaler: null } })]],
  });
  assertOneLineError(
    ['predict', mismatch, join(dir, 'new.csv')],
    /the network has 4 output units but preprocessing\.json describes a binary target \(1 output unit\); the two files do not belong together/,
  );
});

test('predict: weights whose outputs overflow (finite, but 1e30 each) are an error naming the row, not a value', async () => {
  const network = await loadModel(regression);
  const overflowing = join(dir, 'overflowing');
  for (const w of network.weights) w.assign(new Float32Array(w.size).fill(1e30));
  await network.save(overflowing, { extraFiles: [['preprocessing.json', readFileSync(join(regression, 'preprocessing.json'), 'utf8')]] });
  const r = runCli(['predict', overflowing, file('overflow-input.csv', 'x\n3\n')]);
  assert.equal(r.status, 1, r.stdout);
  assert.match(
    r.stderr,
    /the network's output for .*overflow-input\.csv, line 2 is (-?Infinity|NaN): the model's weights or that row's values are broken; no prediction is made/,
  );
  assert.equal(r.stdout, '', 'no prediction is printed');
});
