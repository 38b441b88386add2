// The "Changing resolution" section's trained upsampler: an MNIST test digit shrunk to 14×14 (2×2 averages) and
// brought back to 28×28 by UpSampling2D (nearest, bilinear) and by a small model trained for it
// (web/public/models/mnist-upsampler/, made by web/scripts/train-upsampler.ts), each with its mean squared error
// against the original.
import * as dd from 'dendrite';
import { el } from '../card.js';

const MODEL_URL = './models/mnist-upsampler/model.json';
const SAMPLES_URL = './data/mnist-samples.json';
const SIDE = 28;

type View = 'original' | 'small' | 'nearest' | 'bilinear' | 'model';
const LABELS: Record<View, string> = {
  original: 'The original, 28×28',
  small: 'Its 2×2 averages, 14×14: the input',
  nearest: 'UpSampling2D(2, nearest)',
  bilinear: 'UpSampling2D(2, bilinear)',
  model: 'The trained model',
};

/** Mean squared error of two equally long arrays. */
function mse(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] - b[i]) ** 2;
  return sum / a.length;
}

async function fetchModel(): Promise<dd.Sequential> {
  const response = await fetch(MODEL_URL);
  if (!response.ok) throw new Error(`${MODEL_URL}: HTTP ${response.status}`);
  const json = (await response.json()) as { weightsManifest: { paths: string[] }[] };
  const parts: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    for (const p of group.paths) {
      const r = await fetch(new URL(p, new URL(MODEL_URL, location.href)));
      if (!r.ok) throw new Error(`${p}: HTTP ${r.status}`);
      parts.push(new Uint8Array(await r.arrayBuffer()));
    }
  }
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    bytes.set(p, offset);
    offset += p.length;
  }
  return dd.modelFromArtifacts(json, bytes) as dd.Sequential;
}

/** The box: digit buttons, five pictures with their errors, and a line comparing them. */
export function setupRestore(): HTMLElement {
  const box = el('div', 'restore');
  box.id = 'res-restore';
  const title = el('h3', '', 'A trained model brings resolution back');
  const text = el(
    'p',
    '',
    'Upsampling alone cannot restore what shrinking averaged away. A small model can learn what digits look like: bilinear upsampling, then three 3×3 convolutions (16, 16 and 1 filters) trained on 20,000 MNIST training digits to output the 28×28 original from its 14×14 version. Below, MNIST test digits it never saw; the error is the mean squared difference from the original, pixel values 0 to 1.',
  );
  const picks = el('div', 'examples');
  picks.setAttribute('role', 'group');
  picks.setAttribute('aria-label', 'Pick an MNIST test digit to shrink and restore');
  picks.append(el('span', 'examples-label', 'MNIST digits:'));
  const buttons = el('span', 'digit-picks');
  picks.append(buttons);
  const row = el('div', 'figure-row');
  const views = new Map<View, { canvas: HTMLCanvasElement; caption: HTMLElement }>();
  for (const name of Object.keys(LABELS) as View[]) {
    const figure = el('figure', 'picture-figure');
    const canvas = el('canvas', 'picture');
    canvas.id = `res-mnist-${name}`;
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', LABELS[name]);
    const caption = el('figcaption');
    caption.id = `res-mnist-${name}-caption`;
    caption.textContent = LABELS[name];
    figure.append(canvas, caption);
    row.append(figure);
    views.set(name, { canvas, caption });
  }
  const summary = el('p', 'hint');
  summary.id = 'res-restore-summary';
  summary.setAttribute('aria-live', 'polite');
  box.append(title, text, picks, row, summary);

  const shrink = dd.layers.averagePooling2d({ poolSize: 2 });
  const nearest = dd.layers.upSampling2d({ size: 2, interpolation: 'nearest' });
  const bilinear = dd.layers.upSampling2d({ size: 2, interpolation: 'bilinear' });
  let model: dd.Sequential | null = null;

  function show(pixels: Float32Array): void {
    if (!model) return;
    const net = model;
    const out = dd.noGrad(() => {
      const x = dd.tensor(pixels, [1, SIDE, SIDE, 1]);
      const small = shrink.apply(x);
      return {
        original: pixels,
        small: small.dataSync().slice(),
        nearest: nearest.apply(small).dataSync().slice(),
        bilinear: bilinear.apply(small).dataSync().slice(),
        model: net.predict(small).dataSync().slice(),
      };
    });
    const errors: Partial<Record<View, number>> = {};
    for (const [name, v] of views) {
      const values = out[name];
      const side = name === 'small' ? SIDE / 2 : SIDE;
      paint(v.canvas, side, values);
      if (name === 'original' || name === 'small') continue;
      const error = mse(values, pixels);
      errors[name] = error;
      v.canvas.dataset.mse = String(error);
      v.caption.textContent = `${LABELS[name]}: error ${error.toFixed(4)}`;
    }
    box.dataset.mseNearest = String(errors.nearest);
    box.dataset.mseBilinear = String(errors.bilinear);
    box.dataset.mseModel = String(errors.model);
    summary.textContent = `Mean squared error against the original: nearest ${errors.nearest!.toFixed(4)}, bilinear ${errors.bilinear!.toFixed(4)}, the trained model ${errors.model!.toFixed(4)} (${(errors.bilinear! / errors.model!).toFixed(1)} times lower than bilinear). It sharpens strokes it has learned to expect; it cannot know detail that the 14×14 picture lost.`;
  }

  void (async () => {
    try {
      const [loaded, response] = await Promise.all([fetchModel(), fetch(SAMPLES_URL)]);
      model = loaded;
      if (!response.ok) throw new Error(`${SAMPLES_URL}: HTTP ${response.status}`);
      const samples = (await response.json()) as { digit: number; pixels: string }[];
      for (const s of samples) {
        const b = el('button', '', String(s.digit));
        b.type = 'button';
        b.setAttribute('aria-label', `Shrink and restore an MNIST ${s.digit}`);
        const values = Float32Array.from(atob(s.pixels), (ch) => ch.charCodeAt(0) / 255);
        b.addEventListener('click', () => show(values));
        buttons.append(b);
      }
      const first = samples.find((s) => s.digit === 2) ?? samples[0];
      if (first) show(Float32Array.from(atob(first.pixels), (ch) => ch.charCodeAt(0) / 255));
    } catch (error) {
      summary.textContent = `The upsampling model could not be loaded: ${(error as Error).message}`;
      summary.classList.add('error');
    }
  })();
  return box;
}

/** Grey pixels, white ink on black as MNIST, one canvas pixel per image pixel. */
function paint(canvas: HTMLCanvasElement, side: number, values: ArrayLike<number>): void {
  canvas.width = side;
  canvas.height = side;
  const g = canvas.getContext('2d')!;
  const img = g.createImageData(side, side);
  for (let i = 0; i < side * side; i++) {
    const v = Math.round(Math.max(0, Math.min(1, values[i])) * 255);
    img.data.set([v, v, v, 255], 4 * i);
  }
  g.putImageData(img, 0, 0);
}
