// The live CNN's training worker: loads the MNIST slice, trains the small CNN on the wasm backend (on threads when
// the page is cross-origin isolated) in short slices, and reports its filters, feature maps, test accuracy and
// samples/s after each, so the page repaints while it trains.
import * as dd from 'dendrite';
import { LiveCnn } from './cnn-trainer.js';
import { loadSlice, type MnistSlice } from './mnist-slice.js';
import type { FromLiveWorker, LiveProgress, ToLiveWorker } from './protocol.js';

const scope = self as unknown as {
  postMessage(message: FromLiveWorker, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToLiveWorker>) => void) | null;
  crossOriginIsolated?: boolean;
};

/** Mini-batches trained between two reports (and between checks for a Stop). */
const BATCHES_PER_SLICE = 8;
/** Where the page says the slice is (a worker's own URL differs between Vite's dev server and the build). */
let sliceUrl = '';

let data: MnistSlice | null = null;
let live: LiveCnn | null = null;
let running = false;
let generation = 0;
let shown = 0;

function post(message: FromLiveWorker): void {
  const transfer: Transferable[] = [];
  if (message.type === 'progress') {
    for (const f of message.filters) transfer.push(f.buffer as ArrayBuffer);
    for (const m of message.maps) transfer.push(m.values.buffer as ArrayBuffer);
    transfer.push(message.image.buffer as ArrayBuffer, message.probabilities.buffer as ArrayBuffer);
  }
  scope.postMessage(message, transfer);
}

function report(): void {
  const model = live!;
  const index = shown++ % model.data.testLabels.length;
  const look = model.look(index);
  const filters = model.filters();
  const progress: LiveProgress = {
    type: 'progress',
    running,
    steps: model.seen / model.batchSize,
    seen: model.seen,
    batchSize: model.batchSize,
    samplesPerSecond: model.trainMs > 0 ? (model.seen * 1000) / model.trainMs : 0,
    loss: model.lastLoss,
    testAccuracy: model.testAccuracy(),
    threadsRunning: dd.wasmInfo()?.threadsRunning ?? 1,
    filters,
    filterShapes: model.model.layers.filter((l) => l.className === 'Conv2D').map((l) => [...l.getWeights()[0].shape]),
    maps: look.maps,
    image: look.image,
    label: model.data.testLabels[index],
    probabilities: look.probabilities,
  };
  post(progress);
}

async function ensure(): Promise<LiveCnn> {
  if (!data) data = await loadSlice(sliceUrl);
  if (!live) live = new LiveCnn(data);
  return live;
}

async function train(batches: number, job: number): Promise<void> {
  const model = await ensure();
  while (batches > 0 && job === generation) {
    const n = Math.min(batches, BATCHES_PER_SLICE);
    await model.train(n);
    batches -= n;
    if (batches === 0) running = false;
    report();
    // let a Stop or Reset in
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

async function handle(message: ToLiveWorker): Promise<void> {
  switch (message.type) {
    case 'init':
      sliceUrl = message.sliceUrl;
      await dd.wasmReady;
      await setup();
      return;
    case 'start':
      if (running) return;
      running = true;
      await train(Number.POSITIVE_INFINITY, ++generation);
      return;
    case 'train':
      running = true;
      await train(Math.max(1, Math.floor(message.batches)), ++generation);
      return;
    case 'stop':
      running = false;
      generation++;
      if (live) report();
      return;
    case 'reset':
      running = false;
      generation++;
      live = null;
      shown = 0;
      report0();
      return;
  }
}

/** The untrained network's state (its random filters, chance accuracy). */
function report0(): void {
  ensure().then(report, fail);
}

function fail(error: unknown): void {
  running = false;
  generation++;
  post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
}

scope.onmessage = (event) => {
  handle(event.data).catch(fail);
};

async function setup(): Promise<void> {
  const info = dd.wasmInfo();
  const model = await ensure();
  post({
    type: 'setup',
    crossOriginIsolated: scope.crossOriginIsolated === true,
    backend: dd.getBackend(),
    threads: info?.threads ?? 1,
    relaxedSimd: info?.relaxedSimd ?? false,
    trainSize: model.data.trainLabels.length,
    testSize: model.data.testLabels.length,
  });
  report();
}
