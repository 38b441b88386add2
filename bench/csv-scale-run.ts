// One measurement of `npm run bench:csv`, in its own process so that its peak memory is its own:
//     node --import tsx bench/csv-scale-run.ts read FILE      # read the table only
//     node --import tsx bench/csv-scale-run.ts train FILE OUT # `dendrite train FILE --target y --epochs 1`
// Prints one JSON line: rows, seconds, peak RSS (MB).
import { trainCsv } from '../src/cli/train-csv.js';
import { readCsv } from '../src/tabular/csv.js';

const [mode, file, out] = process.argv.slice(2);
const started = performance.now();
let rows: number;
if (mode === 'read') {
  rows = (await readCsv(file)).rowCount;
} else {
  const { result } = await trainCsv(file, { target: 'y', epochs: 1, seed: 42, out, quiet: true });
  rows = result.table.rowCount;
}
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({ rows, seconds, peakMB: process.resourceUsage().maxRSS / 1024 }));
