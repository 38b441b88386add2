// Softmax and the fused softmax + crossentropy, row by row. Values are rounded to float32 where the
// composed ops (sub, exp, sum, div, log) would store them, so the fused kernels equal the compositions.

/** exp(x - max) of one row into `e` (as float32); returns the float32 row sum. */
function shiftedExp(x: Float32Array, o: number, cols: number, e: Float32Array, max: Float32Array): number {
  let m = -Infinity;
  for (let j = 0; j < cols; j++) {
    const v = x[o + j];
    if (v > m || Number.isNaN(v)) m = v;
  }
  max[0] = m;
  let sum = 0;
  for (let j = 0; j < cols; j++) {
    e[o + j] = Math.exp(Math.fround(x[o + j] - m));
    sum += e[o + j];
  }
  return Math.fround(sum);
}

const rowMax = new Float32Array(1);

export function softmax(x: Float32Array, rows: number, cols: number, out: Float32Array): void {
  for (let r = 0, o = 0; r < rows; r++, o += cols) {
    const s = shiftedExp(x, o, cols, out, rowMax);
    for (let j = 0; j < cols; j++) out[o + j] /= s;
  }
}

export function softmaxCrossEntropy(logits: Float32Array, labels: Float32Array, rows: number, cols: number, probs: Float32Array, losses: Float32Array): void {
  for (let r = 0, o = 0; r < rows; r++, o += cols) {
    const s = shiftedExp(logits, o, cols, probs, rowMax);
    const m = rowMax[0];
    const logSum = Math.fround(Math.log(s));
    let acc = 0;
    for (let j = 0; j < cols; j++) {
      const logP = Math.fround(Math.fround(logits[o + j] - m) - logSum);
      acc += Math.fround(labels[o + j] * logP);
      probs[o + j] /= s;
    }
    losses[r] = -acc;
  }
}

export function softmaxCrossEntropyBackward(
  probs: Float32Array,
  labels: Float32Array,
  dLosses: Float32Array,
  rows: number,
  cols: number,
  dLogits: Float32Array,
): void {
  for (let r = 0, o = 0; r < rows; r++, o += cols) {
    let sumY = 0;
    for (let j = 0; j < cols; j++) sumY += labels[o + j];
    const dl = dLosses[r];
    for (let j = 0; j < cols; j++) dLogits[o + j] = dl * (probs[o + j] * sumY - labels[o + j]);
  }
}
