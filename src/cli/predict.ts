import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { openAtomicFile } from '../io/atomic-stream.js';
import { readCompanionFile } from '../io/companion-files.js';
import type { Model } from '../model/model.js';
import { indexOfMax, maxOf } from '../tensor/extremes.js';
import { Tensor } from '../tensor/tensor.js';
import { fileChunks, streamCsv } from '../tabular/csv-records.js';
import { csvLine, type FormulaEscape } from '../tabular/csv-writer.js';
import { TabularPipeline } from '../tabular/pipeline.js';
import { classScores, decode, type TabularPrediction } from '../tabular/predict.js';
import { regressionScores } from '../tabular/scores.js';
import { TEXT_ENCODINGS, type TextEncoding } from '../tabular/text-decoder.js';
import { categoryOf, isMissing, parseNumber } from '../tabular/values.js';
import { choiceOption, intOption, UsageError } from './errors.js';
import { readImages } from './predict-images.js';
import { loadForCommand, predictOne, requireOneInputAndOutput } from './summary.js';

export interface PredictOptions {
  output?: string;
  handleUnknown: 'error' | 'ignore';
  delimiter?: string;
  encoding?: TextEncoding;
  batchSize: number;
  /** Leave plain numbers such as -1.5 unneutralised in the output (text cells are always neutralised). */
  rawNumbers?: boolean;
}

/** Rows read, encoded and predicted at a time: the input streams through, however large. */
const CHUNK_ROWS = 4096;

/** `dendrite predict MODEL_DIR INPUT...`: predictions of a saved model for a CSV table or for images. */
export function registerPredict(program: Command): void {
  program
    .command('predict')
    .description('predict with a saved model: a CSV table for a model trained on a CSV file, or images (PNG, IDX, CSV of pixels) for an image model')
    .argument('<model-dir>', 'the folder written by `dendrite train` or model.save(), or a Keras .keras / .h5 file')
    .argument('<inputs...>', 'a CSV file (tabular model), or PNG / IDX / pixel-CSV files (image model)')
    .option('-o, --output <file>', 'write the predictions as CSV to this file (default: standard output); never a file of the model folder or an input')
    .option(
      '--handle-unknown <mode>',
      "categories never seen in training: 'error' or 'ignore' (all-zeros one-hot)",
      choiceOption('--handle-unknown', ['error', 'ignore'] as const),
      'error',
    )
    .option('--delimiter <char>', "the input CSV's field separator (default ',')")
    .option(
      '--encoding <name>',
      "the input CSV's text encoding: utf8 or latin1 (default utf8; invalid UTF-8 is an error)",
      choiceOption('--encoding', TEXT_ENCODINGS),
    )
    .option('--batch-size <n>', 'rows per forward pass', intOption('--batch-size', 1), 256)
    .option(
      '--raw-numbers',
      "write plain numbers such as -1.5 as they are; by default every cell starting with =, +, -, @ gets a leading ' so that a spreadsheet cannot run it as a formula",
    )
    .addHelpText(
      'after',
      '\nExamples:\n  dendrite predict ./dendrite-models/houses new-houses.csv -o predictions.csv\n  dendrite predict ./dendrite-models/mnist-cnn digit.png\n',
    )
    .action(async (modelDir: string, inputs: string[], options: PredictOptions) => {
      await predictCommand(modelDir, inputs, options);
    });
}

/** Runs `dendrite predict`; prints or writes the predictions. */
export async function predictCommand(modelDir: string, inputs: readonly string[], options: PredictOptions): Promise<void> {
  if (!existsSync(modelDir)) throw new UsageError(`no model at '${modelDir}': the folder does not exist.`);
  if (options.output) await checkOutput(options.output, modelDir, inputs);
  let preprocessing: string | null;
  try {
    preprocessing = statSync(modelDir).isDirectory() ? await readCompanionFile(modelDir, 'preprocessing.json') : null;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (preprocessing !== null) await predictTabular(modelDir, preprocessing, inputs, options);
  else await predictImages(modelDir, inputs, options);
}

/** The output must not overwrite the model or an input (a slip such as `-o model/model.json` would destroy it). */
async function checkOutput(output: string, modelDir: string, inputs: readonly string[]): Promise<void> {
  const { realpath } = await import('node:fs/promises');
  const { basename, dirname, join, sep } = await import('node:path');
  const real = async (p: string) => realpath(p).catch(() => null);
  const parent = await real(dirname(output));
  if (!parent) throw new UsageError(`cannot write '${output}': the folder ${dirname(output)} does not exist.`);
  const target = join(parent, basename(output));
  const model = await real(statSync(modelDir).isDirectory() ? modelDir : dirname(modelDir));
  if (model && (target === model || target.startsWith(model + sep))) {
    throw new UsageError(`-o ${output} lies inside the model folder ${modelDir}, whose files it could overwrite; write the predictions elsewhere.`);
  }
  for (const input of inputs) {
    if ((await real(input)) === ((await real(output)) ?? target))
      throw new UsageError(`-o ${output} is the input file ${input}; writing the predictions there would destroy it.`);
  }
}

async function predictTabular(modelDir: string, preprocessing: string, inputs: readonly string[], options: PredictOptions): Promise<void> {
  if (inputs.length !== 1) throw new UsageError(`a model trained on a table predicts one CSV file at a time, got ${inputs.length} inputs.`);
  const file = join(modelDir, 'preprocessing.json');
  let pipeline: TabularPipeline;
  try {
    pipeline = TabularPipeline.fromJSON(JSON.parse(preprocessing));
  } catch (error) {
    throw new UsageError(`${file}: ${(error as Error).message}`);
  }
  const { model } = await loadForCommand(modelDir, { compile: false });
  requireOneInputAndOutput(model, modelDir, 'predict');
  checkModelMatches(model, pipeline, modelDir);
  const target = pipeline.target;
  const neutralise = options.rawNumbers ? 'text' : 'all';
  const out = options.output ? await openAtomicFile(options.output) : null;
  const emit = out ? (text: string) => out.write(text) : (text: string) => writeStdout(text);
  const score = new ScoreTracker(pipeline);
  let header: readonly string[] = [];
  let chunk: string[][] = [];
  let lines: number[] = [];
  let written = 0;
  let pending = '';
  const predictChunk = () => {
    if (chunk.length === 0) return;
    const x = pipeline.transformCells(header, chunk, lines, inputs[0], { handleUnknown: options.handleUnknown });
    const rowLines = lines;
    const prediction = decode(pipeline, predictOne(model, x, { batchSize: options.batchSize }), (i) => `${inputs[0]}, line ${rowLines[i]}`);
    const k = target.classes?.length ?? 0;
    for (let i = 0; i < chunk.length; i++) {
      const predicted = prediction.predicted[i];
      const cells = [...chunk[i], typeof predicted === 'number' ? formatNumber(predicted) : String(predicted)];
      for (let c = 0; c < k; c++) cells.push(formatProbability(prediction.probabilities![i * k + c]));
      pending += csvLine(cells, neutralise);
    }
    score.add(header, chunk, prediction);
    written += chunk.length;
    chunk = [];
    lines = [];
  };
  try {
    await streamCsv(
      await fileChunks(inputs[0]),
      inputs[0],
      { delimiter: options.delimiter, encoding: options.encoding },
      {
        header: (columns) => {
          header = columns;
          pending += csvLine([...columns, `predicted_${target.name}`, ...(target.classes ?? []).map((c) => `probability_${c}`)], neutralise);
        },
        row: (cells, line) => {
          chunk.push(cells);
          lines.push(line);
          if (chunk.length === CHUNK_ROWS) predictChunk();
        },
        drain: async () => {
          if (pending) await emit(pending);
          pending = '';
        },
      },
    );
    predictChunk();
    await emit(pending);
    await out?.commit();
  } catch (error) {
    await out?.abort();
    throw error;
  }
  if (options.output) console.error(`wrote ${written} predictions of '${target.name}' to ${options.output}`);
  score.report();
}

/** The network and preprocessing.json must fit each other: inputs as many as the features, outputs as the task needs. */
function checkModelMatches(model: Model, pipeline: TabularPipeline, modelDir: string): void {
  const width = model.inputShape?.at(-1);
  if (model.inputShape?.length !== 2 || width !== pipeline.numFeatures) {
    throw new UsageError(
      `${modelDir}: the network takes inputs of shape [${(model.inputShape ?? []).map(String).join(', ')}] but preprocessing.json makes ${pipeline.numFeatures} features per row; the two files do not belong together.`,
    );
  }
  const units = model.outputShape?.at(-1);
  const target = pipeline.target;
  if (model.outputShape?.length !== 2 || units !== target.units) {
    const what =
      target.task === 'multiclass'
        ? `${target.units} classes (${target.classes!.join(', ')})`
        : target.task === 'binary'
          ? 'a binary target (1 output unit)'
          : 'a regression target (1 output unit)';
    throw new UsageError(
      `${modelDir}: the network has ${String(units)} output unit${units === 1 ? '' : 's'} but preprocessing.json describes ${what}; the two files do not belong together.`,
    );
  }
}

/** With the target column present and filled in everywhere, the scores of the predictions (to stderr at the end). */
class ScoreTracker {
  private usable = true;
  private readonly actual: number[] = [];
  private readonly predicted: number[] = [];

  constructor(private readonly pipeline: TabularPipeline) {}

  add(header: readonly string[], rows: readonly string[][], prediction: TabularPrediction): void {
    if (!this.usable) return;
    const t = header.indexOf(this.pipeline.target.name);
    const target = this.pipeline.target;
    if (t < 0) {
      this.usable = false;
      return;
    }
    for (let i = 0; i < rows.length; i++) {
      const cell = rows[i][t];
      if (isMissing(cell)) {
        this.usable = false;
        return;
      }
      if (target.task === 'regression') {
        const n = parseNumber(cell);
        if (n === null) {
          this.usable = false;
          return;
        }
        this.actual.push(n);
        this.predicted.push(prediction.predicted[i] as number);
      } else {
        const code = target.classes!.indexOf(categoryOf(cell));
        // a class never seen in training: no score, the predictions still stand
        if (code < 0) {
          this.usable = false;
          return;
        }
        this.actual.push(code);
        this.predicted.push(prediction.codes![i]);
      }
    }
  }

  report(): void {
    if (!this.usable || this.actual.length === 0) return;
    const task = this.pipeline.task;
    const scores: Record<string, number> =
      task === 'regression'
        ? { ...regressionScores(this.actual, this.predicted) }
        : classScores(this.pipeline, Int32Array.from(this.actual), Int32Array.from(this.predicted)).scores;
    console.error(
      `scores against the '${this.pipeline.target.name}' column: ${Object.entries(scores)
        .map(([k, v]) => `${k} ${Number(v.toPrecision(4))}`)
        .join(', ')}`,
    );
  }
}

function writeStdout(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (text.length === 0) return resolve();
    process.stdout.write(text, (error) => (error ? reject(error) : resolve()));
  });
}

async function predictImages(modelDir: string, inputs: readonly string[], options: PredictOptions): Promise<void> {
  const { model } = await loadForCommand(modelDir, { compile: false });
  requireOneInputAndOutput(model, modelDir, 'predict');
  const images = await readImages(inputs);
  for (const note of images.notes) console.error(`note: ${note}`);
  const x = imageBatch(model, images.pixels, images.count, modelDir);
  const probabilities = asProbabilities(predictOne(model, x, { batchSize: options.batchSize }));
  const k = probabilities.shape[1];
  const predicted = Array.from({ length: images.count }, (_, i) => {
    const best = indexOfMax(probabilities.values.subarray(i * k, (i + 1) * k));
    if (best < 0) throw new UsageError(`the network's output for ${images.names[i]} is not a number: the model's weights are broken; no prediction is made.`);
    return best;
  });
  if (options.output) {
    const header = ['input', 'predicted_class', ...Array.from({ length: k }, (_, c) => `probability_${c}`)];
    const rows = images.names.map((name, i) => [
      name,
      String(predicted[i]),
      ...Array.from(probabilities.values.subarray(i * k, (i + 1) * k), formatProbability),
    ]);
    await emit(header, rows, options.output, options.rawNumbers ? 'text' : 'all');
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
function imageBatch(model: Model, pixels: Float32Array, n: number, modelDir: string): Tensor {
  const sample = (model.inputShape ?? []).slice(1);
  const fits = (shape: number[]) => sample.length === shape.length && sample.every((d, i) => d === null || d === shape[i]);
  const layout = fits([784]) ? [784] : fits([28, 28, 1]) ? [28, 28, 1] : fits([28, 28]) ? [28, 28] : null;
  if (!layout) {
    throw new UsageError(
      `the model in '${modelDir}' takes inputs of shape [${sample.join(', ')}] and has no preprocessing.json; 'predict' handles tabular models and 28x28 image models.`,
    );
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
    const max = maxOf(row);
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

async function emit(header: readonly string[], rows: readonly (readonly string[])[], output: string | undefined, neutralise: FormulaEscape): Promise<void> {
  const text = [header, ...rows].map((r) => csvLine(r, neutralise)).join('');
  if (!output) {
    await writeStdout(text);
    return;
  }
  const out = await openAtomicFile(output).catch((error: Error) => {
    throw new UsageError(`cannot write '${output}': ${error.message}`);
  });
  try {
    await out.write(text);
    await out.commit();
  } catch (error) {
    await out.abort();
    throw new UsageError(`cannot write '${output}': ${(error as Error).message}`);
  }
}
