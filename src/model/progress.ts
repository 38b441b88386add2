import type { Logs } from './callbacks.js';

/** Where progress lines go: a terminal line that can be redrawn, or a plain line sink. */
export interface ProgressSink {
  /** Redraws the current line (terminals) — may be absent. */
  update?(line: string): void;
  /** Writes a finished line. */
  line(text: string): void;
}

/** stdout when running in a terminal (redrawn in place), otherwise console.log of finished lines. */
export function defaultSink(): ProgressSink {
  const proc = (globalThis as { process?: { stdout?: { isTTY?: boolean; write(s: string): boolean; columns?: number } } }).process;
  const out = proc?.stdout;
  if (out?.isTTY) {
    return {
      update: (l) => void out.write(`\r${l.slice(0, (out.columns ?? 120) - 1)}\x1b[K`),
      line: (l) => void out.write(`\r${l}\x1b[K\n`),
    };
  }
  return { line: (l) => console.log(l) };
}

export function formatDuration(seconds: number): string {
  // round first, then split into units, so 119.7 s reads 2m00s (not 1m60s) and 0.9996 s reads 1.0s
  if (Math.round(seconds * 1000) < 1000) return `${Math.round(seconds * 1000)}ms`;
  if (Math.round(seconds * 10) < 600) return `${(Math.round(seconds * 10) / 10).toFixed(1)}s`;
  const totalSeconds = Math.round(seconds);
  if (totalSeconds < 3600) return `${Math.floor(totalSeconds / 60)}m${String(totalSeconds % 60).padStart(2, '0')}s`;
  const totalMinutes = Math.round(seconds / 60);
  return `${Math.floor(totalMinutes / 60)}h${String(totalMinutes % 60).padStart(2, '0')}m`;
}

export function formatLogs(logs: Logs): string {
  return Object.entries(logs)
    .map(([k, v]) => `${k}: ${Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : v.toFixed(4)}`)
    .join(' - ');
}

/**
 * Keras-style one-line progress per epoch:
 * `Epoch 2/5  [=========>.....] 600/938 - 3.1s - ETA 1.7s - 19355 samples/s - loss: 0.2150 - accuracy: 0.9371`
 */
export class ProgressBar {
  private start = 0;
  private lastDraw = 0;
  private header = '';
  /** Batches and samples of the epoch done before `begin` (a resumed epoch): not part of the rate. */
  private before = { batches: 0, samples: 0 };

  constructor(private readonly sink: ProgressSink, private readonly width = 24) {}

  begin(epoch: number, epochs: number, doneBatches = 0, doneSamples = 0): void {
    this.start = performance.now();
    this.before = { batches: doneBatches, samples: doneSamples };
    this.lastDraw = 0;
    this.header = `Epoch ${epoch + 1}/${epochs}`;
  }

  /** Redraws at most every 100 ms. */
  update(done: number, total: number, samples: number, logs: Logs): void {
    if (!this.sink.update) return;
    const now = performance.now();
    if (now - this.lastDraw < 100 && done < total) return;
    this.lastDraw = now;
    const elapsed = (now - this.start) / 1000;
    const doneHere = done - this.before.batches;
    const eta = doneHere > 0 ? (elapsed / doneHere) * (total - done) : 0;
    this.sink.update(`${this.header} ${this.bar(done, total)} ${done}/${total} - ${formatDuration(elapsed)} - ETA ${formatDuration(eta)} - ${this.rate(samples, elapsed)} samples/s - ${formatLogs(logs)}`);
  }

  end(total: number, samples: number, logs: Logs): void {
    const elapsed = (performance.now() - this.start) / 1000;
    this.sink.line(`${this.header} ${this.bar(total, total)} ${total}/${total} - ${formatDuration(elapsed)} - ${this.rate(samples, elapsed)} samples/s - ${formatLogs(logs)}`);
  }

  private rate(samples: number, seconds: number): number {
    return Math.round((samples - this.before.samples) / Math.max(seconds, 1e-9));
  }

  /** Ends the line of an epoch stopped after `done` of `total` batches. */
  interrupt(done: number, total: number): void {
    this.sink.line(`${this.header} ${this.bar(done, total)} ${done}/${total} - stopped after batch ${done}`);
  }

  private bar(done: number, total: number): string {
    const filled = total > 0 ? Math.floor((done / total) * this.width) : this.width;
    const head = filled < this.width ? '>' : '';
    return `[${'='.repeat(filled)}${head}${'.'.repeat(this.width - filled - head.length)}]`;
  }
}
