import type { Logs } from './callbacks.js';

/** Where progress lines go: a terminal line that can be redrawn, or a plain line sink. */
export interface ProgressSink {
  /** Redraws the current line (terminals) — may be absent. */
  update?(line: string): void;
  /** Writes a finished line. */
  line(text: string): void;
  /** The width of the line `update` redraws (a terminal's columns); absent: no limit. */
  readonly columns?: number;
}

/** stdout when running in a terminal (redrawn in place), otherwise console.log of finished lines. */
export function defaultSink(): ProgressSink {
  const proc = (globalThis as { process?: { stdout?: { isTTY?: boolean; write(s: string): boolean; columns?: number } } }).process;
  const out = proc?.stdout;
  if (out?.isTTY) {
    return {
      update: (l) => void out.write(`\r${l.slice(0, (out.columns ?? 120) - 1)}\x1b[K`),
      line: (l) => void out.write(`\r${l}\x1b[K\n`),
      // read at every redraw: the terminal may have been resized
      get columns() {
        return out.columns ?? 120;
      },
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

/** The narrowest bar worth drawing; below it the line goes without one. */
const MIN_BAR_WIDTH = 8;

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

  constructor(
    private readonly sink: ProgressSink,
    private readonly width = 24,
  ) {}

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
    const parts = { elapsed: formatDuration(elapsed), eta: `ETA ${formatDuration(eta)}`, rate: `${this.rate(samples, elapsed)} samples/s` };
    this.sink.update(this.fitted(done, total, parts, formatLogs(logs)));
  }

  /**
   * The redrawn line, within the sink's columns: a line longer than the terminal is cut at its end, which is
   * where the loss and the metrics are, so the less useful parts go first (the rate, the time so far, then
   * bar width, the bar, the ETA). A line that still does not fit is cut by the sink.
   */
  private fitted(done: number, total: number, parts: { elapsed: string; eta: string; rate: string }, logs: string): string {
    const compose = (barWidth: number, shown: string[]) =>
      [[this.header, ...(barWidth > 0 ? [this.bar(done, total, barWidth)] : []), `${done}/${total}`].join(' '), ...shown, logs].join(' - ');
    const full = compose(this.width, [parts.elapsed, parts.eta, parts.rate]);
    // the terminal wraps a line that reaches its last column, and a wrapped line cannot be redrawn in place
    const limit = this.sink.columns === undefined ? Infinity : this.sink.columns - 1;
    if (full.length <= limit) return full;
    for (const shown of [[parts.elapsed, parts.eta], [parts.eta]]) {
      const line = compose(this.width, shown);
      if (line.length <= limit) return line;
    }
    const narrower = this.width - (compose(this.width, [parts.eta]).length - limit);
    if (narrower >= MIN_BAR_WIDTH) return compose(narrower, [parts.eta]);
    const withoutBar = compose(0, [parts.eta]);
    return withoutBar.length <= limit ? withoutBar : compose(0, []);
  }

  end(total: number, samples: number, logs: Logs): void {
    const elapsed = (performance.now() - this.start) / 1000;
    this.sink.line(
      `${this.header} ${this.bar(total, total)} ${total}/${total} - ${formatDuration(elapsed)} - ${this.rate(samples, elapsed)} samples/s - ${formatLogs(logs)}`,
    );
  }

  private rate(samples: number, seconds: number): number {
    return Math.round((samples - this.before.samples) / Math.max(seconds, 1e-9));
  }

  /** Ends the line of an epoch stopped after `done` of `total` batches. */
  interrupt(done: number, total: number): void {
    this.sink.line(`${this.header} ${this.bar(done, total)} ${done}/${total} - stopped after batch ${done}`);
  }

  private bar(done: number, total: number, width = this.width): string {
    const filled = total > 0 ? Math.floor((done / total) * width) : width;
    const head = filled < width ? '>' : '';
    return `[${'='.repeat(filled)}${head}${'.'.repeat(width - filled - head.length)}]`;
  }
}
