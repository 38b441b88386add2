// The page's side of one training worker: sends commands, keeps the loss history, hands progress to a view.
import type { DataMessage, JobConfig, ProgressMessage, Reply, ToWorker } from './protocol.js';

export interface JobView {
  onData(data: DataMessage): void;
  onProgress(progress: ProgressMessage, history: History): void;
  onRunningChange(running: boolean): void;
  onError(message: string): void;
}

export interface History {
  epochs: number[];
  trainLoss: number[];
  valLoss: number[];
}

export class TrainingJob {
  private readonly worker: Worker;
  data: DataMessage | null = null;
  last: ProgressMessage | null = null;
  history: History = { epochs: [], trainLoss: [], valLoss: [] };
  running = false;
  private jobId = 0;

  constructor(private readonly view: JobView) {
    this.worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (event: MessageEvent<Reply>) => {
      if (event.data.job === this.jobId) this.receive(event.data);
    };
    this.worker.onerror = (event) => {
      event.preventDefault();
      this.setRunning(false);
      this.view.onError(event.message || 'the training worker failed to start');
    };
  }

  /** Builds a fresh network and data set (the old run is dropped). */
  reset(config: JobConfig): void {
    this.history = { epochs: [], trainLoss: [], valLoss: [] };
    this.last = null;
    this.setRunning(false);
    this.send({ type: 'init', job: ++this.jobId, config });
  }

  train(maxEpochs?: number): void {
    if (this.running) return;
    this.setRunning(true);
    this.send({ type: 'train', maxEpochs });
  }

  stop(): void {
    this.send({ type: 'stop' });
  }

  /** Changes the learning rate of the current network without a reset, running or not. */
  setLearningRate(learningRate: number): void {
    this.send({ type: 'learningRate', learningRate });
  }

  /** Sets one neuron's incoming weights and bias; the next report shows the network with them. */
  setNeuron(layer: number, unit: number, weights: number[], bias: number): void {
    this.send({ type: 'setNeuron', layer, unit, weights, bias });
  }

  step(): void {
    if (!this.running) this.send({ type: 'step' });
  }

  private send(message: ToWorker): void {
    this.worker.postMessage(message);
  }

  private setRunning(running: boolean): void {
    if (this.running === running) return;
    this.running = running;
    this.view.onRunningChange(running);
  }

  private receive(message: Reply): void {
    switch (message.type) {
      case 'data':
        this.data = message;
        this.view.onData(message);
        break;
      case 'progress': {
        const h = this.history;
        const { epochs, train, val } = message.curve;
        for (let i = 0; i < epochs.length; i++) {
          if (h.epochs.length > 0 && epochs[i] <= h.epochs[h.epochs.length - 1]) continue;
          h.epochs.push(epochs[i]);
          h.trainLoss.push(train[i]);
          h.valLoss.push(val[i]);
        }
        this.last = message;
        this.view.onProgress(message, h);
        break;
      }
      case 'stopped':
        this.setRunning(false);
        break;
      case 'error':
        this.setRunning(false);
        this.view.onError(message.message);
        break;
    }
  }
}
