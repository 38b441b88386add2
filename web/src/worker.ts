// The training worker: owns one Trainer, trains in short slices and reports a few times a second, so the
// page never waits on the network and a Stop arrives within one slice.
import { Trainer } from './trainer.js';
import type { FromWorker, Reply, ToWorker } from './protocol.js';

/** The worker global, typed without the WebWorker lib (it clashes with DOM's in one program). */
const scope = self as unknown as {
  postMessage(message: Reply, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
};

/** Time spent training between checks for messages, and the least time between two reports. */
const SLICE_MS = 30;
const REPORT_MS = 120;

let trainer: Trainer | null = null;
let running = false;
/** Bumped by every init and stop, so a loop of an older job ends. */
let generation = 0;
let stopAt = Infinity;
/** The page's id of the current job, echoed in every reply. */
let jobId = 0;

function post(message: FromWorker): void {
  const transfer: Transferable[] = [];
  if (message.type === 'progress') {
    transfer.push(message.boundary.buffer as ArrayBuffer);
    for (const k of message.kernels) transfer.push(k.buffer as ArrayBuffer);
    for (const b of message.biases) transfer.push(b.buffer as ArrayBuffer);
    for (const layer of message.neurons ?? []) for (const unit of layer) transfer.push(unit.buffer as ArrayBuffer);
  }
  scope.postMessage({ ...message, job: jobId }, transfer);
}

function fail(error: unknown): void {
  running = false;
  generation++;
  post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
}

function report(): void {
  const progress = trainer!.measure(running);
  if (trainer!.config.gradients && !progress.gradientNorms) progress.gradientNorms = trainer!.probeGradients();
  post(progress);
}

async function loop(job: number): Promise<void> {
  let lastReport = 0;
  while (running && job === generation) {
    const sliceStart = performance.now();
    try {
      do {
        trainer!.epochStep();
        if (trainer!.epoch >= stopAt) running = false;
      } while (running && performance.now() - sliceStart < SLICE_MS);
      if (running && performance.now() - lastReport >= REPORT_MS) {
        report();
        lastReport = performance.now();
      }
    } catch (error) {
      fail(error);
      return;
    }
    // let 'stop' and 'init' messages in
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  if (job !== generation || !trainer) return;
  try {
    report();
  } catch (error) {
    fail(error);
    return;
  }
  post({ type: 'stopped', epoch: trainer.epoch });
}

scope.onmessage = (event) => {
  const message = event.data;
  try {
    switch (message.type) {
      case 'init':
        generation++;
        running = false;
        jobId = message.job;
        trainer = new Trainer(message.config);
        post(trainer.describe());
        report();
        break;
      case 'train':
        if (!trainer || running) return;
        running = true;
        stopAt = message.maxEpochs ? trainer.epoch + message.maxEpochs : Infinity;
        void loop(generation);
        break;
      case 'stop':
        running = false;
        break;
      case 'learningRate':
        // live: the running loop picks it up at its next batch
        trainer?.setLearningRate(message.learningRate);
        break;
      case 'setNeuron':
        if (!trainer) return;
        trainer.setNeuron(message.layer, message.unit, message.weights, message.bias);
        // a running loop reports the change with its next report
        if (!running) report();
        break;
      case 'step':
        if (!trainer || running) return;
        trainer.epochStep();
        report();
        break;
    }
  } catch (error) {
    fail(error);
  }
};
