// Fuzzing what crosses dendrite's edges from outside: model folders (on disk, with traps beside the files:
// a link out of the folder, a named pipe, /dev/zero), HTTP requests to the playground server, and tables and
// model folders given to the CLI. Each case must end within its time limit with a result or one clear error,
// never crash the process, and never read a file outside the folder it was given: every file the loader opens
// is recorded (node:fs is wrapped) and checked, and a secret placed next to the folders must never appear in
// weights, responses or output.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs, { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import fsp from 'node:fs/promises';
import type { Server } from 'node:http';
import { syncBuiltinESMExports } from 'node:module';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { createPlaygroundServer } from '../../src/cli/playground-server.js';
import { loadCheckpoint } from '../../src/model/load-model.js';
import { layers, optimizers, sequential, setSeed, tensor } from '../../src/index.js';
import { runCli, STACK_LINE } from '../cli/run-cli.js';
import { editJson, jsonPaths } from './json-mutations.js';
import { students } from '../tabular/tables.js';

const base = realpathSync(mkdtempSync(join(tmpdir(), 'dendrite-fuzz-untrusted-')));
after(() => rmSync(base, { recursive: true, force: true }));

/** A value no real weight holds: the secret file is this float32, repeated. */
const SECRET_VALUE = 1234.5;
const SECRET_TEXT = 'SECRET-0xC0FFEE';
const secretBytes = new Uint8Array(new Float32Array(64).fill(SECRET_VALUE).buffer);
writeFileSync(join(base, 'secret.bin'), secretBytes);
writeFileSync(join(base, 'secret.txt'), `${SECRET_TEXT}\n`);

/** A folder with the given files and, beside them, the traps a hostile model.json may name. */
function trappedFolder(name: string): string {
  const dir = join(base, name);
  mkdirSync(join(dir, 'shards'), { recursive: true });
  symlinkSync(join(base, 'secret.bin'), join(dir, 'link-out.bin'));
  symlinkSync('/dev/zero', join(dir, 'zero.bin'));
  symlinkSync('/', join(dir, 'root'));
  execFileSync('mkfifo', [join(dir, 'pipe.bin')]);
  return dir;
}

/** A hang guard, generous since a case takes milliseconds: it finds a load or a request that never ends, and a busy machine does not fail it. */
const CASE_MS = 20_000;

/** Runs `f` within CASE_MS: a result, or an Error with a message; a thrown non-Error or a slow case fails. */
async function settles(what: string, f: () => Promise<unknown>): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const started = performance.now();
  try {
    return await Promise.race([
      f(),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`HANG: ${what} did not settle within ${CASE_MS} ms`)), CASE_MS))),
    ]);
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('HANG:')) assert.fail(error.message);
    assert.ok(error instanceof Error && error.message.trim().length > 0, `${what} threw ${String(error)}`);
    return error;
  } finally {
    clearTimeout(timer);
    assert.ok(performance.now() - started < CASE_MS, `${what} was slow`);
  }
}

// ---------------------------------------------------------------- which files are opened

const opened: string[] = [];
function record(target: Record<string, unknown>, names: string[]): void {
  for (const name of names) {
    const original = target[name] as (...args: unknown[]) => unknown;
    target[name] = function (this: unknown, path: unknown, ...rest: unknown[]) {
      opened.push(typeof path === 'string' ? path : path instanceof URL ? path.pathname : String(path));
      return original.call(this, path, ...rest);
    };
  }
}
record(fsp as unknown as Record<string, unknown>, ['open', 'readFile']);
record(fs as unknown as Record<string, unknown>, ['open', 'openSync', 'readFile', 'readFileSync', 'createReadStream']);
syncBuiltinESMExports();

/** Every file opened since `from` lies inside `dir` (after following links). */
function assertOpenedInside(dir: string, from: number, what: string): void {
  for (const path of opened.slice(from)) {
    let real: string;
    try {
      real = realpathSync(path);
    } catch {
      continue; // never opened: it does not exist
    }
    assert.ok(real === dir || real.startsWith(dir + sep), `${what} opened ${path} (${real}), outside ${dir}`);
  }
}

// ---------------------------------------------------------------- model folders

setSeed(5);
const model = sequential([layers.dense({ units: 3, inputShape: [4], activation: 'relu' }), layers.dense({ units: 2, activation: 'softmax' })]);
model.compile({ optimizer: optimizers.adam({ learningRate: 0.01 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
const modelDir = trappedFolder('model');
let validJson = '';
let validWeights = new Uint8Array(0);
let validOptimizer = new Uint8Array(0);

/** Values a hostile or damaged model.json may hold where a path, a size or a field was. */
const HOSTILE: unknown[] = [
  '../secret.bin',
  '../../secret.bin',
  `${base}/secret.bin`,
  '/etc/passwd',
  'file:///etc/passwd',
  'link-out.bin',
  'pipe.bin',
  'zero.bin',
  'root/etc/passwd',
  'shards',
  '.',
  '',
  'weights.bin',
  'optimizer.bin',
  '..\\secret.bin',
  'C:/x.bin',
  { toString: null },
  {},
  [],
  null,
  -1,
  0.5,
  1e308,
  2 ** 40,
  'x'.repeat(5000),
  ['../secret.bin'],
  { '../secret.bin': { bytes: 256, crc32: 0 } },
  '__proto__',
  'constructor',
];
const hostileValue = fc.oneof(fc.constantFrom<unknown>(...HOSTILE), fc.jsonValue({ maxDepth: 2 }));

before(async () => {
  // a checkpoint: weights, optimizer state and training progress, so that every path a folder names is there
  await model.fit(
    tensor([
      [1, 2, 3, 4],
      [4, 3, 2, 1],
    ]),
    tensor([
      [1, 0],
      [0, 1],
    ]),
    { epochs: 1, verbose: 0 },
  );
  await model.save(modelDir, { includeOptimizer: true, trainingState: { epoch: 1 } });
  validJson = readFileSync(join(modelDir, 'model.json'), 'utf8');
  validWeights = readFileSync(join(modelDir, 'weights.bin'));
  validOptimizer = readFileSync(join(modelDir, 'optimizer.bin'));
});

describe('fuzz: model folders on disk', () => {
  test('the valid folder loads, reading only its own files', async () => {
    const from = opened.length;
    const checkpoint = await loadCheckpoint(modelDir);
    assert.equal(checkpoint.epoch, 1);
    assertOpenedInside(modelDir, from, 'loadCheckpoint');
    assert.ok(opened.length > from, 'the recorder sees the loader open files');
  });

  test('mutated model.json and data files: a model or one error, in time, never a file outside the folder', { timeout: 300_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ kind: fc.constantFrom<'delete' | 'set'>('delete', 'set'), path: fc.nat(), value: hostileValue }), { minLength: 1, maxLength: 3 }),
        fc.constantFrom('keep', 'truncate', 'grow', 'empty'),
        fc.boolean(),
        async (edits, weightsEdit, asText) => {
          const json = editJson(validJson, edits);
          let text = JSON.stringify(json);
          if (asText) text = text.slice(0, Math.floor(text.length * 0.9)); // a truncated file too, at times
          writeFileSync(join(modelDir, 'model.json'), text);
          const weights =
            weightsEdit === 'keep'
              ? validWeights
              : weightsEdit === 'truncate'
                ? validWeights.slice(0, 10)
                : weightsEdit === 'grow'
                  ? Buffer.concat([validWeights, new Uint8Array(64)])
                  : new Uint8Array(0);
          writeFileSync(join(modelDir, 'weights.bin'), weights);
          writeFileSync(join(modelDir, 'optimizer.bin'), validOptimizer);
          const from = opened.length;
          const result = await settles(`loadCheckpoint(${text.slice(0, 300)})`, () => loadCheckpoint(modelDir));
          assertOpenedInside(modelDir, from, 'loadCheckpoint');
          if (!(result instanceof Error)) {
            const loaded = (result as Awaited<ReturnType<typeof loadCheckpoint>>).model;
            for (const w of loaded.weights) assert.ok(!w.values.includes(SECRET_VALUE), `weight ${w.name} holds the secret file's bytes`);
          } else {
            assert.doesNotMatch(result.message, /\b256 bytes\b/, 'an error names the size of the secret file');
          }
        },
      ),
      { numRuns: 250 },
    );
    writeFileSync(join(modelDir, 'model.json'), validJson);
    writeFileSync(join(modelDir, 'weights.bin'), validWeights);
  });
});

// ---------------------------------------------------------------- the playground server

describe('fuzz: playground server requests', () => {
  const page = trappedFolder('page');
  writeFileSync(join(page, 'index.html'), '<!doctype html><title>page</title>');
  writeFileSync(join(page, '.env'), SECRET_TEXT);
  symlinkSync(join(base, 'secret.txt'), join(page, 'secret.js'));
  const served = trappedFolder('served-model');
  let server: Server;
  let port = 0;

  before(async () => {
    writeFileSync(
      join(served, 'model.json'),
      JSON.stringify({
        weightsManifest: [{ paths: ['weights.bin', '../secret.txt', 'link-out.bin', 'pipe.bin', 'zero.bin', 'root/etc/passwd'], weights: [] }],
      }),
    );
    writeFileSync(join(served, 'weights.bin'), Buffer.from([1, 2, 3, 4]));
    writeFileSync(join(served, 'report.html'), SECRET_TEXT);
    server = createPlaygroundServer({ root: page, modelDir: served });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** Sends raw bytes, returns whatever comes back before the server closes (or CASE_MS passes). */
  function exchange(raw: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      let reply = '';
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`HANG: no reply within ${CASE_MS} ms to ${JSON.stringify(raw.slice(0, 200))}`));
      }, CASE_MS);
      socket.setEncoding('latin1');
      socket.on('data', (d) => (reply += d));
      socket.on('error', () => {});
      socket.on('close', () => {
        clearTimeout(timer);
        resolve(reply);
      });
      // NOTE: write, not end: a half-closed socket lets Node drop a response still being prepared
      socket.write(raw, 'latin1');
    });
  }

  const segment = fc.constantFrom(
    '',
    '.',
    '..',
    '%2e%2e',
    '%2E%2e',
    '%2f',
    '%5c',
    '%00',
    '%',
    '%zz',
    'models',
    'mnist-cnn',
    'model.json',
    'weights.bin',
    'link-out.bin',
    'pipe.bin',
    'zero.bin',
    'root',
    'etc',
    'passwd',
    '.env',
    'secret.js',
    'report.html',
    'index.html',
    '..%2f..%2fsecret.txt',
    'é',
    '\u202e',
    ';',
    '?x=1',
    '#frag',
  );
  const target = fc.oneof(
    fc.array(segment, { minLength: 0, maxLength: 6 }).map((s) => `/${s.join('/')}`),
    fc.constantFrom('*', '//', '//etc/passwd', 'http://evil/', 'models/mnist-cnn/model.json', `/${'a'.repeat(5000)}`),
    fc.string({ maxLength: 40 }),
  );
  const host = fc.constantFrom(
    '127.0.0.1:PORT',
    'localhost:PORT',
    '[::1]:PORT',
    'LOCALHOST:PORT',
    'evil.example',
    'evil.example:PORT',
    'localhost',
    '127.0.0.1:1',
    '',
    'localhost:PORT, evil',
    '127.0.0.1:PORT\r\nX-Injected: 1',
  );
  const method = fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'G\u0000ET', 'get', '');

  test('random requests: every one is answered or closed, with the security headers, never the secret, and the server lives on', {
    timeout: 300_000,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(method, target, host, fc.boolean(), async (m, t, h, twoHosts) => {
        const hostLine = h === '' ? '' : `Host: ${h.replace('PORT', String(port))}\r\n${twoHosts ? 'Host: localhost\r\n' : ''}`;
        const reply = await exchange(`${m} ${t} HTTP/1.1\r\n${hostLine}Connection: close\r\n\r\n`);
        assert.ok(!reply.includes(SECRET_TEXT), `the secret leaked for ${m} ${t} (Host ${h})`);
        if (reply.length > 0) {
          assert.match(reply, /^HTTP\/1\.1 \d{3} /, reply.slice(0, 200));
          assert.match(reply, /content-security-policy: /i, reply.slice(0, 500));
          assert.match(reply, /x-content-type-options: nosniff/i);
          assert.match(reply, /x-frame-options: deny/i);
        }
      }),
      { numRuns: 400 },
    );
    const ok = await exchange(`GET /models/mnist-cnn/weights.bin HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
    assert.match(ok, /^HTTP\/1\.1 200 /, 'the server still answers');
  });
});

// ---------------------------------------------------------------- the CLI

/** A CLI run ends with 0, or 1 and one line on stderr (no stack trace), within its limit. */
function cliSettles(args: string[], what: string): ReturnType<typeof runCli> {
  const r = runCli(args, { timeoutMs: 60_000 });
  assert.notEqual(r.status, null, `${what} was killed or hung`);
  assert.ok(r.status === 0 || r.status === 1, `${what} exited ${r.status}: ${r.stderr.slice(-500)}`);
  if (r.status === 1) {
    assert.doesNotMatch(r.stderr, STACK_LINE, `${what}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, `${what}: ${r.stderr}`);
  }
  assert.ok(!r.stdout.includes(SECRET_TEXT) && !r.stderr.includes(SECRET_TEXT), `${what} printed the secret`);
  return r;
}

/** A CSV text damaged a few times: cut, a character replaced or inserted, a line doubled. */
const csvDamage = fc.array(
  fc.tuple(
    fc.constantFrom('cut', 'replace', 'insert', 'double'),
    fc.nat(),
    fc.constantFrom(',', '"', '\n', ' ', 'x', '1e39', '=1+1', '\u00e9', '\ufffd', ';', '', 'NA', '__proto__'),
  ),
  { minLength: 1, maxLength: 4 },
);

function damage(text: string, edits: [string, number, string][]): string {
  let s = text;
  for (const [op, n, c] of edits) {
    const i = s.length === 0 ? 0 : n % (s.length + 1);
    if (op === 'cut') s = s.slice(0, i);
    else if (op === 'replace') s = s.slice(0, i) + c + s.slice(i + 1);
    else if (op === 'insert') s = s.slice(0, i) + c + s.slice(i);
    else {
      const lines = s.split('\n');
      lines.splice(n % lines.length, 0, lines[n % lines.length]);
      s = lines.join('\n');
    }
  }
  return s;
}

describe('fuzz: the CLI on damaged tables and model folders', () => {
  const work = join(base, 'cli');
  mkdirSync(work);
  const table = students(80);
  const trained = join(work, 'trained');
  writeFileSync(join(work, 'base.csv'), table);

  test('train on damaged tables: a model or one line, never a crash or a hang', { timeout: 600_000 }, () => {
    fc.assert(
      fc.property(csvDamage, fc.constantFrom('passed', 'grade', 'hours', '__proto__'), (edits, target) => {
        const file = join(work, 'damaged.csv');
        writeFileSync(file, damage(table, edits as [string, number, string][]));
        cliSettles(
          ['train', file, '--target', target, '--epochs', '2', '--hidden', '4', '--no-refit', '--out', join(work, 'out'), '--quiet'],
          `train (${JSON.stringify(edits)})`,
        );
      }),
      { numRuns: 12 },
    );
  });

  test('predict on damaged tables and with damaged model folders: predictions or one line, never the secret', { timeout: 600_000 }, () => {
    const first = runCli(['train', join(work, 'base.csv'), '--target', 'passed', '--epochs', '2', '--hidden', '4', '--no-refit', '--out', trained, '--quiet']);
    assert.equal(first.status, 0, first.stderr);
    fc.assert(
      fc.property(csvDamage, (edits) => {
        const file = join(work, 'new.csv');
        writeFileSync(file, damage(table, edits as [string, number, string][]));
        cliSettles(['predict', trained, file], `predict (${JSON.stringify(edits)})`);
      }),
      { numRuns: 12 },
    );
    const folder = trappedFolder('cli-model');
    for (const name of ['model.json', 'weights.bin', 'preprocessing.json']) writeFileSync(join(folder, name), readFileSync(join(trained, name)));
    const json = readFileSync(join(trained, 'model.json'), 'utf8');
    const places = jsonPaths(JSON.parse(json)).length - 1;
    fc.assert(
      fc.property(fc.nat(places - 1), fc.constantFrom<unknown>(...HOSTILE), fc.constantFrom('predict', 'summary', 'export'), (at, value, command) => {
        writeFileSync(join(folder, 'model.json'), JSON.stringify(editJson(json, [{ kind: 'set', path: at, value }])));
        const args =
          command === 'predict'
            ? ['predict', folder, join(work, 'base.csv')]
            : command === 'export'
              ? ['export', folder, '--onnx', join(work, 'out.onnx')]
              : ['summary', folder];
        cliSettles(args, `${command} with model.json path #${at} = ${JSON.stringify(value)}`);
      }),
      { numRuns: 15 },
    );
  });
});
