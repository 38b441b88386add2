// Run by csv-memory.test.ts in a process of its own, with a small heap and --expose-gc: trains one epoch through
// data.csv on the file named by argv[2] and prints the rows seen and the live heap (after a full GC) before
// and during training, as one JSON line.
import { data, layers, sequential } from '../../../src/index.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const live = () => {
  gc();
  return process.memoryUsage().heapUsed;
};

const path = process.argv[2];
const model = sequential([layers.dense({ units: 1, inputShape: [10] })]);
model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
const ds = data
  .csv(path, { columnConfigs: { y: { isLabel: true } } })
  .map(({ xs, ys }) => ({ xs: Object.values(xs) as number[], ys: [ys.y as number] }))
  .batch(512);
const baseline = live();
let peak = baseline;
let rows = 0;
await model.fitDataset(ds, {
  epochs: 1,
  verbose: 0,
  callbacks: {
    onBatchEnd: (batch, logs) => {
      rows += logs.size;
      if (batch % 50 === 0) peak = Math.max(peak, live());
    },
  },
});
console.log(JSON.stringify({ rows, baseline, peak }));
