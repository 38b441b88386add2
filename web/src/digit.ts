// Turning a drawing into an MNIST-like image, the way the MNIST digits were made: crop to the ink, scale the
// longer side to 20 pixels (keeping the aspect ratio, anti-aliased), put it in a 28x28 field and shift it so
// that its centre of mass sits at the centre.

export const SIDE = 28;
const BOX = 20;
/** Ink below this (0..1) does not count when finding the digit's bounding box. */
const THRESHOLD = 0.05;

/**
 * `ink` is a width*height row-major map of ink amounts in [0, 1] (1 = full stroke). Returns 28*28 values
 * in [0, 1], row-major, or null when there is no ink.
 */
export function toMnist(ink: ArrayLike<number>, width: number, height: number): Float32Array | null {
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x] > THRESHOLD) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  if (x1 < 0) return null;
  const bw = x1 - x0 + 1;
  const bh = y1 - y0 + 1;
  const scale = BOX / Math.max(bw, bh);
  const tw = Math.max(1, Math.round(bw * scale));
  const th = Math.max(1, Math.round(bh * scale));

  // crop, then resample by area averaging, one axis at a time
  const crop = new Float32Array(bw * bh);
  for (let y = 0; y < bh; y++) for (let x = 0; x < bw; x++) crop[y * bw + x] = Math.min(1, Math.max(0, ink[(y0 + y) * width + x0 + x]));
  const narrow = resampleRows(crop, bw, bh, tw); // bh rows of tw
  const box = transpose(resampleRows(transpose(narrow, bh, tw), bh, tw, th), tw, th); // th rows of tw

  // into the 28x28 field, centred by the box first
  const field = new Float32Array(SIDE * SIDE);
  const ox = Math.floor((SIDE - tw) / 2);
  const oy = Math.floor((SIDE - th) / 2);
  for (let y = 0; y < th; y++) for (let x = 0; x < tw; x++) field[(oy + y) * SIDE + ox + x] = box[y * tw + x];

  // then by mass: move the centre of mass (pixel centres at i + 0.5) to (14, 14)
  let mass = 0;
  let mx = 0;
  let my = 0;
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const v = field[y * SIDE + x];
      mass += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  }
  if (mass === 0) return null;
  const dx = Math.round(SIDE / 2 - mx / mass);
  const dy = Math.round(SIDE / 2 - my / mass);
  const out = new Float32Array(SIDE * SIDE);
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const sx = x - dx;
      const sy = y - dy;
      if (sx >= 0 && sx < SIDE && sy >= 0 && sy < SIDE) out[y * SIDE + x] = field[sy * SIDE + sx];
    }
  }
  return out;
}

/** Resamples each of `rows` rows from `w` to `tw` values by exact area averaging (a box filter). */
function resampleRows(src: Float32Array, w: number, rows: number, tw: number): Float32Array {
  const out = new Float32Array(rows * tw);
  const ratio = w / tw;
  for (let r = 0; r < rows; r++) {
    for (let t = 0; t < tw; t++) {
      const start = t * ratio;
      const end = start + ratio;
      let sum = 0;
      for (let i = Math.floor(start); i < Math.min(w, Math.ceil(end)); i++) {
        const overlap = Math.min(end, i + 1) - Math.max(start, i);
        if (overlap > 0) sum += overlap * src[r * w + i];
      }
      out[r * tw + t] = sum / ratio;
    }
  }
  return out;
}

/** `rows` x `cols` row-major -> `cols` x `rows`. */
function transpose(src: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = src[r * cols + c];
  return out;
}
