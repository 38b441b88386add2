// The TF.js side of test/fixtures/sequence-files (run after make_sequence_files.py, from the repository root):
//
//     npx tsx scripts/keras-fixtures/make_tfjs_sequence_files.ts
//
// For each keras215-converted/<model>/ file, real TensorFlow.js (the @tensorflow/tfjs devDependency, cpu backend)
// loads it as tf.loadLayersModel would, predicts on its expected.json input, and
//   - adds its predictions to that expected.json as `tfjs_outputs` (or `tfjs_refused` with TF.js' error: it has no
//     GRU with reset_after, Keras' default),
//   - writes tfjs-written/<model>/ with TF.js' own model.save(): the model.json and weights.bin its file:// handler
//     writes (TF.js' layer configs and weight names, lstm/kernel for Keras 2's lstm/lstm_cell/kernel), and an
//     expected.json with Keras' and TF.js' predictions.
// Last run with @tensorflow/tfjs 4.22.0.
import { readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';

const ROOT = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'sequence-files');
const MODELS = ['text-lstm', 'text-lstm-hard-sigmoid', 'bigru-tagger', 'bigru-tagger-reset-before', 'conv1d', 'simple-rnn'];

interface Values {
  name: string;
  shape: number[];
  values: number[];
}

/** A TF.js IOHandler reading a converter's folder (model.json and its shards, in manifest order). */
function folderHandler(folder: string): tf.io.IOHandler {
  return {
    load: async () => {
      const json = JSON.parse(await readFile(join(folder, 'model.json'), 'utf8'));
      const parts: Buffer[] = [];
      for (const group of json.weightsManifest) for (const p of group.paths) parts.push(await readFile(join(folder, p)));
      const bytes = Buffer.concat(parts);
      return {
        modelTopology: json.modelTopology,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        weightSpecs: json.weightsManifest.flatMap((g: { weights: tf.io.WeightsManifestEntry[] }) => g.weights),
        weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
      };
    },
  };
}

/** float32 values as the shortest decimals that read back to the same float32 (as the Python side writes them). */
function values(data: Float32Array): number[] {
  return Array.from(data, (v) => {
    for (let digits = 1; digits <= 9; digits++) {
      const short = Number(v.toPrecision(digits));
      if (Math.fround(short) === v) return short;
    }
    return v;
  });
}

await tf.setBackend('cpu');
for (const name of MODELS) {
  const source = join(ROOT, 'keras215-converted', name);
  const expected = JSON.parse(await readFile(join(source, 'expected.json'), 'utf8'));
  delete expected.tfjs_outputs;
  delete expected.tfjs_refused;
  const [x] = expected.inputs as Values[];
  const written = join(ROOT, 'tfjs-written', name);
  await rm(written, { recursive: true, force: true });
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(folderHandler(source));
  } catch (error) {
    expected.tfjs_refused = (error as Error).message;
    await writeFile(join(source, 'expected.json'), `${JSON.stringify(expected, null, 2)}`);
    console.log(`${name}: TF.js refuses the file: ${expected.tfjs_refused}`);
    continue;
  }
  const y = model.predict(tf.tensor(x.values, x.shape)) as tf.Tensor;
  const keras = (expected.outputs as Values[])[0];
  const tfjs: Values = { name: keras.name, shape: y.shape, values: values(y.dataSync() as Float32Array) };
  const worst = tfjs.values.reduce((m, v, i) => Math.max(m, Math.abs(v - keras.values[i])), 0);
  expected.tfjs_outputs = [tfjs];
  await writeFile(join(source, 'expected.json'), `${JSON.stringify(expected, null, 2)}`);

  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const artifacts = saved! as tf.io.ModelArtifacts;
  const data = artifacts.weightData!;
  const bytes = new Uint8Array(Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data);
  // what TF.js' file:// handler (tfjs-node) writes: model.json with the manifest, weights in weights.bin
  const modelJson = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    weightsManifest: [{ paths: ['./weights.bin'], weights: artifacts.weightSpecs }],
  };
  await mkdir(written, { recursive: true });
  await writeFile(join(written, 'model.json'), JSON.stringify(modelJson));
  await writeFile(join(written, 'weights.bin'), bytes);
  await writeFile(
    join(written, 'expected.json'),
    JSON.stringify({ inputs: expected.inputs, outputs: expected.outputs, outputs_from: expected.outputs_from, tfjs_outputs: [tfjs] }, null, 2),
  );
  console.log(`${name}: TF.js within ${worst.toExponential(2)} of Keras; tfjs-written: ${artifacts.weightSpecs!.map((w) => w.name).join(', ')}`);
}
