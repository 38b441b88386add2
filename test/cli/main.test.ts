import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot, runCli, STACK_LINE } from './run-cli.js';

test('--help lists the commands', () => {
  const r = runCli(['--help']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /Usage: dendrite/);
  assert.match(r.stdout, /train/);
});

test('--version and -V print the version in package.json', () => {
  const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  for (const flag of ['--version', '-V']) {
    const r = runCli([flag]);
    assert.equal(r.status, 0);
    assert.equal(r.stdout, `${version}\n`);
  }
});

test('train --help documents every flag', () => {
  const r = runCli(['train', '--help']);
  assert.equal(r.status, 0);
  for (const flag of ['--model', '--epochs', '--batch-size', '--learning-rate', '--seed', '--validation-split', '--out'])
    assert.match(r.stdout, new RegExp(flag));
});

for (const [what, args, pattern] of [
  ['an unknown flag', ['train', 'mnist', '--epochz', '3'], /unknown option '--epochz' \(Did you mean --epochs\?\)/],
  ['a non-integer epoch count', ['train', 'mnist', '--epochs', 'three'], /--epochs must be an integer/],
  ['a zero batch size', ['train', 'mnist', '--batch-size', '0'], /--batch-size must be an integer >= 1/],
  ['a negative learning rate', ['train', 'mnist', '--learning-rate', '-1'], /--learning-rate must be a positive number/],
  ['a validation split of 1', ['train', 'mnist', '--validation-split', '1'], /--validation-split must be in \[0, 1\)/],
  ['an unknown model', ['train', 'mnist', '--model', 'resnet'], /--model must be one of cnn, mlp/],
  ['an unknown data set', ['train', 'cifar'], /unknown data set 'cifar'/],
  ['an unknown command', ['trian'], /^error: unknown command 'trian' \(Did you mean train\?\)$/m],
] as const) {
  test(`rejects ${what} with one line and a non-zero exit`, () => {
    const r = runCli(args);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, pattern);
    assert.doesNotMatch(r.stderr, STACK_LINE, 'no stack trace');
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, `one line, got:\n${r.stderr}`);
  });
}
