// "A CNN reads your digit": a drawing canvas, the MNIST-style 28x28 input, class probabilities and the
// feature maps of each convolutional layer. Inference on one image takes milliseconds, so it runs here.
import * as dd from 'dendrite';
import { drawImageIn, fitCanvas, formatPercent, valuesImage } from '../draw/canvas.js';
import { SIDE, toMnist } from '../digit.js';
import { byId } from '../ui.js';
import { activationView, addLayerBoxes, showFilters } from './cnn-layers.js';

const MODEL_URL = './models/mnist-cnn/model.json';
const SAMPLES_URL = './data/mnist-samples.json';
/** Stroke width on the 280x280 canvas: about 2 pixels once a digit is scaled into MNIST's 20x20 box. */
const STROKE = 22;

interface ModelJson {
  weightsManifest: { paths: string[] }[];
  modelTopology?: unknown;
}

export function setupCnn(): void {
  const draw = byId<HTMLCanvasElement>('cnn-draw');
  const input = byId<HTMLCanvasElement>('cnn-input');
  const prediction = byId<HTMLOutputElement>('cnn-prediction');
  const confidence = byId('cnn-confidence');
  const modelInfo = byId('cnn-model');
  const mapsBox = byId('cnn-maps');
  const { filtersBox, layersBox } = addLayerBoxes(byId('cnn'));
  const convView = activationView(mapsBox, (_, [, h, w, c]) => `${c} feature maps of ${h}×${w}, after ReLU (deeper blue = stronger)`);
  const layersView = activationView(layersBox, undefined, byId('cnn-layers-empty'));
  const ctx = draw.getContext('2d', { willReadFrequently: true })!;
  let model: dd.Model<dd.Tensor> | null = null;
  /** A loaded MNIST example, used as is (it is already 28x28) until the user draws over it. */
  let example: Float32Array | null = null;
  let image: Float32Array | null = null;

  const bars = buildBars(byId('cnn-bars'));
  clearCanvas();
  drawInput(null);

  // drawing with mouse, pen or finger
  let drawing = false;
  let last: [number, number] | null = null;
  let lastPredict = 0;
  const point = (e: PointerEvent): [number, number] => {
    const rect = draw.getBoundingClientRect();
    return [((e.clientX - rect.left) / rect.width) * draw.width, ((e.clientY - rect.top) / rect.height) * draw.height];
  };
  draw.addEventListener('pointerdown', (e) => {
    e.preventDefault();
    draw.setPointerCapture(e.pointerId);
    drawing = true;
    example = null;
    last = point(e);
    stroke(last, last);
  });
  draw.addEventListener('pointermove', (e) => {
    if (!drawing) return;
    const p = point(e);
    stroke(last!, p);
    last = p;
    // live feedback while drawing, a few times a second
    if (performance.now() - lastPredict > 120) predictFromCanvas();
  });
  const end = () => {
    if (!drawing) return;
    drawing = false;
    last = null;
    predictFromCanvas();
  };
  draw.addEventListener('pointerup', end);
  draw.addEventListener('pointercancel', end);
  draw.addEventListener('keydown', (e) => {
    if (e.key === 'Delete' || e.key === 'Backspace' || e.key === 'Escape') {
      e.preventDefault();
      clear();
    }
  });
  byId('cnn-clear').addEventListener('click', clear);

  function stroke(from: [number, number], to: [number, number]): void {
    ctx.strokeStyle = '#ffffff';
    ctx.lineWidth = STROKE;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(from[0], from[1]);
    ctx.lineTo(to[0], to[1]);
    ctx.stroke();
  }

  function clearCanvas(): void {
    ctx.fillStyle = '#000000';
    ctx.fillRect(0, 0, draw.width, draw.height);
  }

  function clear(): void {
    clearCanvas();
    example = null;
    image = null;
    drawInput(null);
    showPrediction(null);
    convView.clear();
    layersView.clear();
  }

  function predictFromCanvas(): void {
    lastPredict = performance.now();
    const pixels = ctx.getImageData(0, 0, draw.width, draw.height).data;
    const ink = new Float32Array(draw.width * draw.height);
    for (let i = 0; i < ink.length; i++) ink[i] = pixels[4 * i] / 255;
    image = example ?? toMnist(ink, draw.width, draw.height);
    drawInput(image);
    // other sections (28×28 = 784) follow the current digit
    document.dispatchEvent(new CustomEvent('playground:digit', { detail: image }));
    run();
  }

  function drawInput(values: Float32Array | null): void {
    const { ctx: c, width, height } = fitCanvas(input);
    c.fillStyle = '#000000';
    c.fillRect(0, 0, width, height);
    if (values)
      drawImageIn(
        c,
        valuesImage(SIDE, SIDE, (i) => [values[i] * 255, values[i] * 255, values[i] * 255], 'cnn-input'),
        0,
        0,
        width,
        height,
        'pixelated',
      );
  }

  function run(): void {
    if (!model) return;
    if (!image) {
      showPrediction(null);
      convView.clear();
      layersView.clear();
      return;
    }
    const flat = model.inputShape?.length === 2;
    const x = dd.tensor(image, flat ? [1, SIDE * SIDE] : [1, SIDE, SIDE, 1]);
    const activations = dd.noGrad(() => {
      const outs: { layer: dd.Layer; out: dd.Tensor }[] = [];
      let h = x;
      for (const layer of model!.layers) {
        h = layer.apply(h, { training: false });
        outs.push({ layer, out: h });
      }
      return outs;
    });
    showPrediction(activations[activations.length - 1].out.dataSync());
    showFeatureMaps(activations.filter((a) => a.layer.className === 'Conv2D'));
    layersView.show(activations.filter((a) => a.layer.className !== 'Conv2D' && a.layer.className !== 'InputLayer'));
  }

  function showPrediction(probs: Float32Array | null): void {
    let best = -1;
    if (probs) for (let d = 0; d < 10; d++) if (best < 0 || probs[d] > probs[best]) best = d;
    bars.forEach((row, d) => {
      const p = probs ? probs[d] : 0;
      row.fill.style.width = `${(p * 100).toFixed(1)}%`;
      row.value.textContent = probs ? formatPercent(p) : '';
      row.row.classList.toggle('top', d === best);
      row.row.setAttribute('aria-label', `digit ${d}: ${probs ? formatPercent(p) : 'no prediction'}`);
    });
    prediction.textContent = probs ? String(best) : '—';
    confidence.textContent = probs ? `${formatPercent(probs[best])} sure` : '';
  }

  function showFeatureMaps(convs: { layer: dd.Layer; out: dd.Tensor }[]): void {
    if (convs.length === 0) {
      const note = document.createElement('p');
      note.className = 'hint';
      note.textContent = 'This model has no convolutional layers, so there are no feature maps to show.';
      mapsBox.replaceChildren(note);
      return;
    }
    convView.show(convs);
  }

  async function loadModel(): Promise<void> {
    try {
      const response = await fetch(MODEL_URL);
      if (!response.ok) throw new Error(`${MODEL_URL}: HTTP ${response.status}`);
      const json = (await response.json()) as ModelJson;
      const paths = json.weightsManifest.flatMap((g) => g.paths);
      const parts = await Promise.all(
        paths.map(async (p) => {
          const r = await fetch(new URL(p, new URL(MODEL_URL, location.href)));
          if (!r.ok) throw new Error(`${p}: HTTP ${r.status}`);
          return new Uint8Array(await r.arrayBuffer());
        }),
      );
      const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let offset = 0;
      for (const p of parts) {
        bytes.set(p, offset);
        offset += p.length;
      }
      const loaded = dd.modelFromArtifacts(json, bytes);
      model = loaded;
      showFilters(filtersBox, loaded);
      const layers = loaded.layers.filter((l) => l.className !== 'InputLayer');
      modelInfo.textContent = `Model: ${layers.map((l) => l.name).join(' → ')} (${loaded.countParams().toLocaleString('en')} weights, trained by dendrite on MNIST).`;
      run();
    } catch (error) {
      modelInfo.textContent = `The model could not be loaded: ${(error as Error).message}`;
      modelInfo.classList.add('error');
    }
  }

  async function loadExamples(): Promise<void> {
    const box = byId('cnn-examples');
    try {
      const response = await fetch(SAMPLES_URL);
      if (!response.ok) return;
      const samples = (await response.json()) as { digit: number; pixels: string }[];
      for (const s of samples) {
        const button = document.createElement('button');
        button.type = 'button';
        button.textContent = String(s.digit);
        button.setAttribute('aria-label', `Load an MNIST test image of a ${s.digit}`);
        button.addEventListener('click', () => showExample(decode(s.pixels)));
        box.append(button);
      }
    } catch {
      // the examples are a convenience; drawing still works
    }
  }

  /** Puts a 28x28 MNIST image on the drawing canvas (scaled up) and classifies it as is. */
  function showExample(values: Float32Array): void {
    clearCanvas();
    const scale = draw.width / SIDE;
    for (let i = 0; i < values.length; i++) {
      const v = Math.round(values[i] * 255);
      if (v === 0) continue;
      ctx.fillStyle = `rgb(${v} ${v} ${v})`;
      ctx.fillRect((i % SIDE) * scale, Math.floor(i / SIDE) * scale, scale, scale);
    }
    example = values;
    predictFromCanvas();
  }

  void loadModel();
  void loadExamples();
}

function decode(base64: string): Float32Array {
  const text = atob(base64);
  return Float32Array.from(text, (ch) => ch.charCodeAt(0) / 255);
}

function buildBars(box: HTMLElement): { row: HTMLElement; fill: HTMLElement; value: HTMLElement }[] {
  return Array.from({ length: 10 }, (_, d) => {
    const row = document.createElement('div');
    row.className = 'prob-row';
    row.setAttribute('role', 'listitem');
    const digit = document.createElement('span');
    digit.className = 'digit';
    digit.textContent = String(d);
    digit.setAttribute('aria-hidden', 'true');
    const track = document.createElement('span');
    track.className = 'track';
    track.setAttribute('aria-hidden', 'true');
    const fill = document.createElement('span');
    fill.className = 'fill';
    fill.style.display = 'block';
    track.append(fill);
    const value = document.createElement('span');
    value.className = 'value';
    value.setAttribute('aria-hidden', 'true');
    row.append(digit, track, value);
    box.append(row);
    return { row, fill, value };
  });
}
