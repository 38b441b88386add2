// The decision-boundary plot: the model's output over the plane as a heat map, with the data points on top.
import type { DataMessage } from '../protocol.js';
import { drawImageIn, fitCanvas, valuesImage } from './canvas.js';
import { classMix, CLASS_COLORS, css, diverging } from './colors.js';

/** The colour of one grid cell of a model output with `channels` numbers per cell. */
export function outputColor(data: Pick<DataMessage, 'task'>, values: ArrayLike<number>, channels: number, i: number, strength: number): readonly number[] {
  if (data.task === 'regression') return diverging(values[i], strength);
  if (channels === 1) return diverging(2 * values[i] - 1, strength);
  const probs: number[] = [];
  for (let c = 0; c < channels; c++) probs.push(values[i * channels + c]);
  return classMix(probs, strength);
}

/** Draws the output map and the points (training filled with a white ring, validation with a dark ring). */
export function drawPlane(
  canvas: HTMLCanvasElement,
  data: DataMessage,
  boundary: Float32Array | null,
  channels: number,
  options: { showValidation?: boolean; slot?: string } = {},
): void {
  const { ctx, width } = fitCanvas(canvas, canvas.clientWidth);
  const size = width;
  if (boundary) {
    const side = Math.round(Math.sqrt(boundary.length / channels));
    drawImageIn(
      ctx,
      valuesImage(side, side, (i) => outputColor(data, boundary, channels, i, 0.75), options.slot ?? 'plane'),
      0,
      0,
      size,
      size,
    );
  } else {
    ctx.fillStyle = '#f6f6f6';
    ctx.fillRect(0, 0, size, size);
  }
  // axes through the origin
  ctx.strokeStyle = 'rgb(0 0 0 / 0.15)';
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(size / 2, 0);
  ctx.lineTo(size / 2, size);
  ctx.moveTo(0, size / 2);
  ctx.lineTo(size, size / 2);
  ctx.stroke();

  const toPx = (v: number) => ((v + data.extent) / (2 * data.extent)) * size;
  const radius = Math.max(2.5, Math.min(4.5, size / 110));
  const drawPoints = (x: Float32Array, y: Float32Array, ring: string) => {
    for (let i = 0; i < y.length; i++) {
      const color = data.task === 'regression' ? css(diverging(y[i])) : css(CLASS_COLORS[y[i]] ?? CLASS_COLORS[0]);
      ctx.beginPath();
      ctx.arc(toPx(x[2 * i]), size - toPx(x[2 * i + 1]), radius, 0, 2 * Math.PI);
      ctx.fillStyle = color;
      ctx.fill();
      ctx.lineWidth = 1.2;
      ctx.strokeStyle = ring;
      ctx.stroke();
    }
  };
  drawPoints(data.xTrain, data.yTrain, '#ffffff');
  if (options.showValidation ?? true) drawPoints(data.xVal, data.yVal, '#1f2937');
}
