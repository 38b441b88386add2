// `dendrite playground` as a library user has it: the npm package ships the built page (web/dist), not its
// sources, and Vite is a development dependency, so it is not installed. The installation here is the compiled
// dist/, bin/ and src/ copied into a folder whose node_modules holds every dependency but Vite; a test adds the
// page's sources, as in a checkout installed without dev dependencies.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { repoRoot, STACK_LINE } from './run-cli.js';

const base = mkdtempSync(join(tmpdir(), 'dendrite-playground-package-'));
after(() => rmSync(base, { recursive: true, force: true }));

const pkg = join(base, 'node_modules', 'dendrite');
for (const path of ['package.json', 'bin', 'dist', 'src']) cpSync(join(repoRoot, path), join(pkg, path), { recursive: true });
mkdirSync(join(pkg, 'node_modules'));
for (const name of readdirSync(join(repoRoot, 'node_modules'))) {
  if (name !== 'vite' && name !== '.bin') symlinkSync(join(repoRoot, 'node_modules', name), join(pkg, 'node_modules', name));
}
const PAGE = '<!doctype html><title>the shipped playground</title>';
function shipPage(): void {
  mkdirSync(join(pkg, 'web', 'dist'), { recursive: true });
  writeFileSync(join(pkg, 'web', 'dist', 'index.html'), PAGE);
}

const bin = join(pkg, 'bin', 'dendrite.js');

/** Starts the playground, waits for its address, fetches '/', stops it; returns the page and what it printed. */
async function serveOnce(): Promise<{ page: string; stdout: string }> {
  const child = spawn(process.execPath, [bin, 'playground', '--port', '0', '--model', 'shipped'], { cwd: base });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += String(chunk)));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk) => {
        stdout += String(chunk);
        const m = /dendrite playground: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout);
        if (m) resolve(m[1]);
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}: ${stdout}${stderr}`)));
    });
    const response = await fetch(url);
    assert.equal(response.status, 200);
    return { page: await response.text(), stdout };
  } finally {
    child.kill();
  }
}

function oneLineError(args: string[], pattern: RegExp): void {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: base, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 1, `${r.stdout}${r.stderr}`);
  assert.match(r.stderr, pattern);
  assert.doesNotMatch(r.stderr, STACK_LINE);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
}

describe('dendrite playground installed without Vite', { timeout: 120_000 }, () => {
  test('serves the page it ships, files newer than it or not (an unpacked package has new times)', async () => {
    shipPage();
    const future = new Date(Date.now() + 3_600_000);
    utimesSync(join(pkg, 'src', 'index.ts'), future, future);
    const { page, stdout } = await serveOnce();
    assert.equal(page, PAGE);
    assert.doesNotMatch(stdout, /building|Vite/);
    oneLineError(
      ['playground', '--port', '0', '--model', 'shipped', '--rebuild'],
      /the playground's sources are missing \(.*web\); run dendrite from its repository checkout/,
    );
  });

  describe('with the page sources (a checkout installed without dev dependencies)', () => {
    test('sources newer than the page: served as built, with a note', async () => {
      cpSync(join(repoRoot, 'web'), join(pkg, 'web'), { recursive: true, filter: (from) => !from.startsWith(join(repoRoot, 'web', 'dist')) });
      shipPage();
      const future = new Date(Date.now() + 3_600_000);
      utimesSync(join(pkg, 'web', 'index.html'), future, future);
      const { page, stdout } = await serveOnce();
      assert.equal(page, PAGE);
      assert.match(stdout, /Vite \(a development dependency\) is not installed: serving web\/dist as built/);
    });

    test('--rebuild, or no built page, is one line naming Vite', () => {
      shipPage();
      oneLineError(['playground', '--port', '0', '--model', 'shipped', '--rebuild'], /--rebuild needs Vite, a development dependency of dendrite/);
      rmSync(join(pkg, 'web', 'dist'), { recursive: true });
      oneLineError(
        ['playground', '--port', '0', '--model', 'shipped'],
        /the playground page is not built \(no web\/dist\/index\.html\), and building it needs Vite/,
      );
    });
  });
});
