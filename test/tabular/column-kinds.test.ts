import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inferColumns } from '../../src/tabular/column-kinds.js';
import { parseCsv } from '../../src/tabular/csv.js';

function table(header: string, rows: string[]) {
  return parseCsv(`${header}\n${rows.join('\n')}\n`, { source: 't.csv' });
}

const ROWS = Array.from(
  { length: 12 },
  (_, i) => `u${i},${i % 3},${1.5 * i},${['red', 'green', 'blue'][i % 3]},${i % 2 ? 'yes' : 'no'},${'FDCBA'[i % 5]},${i % 2}`,
);

test('inferColumns finds numeric, boolean, nominal and ordinal columns, and drops identifiers', async () => {
  const plan = inferColumns(await table('id,n,x,colour,flag,grade,y', ROWS), { target: 'y', ordinal: { grade: ['F', 'D', 'C', 'B', 'A'] } });
  assert.deepEqual(plan.features, [
    { name: 'n', kind: 'numeric' },
    { name: 'x', kind: 'numeric' },
    { name: 'colour', kind: 'nominal' },
    { name: 'flag', kind: 'boolean' },
    { name: 'grade', kind: 'ordinal', order: ['F', 'D', 'C', 'B', 'A'] },
  ]);
  assert.deepEqual(plan.target, { name: 'y', kind: 'numeric' });
  assert.deepEqual(plan.dropped, [{ name: 'id', reason: 'identifier-like: every value is a different string' }]);
});

test('inferColumns keeps, drops and recodes columns as asked', async () => {
  const plan = inferColumns(await table('id,n,x,colour,flag,grade,y', ROWS), { target: 'y', keep: ['id'], categorical: ['n'], drop: ['x'] });
  assert.deepEqual(
    plan.features.map((f) => `${f.name}:${f.kind}`),
    ['id:nominal', 'n:nominal', 'colour:nominal', 'flag:boolean', 'grade:nominal'],
  );
  assert.deepEqual(plan.dropped, [{ name: 'x', reason: 'dropped as asked (--drop)' }]);
});

test('inferColumns drops running row numbers, constant and empty columns', async () => {
  const rows = Array.from({ length: 12 }, (_, i) => `${i + 1},7,,${(i * 7) % 5},${i % 2}`);
  const plan = inferColumns(await table('row,k,empty,x,y', rows), { target: 'y' });
  assert.deepEqual(
    plan.features.map((f) => f.name),
    ['x'],
  );
  assert.deepEqual(
    plan.dropped.map((d) => d.reason),
    ['identifier-like: a running row number', 'constant: every value is "7"', 'empty: every value is missing'],
  );
});

test('inferColumns: a few words in a column of numbers is an error naming the column and lines', async () => {
  const rows = Array.from({ length: 12 }, (_, i) => `${i === 4 ? 'abc' : i * 2},${i % 2}`);
  const t = await table('age,y', rows);
  assert.throws(() => inferColumns(t, { target: 'y' }), /column 'age' holds numbers, but line 6 has non-numeric values \(line 6: "abc"\).*--categorical age/);
});

test('inferColumns checks the names and orders it is given', async () => {
  const t = await table('id,n,x,colour,flag,grade,y', ROWS);
  assert.throws(() => inferColumns(t, { target: 'price' }), /t\.csv has no column 'price' \(given to --target\); its columns are 'id', 'n'/);
  assert.throws(() => inferColumns(t, { target: 'Y' }), /Did you mean 'y'\?/);
  assert.throws(() => inferColumns(t, { target: 'y', keep: ['nope'] }), /no column 'nope' \(given to --keep\)/);
  assert.throws(
    () => inferColumns(t, { target: 'y', ordinal: { grade: ['F', 'D', 'C'] } }),
    /column 'grade' has values missing from its --ordinal order \(F,D,C\): "B", "A" on lines 5, 6, 10, 11/,
  );
  assert.throws(() => inferColumns(t, { target: 'y', ordinal: { grade: ['F', 'F', 'A'] } }), /category "F" is listed twice/);
  const ids = await table(
    'id,y',
    ROWS.map((r) => `${r.split(',')[0]},1`),
  );
  assert.throws(() => inferColumns(ids, { target: 'y' }), /no feature columns besides the target 'y' \(dropped: 'id': identifier-like/);
});
