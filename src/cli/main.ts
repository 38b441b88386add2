import { pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
import { registerTrain } from './train.js';
import { registerExport } from './export.js';
import { registerPlayground } from './playground.js';
import { registerSummary } from './summary.js';
import { registerEvaluate } from './evaluate.js';
import { registerPredict } from './predict.js';
import { TableError } from '../tabular/errors.js';
import { UsageError } from './errors.js';
import { packageVersion } from './version.js';

/** Builds the `dendrite` command tree. */
export function buildProgram(): Command {
  const program = new Command('dendrite')
    .description('Deep learning in TypeScript: train, evaluate and inspect neural networks.')
    .version(packageVersion(), '-V, --version', 'print the version of dendrite')
    .option('--debug', 'show stack traces for errors')
    .exitOverride();
  // an error is one line: commander's second line, "(Did you mean train?)", joins the first
  program.configureOutput({
    outputError: (text, write) =>
      write(
        `${text
          .trim()
          .split('\n')
          .map((line) => line.trim())
          .join(' ')}\n`,
      ),
  });
  registerTrain(program);
  registerEvaluate(program);
  registerPredict(program);
  registerSummary(program);
  registerExport(program);
  registerPlayground(program);
  return program;
}

/** Runs the CLI; never throws: errors become one line on stderr and a non-zero exit code. */
export async function main(argv: readonly string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander already printed its one-line message (or help / version, with exit code 0)
      process.exitCode = error.exitCode;
      return;
    }
    const debug = argv.includes('--debug');
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    if (debug && error instanceof Error) console.error(error.stack);
    else console.error(`dendrite: error: ${message}${error instanceof UsageError || error instanceof TableError ? '' : ' (run with --debug for details)'}`);
    process.exitCode = 1;
  }
}

// `node --import tsx src/cli/main.ts ...` runs the CLI from source (the bin runs the compiled copy).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main(process.argv);
