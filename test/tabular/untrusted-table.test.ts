// Tables as an attacker or a careless user brings them: column and class names that are Object.prototype's
// own keys, numbers beyond float32, another text encoding, many columns, many distinct values, devices.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { inferColumns } from '../../src/tabular/column-kinds.js';
import { MAX_CATEGORIES, MAX_NUMBER_CATEGORIES } from '../../src/tabular/column-store.js';
import { parseCsv, readCsv } from '../../src/tabular/csv.js';
import { TabularPipeline } from '../../src/tabular/pipeline.js';
import { predictTable } from '../../src/tabular/predict.js';
import { trainTabular } from '../../src/tabular/train.js';

const dir = mkdtempSync(join(tmpdir(), 'dendrite-untrusted-table-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const QUICK = { epochs: 3, hidden: [4], refit: false, testSplit: 0.25 };

describe('user strings as names', () => {
  const NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty'];

  test('columns named like Object.prototype keys train, as features and as ordinal columns', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => `${i % 7},${['lo', 'mid', 'hi'][i % 3]},${i % 5},${['a', 'b'][i % 2]},${i % 2 ? 'yes' : 'no'}`);
    const table = await parseCsv(`${NAMES.join(',')},valueOf\n${rows.join('\n')}\n`, { source: 'names.csv' });
    // an options object from JSON has '__proto__' as an own key, like any other name
    const ordinal = JSON.parse('{"__proto__": ["lo", "mid", "hi"]}') as Record<string, string[]>;
    const plan = inferColumns(table, { target: 'valueOf', ordinal });
    assert.deepEqual(
      plan.features.map((f) => `${f.name}:${f.kind}`),
      ['constructor:numeric', '__proto__:ordinal', 'toString:numeric', 'hasOwnProperty:nominal'],
    );
    const result = await trainTabular(table, { target: 'valueOf', ordinal: new Map([['__proto__', ['lo', 'mid', 'hi']]]), ...QUICK });
    assert.deepEqual([...result.pipeline.featureNames].sort(), ['__proto__', 'constructor', 'hasOwnProperty_a', 'hasOwnProperty_b', 'toString']);
    assert.ok(result.test && Number.isFinite(result.test.scores.accuracy));
  });

  test('columns named like Object.prototype keys are not mistaken for options that were never given', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => `${i % 4},${i % 2}`);
    const table = await parseCsv(`constructor,y\n${rows.join('\n')}\n`);
    // before: `ordinal['constructor']` found Object's constructor function ("order.map is not a function")
    assert.deepEqual(inferColumns(table, { target: 'y', ordinal: {} }).features, [{ name: 'constructor', kind: 'numeric' }]);
  });

  test('class labels named like Object.prototype keys are classes like any other', async () => {
    const rows = Array.from({ length: 60 }, (_, i) => `${i % 3},${(i % 3) + 0.5 * ((i * 7) % 3)},${['constructor', '__proto__', 'toString'][i % 3]}`);
    const table = await parseCsv(`a,b,label\n${rows.join('\n')}\n`, { source: 'labels.csv' });
    const result = await trainTabular(table, { target: 'label', ...QUICK, epochs: 30, hidden: [16] });
    assert.deepEqual(result.pipeline.target.classes, ['__proto__', 'constructor', 'toString']);
    const back = TabularPipeline.fromJSON(JSON.parse(JSON.stringify(result.pipeline.toJSON())));
    const { predicted } = predictTable(result.model, back, table);
    assert.ok(
      predicted.every((p) => typeof p === 'string' && ['__proto__', 'constructor', 'toString'].includes(p)),
      String(predicted.slice(0, 5)),
    );
  });
});

describe('numbers beyond float32', () => {
  test('a feature of 1e39 is an error naming the column and the CSV line (not "Infinity at row 0")', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => `${i === 6 ? '1e39' : i},${i % 2}`);
    const table = await parseCsv(`big,y\n\n${rows.join('\n')}\n`, { source: 'big.csv' });
    await assert.rejects(
      trainTabular(table, { target: 'y', ...QUICK }),
      /big\.csv, line 9: column 'big' holds "1e39", beyond the range of the 32-bit floats .*--drop big/,
    );
  });

  test('a regression target of -1e308 is an error naming it and the line', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => `${i % 5},${i === 3 ? '-1e308' : i * 1.5}`);
    await assert.rejects(
      trainTabular(await parseCsv(`x,price\n${rows.join('\n')}\n`, { source: 'p.csv' }), { target: 'price', ...QUICK }),
      /p\.csv, line 5: the target 'price' holds "-1e308", beyond the range/,
    );
  });

  test('predicting a row with 1e308 is an error naming the column and line, never a NaN prediction', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => `${i % 9},${i % 2 ? 'yes' : 'no'}`);
    const result = await trainTabular(await parseCsv(`x,y\n${rows.join('\n')}\n`), { target: 'y', ...QUICK });
    const fresh = await parseCsv('x\n3\n1e308\n', { source: 'new.csv' });
    assert.throws(() => predictTable(result.model, result.pipeline, fresh), /new\.csv, line 3: column 'x' holds "1e308", beyond the range/);
  });
});

describe('text encodings', () => {
  const latin1 = Buffer.concat([
    Buffer.from('city,n,y\n'),
    ...Array.from({ length: 30 }, (_, i) => Buffer.concat([Buffer.from(i % 2 ? 'Montr' : 'Orl'), Buffer.from([0xe9]), Buffer.from(`al,${i},${i % 2}\n`)])),
  ]);

  test('invalid UTF-8 (a Latin-1 file) is an error naming the line and the way out', async () => {
    const file = join(dir, 'latin1.csv');
    writeFileSync(file, latin1);
    await assert.rejects(readCsv(file), /latin1\.csv, line 2: the file is not valid UTF-8 \(byte 0xE9 .*at byte 13\).*--encoding latin1/);
    const table = await readCsv(file, { encoding: 'latin1' });
    const city = table.data[0];
    assert.equal(city.storage, 'codes');
    if (city.storage === 'codes') assert.deepEqual([...city.categories].sort(), ['Montréal', 'Orléal']);
  });

  test('UTF-16 is named as such', async () => {
    const file = join(dir, 'utf16.csv');
    writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b\n1,2\n', 'utf16le')]));
    await assert.rejects(readCsv(file), /utf16\.csv is UTF-16 text/);
  });

  test("characters split across the reader's 1 MiB chunks come out whole", async () => {
    const file = join(dir, 'multibyte.csv');
    const words = ['été', 'naïve', '東京', '😀x'];
    const lines = ['word,n'];
    let size = 0;
    for (let i = 0; size < 2.5 * 2 ** 20; i++) {
      const line = `${words[i % 4]},${i % 10}`;
      lines.push(line);
      size += Buffer.byteLength(line) + 1;
    }
    writeFileSync(file, `${lines.join('\n')}\n`);
    const table = await readCsv(file);
    const word = table.data[0];
    assert.equal(table.rowCount, lines.length - 1);
    if (word.storage !== 'codes') assert.fail('the word column is stored as categories');
    assert.deepEqual([...word.categories].sort(), [...words].sort());
  });
});

describe('large and hostile tables', () => {
  test('100,000 columns read, plan, fit and encode without a per-column search (88 s before; a hang guard here)', { timeout: 120_000 }, async () => {
    const k = 100_000;
    const header = `${Array.from({ length: k }, (_, j) => `c${j}`).join(',')},y`;
    const rows = Array.from({ length: 4 }, (_, i) => `${Array.from({ length: k }, (_, j) => String((i * 31 + j) % 7)).join(',')},${i % 2}`);
    const started = performance.now();
    const table = await parseCsv(`${header}\n${rows.join('\n')}\n`, { source: 'wide.csv' });
    const plan = inferColumns(table, { target: 'y' });
    const pipeline = TabularPipeline.fit(table, plan, 'binary', { impute: false });
    const x = pipeline.transform(table);
    assert.deepEqual(x.shape, [4, plan.features.length]);
    assert.ok(plan.features.length > 90_000);
    const seconds = (performance.now() - started) / 1000;
    assert.ok(seconds < 60, `took ${seconds.toFixed(1)} s`);
  });

  test('a column of many distinct numbers is stored as float32 numbers, one of many distinct words keeps only counts', async () => {
    const n = MAX_CATEGORIES + 100;
    const rows = Array.from({ length: n }, (_, i) => `id-${i},${(i * 0.37).toFixed(3)},${i % 3},${i % 2}`);
    const table = await parseCsv(`id,x,k,y\n${rows.join('\n')}\n`);
    assert.deepEqual(
      table.data.map((d) => d.storage),
      ['overflow', 'numbers', 'codes', 'codes'],
    );
    const plan = inferColumns(table, { target: 'y' });
    assert.deepEqual(plan.dropped, [
      { name: 'id', reason: `identifier-like or free text: more than ${MAX_CATEGORIES} distinct values, too many to encode as categories` },
    ]);
    assert.throws(
      () => inferColumns(table, { target: 'y', keep: ['id'] }),
      /column 'id' has more than 65535 distinct values, too many to encode as categories; leave it out with --drop id/,
    );
  });

  test('a few words among many distinct numbers are still named, with their lines', async () => {
    const rows = Array.from({ length: MAX_NUMBER_CATEGORIES + 500 }, (_, i) => `${i === 1200 ? 'n/a?' : (i * 1.5).toFixed(1)},${i % 2}`);
    const table = await parseCsv(`x,y\n${rows.join('\n')}\n`, { source: 'typo.csv' });
    assert.equal(table.data[0].storage, 'numbers');
    assert.throws(() => inferColumns(table, { target: 'y' }), /column 'x' holds numbers, but line 1202 has non-numeric values \(line 1202: "n\/a\?"\)/);
  });

  test('an encoded table above 2^31 values is refused before it is allocated', async () => {
    const n = 46_400; // a kept column of n different names one-hot encodes into n x n > 2^31 values
    const rows = Array.from({ length: n }, (_, i) => `name${i},${i % 2}`);
    const table = await parseCsv(`who,y\n${rows.join('\n')}\n`, { source: 'names.csv' });
    const plan = inferColumns(table, { target: 'y', keep: ['who'] });
    const pipeline = TabularPipeline.fit(table, plan, 'binary', { impute: false });
    const before = process.memoryUsage().arrayBuffers;
    assert.throws(
      () => pipeline.transform(table),
      /names\.csv: the encoded table would hold 46400 rows x 46400 features = 2152960000 numbers \(8\.0 GiB\), more than the 2147483648 allowed; leave out columns with many categories \(--drop\)/,
    );
    assert.ok(process.memoryUsage().arrayBuffers - before < 2 ** 30, 'nothing of that size was allocated');
  });

  test('a device or a folder given as a table is refused at once', async () => {
    await assert.rejects(readCsv('/dev/zero'), /'\/dev\/zero': it is a device or socket, not a CSV file/);
    await assert.rejects(readCsv(dir), /it is a folder, not a CSV file/);
  });

  test('a record without end (no line break, 64 MiB) is an error, not unbounded memory', { timeout: 60_000 }, async () => {
    const file = join(dir, 'endless.csv');
    writeFileSync(file, `a,b\n${'x'.repeat(65 * 2 ** 20)}`);
    await assert.rejects(readCsv(file), /endless\.csv: .*exceed the maximum number of tolerated bytes/i);
  });
});
