// A tiny line chart (loss curves) and a log-scale bar chart (gradient norms) on canvas 2D.
import { fitCanvas, formatNumber } from './canvas.js';

export interface Series {
  label: string;
  color: string;
  dash?: number[];
  /** y values; x is `xs[i]` */
  ys: number[];
}

const AXIS = '#6b7280';
const GRID = '#e5e7eb';
const FONT = '11px system-ui, sans-serif';

/** Draws series against shared x values (e.g. epochs); y from 0 (or the minimum) to the maximum; `yLabel` names the y axis. */
export function lineChart(canvas: HTMLCanvasElement, xs: number[], series: Series[], options: { xLabel: string; yLabel?: string; height?: number }): void {
  const { ctx, width, height } = fitCanvas(canvas, options.height);
  const left = options.yLabel ? 58 : 44;
  const right = 10;
  const top = 10;
  const bottom = 26;
  const w = width - left - right;
  const h = height - top - bottom;
  let yMax = -Infinity;
  let yMin = 0;
  for (const s of series) {
    for (const y of s.ys) {
      if (!Number.isFinite(y)) continue;
      if (y > yMax) yMax = y;
      if (y < yMin) yMin = y;
    }
  }
  if (yMax === -Infinity) yMax = 1;
  const span = yMax - yMin || 1;
  const xMax = xs.length ? Math.max(1, xs[xs.length - 1]) : 1;
  const px = (x: number) => left + (x / xMax) * w;
  const py = (y: number) => top + h - ((y - yMin) / span) * h;

  ctx.font = FONT;
  ctx.strokeStyle = GRID;
  ctx.lineWidth = 1;
  ctx.fillStyle = AXIS;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (let i = 0; i <= 4; i++) {
    const y = yMin + (span * i) / 4;
    ctx.beginPath();
    ctx.moveTo(left, Math.round(py(y)) + 0.5);
    ctx.lineTo(left + w, Math.round(py(y)) + 0.5);
    ctx.stroke();
    ctx.fillText(formatNumber(y), left - 6, py(y));
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  ctx.fillText('0', left, top + h + 6);
  ctx.fillText(String(Math.round(xMax)), left + w, top + h + 6);
  ctx.fillText(options.xLabel, left + w / 2, top + h + 6);
  if (options.yLabel) {
    ctx.save();
    ctx.translate(4, top + h / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textBaseline = 'top';
    ctx.fillText(options.yLabel, 0, 0);
    ctx.restore();
  }

  // at most ~2 points per pixel: long runs are thinned, the last point is always drawn
  const stride = Math.max(1, Math.floor(xs.length / (w * 2)));
  const indices: number[] = [];
  for (let i = 0; i < xs.length; i += stride) indices.push(i);
  if (xs.length && indices[indices.length - 1] !== xs.length - 1) indices.push(xs.length - 1);
  for (const s of series) {
    ctx.strokeStyle = s.color;
    ctx.lineWidth = 2;
    ctx.setLineDash(s.dash ?? []);
    ctx.beginPath();
    let started = false;
    for (const i of indices) {
      if (!Number.isFinite(s.ys[i])) continue;
      const x = px(xs[i]);
      const y = py(s.ys[i]);
      if (started) ctx.lineTo(x, y);
      else ctx.moveTo(x, y);
      started = true;
    }
    ctx.stroke();
  }
  ctx.setLineDash([]);
}

/** One bar per entry on a log10 axis from 10^lo to 10^hi; bars are labelled by `labels`. */
export function logBars(
  canvas: HTMLCanvasElement,
  values: number[],
  labels: string[],
  options: { lo: number; hi: number; color: string; height?: number },
): void {
  const { ctx, width, height } = fitCanvas(canvas, options.height);
  const left = 48;
  const right = 8;
  const top = 8;
  const bottom = 22;
  const w = width - left - right;
  const h = height - top - bottom;
  const { lo, hi } = options;
  const py = (exp: number) => top + h - ((Math.max(lo, Math.min(hi, exp)) - lo) / (hi - lo)) * h;

  ctx.font = FONT;
  ctx.lineWidth = 1;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (let e = lo; e <= hi; e += 2) {
    ctx.strokeStyle = GRID;
    ctx.beginPath();
    ctx.moveTo(left, Math.round(py(e)) + 0.5);
    ctx.lineTo(left + w, Math.round(py(e)) + 0.5);
    ctx.stroke();
    ctx.fillStyle = AXIS;
    ctx.fillText(`1e${e}`, left - 6, py(e));
  }
  const n = values.length;
  const slot = w / Math.max(1, n);
  const barWidth = Math.max(4, Math.min(36, slot * 0.7));
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  values.forEach((v, i) => {
    const x = left + slot * (i + 0.5);
    const exp = v > 0 ? Math.log10(v) : lo;
    const y = py(exp);
    ctx.fillStyle = options.color;
    ctx.fillRect(x - barWidth / 2, y, barWidth, top + h - y);
    ctx.fillStyle = AXIS;
    ctx.fillText(labels[i], x, top + h + 6);
  });
}
