// "Changing resolution": a small picture made larger by dendrite's UpSampling2D (nearest and bilinear) and by a
// Conv2DTranspose whose kernel the learner picks (a stamp, a tent, or untrained random weights).
import * as dd from 'dendrite';
import { addCard, el } from '../card.js';
import { setupRestore } from './resolution-model.js';

/** An 8x8 picture: sky, a yellow face, dark outline. */
const ART = ['..####..', '.#yyyy#.', '#y#yy#y#', '#yyyyyy#', '#y#yy#y#', '#yy##yy#', '.#yyyy#.', '..####..'];
const PALETTE: Record<string, [number, number, number]> = { '.': [0.55, 0.78, 0.95], '#': [0.12, 0.16, 0.22], y: [0.98, 0.8, 0.2] };
const SIDE = ART.length;

type KernelKind = 'stamp' | 'tent' | 'random';
const KERNELS: Record<KernelKind, string> = {
  stamp: 'a stamp (f×f ones): each input pixel prints one f×f block, exactly nearest',
  tent: 'a tent ((2f−1)×(2f−1), 1 at the centre falling to 0): overlapping stamps blend, close to bilinear',
  random: 'random weights, as before training: blotches and checkerboards',
};

function picture(): dd.Tensor {
  const values = ART.flatMap((row) => [...row].flatMap((ch) => PALETTE[ch]));
  return dd.tensor(values, [1, SIDE, SIDE, 3]);
}

/** A kernel [k, k, 3 out, 3 in] that treats each colour channel alone. */
function kernel(kind: KernelKind, f: number): { size: number; values: Float32Array } {
  const size = kind === 'stamp' ? f : 2 * f - 1;
  const values = new Float32Array(size * size * 9);
  let seed = 17;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const tent = (1 - Math.abs(y - (f - 1)) / f) * (1 - Math.abs(x - (f - 1)) / f);
      for (let c = 0; c < 3; c++) {
        const w = kind === 'stamp' ? 1 : kind === 'tent' ? tent : (random() * 2) / f;
        values[((y * size + x) * 3 + c) * 3 + c] = w;
      }
    }
  }
  return { size, values };
}

export function setupResolution(): void {
  const card = addCard({
    id: 'resolution',
    title: 'Changing resolution: upsampling and transposed convolution',
    lead: 'Decoders, autoencoders and U-Nets must make images larger again. <strong>UpSampling2D</strong> with <em>nearest</em> repeats each pixel f×f times (blocky); with <em>bilinear</em> it blends neighbours (smooth). Neither has weights. A <strong>transposed convolution</strong> (Conv2DTranspose, strides f) has: each input pixel stamps a copy of its kernel onto the larger output, so training chooses how to fill the gaps. Pick a factor and a kernel; all four pictures are computed by dendrite layers.',
    before: null,
  });
  const form = el('div', 'toolbar');
  const factorLabel = el('label', 'inline-label', 'Factor ');
  const factor = el('select');
  factor.id = 'res-factor';
  for (const f of ['2', '3', '4']) factor.append(new Option(`${f}×`, f, f === '2', f === '2'));
  factorLabel.append(factor);
  const kernelLabel = el('label', 'inline-label', 'Transposed-convolution kernel ');
  const kernelSelect = el('select');
  kernelSelect.id = 'res-kernel';
  for (const k of Object.keys(KERNELS)) kernelSelect.append(new Option(k, k, k === 'tent', k === 'tent'));
  kernelLabel.append(kernelSelect);
  form.append(factorLabel, kernelLabel);
  const row = el('div', 'figure-row');
  const views = (['input', 'nearest', 'bilinear', 'transpose'] as const).map((name) => {
    const figure = el('figure', 'picture-figure');
    const canvas = el('canvas', 'picture');
    canvas.id = `res-${name}`;
    canvas.setAttribute('role', 'img');
    const caption = el('figcaption');
    caption.id = `res-${name}-caption`;
    figure.append(canvas, caption);
    row.append(figure);
    return { name, canvas, caption };
  });
  const note = el('p', 'hint');
  note.id = 'res-note';
  card.append(form, row, note, setupRestore());

  const x = picture();

  function render(): void {
    const f = Number(factor.value);
    const kind = kernelSelect.value as KernelKind;
    const k = kernel(kind, f);
    const transpose = dd.layers.conv2dTranspose({ filters: 3, kernelSize: k.size, strides: f, padding: 'same', useBias: false });
    const outputs = dd.noGrad(() => {
      transpose.apply(x); // builds the kernel variable, then it is replaced by the chosen one
      transpose.setWeights([dd.tensor(k.values, [k.size, k.size, 3, 3])]);
      return {
        input: x,
        nearest: dd.layers.upSampling2d({ size: f, interpolation: 'nearest' }).apply(x),
        bilinear: dd.layers.upSampling2d({ size: f, interpolation: 'bilinear' }).apply(x),
        transpose: transpose.apply(x),
      };
    });
    const labels = {
      input: 'The picture',
      nearest: `UpSampling2D(${f}, nearest)`,
      bilinear: `UpSampling2D(${f}, bilinear)`,
      transpose: `Conv2DTranspose(3, ${k.size}×${k.size}, strides ${f}), ${k.size * k.size * 9} weights`,
    };
    for (const v of views) {
      const out = outputs[v.name];
      const [, h, w] = out.shape;
      paint(v.canvas, w, h, out.dataSync());
      v.canvas.setAttribute('aria-label', `${labels[v.name]}: ${w} by ${h} pixels`);
      v.caption.textContent = `${labels[v.name]}: ${h}×${w}`;
      v.caption.dataset.shape = out.shape.join(',');
    }
    note.textContent = `Kernel: ${KERNELS[kind]}. ${SIDE}×${SIDE} pixels become ${SIDE * f}×${SIDE * f}: ${f * f} times as many, and no new detail; only a trained model (a decoder, as below) can add plausible detail.`;
  }
  factor.addEventListener('change', render);
  kernelSelect.addEventListener('change', render);
  render();
}

/** RGB values in [0, 1] (clipped) onto the canvas, one canvas pixel per image pixel. */
function paint(canvas: HTMLCanvasElement, w: number, h: number, values: ArrayLike<number>): void {
  canvas.width = w;
  canvas.height = h;
  const g = canvas.getContext('2d')!;
  const img = g.createImageData(w, h);
  for (let i = 0; i < w * h; i++) {
    for (let c = 0; c < 3; c++) img.data[4 * i + c] = Math.round(Math.max(0, Math.min(1, values[3 * i + c])) * 255);
    img.data[4 * i + 3] = 255;
  }
  g.putImageData(img, 0, 0);
}
