// "Output layers": the same binary task ending in 1 sigmoid neuron or in 2 softmax neurons.
import { fitCanvas, formatNumber, formatPercent } from '../draw/canvas.js';
import { drawNetwork } from '../draw/network.js';
import { drawPlane } from '../draw/plane.js';
import { TrainingJob } from '../job.js';
import type { DatasetName, JobConfig, OutputHead, ProgressMessage } from '../protocol.js';
import { byId, clearReadouts, frameScheduler, onResize, radioValue, setStatus, setTrainButton } from '../ui.js';

/** Both heads train this long, so their boundaries are compared at the same point. */
const EPOCHS = 300;

export function setupOutputs(): void {
  const form = byId<HTMLFormElement>('out-controls');
  const trainButton = byId<HTMLButtonElement>('out-train');
  const status = byId('out-status');
  const boundary = byId<HTMLCanvasElement>('out-boundary');
  const network = byId<HTMLCanvasElement>('out-network');
  const thumbs: Record<OutputHead, HTMLCanvasElement> = { sigmoid: byId('out-thumb-sigmoid'), softmax: byId('out-thumb-softmax') };
  const head = () => radioValue(form, 'head') as OutputHead;

  function config(): JobConfig {
    return {
      dataset: byId<HTMLSelectElement>('out-dataset').value as DatasetName,
      seed: 11,
      hidden: [8],
      activation: 'tanh',
      initializer: 'auto',
      output: head(),
      optimizer: 'adam',
      learningRate: 0.03,
      batchSize: 16,
      l2: 0,
      dropout: 0,
      grid: 50,
      neuronGrid: 20,
      gradients: false,
      samples: 200,
    };
  }

  const redraw = frameScheduler(() => {
    const data = job.data;
    if (!data) return;
    drawPlane(boundary, data, job.last?.boundary ?? null, 1, { slot: 'out-plane' });
    drawNetwork(network, data, job.last);
    if (job.last && job.last.epoch > 0) drawPlane(thumbs[head()], data, job.last.boundary, 1, { showValidation: false, slot: 'out-thumb' });
  });

  const job = new TrainingJob({
    onData() {
      byId('out-network-caption').textContent =
        head() === 'sigmoid'
          ? 'The output layer: one sigmoid neuron, P(class 1).'
          : 'The output layer: two softmax neurons, P(class 0) and P(class 1); they always sum to 1.';
      redraw();
    },
    onProgress(p) {
      byId('out-epoch').textContent = String(p.epoch);
      byId('out-loss').textContent = formatNumber(p.trainLoss);
      byId('out-acc').textContent = formatPercent(p.trainAccuracy);
      byId('out-equiv').textContent = head() === 'softmax' ? asSigmoid(p) : SIGMOID_AS_SOFTMAX;
      boundary.setAttribute(
        'aria-label',
        `Decision boundary with ${head() === 'sigmoid' ? '1 sigmoid neuron' : '2 softmax neurons'} after ${p.epoch} epochs, accuracy ${formatPercent(p.trainAccuracy)}`,
      );
      redraw();
    },
    onRunningChange(running) {
      setTrainButton(trainButton, running);
      const epoch = job.last?.epoch ?? 0;
      setStatus(status, running ? `Training ${EPOCHS} epochs…` : epoch >= EPOCHS ? `Done: ${EPOCHS} epochs` : epoch > 0 ? `Paused at epoch ${epoch}` : 'Ready');
    },
    onError(message) {
      setStatus(status, message, true);
    },
  });

  /** An empty thumbnail says so. */
  function blank(canvas: HTMLCanvasElement): void {
    const { ctx, width, height } = fitCanvas(canvas);
    ctx.fillStyle = '#f3f5f8';
    ctx.fillRect(0, 0, width, height);
    ctx.fillStyle = '#6b7280';
    ctx.font = '12px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText('not trained yet', width / 2, height / 2);
  }

  function reset(): void {
    setStatus(status, 'Ready');
    clearReadouts(['out-epoch', 'out-loss', 'out-acc']);
    job.reset(config());
  }

  form.addEventListener('submit', (e) => e.preventDefault());
  form.addEventListener('change', (event) => {
    // a new data set makes both last runs stale
    if ((event.target as HTMLElement).id === 'out-dataset') for (const c of Object.values(thumbs)) blank(c);
    reset();
  });
  trainButton.addEventListener('click', () => {
    if (job.running) return job.stop();
    if ((job.last?.epoch ?? 0) >= EPOCHS) reset();
    job.train(EPOCHS - (job.last?.epoch ?? 0));
  });
  byId('out-reset').addEventListener('click', reset);
  onResize([boundary, network], redraw);
  for (const c of Object.values(thumbs)) blank(c);
  reset();
  setupIdentity();
}

const SIGMOID_AS_SOFTMAX =
  'This sigmoid neuron, with its sum z, is the pair of softmax neurons whose first sum is always 0: softmax([0, z]) = [1 − σ(z), σ(z)].';

/**
 * The trained pair of softmax neurons as one sigmoid neuron: weights w1 − w0 and bias b1 − b0 on the hidden
 * layer's outputs, checked against the softmax's P(class 1) at every point of the neuron grid.
 */
function asSigmoid(p: ProgressMessage): string {
  const hidden = p.neurons?.[0];
  const softmax1 = p.neurons?.[1]?.[1];
  const kernel = p.kernels[1];
  const bias = p.biases[1];
  if (!hidden || !softmax1 || !kernel || !bias) return '';
  const w = hidden.map((_, j) => kernel[2 * j + 1] - kernel[2 * j]);
  const b = bias[1] - bias[0];
  let worst = 0;
  for (let i = 0; i < softmax1.length; i++) {
    let z = b;
    for (let j = 0; j < hidden.length; j++) z += w[j] * hidden[j][i];
    worst = Math.max(worst, Math.abs(1 / (1 + Math.exp(-z)) - softmax1[i]));
  }
  return (
    `These two softmax neurons are one sigmoid neuron with weights w1 − w0 = [${w.map((v) => formatNumber(v)).join(', ')}] and bias ` +
    `b1 − b0 = ${formatNumber(b)}: its σ equals the softmax's P(class 1) at all ${softmax1.length} points of the neuron maps ` +
    `(largest difference ${worst.toExponential(1)}, float32 rounding).`
  );
}

/** softmax([0, z]) beside 1 − σ(z) and σ(z), computed separately, for the z on the slider. */
function setupIdentity(): void {
  const slider = byId<HTMLInputElement>('out-z');
  const show = () => {
    const z = Number(slider.value);
    const sigma = 1 / (1 + Math.exp(-z));
    // softmax as it is defined, not through σ: exp of each entry over the sum of the exps
    const e0 = Math.exp(0);
    const e1 = Math.exp(z);
    const digits = (v: number) => v.toFixed(4);
    byId('out-z-value').textContent = z.toFixed(1);
    byId('out-sigma').textContent = digits(sigma);
    byId('out-one-minus').textContent = digits(1 - sigma);
    byId('out-softmax-0').textContent = digits(e0 / (e0 + e1));
    byId('out-softmax-1').textContent = digits(e1 / (e0 + e1));
  };
  slider.addEventListener('input', show);
  show();
}
