// `npm run bench:csv`: does reading and training on a table scale with its size? Generates CSV files of
// 10 MB, 100 MB and 1 GB (ten numeric columns, a city, a yes/no target: the shape of a typical export),
// then for each, in fresh processes: reads it (rows/s and peak memory of reading alone), and runs
// `dendrite train FILE --target y --epochs 1` (peak memory of the whole job: read, encode, train, refit,
// test, save). The text is never held: memory follows the cells (about 48 bytes a row here: 4 per number,
// 2 per category, 4 for the line number), not the file size.
//
//     npm run bench:csv                  # 10 MB, 100 MB, 1 GB
//     npm run bench:csv -- 10 100        # the sizes in MB
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeBenchTable } from './bench-table.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const folder = join(tmpdir(), 'dendrite-bench-csv');
mkdirSync(folder, { recursive: true });

/** The seeded table of about `megabytes` MB (bench/bench-table.ts), written once into the bench folder. */
async function generate(megabytes: number): Promise<string> {
  const file = join(folder, `table-${megabytes}mb.csv`);
  await writeBenchTable(file, megabytes);
  return file;
}

function measure(args: string[]): { rows: number; seconds: number; peakMB: number } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bench', 'csv-scale-run.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) throw new Error(`bench run ${args.join(' ')} failed: ${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!);
}

const rows: string[][] = [];
for (const mb of sizes.length > 0 ? sizes : [10, 100, 1000]) {
  const file = await generate(mb);
  const fileMB = statSync(file).size / 2 ** 20;
  const read = measure(['read', file]);
  const out = join(folder, `model-${mb}mb`);
  const train = measure(['train', file, out]);
  rmSync(out, { recursive: true, force: true });
  rows.push([
    `${fileMB.toFixed(0)} MB`,
    read.rows.toLocaleString('en-US'),
    `${read.seconds.toFixed(1)} s`,
    `${Math.round(read.rows / read.seconds).toLocaleString('en-US')}`,
    `${read.peakMB.toFixed(0)} MB`,
    `${train.seconds.toFixed(1)} s`,
    `${Math.round(train.rows / train.seconds).toLocaleString('en-US')}`,
    `${train.peakMB.toFixed(0)} MB (${(train.peakMB / fileMB).toFixed(2)}x the file)`,
  ]);
  console.error(`done: ${mb} MB`);
}
const header = ['file', 'rows', 'read', 'rows/s read', 'peak memory, read', 'train 1 epoch (all steps)', 'rows/s, whole job', 'peak memory, whole job'];
console.log(`| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|\n${rows.map((r) => `| ${r.join(' | ')} |`).join('\n')}`);
