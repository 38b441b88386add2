import { stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { inflateSync } from 'node:zlib';
import { parseIdx } from '../data/idx.js';
import { FolderFileError, readRegularFile } from '../io/folder-files.js';
import { parseCsvRows } from '../tabular/csv.js';
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
const MiB = 1024 * 1024;
/**
 * The largest PNG file read (a 28x28 PNG takes a few hundred bytes to a few KB; the rest would be metadata).
 * Its width and height are read from the IHDR chunk before anything is decoded: only 28x28 is decoded.
 */
export const MAX_PNG_BYTES = 4 * MiB;
/** The largest IDX or pixel-CSV file read (MNIST's 60,000 training images take 47 MB as IDX, 110 MB as CSV). */
export const MAX_DATA_BYTES = 128 * MiB;
/** The most bytes a 28x28 PNG's image data may inflate to (16-bit RGBA, interlaced, takes under 7 KB). */
const MAX_PNG_INFLATED = 64 * 1024;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const mib = (bytes: number) => `${Math.round((bytes / MiB) * 10) / 10} MiB`;

/**
 * Reads one input file: only a regular file (a named pipe or /dev/zero cannot hang or exhaust the read), and
 * only up to `maxBytes`, checked before anything is read.
 */
async function readInput(file: string, maxBytes: number, kind: string): Promise<Buffer> {
  try {
    const bytes = await readRegularFile(file, { maxBytes });
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  } catch (error) {
    if (!(error instanceof FolderFileError)) throw error;
    if (error.reason === 'missing') throw new UsageError(`cannot read '${file}': no such file.`);
    if (error.reason === 'too-large') {
      const size = await stat(file).then(
        (info) => ` (${mib(info.size)})`,
        () => '',
      );
      throw new UsageError(`${file} is too large${size}: dendrite predict reads ${kind} files of at most ${mib(maxBytes)}.`);
    }
    if (error.reason === 'not-a-file')
      throw new UsageError(`cannot read '${file}': ${error.message.replace(`${file} `, 'it ').replace(/\.$/, '')}; give a file.`);
    throw new UsageError(`cannot read '${file}': ${error.message.replace(/^cannot read .*?: /, '').replace(/\.$/, '')}.`);
  }
}

/** Whether `bytes` starts with the PNG signature. */
function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && PNG_SIGNATURE.equals(bytes.subarray(0, 8));
}

/**
 * The width, height and interlace method a PNG declares in its IHDR chunk (which must come first: bytes
 * 8..32 are its length 13, 'IHDR', width and height as big-endian uint32, depth, colour type, compression,
 * filter and interlace method, and a CRC). Reads nothing else.
 */
export function pngHeader(bytes: Uint8Array, file: string): { width: number; height: number; interlaced: boolean } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!isPng(bytes)) throw new UsageError(`${file} is not a PNG file (it does not start with the PNG signature).`);
  if (bytes.length < 33 || view.getUint32(8) !== 13 || Buffer.from(bytes.subarray(12, 16)).toString('latin1') !== 'IHDR') {
    throw new UsageError(`${file} is not a readable PNG: its first chunk is not a complete IHDR header.`);
  }
  return { width: view.getUint32(16), height: view.getUint32(20), interlaced: bytes[28] !== 0 };
}

/**
 * Checks that the image data (the IDAT chunks) of a 28x28 PNG inflates to at most MAX_PNG_INFLATED bytes
 * before the decoder inflates it (the decoder sets no limit on interlaced images: the 4 MiB a PNG may take
 * would otherwise inflate to 4 GB). Corrupt or missing image data is refused here too.
 */
function checkPngData(bytes: Buffer, file: string): void {
  const parts: Buffer[] = [];
  for (let at = 8; at + 12 <= bytes.length; ) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    if (at + 12 + length > bytes.length) break; // truncated: the decoder reports it
    if (type === 'IDAT') parts.push(bytes.subarray(at + 8, at + 8 + length));
    if (type === 'IEND') break;
    at += 12 + length;
  }
  if (parts.length === 0) throw new UsageError(`${file} is not a readable PNG: it holds no image data (IDAT chunk).`);
  try {
    inflateSync(Buffer.concat(parts), { maxOutputLength: MAX_PNG_INFLATED });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) {
      throw new UsageError(`${file} is not a readable PNG: its image data inflates to more than the ${MAX_PNG_INFLATED / 1024} KB a 28x28 image can take.`);
    }
    throw new UsageError(`${file} is not a readable PNG: its image data is corrupt (${(error as Error).message}).`);
  }
}

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
    const ext = extname(file).toLowerCase();
    const bytes = ext === '.png' ? await readInput(file, MAX_PNG_BYTES, 'PNG') : await readInput(file, MAX_DATA_BYTES, ext === '.csv' ? 'CSV' : 'IDX');
    if (ext === '.png' || isPng(bytes)) {
      if (bytes.length > MAX_PNG_BYTES)
        throw new UsageError(`${file} is too large (${mib(bytes.length)}): dendrite predict reads PNG files of at most ${mib(MAX_PNG_BYTES)}.`);
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
      let idx: ReturnType<typeof parseIdx>;
      try {
        idx = parseIdx(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length), file);
      } catch (error) {
        throw new UsageError(`${file} is neither a PNG, a CSV of 784 pixel columns, nor an IDX image file: ${(error as Error).message}`);
      }
      const [n, h, w] = idx.shape;
      if (idx.shape.length !== 3 || h !== SIZE || w !== SIZE)
        throw new UsageError(`${file}: expected IDX images of shape [N, 28, 28], got [${idx.shape.join(', ')}].`);
      for (let i = 0; i < n; i++) {
        chunks.push(Float32Array.from(idx.data.subarray(i * SIZE * SIZE, (i + 1) * SIZE * SIZE), (v) => v / 255));
        names.push(`${basename(file)}:${i + 1}`);
      }
    }
  }
  const pixels = new Float32Array(chunks.length * SIZE * SIZE);
  chunks.forEach((c, i) => {
    pixels.set(c, i * SIZE * SIZE);
  });
  return { names, pixels, count: chunks.length, notes };
}

async function readPng(file: string, bytes: Buffer): Promise<{ image: Float32Array; inverted: boolean }> {
  // the size the header declares decides before any decoding: a small file may declare 20000x20000 pixels
  // (1.6 GB decoded); only 28x28 is decoded
  const header = pngHeader(bytes, file);
  if (header.width !== SIZE || header.height !== SIZE)
    throw new UsageError(`${file} is ${header.width}x${header.height} pixels; the model takes 28x28 images (resize it first).`);
  checkPngData(bytes, file);
  const { PNG } = await import('pngjs');
  let png: { width: number; height: number; data: Buffer };
  try {
    png = PNG.sync.read(bytes);
  } catch (error) {
    throw new UsageError(`${file} is not a readable PNG: ${(error as Error).message}`);
  }
  if (png.width !== SIZE || png.height !== SIZE)
    throw new UsageError(`${file} is ${png.width}x${png.height} pixels; the model takes 28x28 images (resize it first).`);
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
  const table = await parseCsvRows(text, { source: file });
  const labelColumn = table.columns.findIndex((c) => c.toLowerCase() === 'label');
  const pixelColumns = table.columns.map((_, i) => i).filter((i) => i !== labelColumn);
  if (pixelColumns.length !== SIZE * SIZE) {
    throw new UsageError(
      `${file} has ${pixelColumns.length} pixel columns; an image model takes 784 (28x28) per row${labelColumn >= 0 ? " besides 'label'" : ''}.`,
    );
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
