import { existsSync, statSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { choiceOption, intOption, numberOption, UsageError } from './errors.js';
import { TEXT_ENCODINGS } from '../tabular/text-decoder.js';
import type { CsvTrainOptions } from './train-csv.js';

/** Flags that only `dendrite train FILE.csv` reads (keys as commander names them). */
const CSV_ONLY = [
  'target',
  'task',
  'ordinal',
  'keep',
  'categorical',
  'drop',
  'impute',
  'delimiter',
  'encoding',
  'hidden',
  'dropout',
  'l2',
  'testSplit',
  'patience',
  'refit',
];
/** Flags that only `dendrite train mnist` reads. */
const MNIST_ONLY = ['model', 'trainSize', 'testSize', 'resume'];

function flagOf(key: string): string {
  return key === 'refit' ? '--no-refit' : `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** Comma-separated names, accumulated over repeated flags: `--keep a,b --keep c` -> ['a', 'b', 'c']. */
function nameList(flag: string): (value: string, previous: string[] | undefined) => string[] {
  return (value, previous) => {
    const names = value.split(',').map((s) => s.trim());
    if (names.some((n) => n === '')) throw new InvalidArgumentError(`${flag} takes column names separated by commas, got '${value}'.`);
    return [...(previous ?? []), ...names];
  };
}

/** `--ordinal grade=F,D,C,B,A` (repeatable): the column and its categories from lowest to highest (a Map: column names are user strings). */
function ordinalSpec(value: string, previous: Map<string, string[]> | undefined): Map<string, string[]> {
  const eq = value.indexOf('=');
  const column = value.slice(0, eq).trim();
  const order = value
    .slice(eq + 1)
    .split(',')
    .map((s) => s.trim());
  if (eq < 0 || column === '' || order.length < 2 || order.some((c) => c === '')) {
    throw new InvalidArgumentError(`--ordinal takes COLUMN=LOWEST,...,HIGHEST (at least two categories), e.g. --ordinal grade=F,D,C,B,A; got '${value}'.`);
  }
  return new Map([...(previous ?? []), [column, order]]);
}

/** `--hidden 64,32`: units per hidden layer; `--hidden 0` (or 'none') for no hidden layer. */
function hiddenUnits(value: string): number[] {
  if (value.trim() === '0' || value.trim().toLowerCase() === 'none') return [];
  const parts = value.split(',').map((s) => s.trim());
  if (!parts.every((p) => /^\d+$/.test(p) && Number(p) >= 1 && Number(p) <= 100000)) {
    throw new InvalidArgumentError(`--hidden takes units per hidden layer separated by commas, e.g. --hidden 64,32 (or 0 for none), got '${value}'.`);
  }
  return parts.map(Number);
}

/** Adds the CSV flags to the `train` command. */
export function addCsvOptions(command: Command): Command {
  return command
    .option('--target <column>', 'CSV: the column to predict')
    .option(
      '--task <task>',
      'CSV: regression, binary or multiclass (default: chosen from the target column)',
      choiceOption('--task', ['regression', 'binary', 'multiclass'] as const),
    )
    .option('--ordinal <column=order>', 'CSV: an ordered categorical column, lowest first, e.g. grade=F,D,C,B,A (repeatable)', ordinalSpec)
    .option('--categorical <columns>', 'CSV: treat these number columns as categories (comma-separated)', nameList('--categorical'))
    .option('--keep <columns>', 'CSV: keep columns that look like identifiers or are constant', nameList('--keep'))
    .option('--drop <columns>', 'CSV: leave these columns out', nameList('--drop'))
    .option('--impute', 'CSV: fill missing values with the training mean (numbers) or most frequent value (categories)')
    .option('--delimiter <char>', "CSV: the field separator (default ','; '\\t' for tabs)")
    .option(
      '--encoding <name>',
      'CSV: the text encoding, utf8 or latin1 (default utf8; invalid UTF-8 is an error naming the line)',
      choiceOption('--encoding', TEXT_ENCODINGS),
    )
    .option('--hidden <units>', 'CSV: units per hidden layer, e.g. 64,32 (default: 100)', hiddenUnits)
    .option(
      '--dropout <rate>',
      'CSV: dropout after each hidden layer (default: 0.1)',
      numberOption('--dropout', (n) => n >= 0 && n < 1, 'in [0, 1)'),
    )
    .option(
      '--l2 <x>',
      'CSV: L2 weight penalty (default: 1e-4)',
      numberOption('--l2', (n) => n >= 0, 'a number >= 0'),
    )
    .option(
      '--test-split <f>',
      'CSV: fraction of the rows held out as the test set (default: 0.2)',
      numberOption('--test-split', (n) => n >= 0 && n < 1, 'in [0, 1)'),
    )
    .option('--patience <n>', 'CSV: epochs without a better validation loss before stopping (default: 30)', intOption('--patience', 1))
    .option('--no-refit', 'CSV: keep the early-stopped network instead of retraining on all training rows');
}

/** Whether `data` names a table to train on: a .csv path, or any existing file. */
export function isTableFile(data: string): boolean {
  if (/\.(csv|tsv|txt)$/i.test(data)) return true;
  return existsSync(data) && statSync(data).isFile();
}

/** Refuses flags that belong to the other kind of training, naming them. */
export function checkFlagsFor(kind: 'csv' | 'mnist', explicit: readonly string[]): void {
  const wrong = explicit.filter((k) => (kind === 'csv' ? MNIST_ONLY : CSV_ONLY).includes(k));
  if (wrong.length === 0) return;
  const flags = wrong.map(flagOf).join(', ');
  throw new UsageError(
    kind === 'csv'
      ? `${flags} ${wrong.length === 1 ? 'is' : 'are'} for 'dendrite train mnist', not for a CSV file.`
      : `${flags} ${wrong.length === 1 ? 'is' : 'are'} for training on a CSV file, not on 'mnist'.`,
  );
}

/** The CSV options from the parsed flags: flags shared with MNIST count only when given on the command line. */
export function csvOptions(options: Record<string, unknown>, explicit: readonly string[]): CsvTrainOptions {
  return {
    ...(options as unknown as CsvTrainOptions),
    validationSplit: explicit.includes('validationSplit') ? (options.validationSplit as number) : undefined,
  };
}
