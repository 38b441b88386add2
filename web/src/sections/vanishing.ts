// "Vanishing gradients": per-layer gradient norms of a deep network while it trains, sigmoid vs ReLU + He.
import { formatNumber, formatPercent } from '../draw/canvas.js';
import { logBars } from '../draw/chart.js';
import { drawPlane } from '../draw/plane.js';
import { TrainingJob } from '../job.js';
import type { JobConfig } from '../protocol.js';
import { byId, clearReadouts, frameScheduler, onResize, radioValue, setStatus, setTrainButton } from '../ui.js';

export function setupVanishing(): void {
  const form = byId<HTMLFormElement>('vg-controls');
  const trainButton = byId<HTMLButtonElement>('vg-train');
  const status = byId('vg-status');
  const bars = byId<HTMLCanvasElement>('vg-bars');
  const boundary = byId<HTMLCanvasElement>('vg-boundary');
  let norms: number[] = [];

  function config(): JobConfig {
    const relu = radioValue(form, 'kind') === 'relu';
    const depth = Number(byId<HTMLSelectElement>('vg-depth').value);
    return {
      dataset: 'circles',
      seed: 3,
      hidden: new Array<number>(depth).fill(16),
      activation: relu ? 'relu' : 'sigmoid',
      initializer: relu ? 'heNormal' : 'auto',
      output: 'sigmoid',
      // plain SGD shows the raw effect: Adam would rescale each weight's step and hide it
      optimizer: 'sgd',
      learningRate: 0.05,
      batchSize: 16,
      l2: 0,
      dropout: 0,
      grid: 40,
      neuronGrid: 0,
      gradients: true,
      samples: 200,
    };
  }

  const redraw = frameScheduler(() => {
    const labels = norms.map((_, i) => (i === norms.length - 1 ? 'out' : String(i + 1)));
    logBars(bars, norms, labels, { lo: -10, hi: 2, color: radioValue(form, 'kind') === 'relu' ? '#1f6fb2' : '#c75f0f', height: 240 });
    if (job.data) drawPlane(boundary, job.data, job.last?.boundary ?? null, 1, { slot: 'vg-plane' });
  });

  const job = new TrainingJob({
    onData() {
      redraw();
    },
    onProgress(p) {
      norms = p.gradientNorms ?? norms;
      byId('vg-epoch').textContent = String(p.epoch);
      byId('vg-loss').textContent = formatNumber(p.trainLoss);
      byId('vg-acc').textContent = formatPercent(p.trainAccuracy);
      const ratio = norms.length ? norms[0] / norms[norms.length - 1] : NaN;
      byId('vg-ratio').textContent = formatNumber(ratio);
      bars.setAttribute('aria-label', `Gradient norm per layer, first to last: ${norms.map((n) => formatNumber(n)).join(', ')}`);
      if (!job.running && p.epoch > 0) setStatus(status, `Paused at epoch ${p.epoch}`);
      redraw();
    },
    onRunningChange(running) {
      setTrainButton(trainButton, running);
      setStatus(status, running ? 'Training…' : job.last && job.last.epoch > 0 ? `Paused at epoch ${job.last.epoch}` : 'Ready');
    },
    onError(message) {
      setStatus(status, message, true);
    },
  });

  function reset(): void {
    const wasRunning = job.running;
    setStatus(status, 'Ready');
    clearReadouts(['vg-epoch', 'vg-loss', 'vg-acc', 'vg-ratio']);
    job.reset(config());
    // switching activation while it trains keeps it training: the difference shows live
    if (wasRunning) job.train();
  }

  form.addEventListener('submit', (e) => e.preventDefault());
  form.addEventListener('change', reset);
  trainButton.addEventListener('click', () => (job.running ? job.stop() : job.train()));
  byId('vg-reset').addEventListener('click', reset);
  onResize([bars, boundary], redraw);
  reset();
}
