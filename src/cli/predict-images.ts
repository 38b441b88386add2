import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { parseIdx } from '../data/idx.js';
import { parseCsv } from '../tabular/csv.js';
import { parseNumber } from '../tabular/values.js';
import { UsageError } from './errors.js';

/** Images read for an image model: [N, height * width] grey levels in [0, 1] and a name per image. */
export interface ImageInputs {
  names: string[];
  pixels: Float32Array;
  count: number;
  notes: string[];
}

const SIZE = 28;

/**
 * Reads PNG files (28x28, grey or colour, one image each), IDX image files ([N, 28, 28] uint8, as MNIST's)
 * or CSV files of 784 pixel columns (0..255 or 0..1; a 'label' column is ignored) into MNIST's layout:
 * white digits on black, values in [0, 1]. A PNG with a light background is inverted to match.
 */
export async function readImages(files: readonly string[]): Promise<ImageInputs> {
  const names: string[] = [];
  const chunks: Float32Array[] = [];
  const notes: string[] = [];
  for (const file of files) {
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (error) {
      throw new UsageError(`cannot read '${file}': ${(error as { code?: string }).code === 'ENOENT' ? 'no such file' : (error as Error).message}.`);
    }
    const ext = extname(file).toLowerCase();
    if (ext === '.png' || bytes.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47]))) {
      const { image, inverted } = await readPng(file, bytes);
      if (inverted) notes.push(`${file}: dark digit on a light background, inverted to MNIST's white on black.`);
      chunks.push(image);
      names.push(basename(file));
    } else if (ext === '.csv') {
      const { images, labels } = await readPixelCsv(file, bytes.toString('utf8'));
      images.forEach((img, i) => {
        chunks.push(img);
        names.push(`${basename(file)}:${i + 1}${labels ? ` (label ${labels[i]})` : ''}`);
      });
    } else {
      let idx;
      try {
        idx = parseIdx(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length), file);
      } catch (error) {
        throw new UsageError(`${file} is neither a PNG, a CSV of 784 pixel columns, nor an IDX image file: ${(error as Error).message}`);
      }
      const [n, h, w] = idx.shape;
      if (idx.shape.length !== 3 || h !== SIZE || w !== SIZE) throw new UsageError(`${file}: expected IDX images of shape [N, 28, 28], got [${idx.shape.join(', ')}].`);
      for (let i = 0; i < n; i++) {
        chunks.push(Float32Array.from(idx.data.subarray(i * SIZE * SIZE, (i + 1) * SIZE * SIZE), (v) => v / 255));
        names.push(`${basename(file)}:${i + 1}`);
      }
    }
  }
  const pixels = new Float32Array(chunks.length * SIZE * SIZE);
  chunks.forEach((c, i) => pixels.set(c, i * SIZE * SIZE));
  return { names, pixels, count: chunks.length, notes };
}

async function readPng(file: string, bytes: Buffer): Promise<{ image: Float32Array; inverted: boolean }> {
  const { PNG } = await import('pngjs');
  let png: { width: number; height: number; data: Buffer };
  try {
    png = PNG.sync.read(bytes);
  } catch (error) {
    throw new UsageError(`${file} is not a readable PNG: ${(error as Error).message}`);
  }
  if (png.width !== SIZE || png.height !== SIZE) throw new UsageError(`${file} is ${png.width}x${png.height} pixels; the model takes 28x28 images (resize it first).`);
  const image = new Float32Array(SIZE * SIZE);
  for (let p = 0; p < SIZE * SIZE; p++) {
    const [r, g, b, a] = [png.data[4 * p], png.data[4 * p + 1], png.data[4 * p + 2], png.data[4 * p + 3]];
    // NOTE: transparent pixels count as background (black), whatever colour they carry.
    image[p] = ((0.299 * r + 0.587 * g + 0.114 * b) / 255) * (a / 255);
  }
  // MNIST digits are light on a dark background; a drawing is usually the other way round.
  let border = 0;
  for (let i = 0; i < SIZE; i++) border += image[i] + image[(SIZE - 1) * SIZE + i] + image[i * SIZE] + image[i * SIZE + SIZE - 1];
  const inverted = border / (4 * SIZE) > 0.5;
  if (inverted) for (let p = 0; p < image.length; p++) image[p] = 1 - image[p];
  return { image, inverted };
}

async function readPixelCsv(file: string, text: string): Promise<{ images: Float32Array[]; labels: string[] | null }> {
  const table = await parseCsv(text, { source: file });
  const labelColumn = table.columns.findIndex((c) => c.toLowerCase() === 'label');
  const pixelColumns = table.columns.map((_, i) => i).filter((i) => i !== labelColumn);
  if (pixelColumns.length !== SIZE * SIZE) {
    throw new UsageError(`${file} has ${pixelColumns.length} pixel columns; an image model takes 784 (28x28) per row${labelColumn >= 0 ? " besides 'label'" : ''}.`);
  }
  let max = 0;
  const images = table.rows.map((row, r) =>
    Float32Array.from(pixelColumns, (c) => {
      const v = parseNumber(row[c]);
      if (v === null) throw new UsageError(`${file}, line ${table.lines[r]}: column '${table.columns[c]}' must hold a number, got ${JSON.stringify(row[c])}.`);
      max = Math.max(max, v);
      return v;
    }),
  );
  if (max > 1) for (const img of images) for (let p = 0; p < img.length; p++) img[p] /= 255;
  return { images, labels: labelColumn >= 0 ? table.rows.map((r) => r[labelColumn]) : null };
}
