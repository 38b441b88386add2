// GEMM GFLOP/s of the native backend beside numpy/OpenBLAS on the shapes training issues, measured in the same
// run, in alternating turns (dendrite, then OpenBLAS, shape by shape, round after round), medians. Each turn
// starts after a pause: OpenBLAS's idle threads spin for about 0.1 s after a call (2^28 cycles), and would
// take a core from the turn that follows.
//   node --import tsx bench/gemm-shapes.ts [rounds] [filter]
// `filter`: only shapes whose label contains it. DENDRITE_NUM_THREADS / DENDRITE_NATIVE_ISA apply as usual;
// OpenBLAS runs with its own default threads (OPENBLAS_NUM_THREADS to change); numpy comes from NUMPY_PYTHON, else
// the first of /usr/bin/python3 and python3 that imports it.
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { nativeBackend, nativeInfo } from '../src/backend/native/index.js';

/** [m, k, n, transA, transB, what]: op(A) [m, k] . op(B) [k, n]; A stored [k, m] when transA, B [n, k] when transB. */
const SHAPES: readonly (readonly [number, number, number, boolean, boolean, string])[] = [
  [256, 256, 256, false, false, 'square'],
  [512, 512, 512, false, false, 'square'],
  [1024, 1024, 1024, false, false, 'square'],
  [128, 784, 128, false, false, 'MLP dense1 forward'],
  [784, 128, 128, true, false, 'MLP dense1 weight grad'],
  [64, 1600, 128, false, false, 'default CNN dense forward'],
  [1600, 64, 128, true, false, 'default CNN dense weight grad'],
  [64, 9216, 128, false, false, 'classic CNN dense forward'],
  [9216, 64, 128, true, false, 'classic CNN dense weight grad'],
  [64, 128, 9216, false, true, 'classic CNN dense input grad'],
  [43264, 9, 32, false, false, 'conv1 forward (both CNNs)'],
  [9, 43264, 32, true, false, 'conv1 filter grad'],
  [36864, 288, 64, false, false, 'classic conv2 forward'],
  [288, 36864, 64, true, false, 'classic conv2 filter grad'],
  [36864, 64, 288, false, true, 'classic conv2 input grad'],
  [7744, 288, 64, false, false, 'default conv2 forward'],
  [288, 7744, 64, true, false, 'default conv2 filter grad'],
  [7744, 64, 288, false, true, 'default conv2 input grad'],
];

const rounds = Number(process.argv[2] ?? 5);
const filter = process.argv[3] ?? '';
if (!nativeBackend) throw new Error('the native addon is not built (npm run build:native)');
const native = nativeBackend;

const env = { ...process.env };
delete env.OPENBLAS_CORETYPE;
delete env.OPENBLAS_L2_SIZE;
const python = [process.env.NUMPY_PYTHON, '/usr/bin/python3', 'python3'].find((p) => p !== undefined && spawnSync(p, ['-c', 'import numpy']).status === 0);
if (!python) throw new Error('no python3 here imports numpy (set NUMPY_PYTHON to one that does)');
const py = spawn(python, ['bench/gemm_serve.py'], { env, stdio: ['pipe', 'pipe', 'inherit'] });
const lines = createInterface({ input: py.stdout })[Symbol.asyncIterator]();
async function openblas(m: number, k: number, n: number, ta: boolean, tb: boolean, reps: number): Promise<number> {
  py.stdin.write(`${m} ${k} ${n} ${ta ? 1 : 0} ${tb ? 1 : 0} ${reps}\n`);
  const next = await lines.next();
  if (next.done) throw new Error('the numpy helper exited');
  return Number(next.value);
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

/** Calls for 20 ms before a turn is timed (both sides): after the pause, the OS takes a few milliseconds to
 * spread a pool's woken threads over the cores again (the MLP's 128x784x128 ran at one thread's speed for up
 * to 8 calls after it). */
function warmUp(call: () => void): void {
  const start = performance.now();
  do call();
  while (performance.now() - start < 20);
}

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

function dendrite(a: Float32Array, b: Float32Array, out: Float32Array, m: number, k: number, n: number, ta: boolean, tb: boolean, reps: number): number {
  const args = { m, k, n, transposeA: ta, transposeB: tb, aOffsets: [0], bOffsets: [0] };
  warmUp(() => native.matmul(a, b, out, args));
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t = process.hrtime.bigint();
    native.matmul(a, b, out, args);
    times.push(Number(process.hrtime.bigint() - t) / 1e9);
  }
  return (2 * m * k * n) / median(times) / 1e9;
}

const info = nativeInfo();
console.log(`dendrite native: ${info?.isas?.[0] ?? '?'} build, ${info?.threads ?? '?'} threads; ${rounds} rounds, medians`);
const shapes = SHAPES.filter((s) => `${s[0]}x${s[1]}x${s[2]} ${s[5]}`.includes(filter));
const ours = shapes.map(() => [] as number[]);
const theirs = shapes.map(() => [] as number[]);
const inputs = shapes.map(([m, k, n]) => {
  const rand = (size: number) => Float32Array.from({ length: size }, () => Math.random());
  return { a: rand(m * k), b: rand(k * n), out: new Float32Array(m * n) };
});
for (let r = 0; r < rounds; r++) {
  for (const [i, [m, k, n, ta, tb]] of shapes.entries()) {
    const reps = Math.max(5, Math.min(50, Math.round(4e9 / (2 * m * k * n))));
    const { a, b, out } = inputs[i];
    await settle();
    ours[i].push(dendrite(a, b, out, m, k, n, ta, tb, reps));
    await settle();
    theirs[i].push(await openblas(m, k, n, ta, tb, reps));
  }
}
py.stdin.end();
const pad = (s: string, w: number) => s.padEnd(w);
// medians, and the best round in brackets: on a shared machine a round that lost a core shows as a gap between them
console.log(`${pad('shape (m x k x n)', 22)}${pad('what', 32)}${pad('dendrite', 14)}${pad('OpenBLAS', 14)}ratio`);
for (const [i, [m, k, n, ta, tb, what]] of shapes.entries()) {
  const d = median(ours[i]);
  const o = median(theirs[i]);
  const label = `${m}x${k}x${n}${ta ? ' tA' : ''}${tb ? ' tB' : ''}`;
  const cell = (xs: number[], med: number) => pad(`${med.toFixed(0)} (${xs.reduce((x, y) => Math.max(x, y)).toFixed(0)})`, 14);
  console.log(`${pad(label, 22)}${pad(what, 32)}${cell(ours[i], d)}${cell(theirs[i], o)}${(d / o).toFixed(2)}`);
}
