import type { Command } from 'commander';
import type { Checkpoint } from '../model/load-model.js';
import { UsageError } from './errors.js';

/** Loads a saved model for a command: compiled when its settings allow, with one-line errors. */
export async function loadForCommand(modelDir: string, options: { compile: boolean }): Promise<Checkpoint> {
  const { loadCheckpoint } = await import('../model/load-model.js');
  try {
    return await loadCheckpoint(modelDir, { compile: options.compile });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function formatValue(name: string, value: number): string {
  return /acc/i.test(name) ? `${(value * 100).toFixed(2)}%` : value.toPrecision(4);
}

/** `dendrite summary MODEL_DIR`: the Keras summary of a saved model, its compile settings and training progress. */
export function registerSummary(program: Command): void {
  program
    .command('summary')
    .description('print the layers, output shapes and parameter counts of a saved model')
    .argument('<model-dir>', 'the folder written by model.save() or `dendrite train` (or its model.json)')
    .addHelpText('after', '\nExample:\n  dendrite summary ./dendrite-models/mnist-cnn\n')
    .action(async (modelDir: string) => {
      await summaryCommand(modelDir);
    });
}

export async function summaryCommand(modelDir: string, print: (line: string) => void = console.log): Promise<void> {
  let checkpoint: Checkpoint;
  try {
    checkpoint = await loadForCommand(modelDir, { compile: true });
  } catch (error) {
    // a summary needs no optimizer: a file whose training config dendrite cannot compile still has layers to show
    if (!/cannot compile/.test((error as Error).message)) throw error;
    checkpoint = await loadForCommand(modelDir, { compile: false });
  }
  const { model, epoch, logs } = checkpoint;
  model.summary(print);
  const compiled = model.compiled;
  if (compiled) {
    const optimizer = compiled.optimizer;
    const metrics = compiled.metrics.map((m) => m.name);
    print(
      `Compiled with optimizer ${optimizer.className} (learning rate ${optimizer.learningRate}), loss ${String(compiled.loss.lossName)}${compiled.loss.fromLogits ? ' (from logits)' : ''}${metrics.length ? `, metrics ${metrics.join(', ')}` : ''}.`,
    );
  } else {
    print('Not compiled (the file has no training config): it can predict but not be evaluated or trained further as saved.');
  }
  if (epoch > 0) {
    const shown = logs
      ? Object.entries(logs)
          .map(([k, v]) => `${k} ${formatValue(k, v)}`)
          .join(', ')
      : '';
    print(`Checkpoint after epoch ${epoch}${shown ? `: ${shown}` : ''}.`);
  }
}
