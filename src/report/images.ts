import type { Tensor } from '../tensor/tensor.js';
import type { MisclassifiedImages } from './report-data.js';

/**
 * The first `limit` misclassified images of a test set, as base64 grey levels (0..255) for the report's
 * image grid. `images` is [N, H, W] or [N, H, W, 1] or [N, H*W] with values in [0, 1].
 */
export function misclassifiedImages(images: Tensor, labels: ArrayLike<number>, probabilities: Tensor, size: [number, number], limit = 40): MisclassifiedImages {
  const [height, width] = size;
  const n = labels.length;
  const k = probabilities.shape[probabilities.rank - 1];
  const pixels = height * width;
  const examples: MisclassifiedImages['examples'] = [];
  let total = 0;
  for (let i = 0; i < n; i++) {
    const row = probabilities.values.subarray(i * k, (i + 1) * k);
    let predicted = 0;
    for (let j = 1; j < k; j++) if (row[j] > row[predicted]) predicted = j;
    if (predicted === labels[i]) continue;
    total++;
    if (examples.length >= limit) continue;
    const bytes = Buffer.alloc(pixels);
    for (let p = 0; p < pixels; p++) bytes[p] = Math.max(0, Math.min(255, Math.round(images.values[i * pixels + p] * 255)));
    examples.push({ pixels: bytes.toString('base64'), label: String(labels[i]), predicted: String(predicted), confidence: row[predicted] });
  }
  return { width, height, total, of: n, examples };
}
