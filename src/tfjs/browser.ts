// tf.browser of TensorFlow.js: pixels to tensors (`fromPixels`, `fromPixelsAsync`) and tensors to pixels
// (`toPixels`), with TF.js' inputs, dtypes, checks and messages. Images, canvases, video frames and bitmaps are
// read through a 2D canvas as TF.js' CPU path reads them, so the values are the browser's own; `fromPixels` also
// takes `{ data: Uint8Array, width, height }` anywhere (Node.js included). Nothing here is Node-only.
import { Tensor } from '../tensor/tensor.js';
import { convertToTensor } from './convert.js';
import { cast } from './creation.js';
import type { TensorLike } from './dtype.js';

/** TF.js' `PixelData`: RGBA bytes, 4 per pixel, row by row. */
export interface PixelData {
  width: number;
  height: number;
  data: Uint8Array;
}

/** What `fromPixels` reads. */
export type Pixels = PixelData | ImageData | HTMLImageElement | HTMLCanvasElement | HTMLVideoElement | ImageBitmap;

type Kind = 'data' | 'canvas' | 'drawn';

/** How TF.js reads `pixels` (its tests, in its order), or its error. */
function kindOf(pixels: Pixels): Kind {
  if ((pixels as PixelData).data instanceof Uint8Array) return 'data';
  if (typeof ImageData !== 'undefined' && pixels instanceof ImageData) return 'data';
  if (typeof HTMLVideoElement !== 'undefined' && pixels instanceof HTMLVideoElement) return 'drawn';
  if (typeof HTMLImageElement !== 'undefined' && pixels instanceof HTMLImageElement) return 'drawn';
  if ((pixels as { getContext?: unknown }).getContext != null) return 'canvas';
  if (typeof ImageBitmap !== 'undefined' && pixels instanceof ImageBitmap) return 'drawn';
  throw new Error(
    'pixels passed to tf.browser.fromPixels() must be either an HTMLVideoElement, HTMLImageElement, HTMLCanvasElement, ImageData in browser, ' +
      'or OffscreenCanvas, ImageData in webworker or {data: Uint32Array, width: number, height: number}, ' +
      `but was ${(pixels as object).constructor.name}`,
  );
}

type Context2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

/** The one canvas that images, video frames and bitmaps are drawn on to read their pixels (made on first use). */
let drawing: Context2D | null = null;

function drawingContext(): Context2D {
  if (drawing) return drawing;
  if (typeof document === 'undefined') {
    if (typeof OffscreenCanvas === 'undefined' || typeof OffscreenCanvasRenderingContext2D === 'undefined') {
      throw new Error('Cannot parse input in current context. Reason: OffscreenCanvas Context2D rendering is not supported.');
    }
    drawing = new OffscreenCanvas(1, 1).getContext('2d');
  } else {
    drawing = document.createElement('canvas').getContext('2d', { willReadFrequently: true });
  }
  if (!drawing) throw new Error('tf.browser.fromPixels(): this browser gives no 2D canvas context to read pixels with.');
  return drawing;
}

/** The RGBA bytes of `pixels`, `width` x `height`. */
function rgbaOf(pixels: Pixels, kind: Kind, width: number, height: number): ArrayLike<number> {
  if (kind === 'data') return (pixels as PixelData | ImageData).data;
  if (kind === 'canvas') {
    const context = (pixels as HTMLCanvasElement).getContext('2d') as CanvasRenderingContext2D;
    return context.getImageData(0, 0, width, height).data;
  }
  const context = drawingContext();
  context.canvas.width = width;
  context.canvas.height = height;
  context.drawImage(pixels as CanvasImageSource, 0, 0, width, height);
  return context.getImageData(0, 0, width, height).data;
}

/**
 * tf.browser.fromPixels(pixels, numChannels = 3): an int32 tensor `[height, width, numChannels]` of the pixels'
 * first `numChannels` of R, G, B, A (0 to 255).
 */
export function fromPixels(pixels: Pixels, numChannels = 3): Tensor {
  if (numChannels > 4) throw new Error('Cannot construct Tensor with more than 4 channels from pixels.');
  if (pixels == null) throw new Error('pixels passed to tf.browser.fromPixels() can not be null');
  const kind = kindOf(pixels);
  const video = typeof HTMLVideoElement !== 'undefined' && pixels instanceof HTMLVideoElement;
  const width = video ? pixels.videoWidth : pixels.width;
  const height = video ? pixels.videoHeight : pixels.height;
  const rgba = rgbaOf(pixels, kind, width, height);
  const n = width * height;
  const values = new Float32Array(n * numChannels);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < numChannels; c++) values[i * numChannels + c] = rgba[i * 4 + c];
  }
  return new Tensor(values, [height, width, numChannels], 'int32');
}

/**
 * tf.browser.fromPixelsAsync: `fromPixels` behind a promise. (TF.js first wraps the input in an ImageBitmap only
 * when its WRAP_TO_IMAGEBITMAP flag is set, which is off by default and only helps its GPU backends.)
 */
export async function fromPixelsAsync(pixels: Pixels, numChannels = 3): Promise<Tensor> {
  return fromPixels(pixels, numChannels);
}

function checkImage(img: Tensor): void {
  if (img.rank !== 2 && img.rank !== 3) throw new Error(`toPixels only supports rank 2 or 3 tensors, got rank ${img.rank}.`);
  const depth = img.rank === 2 ? 1 : img.shape[2];
  if (depth > 4 || depth === 2) throw new Error(`toPixels only supports depth of size 1, 3 or 4 but got ${depth}`);
  if (img.dtype !== 'float32' && img.dtype !== 'int32') throw new Error(`Unsupported type for toPixels: ${img.dtype}. Please use float32 or int32 tensors.`);
}

/**
 * tf.browser.toPixels(img, canvas?): the RGBA bytes of a rank-2 (grey) or rank-3 tensor with 1, 3 or 4 channels
 * (float32 in [0, 1], scaled by 255; int32 in [0, 255]; alpha 255 where the tensor has none), drawn on `canvas`
 * (resized to the image) when one is given. Values out of range throw TF.js' errors; a TensorLike is taken as int32.
 */
export async function toPixels(img: Tensor | TensorLike, canvas?: HTMLCanvasElement | OffscreenCanvas): Promise<Uint8ClampedArray> {
  let image = convertToTensor(img, 'img', 'toPixels');
  if (!(img instanceof Tensor)) image = cast(image, 'int32');
  checkImage(image);
  const [height, width] = image.shape;
  const depth = image.rank === 2 ? 1 : image.shape[2];
  const data = image.values;
  const float = image.dtype === 'float32';
  const scale = float ? 255 : 1;
  const bytes = new Uint8ClampedArray(width * height * 4);
  const rgba = [0, 0, 0, 255];
  for (let i = 0; i < width * height; i++) {
    rgba[0] = 0;
    rgba[1] = 0;
    rgba[2] = 0;
    rgba[3] = 255;
    for (let d = 0; d < depth; d++) {
      const value = data[i * depth + d];
      if (float && (value < 0 || value > 1)) throw new Error(`Tensor values for a float32 Tensor must be in the range [0 - 1] but encountered ${value}.`);
      if (!float && (value < 0 || value > 255)) throw new Error(`Tensor values for a int32 Tensor must be in the range [0 - 255] but encountered ${value}.`);
      if (depth === 1) {
        rgba[0] = value * scale;
        rgba[1] = value * scale;
        rgba[2] = value * scale;
      } else {
        rgba[d] = value * scale;
      }
    }
    for (let c = 0; c < 4; c++) bytes[i * 4 + c] = Math.round(rgba[c]);
  }
  if (canvas != null) {
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext('2d') as Context2D;
    context.putImageData(new ImageData(bytes, width, height), 0, 0);
  }
  return bytes;
}
