// Small canvas helpers: crisp sizing on high-DPI screens and painting a grid of values as an image.

/** Sizes the canvas backing store to its CSS box times the device pixel ratio; returns a context in CSS pixels. */
export function fitCanvas(canvas: HTMLCanvasElement, cssHeight?: number): { ctx: CanvasRenderingContext2D; width: number; height: number } {
  const ratio = Math.min(window.devicePixelRatio || 1, 3);
  const width = Math.max(1, canvas.clientWidth || canvas.width);
  const height = Math.max(1, cssHeight ?? (canvas.clientHeight || canvas.height));
  if (cssHeight !== undefined) canvas.style.height = `${cssHeight}px`;
  const w = Math.round(width * ratio);
  const h = Math.round(height * ratio);
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
  }
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  return { ctx, width, height };
}

const scratch = new Map<string, HTMLCanvasElement>();

/**
 * An image of `cols` x `rows` cells (row-major, top row first) coloured by `color(i)`, on a reusable
 * offscreen canvas; draw it scaled with `drawImage`.
 */
export function valuesImage(cols: number, rows: number, color: (i: number) => readonly number[], slot = 'default'): HTMLCanvasElement {
  const key = `${slot}:${cols}x${rows}`;
  let canvas = scratch.get(key);
  if (!canvas) {
    canvas = document.createElement('canvas');
    canvas.width = cols;
    canvas.height = rows;
    scratch.set(key, canvas);
  }
  const ctx = canvas.getContext('2d')!;
  const image = ctx.createImageData(cols, rows);
  const data = image.data;
  for (let i = 0; i < cols * rows; i++) {
    const [r, g, b] = color(i);
    data[4 * i] = r;
    data[4 * i + 1] = g;
    data[4 * i + 2] = b;
    data[4 * i + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
  return canvas;
}

/** Draws a values image into a rectangle, smooth (`'smooth'`) or as blocks (`'pixelated'`). */
export function drawImageIn(
  ctx: CanvasRenderingContext2D,
  image: CanvasImageSource,
  x: number,
  y: number,
  w: number,
  h: number,
  mode: 'smooth' | 'pixelated' = 'smooth',
): void {
  ctx.imageSmoothingEnabled = mode === 'smooth';
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(image, x, y, w, h);
}

/** Formats a number for the readouts: 3 significant digits, exponent for tiny or huge values. */
export function formatNumber(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a < 1e-3 || a >= 1e5 ? v.toExponential(2) : v.toPrecision(3);
}

export function formatPercent(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  // never round a near miss up to a perfect score
  const text = v < 1 && (v * 100).toFixed(1) === '100.0' ? '99.9' : (v * 100).toFixed(1);
  return `${text.replace(/\.0$/, '')}%`;
}
