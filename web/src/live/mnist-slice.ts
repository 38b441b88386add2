// The MNIST slice the live CNN trains on (web/public/data/mnist-slice.bin, made by web/scripts/mnist-slice.ts):
// gzip of "MNS1", uint32 LE training count, uint32 LE test count, then the training labels, the test labels,
// the training images and the test images (28x28 uint8 each, row-major).

export interface MnistSlice {
  trainImages: Uint8Array;
  trainLabels: Uint8Array;
  testImages: Uint8Array;
  testLabels: Uint8Array;
}

const MAGIC = 0x31534e4d; // "MNS1" read as uint32 LE
const PIXELS = 784;

export function encodeSlice(s: MnistSlice): Uint8Array {
  const nTrain = s.trainLabels.length;
  const nTest = s.testLabels.length;
  const out = new Uint8Array(12 + (nTrain + nTest) * (1 + PIXELS));
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, nTrain, true);
  view.setUint32(8, nTest, true);
  let at = 12;
  for (const part of [s.trainLabels, s.testLabels, s.trainImages, s.testImages]) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

export function decodeSlice(raw: Uint8Array): MnistSlice {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  if (raw.byteLength < 12 || view.getUint32(0, true) !== MAGIC) throw new Error('mnist-slice.bin: not an MNIST slice (bad magic)');
  const nTrain = view.getUint32(4, true);
  const nTest = view.getUint32(8, true);
  if (raw.byteLength !== 12 + (nTrain + nTest) * (1 + PIXELS)) throw new Error('mnist-slice.bin: truncated');
  let at = 12;
  const take = (n: number) => {
    at += n;
    return raw.subarray(at - n, at);
  };
  const trainLabels = take(nTrain);
  const testLabels = take(nTest);
  return { trainLabels, testLabels, trainImages: take(nTrain * PIXELS), testImages: take(nTest * PIXELS) };
}

/** Fetches and unpacks the slice (DecompressionStream, so the server sends it as plain bytes). */
export async function loadSlice(url: string): Promise<MnistSlice> {
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`${url}: HTTP ${response.status}`);
  const stream = response.body.pipeThrough(new DecompressionStream('gzip'));
  return decodeSlice(new Uint8Array(await new Response(stream).arrayBuffer()));
}
