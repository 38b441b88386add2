// `dendrite playground`: help, one-line errors, and serving the built page (no browser needed).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { STACK_LINE } from '../cli/run-cli.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Runs the CLI from source (no compiled dist/ needed). */
function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function assertOneLineError(r: { status: number | null; stderr: string }, pattern: RegExp): void {
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, pattern);
  assert.doesNotMatch(r.stderr, STACK_LINE);
  assert.equal(r.stderr.trim().split('\n').length, 1, `one line, got:\n${r.stderr}`);
}

describe('dendrite playground', { timeout: 120_000 }, () => {
  test('--help documents the flags', () => {
    const r = cli(['playground', '--help']);
    assert.equal(r.status, 0);
    for (const flag of ['--port', '--rebuild', '--model']) assert.match(r.stdout, new RegExp(flag));
    assert.match(r.stdout, /127\.0\.0\.1/);
  });

  test('a bad port is one line', () => {
    assertOneLineError(cli(['playground', '--port', 'eighty']), /--port must be an integer between 0 and 65535, got 'eighty'/);
    assertOneLineError(cli(['playground', '--port', '70000']), /--port must be an integer between 0 and 65535/);
  });

  test('a port in use is one line', async () => {
    const blocker = createServer();
    await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', done));
    const port = (blocker.address() as { port: number }).port;
    try {
      assertOneLineError(cli(['playground', '--port', String(port)]), new RegExp(`port ${port} is already in use`));
    } finally {
      blocker.close();
    }
  });

  test('a missing model folder is one line', () => {
    assertOneLineError(cli(['playground', '--port', '0', '--model', 'no/such/folder']), /--model: no model\.json in 'no\/such\/folder'/);
  });

  test('a model.json leading out of its folder, or not a file, is one line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dendrite-playground-model-'));
    try {
      writeFileSync(join(dir, 'elsewhere.json'), '{}');
      mkdirSync(join(dir, 'linked'));
      symlinkSync(join(dir, 'elsewhere.json'), join(dir, 'linked', 'model.json'));
      assertOneLineError(
        cli(['playground', '--port', '0', '--model', join(dir, 'linked')]),
        /--model: .*model\.json cannot be served: it is a symbolic link leading out of its folder/,
      );
      mkdirSync(join(dir, 'folder', 'model.json'), { recursive: true });
      assertOneLineError(
        cli(['playground', '--port', '0', '--model', join(dir, 'folder')]),
        /--model: .*model\.json cannot be served: it is not a regular file/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('serves the page, the worker, the model and 404s, and prints its address', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'playground', '--port', '0', '--model', 'shipped'], { cwd: root });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk) => {
          out += String(chunk);
          const m = /dendrite playground: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
          if (m) resolve(m[1]);
        });
        child.stderr.on('data', (chunk) => reject(new Error(String(chunk))));
        child.on('exit', (code) => reject(new Error(`exited with ${code}: ${out}`)));
      });
      const page = await fetch(url);
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-type') ?? '', /text\/html/);
      const html = await page.text();
      assert.match(html, /dendrite playground/);
      const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(html);
      assert.ok(script, 'the page loads a bundled script');
      const js = await fetch(new URL(script[1], url));
      assert.match(js.headers.get('content-type') ?? '', /javascript/);
      const model = (await (await fetch(new URL('models/mnist-cnn/model.json', url))).json()) as { format: string };
      assert.equal(model.format, 'layers-model');
      const weights = await fetch(new URL('models/mnist-cnn/weights.bin', url));
      assert.equal(weights.status, 200);
      assert.ok((await weights.arrayBuffer()).byteLength < 200_000, 'weights.bin stays small');
      assert.equal((await fetch(new URL('no-such-file.js', url))).status, 404);
      assert.notEqual((await fetch(new URL('..%2f..%2fpackage.json', url))).status, 200, 'no way out of web/dist');
      // the security headers (the browser test checks that the page works under this policy)
      assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self' 'wasm-unsafe-eval'.*frame-ancestors 'none'/);
      assert.equal(page.headers.get('x-frame-options'), 'DENY');
      assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
      // a malformed request and a foreign Host (DNS rebinding) are refused, and the server goes on
      const port = Number(new URL(url).port);
      const malformed = await new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => socket.end(`GET // HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`));
        let answer = '';
        socket.on('data', (chunk) => (answer += String(chunk)));
        socket.on('close', () => resolve(answer));
        socket.on('error', reject);
      });
      assert.match(malformed, /^HTTP\/1\.1 400 /);
      const rebound = await new Promise<number>((resolve, reject) => {
        request({ host: '127.0.0.1', port, path: '/', headers: { Host: `rebind.example:${port}` } }, (r) => {
          r.resume();
          resolve(r.statusCode ?? 0);
        })
          .on('error', reject)
          .end();
      });
      assert.equal(rebound, 421);
      assert.equal((await fetch(url)).status, 200, 'still serving');
    } finally {
      child.kill();
    }
  });
});
