// The CLI on damaged model folders and malformed tables: every command that reads them (summary, evaluate,
// predict, export, train --resume) exits 1 with one line naming the file and the problem, never a stack.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { students } from '../tabular/tables.js';
import { runCli, STACK_LINE } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'dendrite-cli-bad-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let model: string;
let table: string;

function oneLineError(args: string[], pattern: RegExp): void {
  const r = runCli(args);
  assert.equal(r.status, 1, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
  assert.match(r.stderr, pattern);
  assert.doesNotMatch(r.stderr, STACK_LINE);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
}

/** A copy of the trained model folder, changed by `damage`. */
function damaged(name: string, damage: (folder: string) => void): string {
  const folder = join(dir, name);
  cpSync(model, folder, { recursive: true });
  damage(folder);
  return folder;
}

before(() => {
  table = join(dir, 'students.csv');
  writeFileSync(table, students(60));
  model = join(dir, 'model');
  const r = runCli(['train', table, '--target', 'passed', '--epochs', '3', '--quiet', '--out', model]);
  assert.equal(r.status, 0, r.stderr);
});

test('a truncated weights.bin', () => {
  const folder = damaged('truncated', (f) => {
    const bytes = readFileSync(join(f, 'weights.bin'));
    writeFileSync(join(f, 'weights.bin'), bytes.subarray(0, bytes.length - 7));
  });
  for (const args of [
    ['summary', folder],
    ['predict', folder, table],
    ['export', folder, '--onnx', join(dir, 'x.onnx')],
  ]) {
    oneLineError(args, /weights\.bin/);
  }
});

test('a missing weights.bin, model.json that is not JSON, and wrong weight shapes', () => {
  oneLineError(['summary', damaged('no-weights', (f) => unlinkSync(join(f, 'weights.bin')))], /weights\.bin/);
  const notJson = damaged('not-json', (f) => writeFileSync(join(f, 'model.json'), '{"format": "layers-model", "modelTop'));
  oneLineError(['summary', notJson], /model\.json is not valid JSON/);
  oneLineError(['predict', notJson, table], /model\.json is not valid JSON/);
  const reshaped = damaged('reshaped', (f) => {
    const json = JSON.parse(readFileSync(join(f, 'model.json'), 'utf8'));
    const kernel = json.weightsManifest[0].weights[0];
    kernel.shape = [...kernel.shape].reverse();
    writeFileSync(join(f, 'model.json'), JSON.stringify(json));
  });
  oneLineError(['summary', reshaped], /weight '.*kernel' has shape \[\d+, \d+\] in the weightsManifest but the model's '.*kernel' has shape \[\d+, \d+\]/);
});

test("a damaged preprocessing.json and a table without the model's columns", () => {
  const broken = damaged('no-preprocessing', (f) => writeFileSync(join(f, 'preprocessing.json'), '[1, 2'));
  oneLineError(['predict', broken, table], /preprocessing\.json/);
  const other = join(dir, 'other.csv');
  writeFileSync(other, 'colour,size\nred,3\nblue,4\n');
  oneLineError(['predict', model, other], /missing|column/);
});

test('malformed tables: bad quoting, only a header, an empty file', () => {
  const quoted = join(dir, 'quoted.csv');
  writeFileSync(quoted, 'a,b,y\n1,"2,0\n3,4,1\n');
  oneLineError(['train', quoted, '--target', 'y'], /quoted\.csv.*line \d+/);
  const header = join(dir, 'header.csv');
  writeFileSync(header, 'a,b,y\n');
  oneLineError(['train', header, '--target', 'y'], /header\.csv.*no (data )?rows|empty/i);
  const empty = join(dir, 'empty.csv');
  writeFileSync(empty, '');
  oneLineError(['train', empty, '--target', 'y'], /empty\.csv.*empty|no header/i);
});
