import type { Command } from 'commander';
import { choiceOption, intOption, numberOption, UsageError } from './errors.js';
import { trainMnist } from './mnist-job.js';
import { trainCsv } from './train-csv.js';
import { addCsvOptions, checkFlagsFor, csvOptions, isTableFile } from './train-csv-options.js';
import type { TrainOptions } from './train-options.js';

/** `dendrite train mnist` and `dendrite train data.csv --target col`. */
export function registerTrain(program: Command): void {
  const train = program
    .command('train')
    .description("train a model: 'mnist' trains a CNN (or MLP) on the MNIST digits; a CSV file trains a network on a table (--target COL)")
    .argument('<data>', "'mnist', or a CSV file")
    .option('--model <kind>', 'mnist model: cnn or mlp', choiceOption('--model', ['cnn', 'mlp'] as const), 'cnn')
    .option(
      '--epochs <n>',
      'passes over the training data (mnist default: 3; CSV: at most 500, early stopping usually ends sooner)',
      intOption('--epochs', 1, 10000),
    )
    .option('--batch-size <n>', "samples per gradient step (default: the model's tuned value; CSV: 32)", intOption('--batch-size', 1))
    .option(
      '--learning-rate <x>',
      "peak learning rate (default: the model's tuned value; CSV: 0.001)",
      numberOption('--learning-rate', (n) => n > 0, 'a positive number'),
    )
    .option('--seed <n>', 'random seed for initial weights and shuffling', intOption('--seed', 0), 42)
    .option(
      '--validation-split <f>',
      'fraction of the training data held out for validation curves (CSV: 0.2 unless given, for early stopping)',
      numberOption('--validation-split', (n) => n >= 0 && n < 1, 'in [0, 1)'),
      0,
    )
    .option('--out <dir>', 'where to save the trained model and its report.html (default: ./dendrite-models/mnist-<model> or ./dendrite-models/<csv name>)')
    .option('--train-size <n>', 'use only the first N training images', intOption('--train-size', 1, 60000))
    .option('--test-size <n>', 'evaluate on only the first N test images', intOption('--test-size', 1, 10000))
    .option('--quiet', 'print only the final results')
    .option('--resume <dir>', 'continue an interrupted run from the checkpoint it saved after each epoch in its --out folder');
  addCsvOptions(train).action(async (data: string, options: TrainOptions, command: Command) => {
    const explicit = Object.keys(options).filter((key) => command.getOptionValueSource(key) === 'cli');
    if (data.toLowerCase() === 'mnist') {
      checkFlagsFor('mnist', explicit);
      await trainMnist({ ...options, explicit });
      return;
    }
    if (isTableFile(data)) {
      checkFlagsFor('csv', explicit);
      await trainCsv(data, csvOptions(options as unknown as Record<string, unknown>, explicit));
      return;
    }
    throw new UsageError(`unknown data set '${data}'; use 'mnist' or a CSV file (with --target COLUMN).`);
  });
}
