// `npm run bench:mnist`: trains the default MNIST models exactly as `dendrite train mnist` does (3 epochs,
// full data) and prints test accuracy and wall time, for the README's accuracy table.
// Usage: node --import tsx bench/mnist-accuracy.ts [--seeds 42,7] [--models cnn,mlp]
import { cpus } from 'node:os';
import { getBackend } from '../src/index.js';
import { trainMnist } from '../src/cli/mnist-job.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const seeds = arg('--seeds', '42').split(',').map(Number);
const models = arg('--models', 'cnn,mlp').split(',') as ('cnn' | 'mlp')[];
const rows: string[] = [];
for (const model of models) {
  for (const seed of seeds) {
    const started = performance.now();
    const { testAccuracy } = await trainMnist({ model, seed, validationSplit: 0, quiet: true, out: `.tmp/bench-mnist-${model}-${seed}` });
    const seconds = (performance.now() - started) / 1000;
    rows.push(`| ${model} | ${seed} | ${testAccuracy === null ? 'interrupted' : `${(testAccuracy * 100).toFixed(2)}%`} | ${seconds.toFixed(0)} s |`);
  }
}
console.log(`\n${cpus()[0]?.model}, ${cpus().length} cores, backend '${getBackend()}'; 3 epochs on all 60,000 training images, tested on all 10,000.\n`);
console.log('| model | seed | test accuracy | wall time (load, train, test, save) |\n|---|---|---|---|');
for (const r of rows) console.log(r);
