// tf.browser and the browser side of tf.io, the parts that run in Node.js too, against real TensorFlow.js:
// fromPixels of `{ data, width, height }`, toPixels' bytes and errors, saving over HTTP (the multipart POST TF.js
// sends) and loading it back, and the model management of an environment without browser storage. The rest
// (images, canvases, localStorage, IndexedDB, downloads) runs in Chromium in test/e2e/tfjs-browser.test.ts.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import * as tfjs from '@tensorflow/tfjs';
import { setSeed } from '../../src/index.js';
import * as tf from '../../src/tfjs/index.js';
import { assertClose } from '../helpers.js';
import { assertSame, tfjsCpu } from './same-as-tfjs.js';

before(() => tfjsCpu());

/** Seeded bytes. */
function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    out[i] = (s >> 16) & 255;
  }
  return out;
}

describe('tf.browser', () => {
  test('fromPixels of { data, width, height }: int32 [height, width, channels], 1 to 4 channels (3 by default), as TF.js', () => {
    const pixels = { data: bytes(5 * 3 * 4, 1), width: 5, height: 3 };
    for (const channels of [1, 2, 3, 4]) assertSame((t) => t.browser.fromPixels(pixels, channels));
    assertSame((t) => t.browser.fromPixels(pixels));
  });

  test("fromPixels' errors are TF.js'", () => {
    const pixels = { data: bytes(4, 2), width: 1, height: 1 };
    assertSame((t) => t.browser.fromPixels(pixels, 5), { sameMessage: true });
    assertSame((t) => t.browser.fromPixels(null as never), { sameMessage: true });
    assertSame((t) => t.browser.fromPixels({ data: new Uint8ClampedArray(4), width: 1, height: 1 } as never), { sameMessage: true });
  });

  test('fromPixelsAsync gives what fromPixels gives', async () => {
    const pixels = { data: bytes(2 * 2 * 4, 3), width: 2, height: 2 };
    const ours = await tf.browser.fromPixelsAsync(pixels, 4);
    const theirs = await tfjs.browser.fromPixelsAsync(pixels, 4);
    assert.deepEqual(ours.shape, theirs.shape);
    assert.deepEqual([...ours.dataSync()], [...theirs.dataSync()]);
  });

  test('toPixels: the RGBA bytes TF.js gives for float32 and int32, rank 2 and 3 with 1, 3 or 4 channels, and a nested array', async () => {
    for (const dtype of ['float32', 'int32'] as const) {
      for (const shape of [
        [3, 4],
        [3, 4, 1],
        [3, 4, 3],
        [3, 4, 4],
      ]) {
        const n = shape.reduce((a, b) => a * b, 1);
        const raw = Array.from(bytes(n, n));
        const fraction = bytes(n, 9);
        const values = dtype === 'float32' ? raw.map((v, i) => Math.min(1, (v + fraction[i] / 256) / 255)) : raw;
        const ours = await tf.browser.toPixels(tf.tensor(values, shape, dtype));
        const theirs = await tfjs.browser.toPixels(tfjs.tensor(values, shape, dtype) as never);
        assert.ok(ours instanceof Uint8ClampedArray);
        assert.deepEqual([...ours], [...theirs], `${dtype} [${shape}]`);
      }
    }
    const nested = [
      [
        [0, 128, 255],
        [1, 2, 3],
      ],
      [
        [9, 8, 7],
        [200, 100, 50],
      ],
    ];
    assert.deepEqual([...(await tf.browser.toPixels(nested))], [...(await tfjs.browser.toPixels(nested))]);
  });

  test("toPixels' errors are TF.js'", async () => {
    const cases: ((t: typeof tfjs) => Promise<unknown>)[] = [
      (t) => t.browser.toPixels(t.tensor([0.5, 0.5]) as never),
      (t) => t.browser.toPixels(t.zeros([2, 2, 2]) as never),
      (t) => t.browser.toPixels(t.tensor([[true, false]]) as never),
      (t) => t.browser.toPixels(t.tensor([[0.5, 1.5]]) as never),
      (t) => t.browser.toPixels(t.tensor([[-0.25, 0.5]]) as never),
      (t) => t.browser.toPixels(t.tensor([[3, 256]], undefined, 'int32') as never),
      (t) => t.browser.toPixels([[300]]),
    ];
    for (const run of cases) {
      const theirs = await run(tfjs).then(
        () => 'no error',
        (e: Error) => e.message,
      );
      const ours = await run(tf as unknown as typeof tfjs).then(
        () => 'no error',
        (e: Error) => e.message,
      );
      assert.notEqual(theirs, 'no error');
      assert.equal(ours, theirs);
    }
  });
});

describe('tf.io over HTTP and without browser storage', () => {
  /** What the server received: per upload name, the form's parts. */
  const uploads = new Map<string, { name: string; fileName: string; type: string; bytes: Buffer }[]>();
  let server: Server;
  let base = '';

  before(async () => {
    server = createServer(async (req, res) => {
      const path = new URL(req.url ?? '/', base).pathname;
      const upload = /^\/upload\/(\w+)$/.exec(path);
      if (upload && req.method === 'POST') {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const form = await new Request(`${base}${path}`, {
          method: 'POST',
          headers: { 'content-type': req.headers['content-type'] ?? '' },
          body: Buffer.concat(chunks),
        }).formData();
        const parts = [];
        for (const [name, value] of form.entries()) {
          const file = value as File;
          parts.push({ name, fileName: file.name, type: file.type, bytes: Buffer.from(await file.arrayBuffer()) });
        }
        uploads.set(upload[1], parts);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        return;
      }
      const model = /^\/models\/(\w+)\/(model\.json|model\.weights\.bin)$/.exec(path);
      const part = model && uploads.get(model[1])?.find((p) => p.fileName === model[2]);
      if (part) res.writeHead(200, { 'content-type': part.type }).end(part.bytes);
      else res.writeHead(path === '/refuse' ? 500 : 404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('model.save(http) POSTs the form TF.js posts (model.json, model.weights.bin); loadLayersModel reads it back', async () => {
    setSeed(3);
    const ours = tf.sequential({ layers: [tf.layers.dense({ units: 3, activation: 'tanh', inputShape: [4] }), tf.layers.dense({ units: 2 })] });
    const theirs = tfjs.sequential({ layers: [tfjs.layers.dense({ units: 3, activation: 'tanh', inputShape: [4] }), tfjs.layers.dense({ units: 2 })] });
    theirs.setWeights(ours.getWeights().map((w) => tfjs.tensor(w.values, [...w.shape])));
    const result = await ours.save(`${base}/upload/ours`);
    assert.equal((result.responses as Response[])[0].status, 200);
    assert.ok((result.modelArtifactsInfo.weightDataBytes ?? 0) > 0);
    await theirs.save(tfjs.io.http(`${base}/upload/theirs`));
    const meta = (name: string) => uploads.get(name)!.map(({ name, fileName, type }) => ({ name, fileName, type }));
    assert.deepEqual(meta('ours'), meta('theirs'));
    assert.deepEqual(
      meta('ours').map((p) => p.fileName),
      ['model.json', 'model.weights.bin'],
    );
    assert.deepEqual(uploads.get('ours')![1].bytes, uploads.get('theirs')![1].bytes, 'the same weights, byte for byte');
    const json = JSON.parse(uploads.get('ours')![0].bytes.toString('utf8'));
    assert.deepEqual(json.weightsManifest[0].paths, ['./model.weights.bin']);
    // each library loads the other's upload
    const x = tf.randomUniform([2, 4], -1, 1);
    const back = await tf.loadLayersModel(`${base}/models/theirs/model.json`);
    const tfjsBack = await tfjs.loadLayersModel(`${base}/models/ours/model.json`);
    const expected = (theirs.predict(tfjs.tensor(x.values, [2, 4])) as tfjs.Tensor).dataSync();
    assertClose((back.predict(x) as tf.Tensor).values, expected, { atol: 1e-6, rtol: 0 });
    assertClose((tfjsBack.predict(tfjs.tensor(x.values, [2, 4])) as tfjs.Tensor).dataSync(), expected, { atol: 1e-6, rtol: 0 });
  });

  test("a refused POST, an empty URL and a request body are TF.js' errors", async () => {
    const model = () => tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
    const tfjsModel = () => tfjs.sequential({ layers: [tfjs.layers.dense({ units: 1, inputShape: [1] })] });
    const theirs = await tfjsModel()
      .save(`${base}/refuse`)
      .then(
        () => 'no error',
        (e: Error) => e.message,
      );
    await assert.rejects(model().save(`${base}/refuse`), (e: Error) => e.message === theirs);
    assertSame((t) => t.io.http(''), { sameMessage: true });
    assertSame((t) => t.io.http(`${base}/m`, { requestInit: { body: 'x' } }), { sameMessage: true });
  });

  test("in Node.js there are no model stores: listModels is empty and removeModel names the scheme, as TF.js'", async () => {
    assert.deepEqual(await tf.io.listModels(), await tfjs.io.listModels());
    for (const url of ['localstorage://m', 'indexeddb://m']) {
      const theirs = await tfjs.io.removeModel(url).then(
        () => 'no error',
        (e: Error) => e.message,
      );
      await assert.rejects(tf.io.removeModel(url), (e: Error) => e.message === theirs);
    }
    await assert.rejects(tf.io.copyModel('localstorage://a', 'localstorage://a'), /Old path and new path are the same: 'localstorage:\/\/a'/);
    await assert.rejects(
      tf.io.copyModel('localstorage://a', 'indexeddb://b'),
      /copyModel\('localstorage:\/\/a'\): The current environment does not support local storage/,
    );
  });
});
