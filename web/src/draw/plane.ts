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

/** The output with each cell set to its decision: class 0 or 1, the most likely class, or the sign of a value. */
function discretized(data: Pick<DataMessage, 'task'>, values: Float32Array, channels: number): Float32Array {
  const out = new Float32Array(values.length);
  if (data.task === 'regression') {
    for (let i = 0; i < values.length; i++) out[i] = values[i] >= 0 ? 1 : -1;
  } else if (channels === 1) {
    for (let i = 0; i < values.length; i++) out[i] = values[i] >= 0.5 ? 1 : 0;
  } else {
    for (let i = 0; i < values.length; i += channels) {
      let best = 0;
      for (let c = 1; c < channels; c++) if (values[i + c] > values[i + best]) best = c;
      out[i + best] = 1;
    }
  }
  return out;
}

export interface PlaneOptions {
  showValidation?: boolean;
  slot?: string;
  /** Colour each cell by its decision only, as TF Playground's "discretize output". */
  discretize?: boolean;
  /** Draw the p = 0.5 contour of a one-channel probability map (binary tasks). */
  contour?: boolean;
  /** A straight line w1·x1 + w2·x2 + b = 0 (the lone neuron's), drawn dashed. */
  line?: { w1: number; w2: number; b: number };
}

/** What drawPlane drew besides the map, for captions and tests. */
export interface PlaneDrawn {
  contourSegments: number;
  lineDrawn: boolean;
}

/** Draws the output map and the points (training filled with a white ring, validation with a dark ring). */
export function drawPlane(
  canvas: HTMLCanvasElement,
  data: DataMessage,
  boundary: Float32Array | null,
  channels: number,
  options: PlaneOptions = {},
): PlaneDrawn {
  const { ctx, width } = fitCanvas(canvas, canvas.clientWidth);
  const size = width;
  const drawn: PlaneDrawn = { contourSegments: 0, lineDrawn: false };
  if (boundary) {
    const side = Math.round(Math.sqrt(boundary.length / channels));
    const values = options.discretize ? discretized(data, boundary, channels) : boundary;
    drawImageIn(
      ctx,
      valuesImage(side, side, (i) => outputColor(data, values, channels, i, 0.75), options.slot ?? 'plane'),
      0,
      0,
      size,
      size,
      options.discretize ? 'pixelated' : 'smooth',
    );
    if (options.contour && channels === 1 && data.task !== 'regression') drawn.contourSegments = drawContour(ctx, boundary, side, 0.5, size);
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
  if (options.line) drawn.lineDrawn = drawLine(ctx, options.line, data.extent, size);
  drawPoints(data.xTrain, data.yTrain, '#ffffff');
  if (options.showValidation ?? true) drawPoints(data.xVal, data.yVal, '#1f2937');
  return drawn;
}

/**
 * The curve where a side*side map (cell centres, top row first) crosses `level`, by marching squares: in each
 * square of four neighbouring samples, the crossings on its edges (linearly interpolated) are joined.
 * Returns the number of segments drawn.
 */
function drawContour(ctx: CanvasRenderingContext2D, values: Float32Array, side: number, level: number, size: number): number {
  const cell = size / side;
  const at = (r: number, c: number) => values[r * side + c] - level;
  ctx.strokeStyle = '#111827';
  ctx.lineWidth = 2;
  ctx.beginPath();
  let segments = 0;
  for (let r = 0; r + 1 < side; r++) {
    for (let c = 0; c + 1 < side; c++) {
      // corners in order around the square: top-left, top-right, bottom-right, bottom-left
      const corners: [number, number, number][] = [
        [r, c, at(r, c)],
        [r, c + 1, at(r, c + 1)],
        [r + 1, c + 1, at(r + 1, c + 1)],
        [r + 1, c, at(r + 1, c)],
      ];
      const points: [number, number][] = [];
      for (let k = 0; k < 4; k++) {
        const [r0, c0, v0] = corners[k];
        const [r1, c1, v1] = corners[(k + 1) % 4];
        if (v0 < 0 === v1 < 0) continue;
        const t = v0 / (v0 - v1);
        points.push([(c0 + 0.5 + (c1 - c0) * t) * cell, (r0 + 0.5 + (r1 - r0) * t) * cell]);
      }
      for (let k = 0; k + 1 < points.length; k += 2) {
        ctx.moveTo(points[k][0], points[k][1]);
        ctx.lineTo(points[k + 1][0], points[k + 1][1]);
        segments++;
      }
    }
  }
  ctx.stroke();
  return segments;
}

/** The line w1·x1 + w2·x2 + b = 0 across the plotted square; false when it misses the square. */
function drawLine(ctx: CanvasRenderingContext2D, { w1, w2, b }: { w1: number; w2: number; b: number }, extent: number, size: number): boolean {
  if (Math.abs(w1) < 1e-9 && Math.abs(w2) < 1e-9) return false;
  // two points on the line, far apart; the canvas clips what lies outside the square
  const far = 10 * extent;
  const [a, c] =
    Math.abs(w2) >= Math.abs(w1)
      ? [
          [-far, (-b + w1 * far) / w2],
          [far, (-b - w1 * far) / w2],
        ]
      : [
          [(-b + w2 * far) / w1, -far],
          [(-b - w2 * far) / w1, far],
        ];
  // the distance from the origin to the line, against the square's half-diagonal
  if (Math.abs(b) / Math.hypot(w1, w2) > extent * Math.SQRT2) return false;
  const toPx = (x1: number, x2: number) => [((x1 + extent) / (2 * extent)) * size, size - ((x2 + extent) / (2 * extent)) * size] as const;
  ctx.save();
  ctx.strokeStyle = '#7c3aed';
  ctx.lineWidth = 2.5;
  ctx.setLineDash([8, 5]);
  ctx.beginPath();
  const [ax, ay] = toPx(a[0], a[1]);
  const [cx, cy] = toPx(c[0], c[1]);
  ctx.moveTo(ax, ay);
  ctx.lineTo(cx, cy);
  ctx.stroke();
  ctx.restore();
  return true;
}
