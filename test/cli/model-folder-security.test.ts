// The commands that read a model folder (summary, predict, export, evaluate) treat it as untrusted: a weight
// path out of the folder, a symbolic link leading out, a named pipe or a layer declaring gigabytes ends the
// command at once with exit 1 and one line naming the file and the field; nothing of an outside file reaches
// the output or an exported ONNX file.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { layers, sequential, setSeed } from '../../src/index.js';
import { runCli, STACK_LINE } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'dendrite-cli-folder-security-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const secret = join(dir, 'secret.bin');
let model: string;
before(async () => {
  setSeed(4);
  model = join(dir, 'model');
  await sequential([layers.dense({ units: 10, inputShape: [784], activation: 'softmax', name: 'out' })], { name: 'digits' }).save(model);
  // the size of the model's weights, so that the old loader took it for them
  writeFileSync(secret, new Uint8Array(4 * (784 * 10 + 10)).fill(0x42));
});

// biome-ignore lint/suspicious/noExplicitAny: the test edits model.json's free-form JSON at any depth
type Json = any;

/** A copy of the model folder, changed by `damage` (its CRCs dropped, so only the damage is judged). */
function damaged(name: string, damage: (json: Json, folder: string, weights: string) => void): string {
  const folder = join(dir, name);
  cpSync(model, folder, { recursive: true });
  const json = JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8'));
  delete json.dendrite.files;
  damage(json, folder, join(folder, json.weightsManifest[0].paths[0]));
  writeFileSync(join(folder, 'model.json'), JSON.stringify(json));
  return folder;
}

/** Every command that loads `folder` exits 1 within 20 s with one line matching `pattern`, and writes no ONNX file. */
function refusedEverywhere(folder: string, pattern: RegExp): void {
  const onnx = join(dir, `${folder.split(/[/\\]/).pop()}.onnx`);
  for (const args of [
    ['summary', folder],
    ['predict', folder, join(dir, 'digit.png')],
    ['export', folder, '--onnx', onnx],
    ['evaluate', folder, '--data', 'mnist'],
  ]) {
    const r = runCli(args, { timeoutMs: 20_000 });
    assert.equal(r.status, 1, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, pattern, args[0]);
    assert.doesNotMatch(r.stderr, STACK_LINE);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /\b31400 bytes/, "the outside file's size");
  }
  assert.equal(existsSync(onnx), false, 'no ONNX file written');
}

test("a weight path with '..' is refused by every command", () => {
  const folder = damaged('dotdot', (json) => (json.weightsManifest[0].paths = ['../secret.bin']));
  refusedEverywhere(folder, /weightsManifest\[0\]\.paths\[0\] names "\.\.\/secret\.bin", which leads out of the model folder/);
});

test('a weight file that is a symbolic link leading out is refused', () => {
  const folder = damaged('link-out', (_json, _folder, weights) => {
    rmSync(weights);
    symlinkSync(secret, weights);
  });
  refusedEverywhere(folder, /leads out of the model folder .* through a symbolic link/);
});

test('a weight file that is a named pipe fails at once', () => {
  const folder = damaged('pipe', (_json, _folder, weights) => {
    rmSync(weights);
    execFileSync('mkfifo', [weights]);
  });
  refusedEverywhere(folder, /is a named pipe, not a regular file/);
});

test('a model.json that is a named pipe fails at once', () => {
  const pipe = join(dir, 'pipe-model.json');
  execFileSync('mkfifo', [pipe]);
  refusedEverywhere(pipe, /pipe-model\.json is a named pipe, not a regular file/);
});

test('a layer declaring a 40 GB kernel beside a small weights file fails at once, naming the sizes', () => {
  // (test/io/untrusted-folder.test.ts checks that a 1.2 GB one allocates nothing)
  const folder = join(dir, 'huge');
  mkdirSync(folder);
  const json = {
    format: 'layers-model',
    modelTopology: {
      class_name: 'Sequential',
      config: { name: 'huge', layers: [{ class_name: 'Dense', config: { name: 'big', units: 100_000, use_bias: false, batch_input_shape: [null, 100_000] } }] },
    },
    weightsManifest: [{ paths: ['weights.bin'], weights: [{ name: 'big/kernel', shape: [100_000, 100_000], dtype: 'float32' }] }],
  };
  writeFileSync(join(folder, 'model.json'), JSON.stringify(json));
  writeFileSync(join(folder, 'weights.bin'), new Uint8Array(16));
  refusedEverywhere(folder, /weights\.bin is truncated: the 1 weights in .*model\.json's weightsManifest need 40000000000 bytes, got 16/);
});
