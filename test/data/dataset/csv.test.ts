// data.csv against TF.js' tf.data.csv on the same files (file:// URLs, as TF.js reads them in Node.js): header,
// labels, column configs (required, default, dtype), configured columns only, delimiters, given column names;
// then what dendrite adds or does differently: plain paths, http(s) URLs, CRLF and a byte-order mark, quoted
// line breaks, errors that name the line.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { data } from '../../../src/index.js';
import { both, plain, tf } from './plain.js';

type TfCsvConfig = Parameters<typeof tf.data.csv>[1];

const dir = mkdtempSync(join(tmpdir(), 'dendrite-csv-dataset-'));

before(async () => {
  await tf.setBackend('cpu');
});
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const url = (path: string) => pathToFileURL(path).href;

const houses = file(
  'houses.csv',
  `area,rooms,city,garden,price
120,4,Paris,true,350000
80.5,3,Lyon,0,210000
,2,Nice,TRUE,150000
95,,"Saint, Malo",false,
60,1,Lyon,1,99000
`,
);

describe('data.csv reads as tf.data.csv does', () => {
  const configs: [string, data.CSVConfig][] = [
    ['no config: every column a feature', {}],
    ['a label column (elements { xs, ys })', { columnConfigs: { city: { isLabel: true } } }],
    [
      'defaults, dtypes',
      { columnConfigs: { area: { default: 100 }, rooms: { dtype: 'int32', default: 0 }, garden: { dtype: 'bool' }, price: { dtype: 'float32' } } },
    ],
    ['configured columns only', { configuredColumnsOnly: true, columnConfigs: { area: { default: 0 }, city: {}, rooms: { isLabel: true, default: 2 } } }],
    ['column names replacing the header', { columnNames: ['a', 'b', 'c', 'd', 'e'] }],
  ];
  for (const [name, config] of configs) {
    test(name, async () => {
      const ours = data.csv(url(houses), config);
      const theirs = tf.data.csv(url(houses), config as TfCsvConfig);
      const [x, y] = await both(ours, theirs);
      assert.deepEqual(x, y);
      assert.deepEqual(await ours.columnNames(), await theirs.columnNames());
      assert.equal(ours.size, theirs.size);
    });
  }

  test('without a header, with columnNames; another delimiter; runs of spaces', async () => {
    const noHeader = file('no-header.csv', '1;2;3\n4;5;6\n');
    const config: data.CSVConfig = { hasHeader: false, columnNames: ['a', 'b', 'c'], delimiter: ';', columnConfigs: { c: { isLabel: true } } };
    const [x, y] = await both(data.csv(url(noHeader), config), tf.data.csv(url(noHeader), config as TfCsvConfig));
    assert.deepEqual(x, y);
    const spaces = file('spaces.csv', 'a b  c\n1  2 3\n 4 5    6\n');
    const [s, t] = await both(data.csv(url(spaces), { delimWhitespace: true }), tf.data.csv(url(spaces), { delimWhitespace: true }));
    assert.deepEqual(s, t);
  });

  test('the TF.js pipeline: map to arrays, batch', async () => {
    const config = { columnConfigs: { price: { isLabel: true, default: 0 } }, configuredColumnsOnly: false };
    const toArrays = ({ xs, ys }: { xs: Record<string, unknown>; ys: Record<string, unknown> }) => ({
      xs: [xs.area ?? 0, xs.rooms ?? 0],
      ys: Object.values(ys),
    });
    const ours = data.csv(url(houses), config).map(toArrays).batch(2);
    const theirs = tf.data
      .csv(url(houses), config)
      .map((e) => toArrays(e as never) as never)
      .batch(2);
    const [x, y] = await both(ours, theirs);
    assert.deepEqual(x, y);
  });
});

describe('data.csv sources and text', () => {
  test('a plain path, a relative file:// URL and a URL object read the same rows', async () => {
    const expected = await data.csv(url(houses)).toArray();
    assert.equal(expected.length, 5);
    assert.deepEqual(await data.csv(houses).toArray(), expected);
    assert.deepEqual(await data.csv(`file://${relative(process.cwd(), houses)}`).toArray(), expected);
    assert.deepEqual(await data.csv(new URL(url(houses))).toArray(), expected);
  });

  test('an http URL is fetched and read as it arrives', async () => {
    const server = createServer((req, res) => {
      if (req.url !== '/houses.csv') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/csv' });
      // in pieces, cut mid-row
      res.write('area,rooms,city,garden,price\n120,4,Par');
      setTimeout(() => res.end('is,true,350000\n80.5,3,Lyon,0,210000\n'), 10);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const rows = await data.csv(`${base}/houses.csv`, { columnConfigs: { price: { isLabel: true } } }).toArray();
      assert.deepEqual(plain(rows), [
        { xs: { area: 120, rooms: 4, city: 'Paris', garden: 'true' }, ys: { price: 350000 } },
        { xs: { area: 80.5, rooms: 3, city: 'Lyon', garden: 0 }, ys: { price: 210000 } },
      ]);
      await assert.rejects(data.csv(`${base}/missing.csv`).toArray(), /fetching 'http:\/\/127\.0\.0\.1:\d+\/missing\.csv' failed: HTTP 404/);
    } finally {
      server.close();
    }
  });

  test('CRLF line ends, a byte-order mark, blank lines and quoted line breaks', async () => {
    const path = file('crlf.csv', '\ufeffa,b\r\n1,"x\r\ny"\r\n\r\n2,"say ""hi"""\r\n');
    assert.deepEqual(await data.csv(path).toArray(), [
      { a: 1, b: 'x\r\ny' },
      { a: 2, b: 'say "hi"' },
    ]);
    assert.deepEqual(await data.csv(path).columnNames(), ['a', 'b']);
  });

  test('a pass that stops early (take) reads no further', async () => {
    const rows = Array.from({ length: 20000 }, (_, i) => `${i},${i * 2}`);
    const path = file('long.csv', `a,b\n${rows.join('\n')}\n`);
    assert.deepEqual(await data.csv(path).take(2).toArray(), [
      { a: 0, b: 0 },
      { a: 1, b: 2 },
    ]);
    assert.deepEqual((await data.csv(path).skip(19998).toArray()).length, 2);
  });
});

describe('data.csv errors', () => {
  test('a missing file, a folder, another scheme', async () => {
    await assert.rejects(data.csv(join(dir, 'nope.csv')).toArray(), /cannot read '.*nope\.csv': no such file/);
    await assert.rejects(data.csv(dir).toArray(), /it is a folder/);
    await assert.rejects(data.csv('ftp://example.com/x.csv').toArray(), /ftp:\/\/ URL; data\.csv reads a local path, a file:\/\/ URL or an http\(s\):\/\/ URL/);
  });

  test('config errors: no names without a header, unknown configured columns, names of another count, duplicates', async () => {
    assert.throws(() => data.csv(houses, { hasHeader: false }), /columnNames must name the columns/);
    await assert.rejects(data.csv(houses, { columnConfigs: { prise: { isLabel: true } } }).toArray(), /columnConfigs has a key 'prise' that is no column/);
    await assert.rejects(data.csv(houses, { columnNames: ['a', 'b'] }).columnNames(), /columnNames gives 2 names, but the header line has 5 columns/);
    await assert.rejects(data.csv(file('dup.csv', 'a,a\n1,2\n')).toArray(), /the column name 'a' appears twice/);
    assert.throws(() => data.csv(houses, { delimiter: ';', delimWhitespace: true }), /either delimiter or delimWhitespace/);
  });

  test('row errors name the line', async () => {
    await assert.rejects(data.csv(houses, { columnConfigs: { price: { isLabel: true } } }).toArray(), /line 5: the required column 'price' is empty/);
    await assert.rejects(data.csv(houses, { columnConfigs: { area: { required: true } } }).toArray(), /line 4: the required column 'area' is empty/);
    await assert.rejects(data.csv(file('ragged.csv', 'a,b\n1,2\n3\n')).toArray(), /ragged\.csv'\), line 3: 1 fields, but the file has 2 columns \(a, b\)/);
    await assert.rejects(data.csv(file('empty.csv', '')).toArray(), /the file is empty; expected a header line/);
  });
});
