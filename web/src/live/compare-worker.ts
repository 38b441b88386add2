// The Dense-vs-CNN comparison's worker: loads the MNIST slice, trains the Dense network and then the CNN for the
// same steps, and posts each one's test accuracy and parameter count as soon as it has it.
import * as dd from 'dendrite';
import { type FromCompareWorker, type ToCompareWorker, trainAndTest } from './compare.js';
import { loadSlice } from './mnist-slice.js';

const scope = self as unknown as {
  postMessage(message: FromCompareWorker): void;
  onmessage: ((event: MessageEvent<ToCompareWorker>) => void) | null;
};

async function run(message: ToCompareWorker): Promise<void> {
  await dd.wasmReady;
  const data = await loadSlice(message.sliceUrl);
  for (const name of ['dense', 'cnn'] as const) {
    scope.postMessage({ type: 'result', result: await trainAndTest(name, data, message.steps, message.batchSize) });
  }
  scope.postMessage({ type: 'done' });
}

scope.onmessage = (event) => {
  run(event.data).catch((error: unknown) => scope.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) }));
};
