// "28×28 = 784": a digit image laid out row after row as the 784 inputs a Dense layer receives, beside a
// Conv2D that keeps it an image. The vector is dendrite's own Flatten output; the shapes and parameter counts
// are those of dendrite layers built on this input.
import * as dd from 'dendrite';
import { addCard, el } from '../card.js';
import { SIDE } from '../digit.js';
import { setupDenseVsCnn } from './dense-vs-cnn.js';

const SAMPLES_URL = './data/mnist-samples.json';
const N = SIDE * SIDE;

export function setupFlatten(): void {
  const card = addCard({
    id: 'flatten',
    title: '28×28 = 784: an image as a vector',
    lead: 'A Dense layer takes a list of numbers, not a picture. Flatten lays the 28 rows of the image end to end: row 0 becomes inputs 0 to 27, row 1 inputs 28 to 55, and pixel (row r, column c) input r·28 + c. Every Dense neuron then has one weight per pixel and no idea which pixels are neighbours. A convolutional layer keeps the image: each filter looks at a small neighbourhood and reuses the same few weights everywhere. Pick a digit (or draw one in the CNN section) and tap a pixel.',
    before: null,
  });
  const examples = el('div', 'examples');
  examples.setAttribute('role', 'group');
  examples.setAttribute('aria-label', 'Pick an MNIST digit for the vector');
  examples.append(el('span', 'examples-label', 'MNIST digits:'));
  const buttons = el('span', 'digit-picks');
  examples.append(buttons);

  const image = el('canvas', 'picture');
  image.id = 'fl-image';
  image.width = SIDE;
  image.height = SIDE;
  image.tabIndex = 0;
  image.setAttribute('role', 'img');
  image.setAttribute('aria-label', 'The 28 by 28 image: tap a pixel to find it in the vector');
  const imageFigure = el('figure');
  imageFigure.append(image, el('figcaption', '', 'The image, 28×28×1'));

  const strip = el('canvas', 'vector-strip');
  strip.id = 'fl-vector';
  strip.width = N;
  strip.height = 1;
  strip.setAttribute('role', 'img');
  const where = el('p', 'hint');
  where.id = 'fl-where';
  where.setAttribute('aria-live', 'polite');
  const zoom = el('canvas', 'vector-strip zoom');
  zoom.id = 'fl-row';
  zoom.width = SIDE;
  zoom.height = 1;
  zoom.setAttribute('role', 'img');
  const zoomCaption = el('figcaption');
  zoomCaption.id = 'fl-row-caption';
  const stripFigure = el('figure', 'wide');
  const stripCaption = el('figcaption');
  stripCaption.id = 'fl-vector-caption';
  stripFigure.append(strip, stripCaption, zoom, zoomCaption, where);

  const compare = el('div', 'compare-two');
  const dense = el('div');
  dense.id = 'fl-dense';
  const conv = el('div');
  conv.id = 'fl-conv';
  compare.append(dense, conv);
  const row = el('div', 'figure-row');
  row.append(imageFigure, stripFigure);
  stripFigure.style.flex = '1 1 300px';
  card.append(examples, row, compare, setupDenseVsCnn());

  // the two ways in, as dendrite layers on this input shape
  const flatten = dd.layers.flatten();
  const denseLayer = dd.layers.dense({ units: 128, activation: 'relu' });
  const convLayer = dd.layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu' });
  /** The image as given, and the Flatten output that the vector shows. */
  let imagePixels: ArrayLike<number> = new Float32Array(N);
  let pixels: ArrayLike<number> = new Float32Array(N);
  let selected = 14 * SIDE + 14;

  function show(values: Float32Array): void {
    const { vector, denseOut, convOut } = dd.noGrad(() => {
      const x = dd.tensor(values, [1, SIDE, SIDE, 1]);
      const v = flatten.apply(x);
      return { vector: v, denseOut: denseLayer.apply(v), convOut: convLayer.apply(x) };
    });
    const flat = vector.dataSync();
    strip.dataset.cells = String(flat.length);
    strip.setAttribute('aria-label', `The same pixels as one vector of ${flat.length} inputs, row 0 first`);
    stripCaption.textContent = `Flatten: [1, 28, 28, 1] → [${vector.shape.join(', ')}], ${flat.length} inputs, row 0 on the left, row 27 on the right.`;
    dense.innerHTML = '';
    dense.append(
      el('h3', '', 'Dense: the image as 784 inputs'),
      el(
        'p',
        '',
        `Dense(128) on [${vector.shape.join(', ')}] gives [${denseOut.shape.join(', ')}]: every neuron has 784 weights and a bias, ${denseLayer.countParams().toLocaleString('en')} parameters in all. Shuffle the pixels (the same way for every image) and it learns just as well: it never knew where they were.`,
      ),
    );
    conv.innerHTML = '';
    conv.append(
      el('h3', '', 'CNN: the image stays an image'),
      el(
        'p',
        '',
        `Conv2D(8 filters, 3×3) on [1, 28, 28, 1] gives [${convOut.shape.join(', ')}]: 8 maps that are still images, from only ${convLayer.countParams()} parameters (8 × (3·3 + 1)), because each filter is reused at every position and sees only neighbours.`,
      ),
    );
    dense.querySelector('p')!.id = 'fl-dense-text';
    conv.querySelector('p')!.id = 'fl-conv-text';
    imagePixels = values;
    pixels = flat;
    select(selected);
  }

  function select(i: number): void {
    selected = i;
    const r = Math.floor(i / SIDE);
    const c = i % SIDE;
    where.dataset.index = String(i);
    where.dataset.value = String(pixels[i]);
    where.textContent = `Pixel (row ${r}, column ${c}) = ${pixels[i].toFixed(2)} is input ${r} · 28 + ${c} = ${i} of the vector (marked in orange).`;
    paint(strip, N, 1, pixels, i);
    paint(
      zoom,
      SIDE,
      1,
      Array.from({ length: SIDE }, (_, k) => pixels[r * SIDE + k]),
      c,
    );
    zoomCaption.textContent = `Zoomed in: inputs ${r * SIDE} to ${r * SIDE + SIDE - 1} of the vector, which are row ${r} of the image.`;
    zoom.setAttribute('aria-label', zoomCaption.textContent);
    paint(image, SIDE, SIDE, imagePixels, i);
  }

  image.addEventListener('click', (e) => {
    const rect = image.getBoundingClientRect();
    const c = Math.min(SIDE - 1, Math.floor(((e.clientX - rect.left) / rect.width) * SIDE));
    const r = Math.min(SIDE - 1, Math.floor(((e.clientY - rect.top) / rect.height) * SIDE));
    select(r * SIDE + c);
  });
  image.addEventListener('keydown', (e) => {
    const moves: Record<string, number> = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -SIDE, ArrowDown: SIDE };
    if (!(e.key in moves)) return;
    e.preventDefault();
    select(Math.min(N - 1, Math.max(0, selected + moves[e.key])));
  });
  // the CNN section's current digit (drawn or loaded)
  document.addEventListener('playground:digit', (e) => {
    const values = (e as CustomEvent<Float32Array | null>).detail;
    if (values) show(values);
  });

  void (async () => {
    try {
      const response = await fetch(SAMPLES_URL);
      if (!response.ok) return;
      const samples = (await response.json()) as { digit: number; pixels: string }[];
      for (const s of samples) {
        const b = el('button', '', String(s.digit));
        b.type = 'button';
        b.setAttribute('aria-label', `Show an MNIST ${s.digit} as a vector`);
        const values = Float32Array.from(atob(s.pixels), (ch) => ch.charCodeAt(0) / 255);
        b.addEventListener('click', () => show(values));
        buttons.append(b);
      }
      const first = samples.find((s) => s.digit === 3) ?? samples[0];
      if (first) show(Float32Array.from(atob(first.pixels), (ch) => ch.charCodeAt(0) / 255));
    } catch {
      // without the examples the section still follows the CNN section's drawing
    }
  })();
  show(new Float32Array(N));
}

/** Grey pixels (white ink on black, as MNIST), with one cell marked in orange. */
function paint(canvas: HTMLCanvasElement, w: number, h: number, values: ArrayLike<number>, mark = -1): void {
  const g = canvas.getContext('2d')!;
  const img = g.createImageData(w, h);
  for (let i = 0; i < w * h; i++) {
    const v = Math.round(Math.max(0, Math.min(1, values[i])) * 255);
    img.data.set(i === mark ? [230, 126, 34, 255] : [v, v, v, 255], 4 * i);
  }
  g.putImageData(img, 0, 0);
}
