// "Neurons and layers": pick a data set, edit the network, train, and watch the boundary, the losses and
// every neuron's output.
import { formatNumber, formatPercent } from '../draw/canvas.js';
import { lineChart } from '../draw/chart.js';
import { drawNetwork, type NeuronBox } from '../draw/network.js';
import { drawPlane } from '../draw/plane.js';
import { type History, TrainingJob } from '../job.js';
import type { DataMessage, DatasetName, HiddenActivation, JobConfig, OptimizerChoice, ProgressMessage } from '../protocol.js';
import { restoreSetup, type SetupState, saveSetup } from '../share.js';
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
  // From the page's URL where it holds a setup (share.ts checks each value), else the defaults.
  const restored = restoreSetup(window.location.search, { units: [4, 4, 4, 4, 4, 4], seed: 7, dataSeed: 7 });
  /** Units per hidden layer, kept when the layer count shrinks and grows again. */
  const units: number[] = restored.units;
  /** The network's initial weights. */
  const seed = restored.seed;
  const discretize = byId<HTMLInputElement>('nl-discretize');
  const info = byId('nl-neuron-info');
  const editor = byId('nl-neuron-edit');
  /** Bumped by "Regenerate data": new points, same network seed. */
  let dataSeed = restored.dataSeed;
  /** Where the neurons were last drawn, and the one pointed at or tapped (its numbers follow training). */
  let boxes: NeuronBox[] = [];
  let selected: { layer: number; unit: number } | null = null;
  /** A tapped (clicked) neuron stays selected and gets editable fields; hovering then selects nothing else. */
  let pinned = false;

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
      seed,
      hidden: units.slice(0, count),
      activation: select('nl-activation') as HiddenActivation,
      initializer: select('nl-init') as JobConfig['initializer'],
      output: 'sigmoid',
      optimizer: select('nl-optimizer') as OptimizerChoice,
      learningRate: Number(select('nl-lr')),
      batchSize: Number(select('nl-batch')),
      l1: Number(select('nl-l1')),
      l2: Number(select('nl-l2')),
      dropout: Number(select('nl-dropout')),
      grid: 60,
      neuronGrid: 24,
      gradients: false,
      samples: Number(select('nl-samples')),
      validation: Number(select('nl-validation')),
      noise: Number(select('nl-noise')),
      dataSeed,
    };
  }

  /** The sliders' values beside their labels. */
  function showSliderValues(): void {
    byId('nl-noise-value').textContent = select('nl-noise');
    byId('nl-samples-value').textContent = select('nl-samples');
    byId('nl-validation-value').textContent = `${Math.round(Number(select('nl-validation')) * 100)}%`;
  }

  /** With no hidden layer there is no hidden activation to choose. */
  function showActivation(): void {
    const none = clampInt(layersInput.value, 0, 6, 2) === 0;
    byId('nl-activation-label').hidden = none;
    byId('nl-activation').hidden = none;
  }

  function showNeuronInfo(): void {
    const data = job.data;
    const last = job.last;
    if (!selected || !data || !last) return;
    info.textContent = describeNeuron(data, last, selected.layer, selected.unit, select('nl-activation'));
    if (!pinned) return;
    const { weights, bias } = neuronParams(data, last, selected.layer, selected.unit);
    const fields = editor.querySelectorAll<HTMLInputElement>('input');
    if (fields.length !== weights.length + 1) return;
    // keep what the learner is typing
    [...weights, bias].forEach((v, i) => {
      if (document.activeElement !== fields[i]) fields[i].value = v.toFixed(2);
    });
  }

  /** Number fields for the pinned neuron's weights and bias; a change sets them in the worker's network. */
  function renderEditor(): void {
    const data = job.data;
    const last = job.last;
    editor.replaceChildren();
    editor.hidden = !(pinned && selected && data && last);
    if (!selected || !data || !last || !pinned) return;
    const { layer, unit } = selected;
    const { weights, bias } = neuronParams(data, last, layer, unit);
    const names = [...weights.map((_, j) => `w from ${inputName(layer, j)}`), 'bias'];
    [...weights, bias].forEach((v, i) => {
      const label = document.createElement('label');
      label.textContent = `${names[i]} `;
      const input = document.createElement('input');
      Object.assign(input, { type: 'number', step: '0.1', value: v.toFixed(2), inputMode: 'decimal' });
      input.id = i < weights.length ? `nl-edit-w${i + 1}` : 'nl-edit-bias';
      label.append(input);
      editor.append(label);
    });
  }

  const redraw = frameScheduler(() => {
    const data = job.data;
    if (!data) return;
    const last = job.last;
    const line = loneNeuronLine(data, last);
    const drawn = drawPlane(boundary, data, last?.boundary ?? null, last?.channels ?? 1, {
      slot: 'nl-plane',
      discretize: discretize.checked,
      contour: true,
      line: line ?? undefined,
    });
    boundary.dataset.contourSegments = String(drawn.contourSegments);
    boundary.dataset.line = String(drawn.lineDrawn);
    const lineText = byId('nl-line');
    lineText.hidden = !line;
    if (line) lineText.textContent = `Dashed: the neuron's line ${formatLine(line)} = 0, where its output is ${data.task === 'regression' ? '0' : 'p = 0.5'}.`;
    const h = job.history;
    lineChart(
      loss,
      h.epochs,
      [
        { label: 'training', color: '#1f6fb2', ys: h.trainLoss },
        { label: 'validation', color: '#c75f0f', dash: [5, 4], ys: h.valLoss },
      ],
      { xLabel: 'epoch', yLabel: 'loss', height: window.innerWidth <= 600 ? 200 : Math.round(Math.min(boundary.clientWidth, 320)) },
    );
    boxes = drawNetwork(network, data, last);
    // where the neurons are, for tests and tools that point at one
    network.dataset.neurons = JSON.stringify(boxes.map((b) => [b.layer, b.unit, Math.round(b.x), Math.round(b.y), Math.round(b.size)]));
  });

  const job = new TrainingJob({
    onData(data) {
      const regression = data.task === 'regression';
      byId('nl-boundary-caption').textContent = regression
        ? "The network's output over the plane, on the colour scale below; dots are the targets."
        : data.classes > 2
          ? 'The most likely class over the plane; paler where the network is unsure.'
          : 'P(blue class) over the plane: blue above 0.5, orange below; the black curve is p = 0.5, the decision boundary.';
      byId('nl-scale').hidden = !regression;
      boundary.dataset.points = `${data.yTrain.length} training, ${data.yVal.length} validation`;
      byId('nl-head').textContent = headText(data);
      redraw();
    },
    onProgress(p) {
      byId('nl-epoch').textContent = String(p.epoch);
      byId('nl-train-loss').textContent = formatNumber(p.trainLoss);
      byId('nl-val-loss').textContent = formatNumber(p.valLoss);
      byId('nl-train-acc').textContent = formatPercent(p.trainAccuracy);
      byId('nl-val-acc').textContent = formatPercent(p.valAccuracy);
      const regularised = Number(select('nl-dropout')) > 0 || Number(select('nl-l1')) > 0 || Number(select('nl-l2')) > 0;
      byId('nl-objective-stat').hidden = !regularised;
      byId('nl-objective').textContent = formatNumber(p.objective);
      showOverfitting(byId('nl-overfit'), job.history);
      showDeadNetwork(byId('nl-dead'), p, select('nl-activation'));
      showNeuronInfo();
      const acc = p.trainAccuracy === null ? '' : `, training accuracy ${formatPercent(p.trainAccuracy)}`;
      boundary.setAttribute('aria-label', `Decision boundary after ${p.epoch} epochs${acc}`);
      const h = job.history;
      const end = h.epochs.length - 1;
      loss.setAttribute(
        'aria-label',
        `Loss (y axis) against epoch (x axis): training ${formatNumber(h.trainLoss[end])}, validation ${formatNumber(h.valLoss[end])} at epoch ${h.epochs[end]}`,
      );
      if (!job.running && p.epoch > 0) setStatus(status, `Paused at epoch ${p.epoch}`);
      else if (job.running) setStatus(status, `Training at learning rate ${p.learningRate}…`);
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
    pinned = false;
    editor.hidden = true;
    editor.replaceChildren();
    clearReadouts(['nl-epoch', 'nl-train-loss', 'nl-val-loss', 'nl-train-acc', 'nl-val-acc', 'nl-objective']);
    byId('nl-overfit').hidden = true;
    byId('nl-dead').hidden = true;
    selected = null;
    info.textContent = '';
    showActivation();
    job.reset(config());
    share();
  }

  /** The setup into the address bar, so that the page's link restores it. */
  function share(): string {
    const state: SetupState = { units, seed, dataSeed };
    return saveSetup(state, clampInt(layersInput.value, 0, 6, 2));
  }

  form.addEventListener('submit', (e) => e.preventDefault());
  form.addEventListener('input', showSliderValues);
  form.addEventListener('change', (event) => {
    const target = event.target as HTMLInputElement;
    if (target.id === 'nl-lr') {
      // live, as in TF Playground: the same network trains on with the new step size
      job.setLearningRate(Number(target.value));
      share();
      return;
    }
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
  byId('nl-regenerate').addEventListener('click', () => {
    dataSeed++;
    reset();
  });
  // the data-set choice sits above the plots, outside the form, where the thumb is on a phone
  byId('nl-dataset').addEventListener('change', reset);
  discretize.addEventListener('change', () => {
    redraw();
    share();
  });
  byId('nl-copy-link').addEventListener('click', () => {
    const url = share();
    const done = () => setStatus(status, 'Link copied: it restores this setup.');
    const show = () => setStatus(status, `Copy this link: ${url}`);
    if (navigator.clipboard) navigator.clipboard.writeText(url).then(done, show);
    else show();
  });
  const pick = (event: PointerEvent, pin: boolean) => {
    if (pinned && !pin) return;
    const hit = boxes.find(
      (b) => b.layer > 0 && event.offsetX >= b.x - 4 && event.offsetX <= b.x + b.size + 4 && event.offsetY >= b.y - 4 && event.offsetY <= b.y + b.size + 4,
    );
    if (!hit) return;
    selected = { layer: hit.layer, unit: hit.unit };
    if (pin) {
      pinned = true;
      renderEditor();
    }
    showNeuronInfo();
  };
  network.addEventListener('pointermove', (e) => pick(e, false));
  network.addEventListener('pointerdown', (e) => pick(e, true));
  editor.addEventListener('change', () => {
    if (!selected) return;
    const values = [...editor.querySelectorAll<HTMLInputElement>('input')].map((f) => Number(f.value));
    if (!values.every(Number.isFinite)) return;
    job.setNeuron(selected.layer - 1, selected.unit, values.slice(0, -1), values[values.length - 1]);
  });
  trainButton.addEventListener('click', () => (job.running ? job.stop() : job.train()));
  stepButton.addEventListener('click', () => job.step());
  byId('nl-reset').addEventListener('click', reset);
  onResize([boundary, network], redraw);

  renderUnitInputs();
  showSliderValues();
  reset();
}

/** The output layer and its loss, which the page picks from the task. */
function headText(data: DataMessage): string {
  const out = data.layerSizes[data.layerSizes.length - 1];
  if (data.task === 'regression') return 'Output: 1 linear neuron (no activation); loss: mean squared error.';
  if (out > 1) return `Output: ${out} softmax neurons, one per class, drawn in the class colours; loss: categorical cross-entropy.`;
  return 'Output: 1 sigmoid neuron, P(blue class); loss: binary cross-entropy.';
}

/** With no hidden layer and one output neuron, that neuron's line w1·x1 + w2·x2 + b = 0. */
function loneNeuronLine(data: DataMessage, last: ProgressMessage | null): { w1: number; w2: number; b: number } | null {
  if (!last || data.layerSizes.length !== 2 || data.layerSizes[1] !== 1) return null;
  return { w1: last.kernels[0][0], w2: last.kernels[0][1], b: last.biases[0][0] };
}

function formatLine({ w1, w2, b }: { w1: number; w2: number; b: number }): string {
  const term = (v: number, name: string, first: boolean) => `${v < 0 ? (first ? '−' : ' − ') : first ? '' : ' + '}${formatNumber(Math.abs(v))}${name}`;
  return `${term(w1, '·x1', true)}${term(w2, '·x2', false)}${term(b, '', false)}`;
}

/** The name of input `j` of a neuron in `layer` (1 = the first Dense layer): x1, x2, or h<layer>.<unit>. */
function inputName(layer: number, j: number): string {
  return layer === 1 ? `x${j + 1}` : `h${layer - 1}.${j + 1}`;
}

/** A neuron's incoming weights and its bias, from the last report. */
function neuronParams(data: DataMessage, last: ProgressMessage, layer: number, unit: number): { weights: number[]; bias: number } {
  const nIn = data.layerSizes[layer - 1];
  const nOut = data.layerSizes[layer];
  const kernel = last.kernels[layer - 1];
  return { weights: Array.from({ length: nIn }, (_, j) => kernel[j * nOut + unit]), bias: last.biases[layer - 1][unit] };
}

/** A neuron's weighted sum with its current weights and bias, and its activation. */
function describeNeuron(data: DataMessage, last: ProgressMessage, layer: number, unit: number, activation: string): string {
  const sizes = data.layerSizes;
  const nOut = sizes[layer];
  const output = layer === sizes.length - 1;
  const { weights, bias } = neuronParams(data, last, layer, unit);
  const signed = (v: number, first: boolean) => `${v < 0 ? (first ? '−' : ' − ') : first ? '' : ' + '}${formatNumber(Math.abs(v))}`;
  const terms = weights.map((w, j) => `${signed(w, j === 0)}·${inputName(layer, j)}`);
  const act = output ? (data.task === 'regression' ? 'linear' : nOut > 1 ? 'softmax' : 'sigmoid') : activation;
  const name = output ? `Output neuron ${unit + 1}` : `Hidden layer ${layer}, neuron ${unit + 1}`;
  return `${name}: z = ${terms.join('')}${signed(bias, false)} (bias); output ${act}(z).`;
}

/**
 * The epoch since which validation loss has risen while training loss fell, or null. Validation loss must
 * sit clearly above its lowest point (averaged over the last few epochs, so one noisy epoch does not count).
 */
export function overfittingSince(h: History): number | null {
  const n = h.valLoss.length;
  if (n < 30) return null;
  let best = 0;
  for (let i = 1; i < n; i++) if (h.valLoss[i] < h.valLoss[best]) best = i;
  if (n - best < 10) return null;
  const recent = (ys: number[]) => ys.slice(n - 5).reduce((a, b) => a + b, 0) / 5;
  const valNow = recent(h.valLoss);
  const trainNow = recent(h.trainLoss);
  return valNow > h.valLoss[best] * 1.1 + 0.01 && trainNow < h.trainLoss[best] ? h.epochs[best] : null;
}

function showOverfitting(el: HTMLElement, h: History): void {
  const since = overfittingSince(h);
  el.hidden = since === null;
  if (since !== null)
    el.textContent = `Overfitting: validation loss has risen since epoch ${since} while training loss keeps falling. Try L2, L1 or dropout, more points, less noise or a smaller network.`;
}

/** A hidden layer whose every neuron outputs 0 over the whole plane passes nothing on: the network is dead. */
function showDeadNetwork(el: HTMLElement, p: ProgressMessage, activation: string): void {
  const maps = p.neurons;
  let dead = -1;
  if (maps && p.epoch > 0) {
    for (let l = 0; l < maps.length - 1 && dead < 0; l++) if (maps[l].every((unit) => unit.every((v) => Math.abs(v) < 1e-6))) dead = l;
  }
  el.hidden = dead < 0;
  if (dead >= 0)
    el.textContent = `Every neuron of hidden layer ${dead + 1} outputs 0 everywhere${activation === 'relu' ? ': its ReLUs have died' : ''}. No gradient flows through a flat layer, so the loss stays put (about 0.69 = ln 2 on two classes). Lower the learning rate, choose He normal initial weights, or use leaky ReLU or ELU, which are never flat; then press Reset.`;
}

function clampInt(value: string, min: number, max: number, fallback: number): number {
  const n = Math.round(Number(value));
  return Number.isFinite(n) && value.trim() !== '' ? Math.max(min, Math.min(max, n)) : fallback;
}
