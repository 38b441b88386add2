// The page of test/e2e/tfjs-browser.test.ts (bundled with esbuild): dendrite/tfjs and real TensorFlow.js side by
// side in one page, and the checks the test calls through `window.checks`. Each check returns what it found wrong
// (an empty list when all agree) and how many comparisons it made, or data for the test to compare in Node.js.
import * as tfjs from '@tensorflow/tfjs';
import * as tf from '../../../src/tfjs/index.js';

type Failures = string[];

/** A tensor of either library, as both answer it. */
interface AnyTensor {
  shape: readonly number[];
  dtype: string;
  dataSync(): ArrayLike<number>;
}

function sameTensor(what: string, ours: AnyTensor, theirs: AnyTensor, failures: Failures, tolerance = 0): void {
  if (ours.shape.join() !== theirs.shape.join()) return void failures.push(`${what}: shape [${ours.shape}] vs TF.js [${theirs.shape}]`);
  if (ours.dtype !== theirs.dtype) return void failures.push(`${what}: dtype ${ours.dtype} vs TF.js ${theirs.dtype}`);
  const a = ours.dataSync();
  const b = theirs.dataSync();
  for (let i = 0; i < b.length; i++) {
    if (!(Math.abs(a[i] - b[i]) <= tolerance)) return void failures.push(`${what}: element ${i} is ${a[i]}, TF.js ${b[i]}`);
  }
}

function sameBytes(what: string, ours: ArrayLike<number>, theirs: ArrayLike<number>, failures: Failures): void {
  if (ours.length !== theirs.length) return void failures.push(`${what}: ${ours.length} bytes vs TF.js ${theirs.length}`);
  for (let i = 0; i < theirs.length; i++) {
    if (ours[i] !== theirs[i]) return void failures.push(`${what}: byte ${i} is ${ours[i]}, TF.js ${theirs[i]}`);
  }
}

/** The message each library throws (or 'no error'). */
async function messages(run: (lib: typeof tfjs) => unknown): Promise<[string, string]> {
  const one = async (lib: typeof tfjs) => {
    try {
      await run(lib);
      return 'no error';
    } catch (e) {
      return (e as Error).message;
    }
  };
  return [await one(tf as unknown as typeof tfjs), await one(tfjs)];
}

async function sameError(what: string, run: (lib: typeof tfjs) => unknown, failures: Failures): Promise<void> {
  const [ours, theirs] = await messages(run);
  if (theirs === 'no error') failures.push(`${what}: TF.js does not throw`);
  else if (ours !== theirs) failures.push(`${what}: '${ours}' vs TF.js '${theirs}'`);
}

/** Seeded bytes (a small LCG), so that a failure repeats. */
function bytes(n: number, seed: number): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    out[i] = (s >> 16) & 255;
  }
  return out;
}

/** A canvas holding random pixels (some see-through) and shapes drawn over them. */
function testCanvas(width: number, height: number): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d')!;
  context.putImageData(new ImageData(bytes(width * height * 4, 7), width, height), 0, 0);
  context.fillStyle = 'rgba(200, 30, 90, 0.6)';
  context.fillRect(1, 1, 4, 3);
  context.fillStyle = 'rgb(10, 240, 120)';
  context.beginPath();
  context.arc(6, 4, 2.5, 0, 2 * Math.PI);
  context.fill();
  return canvas;
}

/** fromPixels, fromPixelsAsync and toPixels against TF.js: ImageData, a canvas, an image, a bitmap, PixelData. */
async function pixels(): Promise<{ failures: Failures; compared: number }> {
  const failures: Failures = [];
  let compared = 0;
  const width = 9;
  const height = 7;
  const canvas = testCanvas(width, height);
  const image = new Image();
  image.src = canvas.toDataURL('image/png');
  await image.decode();
  const inputs: [string, tf.browser.Pixels][] = [
    ['ImageData', new ImageData(bytes(width * height * 4, 3), width, height)],
    ['canvas', canvas],
    ['HTMLImageElement', image],
    ['ImageBitmap', await createImageBitmap(canvas)],
    ['PixelData', { data: new Uint8Array(bytes(width * height * 4, 5)), width, height }],
  ];
  for (const [name, input] of inputs) {
    for (const channels of [1, 2, 3, 4]) {
      const theirs = tfjs.browser.fromPixels(input as never, channels);
      sameTensor(`fromPixels(${name}, ${channels})`, tf.browser.fromPixels(input, channels), theirs, failures);
      sameTensor(`fromPixelsAsync(${name}, ${channels})`, await tf.browser.fromPixelsAsync(input, channels), theirs, failures);
      compared += 2;
    }
    sameTensor(`fromPixels(${name}) (3 channels by default)`, tf.browser.fromPixels(input), tfjs.browser.fromPixels(input as never), failures);
    compared++;
  }
  await sameError('fromPixels with 5 channels', (t) => t.browser.fromPixels(canvas, 5), failures);
  await sameError('fromPixels(null)', (t) => t.browser.fromPixels(null as never), failures);
  await sameError('fromPixels of a plain object', (t) => t.browser.fromPixels({ width: 1, height: 1 } as never), failures);
  await sameError(
    'fromPixels of a Uint8ClampedArray PixelData',
    (t) => t.browser.fromPixels({ data: new Uint8ClampedArray(4), width: 1, height: 1 } as never),
    failures,
  );
  compared += 4;

  // toPixels: float32 in [0, 1] and int32 in [0, 255], rank 2 and rank 3 with 1, 3 or 4 channels, with and without a canvas
  const shapes = [
    [height, width],
    [height, width, 1],
    [height, width, 3],
    [height, width, 4],
  ];
  for (const dtype of ['float32', 'int32'] as const) {
    for (const shape of shapes) {
      const n = shape.reduce((a, b) => a * b, 1);
      const raw = Array.from(bytes(n, n + shape.length));
      // float32: v / 255 plus a fraction of a step, so that rounding to bytes matters; 0 and 1 exactly too
      const fraction = bytes(n, 11);
      const values = dtype === 'float32' ? raw.map((v, i) => (i === 0 ? 0 : i === 1 ? 1 : Math.min(1, (v + fraction[i] / 256) / 255))) : raw;
      const what = `toPixels(${dtype} [${shape}])`;
      sameBytes(
        what,
        await tf.browser.toPixels(tf.tensor(values, shape, dtype)),
        await tfjs.browser.toPixels(tfjs.tensor(values, shape, dtype) as never),
        failures,
      );
      const ours = document.createElement('canvas');
      const theirs = document.createElement('canvas');
      await tf.browser.toPixels(tf.tensor(values, shape, dtype), ours);
      await tfjs.browser.toPixels(tfjs.tensor(values, shape, dtype) as never, theirs);
      if (ours.width !== theirs.width || ours.height !== theirs.height)
        failures.push(`${what} on a canvas: ${ours.width}x${ours.height} vs TF.js ${theirs.width}x${theirs.height}`);
      const read = (c: HTMLCanvasElement) => c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      sameBytes(`${what} on a canvas`, read(ours), read(theirs), failures);
      compared += 2;
    }
  }
  // a TensorLike is taken as int32
  const nested = [
    [
      [0, 128, 255],
      [1, 2, 3],
    ],
    [
      [9, 8, 7],
      [200, 100, 50],
    ],
  ];
  sameBytes('toPixels(nested array)', await tf.browser.toPixels(nested), await tfjs.browser.toPixels(nested), failures);
  await sameError('toPixels of rank 1', (t) => t.browser.toPixels(t.tensor([0.5, 0.5]) as never), failures);
  await sameError('toPixels with 2 channels', (t) => t.browser.toPixels(t.zeros([2, 2, 2]) as never), failures);
  await sameError('toPixels with 5 channels', (t) => t.browser.toPixels(t.zeros([2, 2, 5]) as never), failures);
  await sameError('toPixels of bool', (t) => t.browser.toPixels(t.tensor([[true, false]]) as never), failures);
  await sameError('toPixels of float32 above 1', (t) => t.browser.toPixels(t.tensor([[0.5, 1.5]]) as never), failures);
  await sameError('toPixels of float32 below 0', (t) => t.browser.toPixels(t.tensor([[-0.25, 0.5]]) as never), failures);
  await sameError('toPixels of int32 above 255', (t) => t.browser.toPixels(t.tensor([[3, 256]], undefined, 'int32') as never), failures);
  await sameError('toPixels of a nested array above 255', (t) => t.browser.toPixels([[300]]), failures);
  compared += 9;
  return { failures, compared };
}

/** The same inputs for both libraries. */
const X = [
  [0.1, -0.4, 0.9, 0.3],
  [-1, 0.5, 0.2, -0.7],
  [0.6, 0.6, -0.2, 0.05],
];

/** A dendrite model: 4 -> 3 relu -> 2 softmax, compiled (so its artifacts carry a training config). */
function dendriteModel(): tf.Sequential {
  const model = tf.sequential({
    layers: [tf.layers.dense({ units: 3, activation: 'relu', inputShape: [4] }), tf.layers.dense({ units: 2, activation: 'softmax' })],
  });
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

/** A TF.js model of another shape: 4 -> 5 tanh -> 3. */
function tfjsModel(): tfjs.Sequential {
  const model = tfjs.sequential({
    layers: [tfjs.layers.dense({ units: 5, activation: 'tanh', inputShape: [4] }), tfjs.layers.dense({ units: 3 })],
  });
  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  return model;
}

const predictOurs = (m: { predict(x: tf.Tensor): unknown }) => Array.from((m.predict(tf.tensor2d(X)) as tf.Tensor).dataSync());
const predictTheirs = (m: tfjs.LayersModel) => Array.from((m.predict(tfjs.tensor2d(X)) as tfjs.Tensor).dataSync());

function samePredictions(what: string, ours: number[], theirs: number[], failures: Failures): void {
  if (ours.length !== theirs.length || ours.some((v, i) => !(Math.abs(v - theirs[i]) <= 1e-6))) {
    failures.push(`${what}: predictions [${ours.map((v) => v.toFixed(6))}] vs [${theirs.map((v) => v.toFixed(6))}]`);
  }
}

/** localstorage:// and indexeddb:// both ways, TF.js' layout, and tf.io's model management against TF.js'. */
async function storage(): Promise<{ failures: Failures; compared: number }> {
  const failures: Failures = [];
  let compared = 0;
  localStorage.clear();
  for (const scheme of ['localstorage', 'indexeddb']) {
    const ours = dendriteModel();
    await ours.save(`${scheme}://dendrite-made`);
    const loadedByTfjs = await tfjs.loadLayersModel(`${scheme}://dendrite-made`);
    samePredictions(`dendrite saved to ${scheme}://, TF.js loaded`, predictOurs(ours), predictTheirs(loadedByTfjs), failures);
    const theirs = tfjsModel();
    await theirs.save(`${scheme}://tfjs-made`);
    const loadedByUs = await tf.loadLayersModel(`${scheme}://tfjs-made`);
    samePredictions(`TF.js saved to ${scheme}://, dendrite loaded`, predictOurs(loadedByUs), predictTheirs(theirs), failures);
    if (!(loadedByUs instanceof tf.Sequential)) failures.push(`${scheme}://: TF.js' Sequential did not load as a tf.Sequential`);
    compared += 3;
    await sameError(`loading a model ${scheme}:// does not hold`, (t) => t.loadLayersModel(`${scheme}://no-such-model`), failures);
    compared++;
  }
  // the same five localStorage items per model as TF.js writes
  const keys = (name: string) =>
    Object.keys(localStorage)
      .filter((k) => k.startsWith(`tensorflowjs_models/${name}/`))
      .sort();
  if (keys('dendrite-made').join() !== keys('tfjs-made').join().replaceAll('tfjs-made', 'dendrite-made')) {
    failures.push(`localStorage items: [${keys('dendrite-made')}] vs TF.js' [${keys('tfjs-made')}]`);
  }
  compared++;

  // listModels, copyModel, moveModel, removeModel: the same stores as TF.js sees them
  const sameList = async (when: string) => {
    const a = Object.keys(await tf.io.listModels()).sort();
    const b = Object.keys(await tfjs.io.listModels()).sort();
    if (a.join() !== b.join()) failures.push(`listModels ${when}: [${a}] vs TF.js [${b}]`);
    compared++;
  };
  await sameList('after saving');
  await tf.io.copyModel('localstorage://dendrite-made', 'indexeddb://copied');
  samePredictions(
    'copyModel, loaded by TF.js',
    predictTheirs(await tfjs.loadLayersModel('indexeddb://copied')),
    predictTheirs(await tfjs.loadLayersModel('localstorage://dendrite-made')),
    failures,
  );
  await tf.io.moveModel('indexeddb://copied', 'localstorage://moved');
  await tf.io.moveModel('localstorage://moved', 'localstorage://moved-again');
  samePredictions(
    'moveModel, loaded by TF.js',
    predictTheirs(await tfjs.loadLayersModel('localstorage://moved-again')),
    predictTheirs(await tfjs.loadLayersModel('localstorage://dendrite-made')),
    failures,
  );
  compared += 2;
  await sameList('after copying and moving');
  const info = await tf.io.removeModel('localstorage://moved-again');
  if (!(info.weightDataBytes! > 0)) failures.push(`removeModel returned ${JSON.stringify(info)}`);
  await sameList('after removing');
  await tfjs.io.removeModel('indexeddb://tfjs-made');
  await sameList('after TF.js removed one');
  await sameError('removeModel of a model not there', (t) => t.io.removeModel('indexeddb://no-such-model'), failures);
  await sameError('removeModel of an unknown scheme', (t) => t.io.removeModel('nowhere://m'), failures);
  await sameError('copyModel onto itself', (t) => t.io.copyModel('localstorage://tfjs-made', 'localstorage://tfjs-made'), failures);
  // file:// names a folder of Node.js: refused in the page by name
  const fileError = await dendriteModel()
    .save('file:///tmp/m')
    .then(
      () => 'no error',
      (e: Error) => e.message,
    );
  if (!fileError.includes('only Node.js reads and writes')) failures.push(`model.save('file://...') in a page: '${fileError}'`);
  compared += 4;
  return { failures, compared };
}

/** Saves a dendrite model to downloads://, and the same model loaded in TF.js to TF.js' downloads://. */
async function downloads(): Promise<{ x: number[][]; predictions: number[] }> {
  const ours = dendriteModel();
  await ours.save('downloads://dendrite-model');
  await ours.save('localstorage://for-download');
  await (await tfjs.loadLayersModel('localstorage://for-download')).save('downloads://tfjs-model');
  return { x: X, predictions: predictOurs(ours) };
}

/** Saves over HTTP (a POST to the test's server) from both libraries, then each loads what the other saved. */
async function httpSave(): Promise<{ failures: Failures; compared: number }> {
  const failures: Failures = [];
  const ours = dendriteModel();
  const theirs = tfjsModel();
  const result = await ours.save(`${location.origin}/upload/dendrite`);
  if (!Array.isArray(result.responses) || !(result.responses[0] as Response).ok) failures.push('model.save(http) gave no responses');
  await theirs.save(tfjs.io.http(`${location.origin}/upload/tfjs`));
  samePredictions(
    'dendrite POSTed, TF.js loaded',
    predictOurs(ours),
    predictTheirs(await tfjs.loadLayersModel(`${location.origin}/models/dendrite/model.json`)),
    failures,
  );
  samePredictions(
    'TF.js POSTed, dendrite loaded',
    predictOurs(await tf.loadLayersModel(`${location.origin}/models/tfjs/model.json`)),
    predictTheirs(theirs),
    failures,
  );
  await sameError('a POST the server refuses', (t) => dendriteOrTfjsSave(t, `${location.origin}/refuse`), failures);
  return { failures, compared: 3 };
}

/** A fresh model of the library `t` saved to `url` (for the same error from both). */
function dendriteOrTfjsSave(t: typeof tfjs, url: string): Promise<unknown> {
  return t === tfjs ? tfjsModel().save(url) : dendriteModel().save(url);
}

const ready = tfjs.setBackend('cpu');
const checks = { pixels, storage, downloads, httpSave, ready: () => ready };
(globalThis as unknown as { checks: typeof checks }).checks = checks;
