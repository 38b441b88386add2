// "Neurons and layers": pick a data set, edit the network, train, and watch the boundary, the losses and
// every neuron's output.
import { formatNumber, formatPercent } from '../draw/canvas.js';
import { lineChart } from '../draw/chart.js';
import { drawNetwork } from '../draw/network.js';
import { drawPlane } from '../draw/plane.js';
import { TrainingJob } from '../job.js';
import type { DatasetName, HiddenActivation, JobConfig, OptimizerChoice } from '../protocol.js';
import { byId, clearReadouts, frameScheduler, onResize, setStatus, setTrainButton } from '../ui.js';

const MAX_UNITS = 8;
const PRESETS: Record<string, { hidden: number[]; activation?: HiddenActivation }> = {
  perceptron: { hidden: [] },
  'one-hidden': { hidden: [4], activation: 'tanh' },
  deep: { hidden: [8, 8, 8], activation: 'tanh' },
};

export function setupNeurons(): void {
  const form = byId<HTMLFormElement>('nl-controls');
  const layersInput = byId<HTMLInputElement>('nl-layers');
  const unitsBox = byId('nl-units');
  const trainButton = byId<HTMLButtonElement>('nl-train');
  const stepButton = byId<HTMLButtonElement>('nl-step');
  const status = byId('nl-status');
  const boundary = byId<HTMLCanvasElement>('nl-boundary');
  const loss = byId<HTMLCanvasElement>('nl-loss');
  const network = byId<HTMLCanvasElement>('nl-network');
  const select = (id: string) => byId<HTMLSelectElement>(id).value;
  /** Units per hidden layer, kept when the layer count shrinks and grows again. */
  const units: number[] = [4, 4, 4, 4, 4, 4];

  function renderUnitInputs(): void {
    const count = clampInt(layersInput.value, 0, 6, 2);
    unitsBox.replaceChildren();
    for (let i = 0; i < count; i++) {
      const id = `nl-units-${i + 1}`;
      const label = document.createElement('label');
      label.htmlFor = id;
      label.textContent = `Layer ${i + 1} neurons`;
      const input = document.createElement('input');
      Object.assign(input, { id, type: 'number', min: '1', max: String(MAX_UNITS), step: '1', value: String(units[i]), inputMode: 'numeric' });
      input.dataset.layer = String(i);
      const cell = document.createElement('div');
      cell.append(label, input);
      unitsBox.append(cell);
    }
  }

  function config(): JobConfig {
    const count = clampInt(layersInput.value, 0, 6, 2);
    return {
      dataset: select('nl-dataset') as DatasetName,
      seed: 7,
      hidden: units.slice(0, count),
      activation: select('nl-activation') as HiddenActivation,
      initializer: 'auto',
      output: 'sigmoid',
      optimizer: select('nl-optimizer') as OptimizerChoice,
      learningRate: Number(select('nl-lr')),
      batchSize: Number(select('nl-batch')),
      l2: Number(select('nl-l2')),
      dropout: Number(select('nl-dropout')),
      grid: 60,
      neuronGrid: 24,
      gradients: false,
      samples: 200,
    };
  }

  const redraw = frameScheduler(() => {
    const data = job.data;
    if (!data) return;
    const last = job.last;
    drawPlane(boundary, data, last?.boundary ?? null, last?.channels ?? 1, { slot: 'nl-plane' });
    const h = job.history;
    lineChart(
      loss,
      h.epochs,
      [
        { label: 'training', color: '#1f6fb2', ys: h.trainLoss },
        { label: 'validation', color: '#c75f0f', dash: [5, 4], ys: h.valLoss },
      ],
      { xLabel: 'epoch', height: window.innerWidth <= 600 ? 200 : Math.round(Math.min(boundary.clientWidth, 320)) },
    );
    drawNetwork(network, data, last);
  });

  const job = new TrainingJob({
    onData(data) {
      const regression = data.task === 'regression';
      byId('nl-boundary-caption').textContent = regression
        ? "The network's output over the plane (orange low, blue high); dots are the targets."
        : data.classes > 2
          ? 'The most likely class over the plane; paler where the network is unsure.'
          : 'P(blue class) over the plane: blue above 0.5, orange below.';
      redraw();
    },
    onProgress(p) {
      byId('nl-epoch').textContent = String(p.epoch);
      byId('nl-train-loss').textContent = formatNumber(p.trainLoss);
      byId('nl-val-loss').textContent = formatNumber(p.valLoss);
      byId('nl-train-acc').textContent = formatPercent(p.trainAccuracy);
      byId('nl-val-acc').textContent = formatPercent(p.valAccuracy);
      const acc = p.trainAccuracy === null ? '' : `, training accuracy ${formatPercent(p.trainAccuracy)}`;
      boundary.setAttribute('aria-label', `Decision boundary after ${p.epoch} epochs${acc}`);
      loss.setAttribute('aria-label', `Loss curves: training ${formatNumber(p.trainLoss)}, validation ${formatNumber(p.valLoss)} at epoch ${p.epoch}`);
      if (!job.running && p.epoch > 0) setStatus(status, `Paused at epoch ${p.epoch}`);
      redraw();
    },
    onRunningChange(running) {
      setTrainButton(trainButton, running);
      stepButton.disabled = running;
      setStatus(status, running ? 'Training…' : job.last ? `Paused at epoch ${job.last.epoch}` : 'Ready');
    },
    onError(message) {
      setStatus(status, message, true);
    },
  });

  function reset(): void {
    setStatus(status, 'Ready');
    clearReadouts(['nl-epoch', 'nl-train-loss', 'nl-val-loss', 'nl-train-acc', 'nl-val-acc']);
    job.reset(config());
  }

  form.addEventListener('submit', (e) => e.preventDefault());
  form.addEventListener('change', (event) => {
    const target = event.target as HTMLInputElement;
    if (target === layersInput) {
      layersInput.value = String(clampInt(layersInput.value, 0, 6, 2));
      renderUnitInputs();
    } else if (target.dataset.layer !== undefined) {
      const n = clampInt(target.value, 1, MAX_UNITS, 4);
      target.value = String(n);
      units[Number(target.dataset.layer)] = n;
    }
    reset();
  });
  for (const button of form.querySelectorAll<HTMLButtonElement>('[data-preset]')) {
    button.addEventListener('click', () => {
      const preset = PRESETS[button.dataset.preset!];
      preset.hidden.forEach((n, i) => {
        units[i] = n;
      });
      layersInput.value = String(preset.hidden.length);
      if (preset.activation) byId<HTMLSelectElement>('nl-activation').value = preset.activation;
      renderUnitInputs();
      reset();
    });
  }
  trainButton.addEventListener('click', () => (job.running ? job.stop() : job.train()));
  stepButton.addEventListener('click', () => job.step());
  byId('nl-reset').addEventListener('click', reset);
  onResize([boundary, network], redraw);

  renderUnitInputs();
  reset();
}

function clampInt(value: string, min: number, max: number, fallback: number): number {
  const n = Math.round(Number(value));
  return Number.isFinite(n) && value.trim() !== '' ? Math.max(min, Math.min(max, n)) : fallback;
}
