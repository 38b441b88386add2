import type { Command } from 'commander';
import { choiceOption, intOption, numberOption, UsageError } from './errors.js';
import { trainMnist } from './mnist-job.js';

export interface TrainOptions {
  model: 'cnn' | 'mlp';
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  seed: number;
  validationSplit: number;
  out?: string;
  trainSize?: number;
  testSize?: number;
  quiet?: boolean;
  /** Continue the interrupted run whose --out folder (or checkpoint/ in it) this is. */
  resume?: string;
  /** The options given on the command line (the rest are defaults). */
  explicit?: readonly string[];
}

/** `dendrite train mnist` (and, later, `dendrite train data.csv --target col`). */
export function registerTrain(program: Command): void {
  program
    .command('train')
    .description("train a model: 'mnist' trains a CNN (or MLP) on the MNIST digits")
    .argument('<data>', "'mnist'")
    .option('--model <kind>', 'mnist model: cnn or mlp', choiceOption('--model', ['cnn', 'mlp'] as const), 'cnn')
    .option('--epochs <n>', 'passes over the training data (default: 3)', intOption('--epochs', 1, 10000))
    .option('--batch-size <n>', 'samples per gradient step (default: the model\'s tuned value)', intOption('--batch-size', 1))
    .option('--learning-rate <x>', 'peak learning rate (default: the model\'s tuned value)', numberOption('--learning-rate', (n) => n > 0, 'a positive number'))
    .option('--seed <n>', 'random seed for initial weights and shuffling', intOption('--seed', 0), 42)
    .option('--validation-split <f>', 'fraction of the training data held out for validation', numberOption('--validation-split', (n) => n >= 0 && n < 1, 'in [0, 1)'), 0)
    .option('--out <dir>', 'where to save the trained model (default: ./dendrite-models/mnist-<model>)')
    .option('--train-size <n>', 'use only the first N training images', intOption('--train-size', 1, 60000))
    .option('--test-size <n>', 'evaluate on only the first N test images', intOption('--test-size', 1, 10000))
    .option('--quiet', 'print only the final results')
    .option('--resume <dir>', 'continue an interrupted run from the checkpoint it saved after each epoch in its --out folder')
    .action(async (data: string, options: TrainOptions, command: Command) => {
      if (data.toLowerCase() === 'mnist') {
        const explicit = Object.keys(options).filter((key) => command.getOptionValueSource(key) === 'cli');
        await trainMnist({ ...options, explicit });
        return;
      }
      throw new UsageError(`unknown data set '${data}'; use 'mnist'.`);
    });
}
