// `npm run bench:memory`: does memory stay flat over a long run? Trains the MNIST MLP for 20 epochs on dendrite
// (all 60,000 images) and on TensorFlow.js wasm (a smaller set: it is ~10x slower), each in its own process,
// and prints the live heap, ArrayBuffer memory (where tensors live) and RSS after every epoch, then the
// growth over the second half of the run against a noise allowance. The first epochs are warm-up: V8 and
// the allocator size their heaps then (V8's young generation, for one, may double to its 2 x 16 MB maximum).
//
//     npm run bench:memory                 # both
//     npm run bench:memory -- dendrite     # dendrite only
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { EpochMemory } from './memory-run.js';
import { median } from './workloads.js';

/** Least-squares slope of y over x. */
function slope(points: [number, number][]): number {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return sxx > 0 ? sxy / sxx : 0;
}

const root = fileURLToPath(new URL('../', import.meta.url));
const only = process.argv.slice(2);
const EPOCHS = 20;
/** Growth still counted as noise: the larger of 5% and this many MB. */
const NOISE_MB = 8;
/** Epochs of warm-up; the baseline is the median of the 5 epochs after them. */
const WARM_UP = 5;

const runs: { label: string; peer: string; trainSize: number }[] = [
  { label: 'dendrite', peer: 'dendrite', trainSize: 60000 },
  { label: 'tfjs wasm', peer: 'tfjs-wasm', trainSize: 6000 },
];

let allFlat = true;
for (const run of runs) {
  if (only.length > 0 && !only.some((o) => run.label.includes(o))) continue;
  process.stderr.write(`running ${run.label} (${EPOCHS} epochs of ${run.trainSize} images)...\n`);
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/memory-run.ts', run.peer, String(run.trainSize), String(EPOCHS)], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 16 << 20,
  });
  if (r.status !== 0) {
    process.stderr.write(`  ${run.label} failed: ${(r.stderr || '').trim().split('\n').slice(-3).join(' | ')}\n`);
    continue;
  }
  const epochs = r.stdout
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as EpochMemory);
  console.log(`\n${run.label}: MNIST MLP 784-128-10, Adam, batch 128, ${run.trainSize} images, ${EPOCHS} epochs`);
  console.log('| epoch | live heap MB | V8 heap held MB | ArrayBuffers MB | RSS MB | time s |');
  console.log('|---:|---:|---:|---:|---:|---:|');
  for (const e of epochs)
    console.log(
      `| ${e.epoch} | ${e.heapMb.toFixed(1)} | ${e.heapCommittedMb.toFixed(1)} | ${e.arrayBuffersMb.toFixed(1)} | ${e.rssMb.toFixed(1)} | ${e.seconds.toFixed(1)} |`,
    );
  const baseEpochs = epochs.filter((e) => e.epoch > WARM_UP && e.epoch <= WARM_UP + 5);
  if (baseEpochs.length < 5) continue;
  const later = epochs.filter((e) => e.epoch > WARM_UP);
  const last = epochs.slice(-5);
  const span = `epochs ${WARM_UP + 1}-${WARM_UP + 5}`;
  for (const key of ['heapMb', 'arrayBuffersMb', 'rssMb'] as const) {
    // a leak grows epoch after epoch; noise comes and goes: compare the medians of two 5-epoch windows
    const base = median(baseEpochs.map((e) => e[key]));
    const growth = median(last.map((e) => e[key])) - base;
    const allowance = Math.max(NOISE_MB, 0.05 * base);
    const flat = growth <= allowance;
    if (run.peer === 'dendrite') allFlat &&= flat;
    const highest = Math.max(...later.map((e) => e[key]));
    const perEpoch = slope(later.map((e) => [e.epoch, e[key]]));
    console.log(
      `${key.replace('Mb', '')}: median of ${span} ${base.toFixed(1)} MB, of the last 5 epochs ${(base + growth).toFixed(1)} MB (growth ${growth.toFixed(1)} MB, allowance ${allowance.toFixed(1)}; highest after warm-up ${highest.toFixed(1)}; trend after warm-up ${perEpoch >= 0 ? '+' : ''}${perEpoch.toFixed(2)} MB/epoch): ${flat ? 'flat' : 'GROWING'}`,
    );
  }
}
console.log(`\n${cpus()[0]?.model}, ${cpus().length} cores, Node ${process.version}`);
if (!allFlat) {
  console.log(`dendrite: memory grew beyond noise after the ${WARM_UP} warm-up epochs`);
  process.exitCode = 1;
}
