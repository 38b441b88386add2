// The network diagram: one column per layer, every neuron drawn as a small heat map of its output over the
// plane, and a line per weight whose width grows with the weight's size (blue positive, orange negative).
import type { DataMessage, ProgressMessage } from '../protocol.js';
import { drawImageIn, fitCanvas, valuesImage } from './canvas.js';
import { CLASS_COLORS, classShade, css, diverging } from './colors.js';
import { outputColor } from './plane.js';

/** The two input features as maps: x1 grows to the right, x2 upwards. */
function inputMap(side: number, feature: 0 | 1): Float32Array {
  const v = new Float32Array(side * side);
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) v[r * side + c] = feature === 0 ? -1 + (2 * (c + 0.5)) / side : 1 - (2 * (r + 0.5)) / side;
  }
  return v;
}

/** Where one neuron was drawn (CSS pixels of the canvas), for hover and tap. */
export interface NeuronBox {
  /** 0 = the inputs, then one per Dense layer. */
  layer: number;
  unit: number;
  x: number;
  y: number;
  size: number;
}

/**
 * Lays out and draws the whole network, sized to the canvas width; returns where each neuron is. Each neuron
 * but the inputs carries its bias as a small square at its lower left (blue positive, orange negative).
 */
export function drawNetwork(canvas: HTMLCanvasElement, data: DataMessage, progress: ProgressMessage | null): NeuronBox[] {
  const boxes: NeuronBox[] = [];
  const sizes = data.layerSizes;
  const maxUnits = sizes.reduce((a, b) => Math.max(a, b), 1);
  const width = canvas.clientWidth || 600;
  const columns = sizes.length;
  const box = Math.max(18, Math.min(44, (width - 20) / (columns * 1.9), 300 / maxUnits));
  const gap = Math.max(6, box * 0.3);
  const labelHeight = 30;
  const height = Math.round(maxUnits * box + (maxUnits - 1) * gap + labelHeight + 8);
  const { ctx } = fitCanvas(canvas, height);
  const colX = (l: number) => (columns === 1 ? width / 2 : 8 + ((width - 16 - box) * l) / (columns - 1));
  const nodeY = (l: number, i: number) => {
    const n = sizes[l];
    const total = n * box + (n - 1) * gap;
    return labelHeight + (maxUnits * box + (maxUnits - 1) * gap - total) / 2 + i * (box + gap);
  };

  // weights first, under the neurons
  if (progress) {
    progress.kernels.forEach((kernel, l) => {
      const nIn = sizes[l];
      const nOut = sizes[l + 1];
      let maxAbs = 1e-6;
      for (const w of kernel) maxAbs = Math.max(maxAbs, Math.abs(w));
      for (let i = 0; i < nIn; i++) {
        for (let j = 0; j < nOut; j++) {
          const w = kernel[i * nOut + j];
          ctx.strokeStyle = css(w >= 0 ? CLASS_COLORS[1] : CLASS_COLORS[0], 0.75);
          ctx.lineWidth = 0.4 + 5 * Math.min(1, Math.abs(w) / Math.max(maxAbs, 1));
          ctx.beginPath();
          ctx.moveTo(colX(l) + box, nodeY(l, i) + box / 2);
          ctx.lineTo(colX(l + 1), nodeY(l + 1, j) + box / 2);
          ctx.stroke();
        }
      }
    });
  }

  ctx.font = '11px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  ctx.fillStyle = '#374151';
  const last = columns - 1;
  // short names (in, h1, out) where the full ones would run into each other, as on a phone at 6 hidden layers
  const spacing = columns > 1 ? colX(1) - colX(0) : width;
  const long = (l: number) => (l === 0 ? 'inputs' : l === last ? 'output' : `hidden ${l}`);
  const short = (l: number) => (l === 0 ? 'in' : l === last ? 'out' : `h${l}`);
  const fits = sizes.every((_, l) => ctx.measureText(long(l)).width + 6 <= spacing);
  const labels: number[][] = [];
  for (let l = 0; l < columns; l++) {
    const name = fits ? long(l) : short(l);
    const textWidth = ctx.measureText(name).width;
    labels.push([Math.round(colX(l) + box / 2 - textWidth / 2), Math.ceil(textWidth)]);
    ctx.fillStyle = '#374151';
    ctx.fillText(name, colX(l) + box / 2, 4);
    ctx.fillText(`${sizes[l]}`, colX(l) + box / 2, 16);
    for (let i = 0; i < sizes[l]; i++) {
      const x = colX(l);
      const y = nodeY(l, i);
      let image: HTMLCanvasElement | null = null;
      if (l === 0) {
        const side = 16;
        const map = inputMap(side, i as 0 | 1);
        image = valuesImage(side, side, (k) => diverging(map[k], 0.9), `input${i}`);
      } else if (progress?.neurons) {
        const map = progress.neurons[l - 1][i];
        const side = Math.round(Math.sqrt(map.length));
        if (l === last) {
          // the output unit in the boundary's colours (a probability, or the regression value)
          const single = data.task === 'regression' || sizes[l] === 1;
          // a softmax unit is P(its class): drawn in that class' colour, as the plane draws the classes
          image = valuesImage(side, side, (k) => (single ? outputColor(data, map, 1, k, 0.9) : classShade(i, map[k], 0.9)), `n${l}-${i}`);
        } else {
          // hidden units: scale each by its own largest value so small activations still show a pattern
          let maxAbs = 1;
          for (const v of map) maxAbs = Math.max(maxAbs, Math.abs(v));
          image = valuesImage(side, side, (k) => diverging(map[k] / maxAbs, 0.9), `n${l}-${i}`);
        }
      }
      if (image) drawImageIn(ctx, image, x, y, box, box);
      ctx.strokeStyle = '#9ca3af';
      ctx.lineWidth = 1;
      ctx.strokeRect(x + 0.5, y + 0.5, box - 1, box - 1);
      boxes.push({ layer: l, unit: i, x, y, size: box });
      if (l === 0) {
        // the inputs' names on their maps: x1 grows rightwards, x2 upwards
        ctx.fillStyle = '#111827';
        ctx.textBaseline = 'middle';
        ctx.font = `600 ${Math.max(10, Math.round(box * 0.3))}px system-ui, sans-serif`;
        ctx.fillText(`x${i + 1}`, x + box / 2, y + box / 2);
        ctx.font = '11px system-ui, sans-serif';
        ctx.textBaseline = 'top';
      } else if (progress) {
        drawBias(ctx, progress.biases[l - 1][i], x, y, box);
      }
    }
  }
  // where each layer's name was written ([left, width] in CSS pixels), for tests that check none overlap
  canvas.dataset.labels = JSON.stringify(labels);
  return boxes;
}

/** The bias as a small square hanging off the neuron's lower-left corner, its colour the bias' sign and size. */
function drawBias(ctx: CanvasRenderingContext2D, b: number, x: number, y: number, box: number): void {
  const s = Math.max(6, Math.round(box * 0.28));
  const bx = x - s / 2;
  const by = y + box - s / 2;
  ctx.fillStyle = css(diverging(Math.tanh(b)));
  ctx.fillRect(bx, by, s, s);
  ctx.strokeStyle = '#374151';
  ctx.lineWidth = 1;
  ctx.strokeRect(bx + 0.5, by + 0.5, s - 1, s - 1);
}
