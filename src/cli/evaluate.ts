import type { Command } from 'commander';
import { choiceOption, intOption, UsageError } from './errors.js';
import { loadForCommand, requireOneInputAndOutput } from './summary.js';

export interface EvaluateOptions {
  data: 'mnist';
  testSize?: number;
  batchSize: number;
}

/** `dendrite evaluate MODEL_DIR --data mnist`: loss and metrics of a saved model on a test set. */
export function registerEvaluate(program: Command): void {
  program
    .command('evaluate')
    .description('compute the loss and metrics of a saved model on a test set (the MNIST test images)')
    .argument('<model-dir>', 'the folder written by model.save() or `dendrite train` (or its model.json), or a Keras .keras / .h5 file')
    .requiredOption('--data <name>', "the test set: 'mnist' (its 10,000 test images)", choiceOption('--data', ['mnist'] as const))
    .option('--test-size <n>', 'evaluate on only the first N test images', intOption('--test-size', 1, 10000))
    .option('--batch-size <n>', 'samples per batch', intOption('--batch-size', 1), 256)
    .addHelpText('after', '\nExample:\n  dendrite evaluate ./dendrite-models/mnist-cnn --data mnist\n')
    .action(async (modelDir: string, options: EvaluateOptions) => {
      await evaluateCommand(modelDir, options);
    });
}

function formatValue(name: string, value: number): string {
  return /acc/i.test(name) ? `${(value * 100).toFixed(2)}%` : value.toFixed(4);
}

/** Loads the model and the test set, checks they fit each other, evaluates and prints one line per quantity. */
export async function evaluateCommand(
  modelDir: string,
  options: EvaluateOptions,
  print: (line: string) => void = console.log,
): Promise<Record<string, number>> {
  const { model } = await loadForCommand(modelDir, { compile: true });
  if (!model.compiled) {
    throw new UsageError(
      `the model in '${modelDir}' was saved without its loss and metrics (no training config in model.json), so it cannot be evaluated; save it after model.compile().`,
    );
  }
  requireOneInputAndOutput(model, modelDir, 'evaluate');
  const { formatShape } = await import('../tensor/shape.js');
  const { mnist } = await import('../data/mnist.js');
  const { toCategorical } = await import('../data/to-categorical.js');
  const { reshape } = await import('../ops/reshape.js');
  const inputShape = model.inputShape!;
  const sample = inputShape.slice(1);
  const fits = (shape: number[]) => sample.length === shape.length && sample.every((d, i) => d === null || d === shape[i]);
  const layout = fits([784]) ? [784] : fits([28, 28, 1]) ? [28, 28, 1] : fits([28, 28]) ? [28, 28] : null;
  if (!layout) throw new UsageError(`the model expects inputs of shape ${formatShape(inputShape)}, but MNIST images are 28x28x1 (784 values).`);
  const units = model.outputShape!.at(-1);
  if (units !== 10) throw new UsageError(`the model has ${String(units)} outputs, but MNIST has 10 classes.`);
  // only the test images are needed; the smallest training slice keeps the load quick
  const data = await mnist({ trainSize: 1, testSize: options.testSize });
  const n = data.xTest.shape[0];
  const x = reshape(data.xTest, [n, ...layout]);
  const y = model.compiled.loss.lossName === 'sparseCategoricalCrossentropy' ? data.yTest : toCategorical(data.yTest, 10);
  let results: Record<string, number>;
  try {
    results = model.evaluate(x, y, { batchSize: options.batchSize });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  print(`${modelDir} on ${n} MNIST test images:`);
  for (const [name, value] of Object.entries(results)) print(`  ${name}: ${formatValue(name, value)}`);
  return results;
}
