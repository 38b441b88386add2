import type { Command } from 'commander';
import type { Checkpoint } from '../model/load-model.js';
import type { Model } from '../model/model.js';
import type { PredictArgs } from '../model/predict.js';
import type { ModelData } from '../model/model-data.js';
import type { Tensor } from '../tensor/tensor.js';
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

/**
 * Loads a saved model for a command that can do without compiling it (summary, export): compiled when its
 * settings allow, else uncompiled with the reason (`compileError`), which has then no training config dendrite can compile.
 */
export async function loadCompiledIfPossible(modelDir: string): Promise<{ checkpoint: Checkpoint; compileError: string | null }> {
  try {
    return { checkpoint: await loadForCommand(modelDir, { compile: true }), compileError: null };
  } catch (error) {
    const message = (error as Error).message;
    const reason = /cannot compile the saved model: (.*?)\. Load it with \{ compile: false \}/.exec(message);
    if (!reason) throw error;
    return { checkpoint: await loadForCommand(modelDir, { compile: false }), compileError: reason[1] };
  }
}

/**
 * The commands that feed a model data (predict, evaluate) handle models of one input and one output; a graph
 * model of several is refused by name rather than failing inside.
 */
export function requireOneInputAndOutput(model: Model, modelDir: string, command: string): void {
  const inputs = model.inputShapes?.length ?? 0;
  const outputs = model.outputShapes?.length ?? 0;
  if (inputs === 1 && outputs === 1) return;
  throw new UsageError(
    `the model in '${modelDir}' has ${inputs} inputs (${model.inputNames.join(', ')}) and ${outputs} outputs (${model.outputNames.join(', ')}); '${command}' handles models of one input and one output. Use loadModel in a program for the others.`,
  );
}

/** The predictions of a model of one output (checked by `requireOneInputAndOutput`) as one tensor. */
export function predictOne(model: Model, x: ModelData, args: PredictArgs): Tensor {
  const y = model.predict(x, args);
  if (Array.isArray(y)) throw new UsageError(`the model '${model.name}' gives ${y.length} outputs; expected one.`);
  return y;
}

function formatValue(name: string, value: number): string {
  return /acc/i.test(name) ? `${(value * 100).toFixed(2)}%` : value.toPrecision(4);
}

/** `dendrite summary MODEL_DIR`: the Keras summary of a saved model, its compile settings and training progress. */
export function registerSummary(program: Command): void {
  program
    .command('summary')
    .description('print the layers, output shapes and parameter counts of a saved model')
    .argument('<model-dir>', 'the folder written by model.save() or `dendrite train` (or its model.json), or a Keras .keras / .h5 file')
    .addHelpText('after', '\nExample:\n  dendrite summary ./dendrite-models/mnist-cnn\n')
    .action(async (modelDir: string) => {
      await summaryCommand(modelDir);
    });
}

export async function summaryCommand(modelDir: string, print: (line: string) => void = console.log): Promise<void> {
  // a summary needs no optimizer: a file whose training config dendrite cannot compile still has layers to show
  const { checkpoint, compileError } = await loadCompiledIfPossible(modelDir);
  const { model, epoch, logs } = checkpoint;
  model.summary(print);
  const compiled = model.compiled;
  if (compiled) {
    const optimizer = compiled.optimizer;
    const metrics = compiled.metrics.map((m) => m.name);
    const lossOf = (loss: typeof compiled.loss) => `${String(loss.lossName)}${loss.fromLogits ? ' (from logits)' : ''}`;
    // a model of several outputs: each output's loss and its weight in the total
    const losses =
      compiled.outputs.length > 1
        ? `losses ${compiled.outputs.map((o) => `${o.outputName}: ${lossOf(o.loss)}${o.weight !== 1 ? ` x ${o.weight}` : ''}`).join(', ')}`
        : `loss ${lossOf(compiled.loss)}`;
    print(
      `Compiled with optimizer ${optimizer.className} (learning rate ${optimizer.learningRate}), ${losses}${metrics.length ? `, metrics ${metrics.join(', ')}` : ''}.`,
    );
  } else if (compileError) {
    print(
      `Not compiled: dendrite cannot compile the file's training config (${compileError}); it can predict but not be evaluated or trained further as saved.`,
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
