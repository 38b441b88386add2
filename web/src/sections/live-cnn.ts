// Live CNN training, as ConvNetJS does it: the playground's small CNN learns MNIST from random weights in a
// Web Worker (web/src/live/worker.ts) on the wasm backend, on threads when the page is cross-origin isolated
// (as `dendrite playground` and Vite serve it), while its filters, feature maps and test accuracy repaint.
// Canvases are made once and only their pixels are written on each report.
import { addCard } from '../card.js';
import { diverging } from '../draw/colors.js';
import type { FromLiveWorker, LiveProgress, LiveSetup, ToLiveWorker } from '../live/protocol.js';

interface Plane {
  canvas: HTMLCanvasElement;
  ctx: CanvasRenderingContext2D;
  image: ImageData;
}

function plane(width: number, height: number, className: string, label: string): Plane {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  canvas.className = className;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label);
  const ctx = canvas.getContext('2d')!;
  return { canvas, ctx, image: ctx.createImageData(width, height) };
}

/** Blue for positive, orange for negative weights, scaled by the layer's largest magnitude. */
function paintFilters(planes: Plane[], values: Float32Array, shape: number[]): void {
  const [kh, kw, inputs, filters] = shape;
  let max = 1e-6;
  for (const v of values) max = Math.max(max, Math.abs(v));
  for (let f = 0; f < filters; f++) {
    for (let c = 0; c < inputs; c++) {
      const p = planes[f * inputs + c];
      for (let i = 0; i < kh * kw; i++) {
        // NOTE: kernel layout [kh, kw, in, out]
        const [r, g, b] = diverging(values[(i * inputs + c) * filters + f] / max);
        p.image.data.set([r, g, b, 255], 4 * i);
      }
      p.ctx.putImageData(p.image, 0, 0);
    }
  }
}

/** White (silent) to deep blue (strongly active), each map of a layer on the layer's scale. */
function paintMaps(planes: Plane[], values: Float32Array, shape: number[]): void {
  const [, h, w, c] = shape;
  let max = 1e-6;
  for (const v of values) max = Math.max(max, v);
  for (let k = 0; k < c; k++) {
    const data = planes[k].image.data;
    for (let i = 0; i < h * w; i++) {
      const t = Math.max(0, values[i * c + k]) / max;
      data[4 * i] = 255 - t * 240;
      data[4 * i + 1] = 255 - t * 213;
      data[4 * i + 2] = 255 - t * 187;
      data[4 * i + 3] = 255;
    }
    planes[k].ctx.putImageData(planes[k].image, 0, 0);
  }
}

function paintDigit(p: Plane, pixels: Float32Array): void {
  for (let i = 0; i < pixels.length; i++) {
    const v = 255 - Math.round(pixels[i] * 255);
    p.image.data.set([v, v, v, 255], 4 * i);
  }
  p.ctx.putImageData(p.image, 0, 0);
}

/** Test accuracy against samples seen. */
function drawChart(canvas: HTMLCanvasElement, points: [number, number][]): void {
  const ctx = canvas.getContext('2d')!;
  const { width, height } = canvas;
  ctx.clearRect(0, 0, width, height);
  ctx.strokeStyle = '#ccc';
  ctx.strokeRect(0.5, 0.5, width - 1, height - 1);
  ctx.fillStyle = '#666';
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillText('100%', 4, 12);
  ctx.fillText('test accuracy vs samples seen', 40, 12);
  if (points.length < 2) return;
  const last = points[points.length - 1][0] || 1;
  ctx.strokeStyle = 'rgb(31 111 178)';
  ctx.lineWidth = 2;
  ctx.beginPath();
  points.forEach(([x, y], i) => {
    const px = (x / last) * (width - 8) + 4;
    const py = height - 4 - y * (height - 20);
    if (i === 0) ctx.moveTo(px, py);
    else ctx.lineTo(px, py);
  });
  ctx.stroke();
}

export function setupLiveCnn(): void {
  const section = addCard({
    id: 'live-cnn',
    title: 'Live CNN training',
    lead: "The CNN above came trained. Here the same network (conv 8 3×3, pool, conv 16 3×3, pool, dense 10) starts from random weights and learns MNIST in your browser, in a Web Worker on dendrite's WebAssembly backend: watch the filters take shape, the feature maps of a test digit sharpen, and the test accuracy rise from chance (10%). The page is served cross-origin isolated, so WebAssembly shares its memory with worker threads and the matrix products run on several cores.",
    before: 'flatten',
  });
  section.insertAdjacentHTML(
    'beforeend',
    `<div class="toolbar">
      <button type="button" id="live-train">Train</button>
      <button type="button" id="live-step">Train 20 steps</button>
      <button type="button" id="live-reset">Reset</button>
    </div>
    <p id="live-runtime" class="note">Loading 2,000 training and 500 test digits…</p>
    <p id="live-stats" aria-live="polite"></p>
    <canvas id="live-chart" width="320" height="120" role="img" aria-label="test accuracy while training"></canvas>
    <div class="layer-block"><h3>A test digit and the network's guess <span id="live-guess"></span></h3><div id="live-digit" class="map-grid small"></div></div>
    <div class="layer-block" data-layer="conv1"><h3>conv1 filters <span>8 of 3×3 (blue adds, orange subtracts)</span></h3><div id="live-filters1" class="filter-grid"></div></div>
    <div class="layer-block" data-layer="conv1-maps"><h3>conv1 feature maps <span>of the test digit, after ReLU</span></h3><div id="live-maps1" class="map-grid small"></div></div>
    <div class="layer-block" data-layer="conv2"><h3>conv2 filters <span>16 filters, each 3×3 on each of the 8 maps: one row per filter</span></h3><div id="live-filters2" class="filter-grid"></div></div>
    <div class="layer-block" data-layer="conv2-maps"><h3>conv2 feature maps</h3><div id="live-maps2" class="map-grid small"></div></div>`,
  );
  const $ = <T extends HTMLElement>(id: string) => section.querySelector<T>(`#${id}`)!;
  const trainButton = $<HTMLButtonElement>('live-train');
  const stepButton = $<HTMLButtonElement>('live-step');
  const resetButton = $<HTMLButtonElement>('live-reset');
  const runtime = $('live-runtime');
  const stats = $('live-stats');
  const chart = $<HTMLCanvasElement>('live-chart');
  // set through the CSSOM: the page's CSP allows no inline style attributes
  Object.assign(chart.style, { width: '320px', maxWidth: '100%', height: 'auto', display: 'block' });
  for (const b of [trainButton, stepButton, resetButton]) b.disabled = true;

  let filterPlanes: Plane[][] = [];
  let mapPlanes: Plane[][] = [];
  let digit: Plane | null = null;
  let points: [number, number][] = [];
  let running = false;
  let paints = 0;

  function build(p: LiveProgress): void {
    filterPlanes = p.filterShapes.map((shape, layer) => {
      const [kh, kw, inputs, filters] = shape;
      const grid = $(`live-filters${layer + 1}`);
      grid.style.gridTemplateColumns = `repeat(${inputs === 1 ? filters : inputs}, 30px)`;
      const planes: Plane[] = [];
      for (let f = 0; f < filters; f++) {
        for (let c = 0; c < inputs; c++) planes.push(plane(kw, kh, 'filter', `conv${layer + 1} filter ${f + 1}${inputs > 1 ? `, input map ${c + 1}` : ''}`));
      }
      grid.replaceChildren();
      for (const q of planes) grid.append(q.canvas);
      return planes;
    });
    mapPlanes = p.maps.map(({ shape }, layer) => {
      const planes = Array.from({ length: shape[3] }, (_, k) => plane(shape[2], shape[1], '', `conv${layer + 1} map ${k + 1}`));
      const box = $(`live-maps${layer + 1}`);
      box.replaceChildren();
      for (const q of planes) box.append(q.canvas);
      return planes;
    });
    digit = plane(28, 28, '', 'the test digit');
    $('live-digit').replaceChildren(digit.canvas);
  }

  function show(p: LiveProgress): void {
    if (filterPlanes.length === 0) build(p);
    p.filters.forEach((values, layer) => {
      paintFilters(filterPlanes[layer], values, p.filterShapes[layer]);
    });
    p.maps.forEach(({ values, shape }, layer) => {
      paintMaps(mapPlanes[layer], values, shape);
    });
    paintDigit(digit!, p.image);
    let guess = 0;
    for (let k = 1; k < p.probabilities.length; k++) if (p.probabilities[k] > p.probabilities[guess]) guess = k;
    $('live-guess').textContent = `(a ${p.label}, guessed ${guess} at ${(p.probabilities[guess] * 100).toFixed(0)}%)`;
    if (points.length === 0 || points[points.length - 1][0] !== p.seen) points.push([p.seen, p.testAccuracy]);
    drawChart(chart, points);
    const speed = p.samplesPerSecond > 0 ? `, ${Math.round(p.samplesPerSecond).toLocaleString('en-US')} samples/s` : '';
    stats.textContent = `${p.steps} steps of ${p.batchSize} (${p.seen.toLocaleString('en-US')} samples)${speed}; loss ${Number.isFinite(p.loss) ? p.loss.toFixed(3) : '–'}; test accuracy ${(p.testAccuracy * 100).toFixed(1)}%`;
    section.dataset.steps = String(p.steps);
    section.dataset.accuracy = String(p.testAccuracy);
    section.dataset.samplesPerSecond = String(p.samplesPerSecond);
    section.dataset.threadsRunning = String(p.threadsRunning);
    section.dataset.paints = String(++paints);
    running = p.running;
    trainButton.textContent = running ? 'Stop' : 'Train';
  }

  function describeSetup(s: LiveSetup): void {
    section.dataset.isolated = String(s.crossOriginIsolated);
    section.dataset.backend = s.backend;
    section.dataset.threads = String(s.threads);
    runtime.textContent = `${s.trainSize.toLocaleString('en-US')} training and ${s.testSize} test digits; backend ${s.backend}${
      s.backend === 'wasm' ? ` (${s.relaxedSimd ? 'relaxed SIMD' : 'SIMD'})` : ''
    }, ${s.threads} thread${s.threads === 1 ? '' : 's'}; ${
      s.crossOriginIsolated ? 'the page is cross-origin isolated' : 'the page is not cross-origin isolated, so WebAssembly runs on one thread'
    }.`;
    for (const b of [trainButton, stepButton, resetButton]) b.disabled = false;
  }

  let worker: Worker | null = null;
  function send(message: ToLiveWorker): void {
    if (!worker) {
      worker = new Worker(new URL('../live/worker.ts', import.meta.url), { type: 'module', name: 'live-cnn' });
      worker.onmessage = (event: MessageEvent<FromLiveWorker>) => {
        const m = event.data;
        if (m.type === 'setup') describeSetup(m);
        else if (m.type === 'progress') show(m);
        else stats.textContent = `Training stopped: ${m.message}`;
      };
      worker.postMessage({ type: 'init', sliceUrl: new URL('./data/mnist-slice.bin', document.baseURI).href } satisfies ToLiveWorker);
    }
    worker.postMessage(message);
  }

  trainButton.addEventListener('click', () => send({ type: running ? 'stop' : 'start' }));
  stepButton.addEventListener('click', () => send({ type: 'train', batches: 20 }));
  resetButton.addEventListener('click', () => {
    points = [];
    send({ type: 'reset' });
  });

  // start the worker (and load the data) once the section comes near the screen
  const observer = new IntersectionObserver(
    (entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        observer.disconnect();
        if (!worker) send({ type: 'stop' });
      }
    },
    { rootMargin: '400px' },
  );
  observer.observe(section);
}
