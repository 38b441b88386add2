// `npm run bench:memory`: does memory stay flat over a long run? Trains the MNIST MLP for 20 epochs on dendrite
// (all 60,000 images) and on TensorFlow.js wasm (a smaller set: it is ~10x slower), each in its own process,
// and prints the live heap, ArrayBuffer memory (where tensors live) and RSS after every epoch, then the
// growth from epoch 2 to the end against a noise allowance.
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
/** Growth after epoch 2 still counted as noise: the larger of 5% and this many MB. */
const NOISE_MB = 8;

const runs: { label: string; peer: string; trainSize: number }[] = [
  { label: 'dendrite', peer: 'dendrite', trainSize: 60000 },
  { label: 'tfjs wasm', peer: 'tfjs-wasm', trainSize: 6000 },
];

let allFlat = true;
for (const run of runs) {
  if (only.length > 0 && !only.some((o) => run.label.includes(o))) continue;
  process.stderr.write(`running ${run.label} (${EPOCHS} epochs of ${run.trainSize} images)...\n`);
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/memory-run.ts', run.peer, String(run.trainSize), String(EPOCHS)], { cwd: root, encoding: 'utf8', maxBuffer: 16 << 20 });
  if (r.status !== 0) {
    process.stderr.write(`  ${run.label} failed: ${(r.stderr || '').trim().split('\n').slice(-3).join(' | ')}\n`);
    continue;
  }
  const epochs = r.stdout.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as EpochMemory);
  console.log(`\n${run.label}: MNIST MLP 784-128-10, Adam, batch 128, ${run.trainSize} images, ${EPOCHS} epochs`);
  console.log('| epoch | live heap MB | ArrayBuffers MB | RSS MB | time s |');
  console.log('|---:|---:|---:|---:|---:|');
  for (const e of epochs) console.log(`| ${e.epoch} | ${e.heapMb.toFixed(1)} | ${e.arrayBuffersMb.toFixed(1)} | ${e.rssMb.toFixed(1)} | ${e.seconds.toFixed(1)} |`);
  const base = epochs.find((e) => e.epoch === 2);
  if (!base) continue;
  const later = epochs.filter((e) => e.epoch > 2);
  const last = epochs.slice(-5);
  for (const key of ['heapMb', 'arrayBuffersMb', 'rssMb'] as const) {
    // a leak grows epoch after epoch; noise comes and goes: compare the median of the last 5 epochs with epoch 2
    const growth = median(last.map((e) => e[key])) - base[key];
    const allowance = Math.max(NOISE_MB, 0.05 * base[key]);
    const flat = growth <= allowance;
    if (run.peer === 'dendrite') allFlat &&= flat;
    const highest = Math.max(...later.map((e) => e[key]));
    const perEpoch = slope(later.map((e) => [e.epoch, e[key]]));
    console.log(`${key.replace('Mb', '')}: epoch 2 ${base[key].toFixed(1)} MB, median of the last 5 epochs ${(base[key] + growth).toFixed(1)} MB (growth ${growth.toFixed(1)} MB, allowance ${allowance.toFixed(1)}; highest ${highest.toFixed(1)}; trend after epoch 2 ${perEpoch >= 0 ? '+' : ''}${perEpoch.toFixed(2)} MB/epoch): ${flat ? 'flat' : 'GROWING'}`);
  }
}
console.log(`\n${cpus()[0]?.model}, ${cpus().length} cores, Node ${process.version}`);
if (!allFlat) {
  console.log('dendrite: memory grew beyond noise after epoch 2');
  process.exitCode = 1;
}
