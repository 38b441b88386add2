// Live CNN training in headless Chromium: dendrite's wasm backend (on threads in a cross-origin-isolated page,
// and on one thread in a page that is not) beside TensorFlow.js' wasm and cpu backends, in the same browser,
// each in a Web Worker of its own page, training the playground's live CNN on its MNIST slice (batches of 32).
// Prints samples/s (medians of the rounds) as a table; `npm run bench:browser`, and the end of `npm run bench`.
//
// This machine's speed drifts from one minute to the next, so the two dendrite pages run in turns (--turns, each
// --rounds timed rounds) and each side's median is taken over all its rounds.
//
//     node --import tsx bench/browser-cnn.ts [--turns 3] [--rounds 3] [--round-ms 1500] [--json]
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS as ARGS } from '../test/chromium.js';
import type { BenchRequest, BenchResult } from './browser-cnn/protocol.js';

const { values } = parseArgs({
  options: {
    turns: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '3' },
    'round-ms': { type: 'string', default: '1500' },
    json: { type: 'boolean', default: false },
  },
});
if (!existsSync(CHROMIUM)) {
  console.log(`browser CNN bench skipped: no browser at ${CHROMIUM} (install Debian's chromium, or set CHROMIUM_PATH)`);
  process.exit(0);
}

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
async function bundle(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [here(entry)],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    minify: true,
    logLevel: 'silent',
    // Node.js-only code paths import these inside functions the worker never calls
    external: ['node:*', 'csv-parse'],
  });
  return result.outputFiles[0].text;
}

const PAGE = `<!doctype html><meta charset="utf-8"><title>browser CNN bench</title><script type="module">
const q = new URLSearchParams(location.search);
const worker = new Worker('./' + q.get('worker') + '.js', { type: 'module' });
worker.onmessage = (e) => { window.benchResult = e.data; };
worker.onerror = (e) => { window.benchResult = { error: e.message || 'worker failed to load', rounds: [] }; };
worker.postMessage(JSON.parse(q.get('request')));
</script>`;

const files: Record<string, [string, string | Buffer]> = {
  'dendrite.js': ['text/javascript', await bundle('./browser-cnn/dendrite-worker.ts')],
  'tfjs.js': ['text/javascript', await bundle('./browser-cnn/tfjs-worker.ts')],
  'mnist-slice.bin': ['application/octet-stream', await readFile(here('../web/public/data/mnist-slice.bin'))],
};
const wasmDir = here('../node_modules/@tensorflow/tfjs-backend-wasm/dist/');

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, isolated: boolean): void {
  res.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    ...(isolated ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' } : {}),
  });
  res.end(body);
}

// /isolated/... is served cross-origin isolated (as `dendrite playground` serves the page), /plain/... is not
const server = createServer(async (req, res) => {
  const [, mode = '', ...rest] = (req.url ?? '').split('?')[0].split('/');
  const name = rest.join('/');
  const isolated = mode === 'isolated';
  try {
    if (name === '') return send(res, 200, 'text/html; charset=utf-8', PAGE, isolated);
    if (files[name]) return send(res, 200, files[name][0], files[name][1], isolated);
    const wasm = /^tfjs-wasm\/(tfjs-backend-wasm[a-z-]*\.wasm)$/.exec(name);
    if (wasm) return send(res, 200, 'application/wasm', await readFile(wasmDir + wasm[1]), isolated);
    send(res, 404, 'text/plain', 'not found', isolated);
  } catch (error) {
    send(res, 500, 'text/plain', String(error), isolated);
  }
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

interface Run {
  label: string;
  worker: 'dendrite' | 'tfjs';
  mode: 'isolated' | 'plain';
  backend?: string;
  /** Mini-batches per timed chunk (TF.js cpu is slow: short chunks keep each round near round-ms). */
  chunkBatches: number;
}
const DENDRITE: Run[] = [
  { label: 'dendrite wasm, isolated page (threads)', worker: 'dendrite', mode: 'isolated', chunkBatches: 8 },
  { label: 'dendrite wasm, page not isolated (1 thread)', worker: 'dendrite', mode: 'plain', chunkBatches: 8 },
];
const RUNS: Run[] = [
  ...Array.from({ length: Number(values.turns) }, () => DENDRITE).flat(),
  { label: 'TF.js wasm, isolated page', worker: 'tfjs', mode: 'isolated', backend: 'wasm', chunkBatches: 8 },
  { label: 'TF.js cpu', worker: 'tfjs', mode: 'isolated', backend: 'cpu', chunkBatches: 1 },
];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
const version = browser.version();
const results: (BenchResult & { label: string; median: number })[] = [];
try {
  for (const run of RUNS) {
    const request: BenchRequest = {
      sliceUrl: `${origin}/${run.mode}/mnist-slice.bin`,
      backend: run.backend,
      rounds: Number(values.rounds),
      chunkBatches: run.chunkBatches,
      roundMs: Number(values['round-ms']),
    };
    const page = await browser.newPage();
    await page.goto(`${origin}/${run.mode}/?worker=${run.worker}&request=${encodeURIComponent(JSON.stringify(request))}`);
    await page.waitForFunction(() => (window as unknown as { benchResult?: unknown }).benchResult, null, { timeout: 300_000, polling: 200 });
    const r = (await page.evaluate(() => (window as unknown as { benchResult: BenchResult }).benchResult)) as BenchResult;
    await page.close();
    const same = results.find((x) => x.label === run.label);
    if (same) {
      same.rounds.push(...r.rounds);
      same.median = median(same.rounds);
      same.error ??= r.error;
    } else results.push({ ...r, label: run.label, median: median(r.rounds) });
  }
} finally {
  await browser.close();
  server.close();
}

if (values.json) {
  console.log(JSON.stringify({ chromium: version, cores: availableParallelism(), results }));
} else {
  const fmt = (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : 'n/a');
  console.log(
    `\nLive CNN training in headless Chromium ${version} (${availableParallelism()} cores), each in a Web Worker, batches of 32 (samples/s; dendrite's two pages in ${values.turns} turns of ${values.rounds} rounds, TF.js ${values.rounds} rounds; medians):\n`,
  );
  console.log('| runtime | threads | samples/s (median) | rounds |');
  console.log('|---|---|---|---|');
  for (const r of results) {
    const rounds = r.error ? `cannot train: ${r.error.split('\n')[0].slice(0, 120)}` : r.rounds.map(fmt).join(', ');
    console.log(`| ${r.label} | ${r.threads || 'n/a'} | ${r.error ? 'n/a' : fmt(r.median)} | ${rounds} |`);
  }
  const ours = results[0]?.median;
  const tfjsBest = Math.max(...results.filter((r) => r.library === 'TF.js' && !r.error).map((r) => r.median));
  if (Number.isFinite(ours) && Number.isFinite(tfjsBest) && tfjsBest > 0) {
    console.log(`\ndendrite wasm (isolated) / fastest TF.js backend that trains: ${(ours / tfjsBest).toFixed(1)}x`);
  }
  if (results[0] && results[1] && !results[0].error && !results[1].error) {
    console.log(`dendrite wasm, threads / 1 thread: ${(results[0].median / results[1].median).toFixed(2)}x`);
  }
}
