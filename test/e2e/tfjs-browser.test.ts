// End to end: dendrite/tfjs' browser parts in a real browser (Debian's chromium driven by playwright-core), beside
// real TensorFlow.js in the same page. The page (tfjs-browser/page.ts) is bundled with esbuild (which tsx and
// vite, both development dependencies, bring) and served, with a small model-upload endpoint, by a node:http
// server here. Checked against TF.js: tf.browser.fromPixels / fromPixelsAsync / toPixels on ImageData, a canvas,
// an image, a bitmap and PixelData; models saved by one library to localstorage:// and indexeddb:// and loaded by
// the other with the same predictions; tf.io.listModels / copyModel / moveModel / removeModel; downloads:// (the
// two files, their names and contents, as TF.js downloads them); saving over http(s):// (the multipart POST TF.js
// sends) and loading it back.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as tfjs from '@tensorflow/tfjs';
import { build } from 'esbuild';
import { chromium, type Browser, type BrowserContext, type Download, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS as ARGS, skipWithoutChromium } from '../chromium.js';

const skip = skipWithoutChromium;

/** One part of a multipart form the server received. */
interface Part {
  name: string;
  fileName: string;
  type: string;
  bytes: Buffer;
}

/** The test's server: the page, its bundle, and `POST /upload/<name>` whose files `GET /models/<name>/<file>` gives back. */
class TestServer {
  readonly uploads = new Map<string, Part[]>();
  private server!: Server;
  url = '';

  constructor(private readonly bundle: string) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.handle(req).then(
        ({ status, type, body }) => {
          res.writeHead(status, { 'content-type': type });
          res.end(body);
        },
        (error: Error) => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(String(error.stack));
        },
      );
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; type: string; body: string | Buffer }> {
    const path = new URL(req.url ?? '/', this.url).pathname;
    if (path === '/')
      return {
        status: 200,
        type: 'text/html',
        body: '<!doctype html><meta charset="utf-8"><title>dendrite/tfjs</title><script type="module" src="/page.js"></script>',
      };
    if (path === '/page.js') return { status: 200, type: 'text/javascript', body: this.bundle };
    if (path === '/favicon.ico') return { status: 204, type: 'text/plain', body: '' };
    const upload = /^\/upload\/(\w+)$/.exec(path);
    if (upload && req.method === 'POST') {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      // fetch's Request parses multipart/form-data
      const form = await new Request(`${this.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': req.headers['content-type'] ?? '' },
        body: Buffer.concat(chunks),
      }).formData();
      const parts: Part[] = [];
      for (const [name, value] of form.entries()) {
        const file = value as File;
        parts.push({ name, fileName: file.name, type: file.type, bytes: Buffer.from(await file.arrayBuffer()) });
      }
      this.uploads.set(upload[1], parts);
      return { status: 200, type: 'application/json', body: '{}' };
    }
    const model = /^\/models\/(\w+)\/(model\.json|model\.weights\.bin)$/.exec(path);
    const part = model && this.uploads.get(model[1])?.find((p) => p.fileName === model[2]);
    if (part) return { status: 200, type: part.type, body: part.bytes };
    return { status: path === '/refuse' ? 500 : 404, type: 'text/plain', body: 'no' };
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Bundles the page: dendrite/tfjs from src and @tensorflow/tfjs, for the browser. */
async function bundlePage(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./tfjs-browser/page.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    // Node.js-only code paths import these inside functions the page never calls (file:// models, CSV files)
    external: ['node:*', 'csv-parse'],
  });
  return result.outputFiles[0].text;
}

type Report = { failures: string[]; compared: number };

describe('dendrite/tfjs in a browser, beside TensorFlow.js', { skip, timeout: 60_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];
  const downloads: Download[] = [];

  before(async () => {
    const [bundle, launched] = await Promise.all([bundlePage(), chromium.launch({ executablePath: CHROMIUM, args: ARGS })]);
    browser = launched;
    server = new TestServer(bundle);
    await server.start();
    context = await browser.newContext({ acceptDownloads: true });
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      // the POST to /refuse fails on purpose (the save's error is checked)
      if (m.type() === 'error' && !m.location().url.endsWith('/refuse')) errors.push(`console: ${m.text()}`);
    });
    page.on('download', (d) => downloads.push(d));
    await page.goto(server.url);
    await page.waitForFunction(() => 'checks' in globalThis);
    await page.evaluate(() => (globalThis as unknown as { checks: { ready(): Promise<unknown> } }).checks.ready());
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  const run = <T>(name: string): Promise<T> =>
    page.evaluate((n) => (globalThis as unknown as { checks: Record<string, () => Promise<unknown>> }).checks[n](), name) as Promise<T>;

  test('fromPixels, fromPixelsAsync and toPixels give what TF.js gives (ImageData, canvas, image, bitmap, PixelData; 1 to 4 channels; errors)', async () => {
    const { failures, compared } = await run<Report>('pixels');
    assert.deepEqual(failures, []);
    assert.ok(compared >= 70, `${compared} comparisons`);
  });

  test('localstorage:// and indexeddb://: each library loads what the other saved; listModels, copyModel, moveModel, removeModel', async () => {
    const { failures, compared } = await run<Report>('storage');
    assert.deepEqual(failures, []);
    assert.ok(compared >= 16, `${compared} comparisons`);
  });

  test('downloads:// downloads name.json and name.weights.bin as TF.js does; TF.js loads them with the same predictions', async () => {
    const { x, predictions } = await run<{ x: number[][]; predictions: number[] }>('downloads');
    // the browser reports each download a moment after the page clicked its link
    for (const start = Date.now(); downloads.length < 4 && Date.now() - start < 10_000; ) await new Promise((r) => setTimeout(r, 20));
    const files = new Map<string, Buffer>();
    for (const d of downloads) files.set(d.suggestedFilename(), await readFile((await d.path())!));
    assert.deepEqual([...files.keys()].sort(), ['dendrite-model.json', 'dendrite-model.weights.bin', 'tfjs-model.json', 'tfjs-model.weights.bin']);
    const ours = JSON.parse(files.get('dendrite-model.json')!.toString('utf8'));
    const theirs = JSON.parse(files.get('tfjs-model.json')!.toString('utf8'));
    assert.deepEqual(
      ours.weightsManifest.map((g: { paths: string[] }) => g.paths),
      [['./dendrite-model.weights.bin']],
    );
    assert.deepEqual(
      theirs.weightsManifest.map((g: { paths: string[] }) => g.paths),
      [['./tfjs-model.weights.bin']],
    );
    // the same model (TF.js loaded dendrite's and saved it again): the same weights, byte for byte, and fields
    assert.deepEqual(files.get('dendrite-model.weights.bin'), files.get('tfjs-model.weights.bin'));
    assert.deepEqual(ours.weightsManifest[0].weights, theirs.weightsManifest[0].weights);
    // the same fields (dendrite writes the training config of a compiled model, as its files always carry it;
    // TF.js only with includeOptimizer)
    const fields = (json: object) =>
      Object.keys(json)
        .filter((k) => k !== 'trainingConfig')
        .sort();
    assert.deepEqual(fields(ours), fields(theirs));
    assert.ok(ours.trainingConfig, "the compiled model's training config");
    // TF.js (in Node.js) loads the downloaded pair and predicts what dendrite predicted in the page
    await tfjs.setBackend('cpu');
    const weights = files.get('dendrite-model.weights.bin')!;
    const model = await tfjs.loadLayersModel(
      tfjs.io.fromMemory({
        modelTopology: ours.modelTopology,
        weightSpecs: ours.weightsManifest[0].weights,
        weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
      }),
    );
    const got = Array.from((model.predict(tfjs.tensor2d(x)) as tfjs.Tensor).dataSync());
    assert.equal(got.length, predictions.length);
    for (const [i, p] of predictions.entries()) assert.ok(Math.abs(got[i] - p) <= 1e-6, `prediction ${i}: ${got[i]} vs ${p}`);
  });

  test('http(s):// saving POSTs the multipart form TF.js posts; each library loads what the other posted', async () => {
    const { failures } = await run<Report>('httpSave');
    assert.deepEqual(failures, []);
    const shape = (name: string) => server.uploads.get(name)!.map(({ name, fileName, type }) => ({ name, fileName, type }));
    assert.deepEqual(shape('dendrite'), [
      { name: 'model.json', fileName: 'model.json', type: 'application/json' },
      { name: 'model.weights.bin', fileName: 'model.weights.bin', type: 'application/octet-stream' },
    ]);
    assert.deepEqual(shape('dendrite'), shape('tfjs'));
    const json = (name: string) => JSON.parse(server.uploads.get(name)![0].bytes.toString('utf8'));
    assert.deepEqual(json('dendrite').weightsManifest[0].paths, ['./model.weights.bin']);
    const fields = (j: object) =>
      Object.keys(j)
        .filter((k) => k !== 'trainingConfig')
        .sort();
    assert.deepEqual(fields(json('dendrite')), fields(json('tfjs')));
    const specs = json('dendrite').weightsManifest[0].weights as { shape: number[] }[];
    const floats = specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
    assert.equal(server.uploads.get('dendrite')![1].bytes.length, 4 * floats);
  });

  test('nothing was logged as an error', () => {
    assert.deepEqual(errors, []);
  });
});
