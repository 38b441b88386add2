// The browser benchmark's dendrite side: the playground's live CNN (web/src/live/cnn-trainer.ts) on the wasm
// backend, on threads where the page is cross-origin isolated, trained on the page's MNIST slice.
import * as dd from '../../src/index.js';
import { LiveCnn } from '../../web/src/live/cnn-trainer.js';
import { loadSlice } from '../../web/src/live/mnist-slice.js';
import { type BenchRequest, type BenchResult, timeRounds } from './protocol.js';

self.onmessage = async (event: MessageEvent<BenchRequest>) => {
  const request = event.data;
  const result: BenchResult = { library: 'dendrite', backend: 'wasm', threads: 0, crossOriginIsolated, rounds: [] };
  try {
    await dd.wasmReady;
    dd.setBackend('wasm');
    const live = new LiveCnn(await loadSlice(request.sliceUrl));
    result.rounds = await timeRounds(request, live.batchSize, async (batches) => {
      const before = live.trainMs;
      await live.train(batches);
      return live.trainMs - before;
    });
    result.threads = dd.wasmInfo()?.threadsRunning ?? 1;
  } catch (error) {
    result.error = error instanceof Error ? error.message : String(error);
  }
  postMessage(result);
};
