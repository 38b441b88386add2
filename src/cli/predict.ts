import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { Sequential } from '../model/sequential.js';
import { Tensor } from '../tensor/tensor.js';
import { readCsv } from '../tabular/csv.js';
import { TabularPipeline } from '../tabular/pipeline.js';
import { predictTable, scorePrediction } from '../tabular/predict.js';
import { isMissing } from '../tabular/values.js';
import { choiceOption, intOption, UsageError } from './errors.js';
import { readImages } from './predict-images.js';
import { loadForCommand } from './summary.js';

export interface PredictOptions {
  output?: string;
  handleUnknown: 'error' | 'ignore';
  delimiter?: string;
  batchSize: number;
}

/** `dendrite predict MODEL_DIR INPUT...`: predictions of a saved model for a CSV table or for images. */
export function registerPredict(program: Command): void {
  program
    .command('predict')
    .description('predict with a saved model: a CSV table for a model trained on a CSV file, or images (PNG, IDX, CSV of pixels) for an image model')
    .argument('<model-dir>', 'the folder written by `dendrite train`')
    .argument('<inputs...>', 'a CSV file (tabular model), or PNG / IDX / pixel-CSV files (image model)')
    .option('-o, --output <file>', 'write the predictions as CSV to this file (default: standard output)')
    .option('--handle-unknown <mode>', "categories never seen in training: 'error' or 'ignore' (all-zeros one-hot)", choiceOption('--handle-unknown', ['error', 'ignore'] as const), 'error')
    .option('--delimiter <char>', "the input CSV's field separator (default ',')")
    .option('--batch-size <n>', 'rows per forward pass', intOption('--batch-size', 1), 256)
    .addHelpText('after', '\nExamples:\n  dendrite predict ./dendrite-models/houses new-houses.csv -o predictions.csv\n  dendrite predict ./dendrite-models/mnist-cnn digit.png\n')
    .action(async (modelDir: string, inputs: string[], options: PredictOptions) => {
      await predictCommand(modelDir, inputs, options);
    });
}

/** Runs `dendrite predict`; prints or writes the predictions. */
export async function predictCommand(modelDir: string, inputs: readonly string[], options: PredictOptions): Promise<void> {
  if (!existsSync(modelDir)) throw new UsageError(`no model at '${modelDir}': the folder does not exist.`);
  const preprocessing = join(modelDir, 'preprocessing.json');
  if (existsSync(preprocessing)) await predictTabular(modelDir, preprocessing, inputs, options);
  else await predictImages(modelDir, inputs, options);
}

async function predictTabular(modelDir: string, preprocessing: string, inputs: readonly string[], options: PredictOptions): Promise<void> {
  if (inputs.length !== 1) throw new UsageError(`a model trained on a table predicts one CSV file at a time, got ${inputs.length} inputs.`);
  let pipeline: TabularPipeline;
  try {
    pipeline = TabularPipeline.fromJSON(JSON.parse(await readFile(preprocessing, 'utf8')));
  } catch (error) {
    throw new UsageError(`${preprocessing}: ${(error as Error).message}`);
  }
  const { model } = await loadForCommand(modelDir, { compile: false });
  const width = model.inputShape?.at(-1);
  if (width !== pipeline.numFeatures) throw new UsageError(`${modelDir}: the network takes ${String(width)} inputs but preprocessing.json makes ${pipeline.numFeatures}; the two files do not belong together.`);
  const table = await readCsv(inputs[0], { delimiter: options.delimiter });
  const prediction = predictTable(model, pipeline, table, { handleUnknown: options.handleUnknown });
  const target = pipeline.target;
  const header = [...table.columns, `predicted_${target.name}`, ...(target.classes ?? []).map((c) => `probability_${c}`)];
  const rows = table.rows.map((row, i) => [
    ...row,
    typeof prediction.predicted[i] === 'number' ? formatNumber(prediction.predicted[i] as number) : String(prediction.predicted[i]),
    ...(prediction.probabilities ? prediction.probabilities[i].map(formatProbability) : []),
  ]);
  await emit(header, rows, options.output);
  if (options.output) console.error(`wrote ${rows.length} predictions of '${target.name}' to ${options.output}`);
  reportScores(pipeline, table, prediction);
}

/** With the target column present and filled in, the scores of the predictions go to stderr. */
function reportScores(pipeline: TabularPipeline, table: Awaited<ReturnType<typeof readCsv>>, prediction: ReturnType<typeof predictTable>): void {
  const t = table.columns.indexOf(pipeline.target.name);
  if (t < 0 || table.rows.some((r) => isMissing(r[t]))) return;
  try {
    const { scores } = scorePrediction(pipeline, table, prediction);
    console.error(`scores against the '${pipeline.target.name}' column: ${Object.entries(scores).map(([k, v]) => `${k} ${Number(v.toPrecision(4))}`).join(', ')}`);
  } catch {
    // a class never seen in training: no score, the predictions still stand
  }
}

async function predictImages(modelDir: string, inputs: readonly string[], options: PredictOptions): Promise<void> {
  const { model } = await loadForCommand(modelDir, { compile: false });
  const images = await readImages(inputs);
  for (const note of images.notes) console.error(`note: ${note}`);
  const x = imageBatch(model, images.pixels, images.count, modelDir);
  const probabilities = asProbabilities(model.predict(x, { batchSize: options.batchSize }));
  const k = probabilities.shape[1];
  const predicted = Array.from({ length: images.count }, (_, i) => {
    const row = probabilities.values.subarray(i * k, (i + 1) * k);
    return row.indexOf(Math.max(...row));
  });
  if (options.output) {
    const header = ['input', 'predicted_class', ...Array.from({ length: k }, (_, c) => `probability_${c}`)];
    const rows = images.names.map((name, i) => [name, String(predicted[i]), ...Array.from(probabilities.values.subarray(i * k, (i + 1) * k), formatProbability)]);
    await emit(header, rows, options.output);
    console.error(`wrote ${rows.length} predictions to ${options.output}`);
    return;
  }
  images.names.forEach((name, i) => {
    const row = probabilities.values.subarray(i * k, (i + 1) * k);
    const all = Array.from(row, (p, c) => `${c}: ${p.toFixed(3)}`).join('  ');
    console.log(`${name}: class ${predicted[i]} (${(row[predicted[i]] * 100).toFixed(1)}%)   ${all}`);
  });
}

/** The images in the layout the model takes: [N, 784], [N, 28, 28, 1] or [N, 28, 28]. */
function imageBatch(model: Sequential, pixels: Float32Array, n: number, modelDir: string): Tensor {
  const sample = (model.inputShape ?? []).slice(1);
  const fits = (shape: number[]) => sample.length === shape.length && sample.every((d, i) => d === null || d === shape[i]);
  const layout = fits([784]) ? [784] : fits([28, 28, 1]) ? [28, 28, 1] : fits([28, 28]) ? [28, 28] : null;
  if (!layout) {
    throw new UsageError(`the model in '${modelDir}' takes inputs of shape [${sample.join(', ')}] and has no preprocessing.json; 'predict' handles tabular models and 28x28 image models.`);
  }
  return new Tensor(pixels, [n, ...layout]);
}

/** Softmax outputs as they are; logits (a model without a final softmax) through a softmax. */
function asProbabilities(y: Tensor): Tensor {
  const [n, k] = [y.shape[0], y.shape[y.rank - 1]];
  const v = y.values;
  let probabilities = true;
  for (let i = 0; i < n && probabilities; i++) {
    let sum = 0;
    for (let j = 0; j < k; j++) {
      if (v[i * k + j] < 0) probabilities = false;
      sum += v[i * k + j];
    }
    if (Math.abs(sum - 1) > 1e-3) probabilities = false;
  }
  if (probabilities) return new Tensor(v, [n, k]);
  const out = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    const row = v.subarray(i * k, (i + 1) * k);
    const max = Math.max(...row);
    let sum = 0;
    for (let j = 0; j < k; j++) sum += out[i * k + j] = Math.exp(row[j] - max);
    for (let j = 0; j < k; j++) out[i * k + j] /= sum;
  }
  return new Tensor(out, [n, k]);
}

function formatNumber(v: number): string {
  return Number(v.toPrecision(7)).toString();
}

function formatProbability(p: number): string {
  return Number(p.toFixed(6)).toString();
}

/** A CSV cell, quoted when it holds a delimiter, a quote or a line break. */
function csvCell(s: string): string {
  return /[",\n\r]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

async function emit(header: readonly string[], rows: readonly (readonly string[])[], output: string | undefined): Promise<void> {
  const text = [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
  if (!output) {
    process.stdout.write(text);
    return;
  }
  try {
    await writeFile(output, text);
  } catch (error) {
    throw new UsageError(`cannot write '${output}': ${(error as Error).message}`);
  }
}
