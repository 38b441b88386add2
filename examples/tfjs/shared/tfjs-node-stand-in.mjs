// Loaded before a ported program only when run.ts runs it on TensorFlow.js (`--tfjs`), which uses
// @tensorflow/tfjs (its pure-JavaScript cpu backend) because @tensorflow/tfjs-node cannot be installed here. It
// adds back the two things tfjs-node adds to TF.js that the Node.js examples rely on:
// - a logger for `verbose: 1` (tfjs-node prints a progress bar per epoch): one line per epoch, in dendrite's
//   format (`Epoch 2/5 - 1.2s - 850 samples/s - loss: 0.3 - acc: 0.9`), so that run.ts reads the same figures
//   from both libraries; samples/s counts the epoch's training samples over the epoch's time, validation
//   included, as dendrite's bar does;
// - `file://` URLs for model.save and tf.loadLayersModel (tfjs-node's file system handler): model.json and
//   weights.bin in a folder.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';

class EpochLogger extends tf.Callback {
  async onEpochBegin() {
    this.start = performance.now();
    this.samples = 0;
  }

  async onBatchEnd(_batch, logs) {
    this.samples += logs?.size ?? 0;
  }

  async onEpochEnd(epoch, logs) {
    const seconds = (performance.now() - this.start) / 1000;
    // TF.js may hand a callback its logs as scalar tensors still (tfjs-node's logger resolves them too)
    const values = Object.entries(logs ?? {}).map(([k, v]) => `${k}: ${(typeof v === 'number' ? v : v.dataSync()[0]).toFixed(4)}`);
    const rate = Math.round(this.samples / Math.max(seconds, 1e-9));
    console.log([`Epoch ${epoch + 1}/${this.params.epochs}`, `${seconds.toFixed(1)}s`, `${rate} samples/s`, ...values].join(' - '));
  }
}
tf.registerCallbackConstructor(1, EpochLogger);

/** The folder a file:// URL names (a URL to model.json names its folder). */
function folderOf(url) {
  const p = url.startsWith('file:///') ? fileURLToPath(url) : path.resolve(url.slice('file://'.length));
  return p.endsWith('.json') ? path.dirname(p) : p;
}

function fileHandler(url) {
  const dir = folderOf(url);
  const jsonPath = url.endsWith('.json') ? (url.startsWith('file:///') ? fileURLToPath(url) : path.resolve(url.slice(7))) : path.join(dir, 'model.json');
  return {
    async save(artifacts) {
      fs.mkdirSync(dir, { recursive: true });
      const weightsManifest = [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }];
      const json = {
        modelTopology: artifacts.modelTopology,
        weightsManifest,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
      };
      fs.writeFileSync(path.join(dir, 'weights.bin'), Buffer.from(artifacts.weightData));
      fs.writeFileSync(jsonPath, JSON.stringify(json));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load() {
      const json = JSON.parse(fs.readFileSync(jsonPath, 'utf8'));
      const specs = [];
      const buffers = [];
      for (const group of json.weightsManifest) {
        specs.push(...group.weights);
        for (const p of group.paths) buffers.push(fs.readFileSync(path.join(path.dirname(jsonPath), p)));
      }
      const all = Buffer.concat(buffers);
      return {
        modelTopology: json.modelTopology,
        weightSpecs: specs,
        weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        trainingConfig: json.trainingConfig,
      };
    },
  };
}
const route = (url) => (typeof url === 'string' && url.startsWith('file://') ? fileHandler(url) : null);
tf.io.registerSaveRouter(route);
tf.io.registerLoadRouter(route);
