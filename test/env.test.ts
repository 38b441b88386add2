import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { bufferReuseAllowed, ENV_SWITCHES, relaxedSimdAllowed, requestedBackend, requestedThreads } from '../src/env.js';

const root = fileURLToPath(new URL('../', import.meta.url));

function filesUnder(dir: string, extensions: string[]): string[] {
  return readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && extensions.some((x) => e.name.endsWith(x)))
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

/** Every DENDRITE_* variable read anywhere, with the files reading it (macros in native/src are not reads). */
function readsInTheTree(): Map<string, string[]> {
  const reads = new Map<string, string[]>();
  const patterns: [string[], RegExp][] = [
    [filesUnder('src', ['.ts']), /(?:process\.env\??\.|read\(')(DENDRITE_[A-Z0-9_]+)/g],
    [filesUnder('scripts', ['.mjs']), /process\.env\.(DENDRITE_[A-Z0-9_]+)/g],
    [filesUnder('native/src', ['.cc', '.h']), /getenv\("(DENDRITE_[A-Z0-9_]+)"\)/g],
  ];
  for (const [files, pattern] of patterns) {
    for (const file of files) {
      for (const m of readFileSync(join(root, file), 'utf8').matchAll(pattern)) reads.set(m[1], [...(reads.get(m[1]) ?? []), file]);
    }
  }
  return reads;
}

/** Runs `fn` with the environment variable set (or deleted with undefined), then restores it. */
function withEnv<T>(name: string, value: string | undefined, fn: () => T): T {
  const before = process.env[name];
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
  try {
    return fn();
  } finally {
    if (before === undefined) delete process.env[name];
    else process.env[name] = before;
  }
}

describe('environment switches', () => {
  test('the table lists every DENDRITE_* variable read in src/, scripts/ and native/src, and nothing else', () => {
    const reads = readsInTheTree();
    assert.deepEqual([...reads.keys()].sort(), ENV_SWITCHES.map((s) => s.name).sort());
  });

  test('in the library, only src/env.ts reads them', () => {
    for (const [name, files] of readsInTheTree()) {
      for (const file of files.filter((f) => f.startsWith('src'))) assert.equal(file, join('src', 'env.ts'), `${file} reads ${name}`);
    }
  });

  test("the README's Environment switches table has a row for each", () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const section = readme.split(/^## /m).find((s) => s.startsWith('Environment switches'));
    assert.ok(section, 'README.md has a section "## Environment switches"');
    for (const { name } of ENV_SWITCHES) assert.match(section, new RegExp(`^\\| \`${name}`, 'm'), `no row for ${name}`);
  });

  test('defaults when unset, and the values each takes', () => {
    withEnv('DENDRITE_BACKEND', undefined, () => assert.equal(requestedBackend(), undefined));
    withEnv('DENDRITE_BACKEND', '', () => assert.equal(requestedBackend(), undefined));
    withEnv('DENDRITE_BACKEND', 'js', () => assert.equal(requestedBackend(), 'js'));
    withEnv('DENDRITE_NUM_THREADS', undefined, () => assert.equal(requestedThreads(), undefined));
    for (const bad of ['0', '-2', '1.5', 'four', '']) withEnv('DENDRITE_NUM_THREADS', bad, () => assert.equal(requestedThreads(), undefined, bad));
    withEnv('DENDRITE_NUM_THREADS', '3', () => assert.equal(requestedThreads(), 3));
    withEnv('DENDRITE_WASM_RELAXED', undefined, () => assert.equal(relaxedSimdAllowed(), true));
    withEnv('DENDRITE_WASM_RELAXED', '0', () => assert.equal(relaxedSimdAllowed(), false));
    withEnv('DENDRITE_BUFFER_REUSE', undefined, () => assert.equal(bufferReuseAllowed(), true));
    withEnv('DENDRITE_BUFFER_REUSE', '0', () => assert.equal(bufferReuseAllowed(), false));
  });

  test('without process (a browser page or worker), every switch has its default', () => {
    const saved = globalThis.process;
    // the functions look `process` up when called, so hiding the global is what a page looks like to them
    Object.defineProperty(globalThis, 'process', { value: undefined, configurable: true, writable: true });
    try {
      assert.deepEqual([requestedBackend(), requestedThreads(), relaxedSimdAllowed(), bufferReuseAllowed()], [undefined, undefined, true, true]);
    } finally {
      Object.defineProperty(globalThis, 'process', { value: saved, configurable: true, writable: true });
    }
  });
});
