// Training from a CSV file larger than the heap, through dd.data: generates a table (default 200 MB: ten numeric
// columns, a city, a yes/no target, the shape `npm run bench:csv` uses), then in fresh processes whose heap is
// capped at 64 MB (well below the file): reads it through data.csv alone, and trains a small network on it for
// one epoch with data.csv(...).map(...).batch(512) and model.fitDataset. Prints rows/s, MB/s and the peak
// memory of each: the stream keeps a chunk of rows at a time, so memory does not follow the file.
//
//     node --import tsx bench/dataset-csv.ts            # 200 MB
//     node --import tsx bench/dataset-csv.ts 1000       # the size in MB
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeBenchTable } from './bench-table.js';

const HEAP_CAP_MB = 64;

/** One measurement, in this process: 'read' streams the rows, 'train' trains one epoch on them. */
async function run(mode: string, file: string): Promise<void> {
  const dd = await import('../src/index.js');
  const cities = ['Lyon', 'Paris', 'Nice', 'Lille'];
  const rows = dd.data.csv(file, { columnConfigs: { y: { isLabel: true } } });
  let peakHeap = 0;
  const sample = () => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  };
  const started = performance.now();
  let count = 0;
  if (mode === 'read') {
    await rows.forEachAsync(() => {
      if (++count % 50_000 === 0) sample();
    });
  } else {
    const model = dd.sequential([dd.layers.dense({ units: 32, activation: 'relu', inputShape: [14] }), dd.layers.dense({ units: 1, activation: 'sigmoid' })]);
    model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const batches = rows
      .map(({ xs, ys }) => {
        const features = [xs.x0, xs.x1, xs.x2, xs.x3, xs.x4, xs.x5, xs.x6, xs.x7, xs.x8, xs.x9].map((v) => (v as number) / 100);
        const city = cities.indexOf(xs.city as string);
        return { xs: [...features, ...cities.map((_, i) => (i === city ? 1 : 0))], ys: [ys.y === 'yes' ? 1 : 0] };
      })
      .batch(512)
      .prefetch(2);
    const history = await model.fitDataset(batches, {
      epochs: 1,
      verbose: 0,
      callbacks: {
        onBatchEnd: (batch, logs) => {
          count += logs.size;
          if (batch % 100 === 0) sample();
        },
      },
    });
    process.stderr.write(`accuracy after one epoch: ${history.history.accuracy[0].toFixed(4)}\n`);
  }
  sample();
  const seconds = (performance.now() - started) / 1000;
  console.log(JSON.stringify({ rows: count, seconds, peakRssMB: process.resourceUsage().maxRSS / 1024, peakHeapMB: peakHeap / 2 ** 20 }));
}

const [first, second, third] = process.argv.slice(2);
if (first === 'run') {
  await run(second, third);
} else {
  const megabytes = Number(first ?? 200);
  const folder = join(tmpdir(), 'dendrite-bench-csv');
  mkdirSync(folder, { recursive: true });
  const file = join(folder, `table-${megabytes}mb.csv`);
  await writeBenchTable(file, megabytes);
  const fileMB = statSync(file).size / 2 ** 20;
  const self = fileURLToPath(import.meta.url);
  const lines: string[] = [];
  for (const mode of ['read', 'train']) {
    const r = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_CAP_MB}`, '--import', 'tsx', self, 'run', mode, file], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (r.status !== 0) throw new Error(`${mode} failed (status ${r.status})`);
    const m = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    lines.push(
      `| ${mode === 'read' ? 'data.csv, read' : 'data.csv → map → batch(512) → fitDataset, 1 epoch'} | ${fileMB.toFixed(0)} MB | ${m.rows.toLocaleString('en-US')} | ${m.seconds.toFixed(1)} s | ${Math.round(m.rows / m.seconds).toLocaleString('en-US')} | ${(fileMB / m.seconds).toFixed(1)} | ${m.peakHeapMB.toFixed(0)} MB | ${m.peakRssMB.toFixed(0)} MB |`,
    );
  }
  console.log(`Heap capped at ${HEAP_CAP_MB} MB (--max-old-space-size).\n`);
  console.log('| run | file | rows | time | rows/s | MB/s | peak heap | peak RSS |\n|---|---|---|---|---|---|---|---|');
  for (const l of lines) console.log(l);
}
