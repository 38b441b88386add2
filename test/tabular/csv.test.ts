import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCsv, parseCsvRows } from '../../src/tabular/csv.js';

test('parseCsv reads a header, quoted fields with delimiters, quotes and line breaks, and a BOM', async () => {
  const t = await parseCsvRows('\ufeffname,note,n\n"Smith, J.","said ""hi""",1\n"two\nlines",x,2\n', { source: 'people.csv' });
  assert.deepEqual(t.columns, ['name', 'note', 'n']);
  assert.deepEqual(t.rows, [
    ['Smith, J.', 'said "hi"', '1'],
    ['two\nlines', 'x', '2'],
  ]);
  assert.deepEqual(t.lines, [2, 3]);
  assert.equal(t.source, 'people.csv');
});

test('parseCsv skips blank lines and keeps the file line of each row', async () => {
  const t = await parseCsv('a,b\n1,2\n\n3,4\n"x\ny",5\n6,7\n');
  assert.deepEqual([...t.lines.toArray()], [2, 4, 5, 7]);
});

test('parseCsv takes another delimiter, including \\t written out', async () => {
  assert.deepEqual((await parseCsvRows('a;b\n1,5;2\n', { delimiter: ';' })).rows, [['1,5', '2']]);
  assert.deepEqual((await parseCsvRows('a\tb\n1\t2\n', { delimiter: '\\t' })).rows, [['1', '2']]);
});

test('parseCsv names the line of a ragged row', async () => {
  await assert.rejects(parseCsv('a,b,c\n1,2,3\n4,5\n', { source: 'd.csv' }), /d\.csv, line 3: expected 3 fields as in the header, got 2/);
  await assert.rejects(parseCsv('a,b\n1,2\n\n3,4,5\n', { source: 'd.csv' }), /line 4: expected 2 fields as in the header, got 3/);
});

test('parseCsv refuses empty files, missing or repeated header names, and hints at the delimiter', async () => {
  await assert.rejects(parseCsv('', { source: 'e.csv' }), /e\.csv is empty/);
  await assert.rejects(parseCsv('a,b\n'), /header but no data rows/);
  await assert.rejects(parseCsv('a,,c\n1,2,3\n'), /column 2 of the header has no name/);
  await assert.rejects(parseCsv('a,b,a\n1,2,3\n'), /names column 'a' twice \(columns 1 and 3\)/);
  await assert.rejects(parseCsv('a;b;c\n1;2;3\n'), /--delimiter ';'/);
  await assert.rejects(parseCsv('a,b\n1,"2\n'), /Quote Not Closed/);
});
