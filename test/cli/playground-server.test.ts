// The playground's HTTP server (src/cli/playground-server.ts), driven with raw requests over TCP so that
// malformed request lines and Host headers can be sent: no request ends the process, only the page's files
// and the model's model.json + weights are served (never through a link leading out, never a dotfile), only
// requests for localhost / 127.0.0.1 / [::1] on the right port are answered (DNS rebinding), and every
// response carries the security headers. Needs no build of the page: it serves a made-up one.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CONTENT_SECURITY_POLICY, createPlaygroundServer, hostAllowed, parseTarget } from '../../src/cli/playground-server.js';

const base = mkdtempSync(join(tmpdir(), 'dendrite-playground-server-'));
const page = join(base, 'page');
const model = join(base, 'model');
const linkedModel = join(base, 'linked-model');
writeFileSync(join(base, 'secret.txt'), 'outside the folders');

mkdirSync(join(page, 'assets'), { recursive: true });
mkdirSync(join(page, '.git'));
mkdirSync(join(page, 'models', 'mnist-cnn'), { recursive: true });
mkdirSync(join(page, 'dir.js'));
writeFileSync(join(page, 'index.html'), '<!doctype html><title>dendrite playground</title>');
writeFileSync(join(page, 'assets', 'app.js'), 'console.log(1);');
writeFileSync(join(page, 'big.bin'), Buffer.alloc(8 * 1024 * 1024, 7));
writeFileSync(join(page, 'locked.js'), 'locked');
chmodSync(join(page, 'locked.js'), 0);
writeFileSync(join(page, '.env'), 'TOKEN=secret');
writeFileSync(join(page, '.git', 'config'), '[core]');
writeFileSync(join(page, 'models', 'mnist-cnn', 'model.json'), '{"shipped":true}');
symlinkSync(join(base, 'secret.txt'), join(page, 'link-out.js'));
symlinkSync('/', join(page, 'link-root'));
symlinkSync(join(page, 'assets', 'app.js'), join(page, 'link-in.js'));
symlinkSync(join(page, '.env'), join(page, 'link-dot.js'));
execFileSync('mkfifo', [join(page, 'pipe.js')]);

const modelJson = JSON.stringify({
  format: 'layers-model',
  modelTopology: {},
  weightsManifest: [
    { paths: ['weights.bin', './shards/part.bin'], weights: [] },
    { paths: ['../secret.txt', 'link-out.bin', '/etc/passwd', 'pipe.bin', 42], weights: [] },
  ],
});
mkdirSync(join(model, 'shards'), { recursive: true });
mkdirSync(join(model, 'checkpoint'));
writeFileSync(join(model, 'model.json'), modelJson);
writeFileSync(join(model, 'weights.bin'), Buffer.from([1, 2, 3, 4]));
writeFileSync(join(model, 'shards', 'part.bin'), Buffer.from([5, 6]));
writeFileSync(join(model, 'checkpoint', 'state.bin'), Buffer.from([9]));
writeFileSync(join(model, 'report.html'), '<p>report</p>');
writeFileSync(join(model, 'preprocessing.json'), '{}');
writeFileSync(join(model, '.hidden'), 'hidden');
symlinkSync(join(base, 'secret.txt'), join(model, 'link-out.bin'));
symlinkSync('/', join(model, 'root'));
execFileSync('mkfifo', [join(model, 'pipe.bin')]);

// a model folder whose model.json is a link to a JSON file elsewhere
mkdirSync(linkedModel);
writeFileSync(join(base, 'elsewhere.json'), '{"weightsManifest":[]}');
symlinkSync(join(base, 'elsewhere.json'), join(linkedModel, 'model.json'));

const isRoot = process.getuid?.() === 0;

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** Whether the connection closed before the announced Content-Length arrived. */
  cut: boolean;
}

/** Sends `text` on a fresh connection and reads until the server closes it (or `timeoutMs`). */
function raw(
  port: number,
  text: string | Buffer,
  options: { timeoutMs?: number; onFirstData?: (pause: () => void, resume: () => void) => void } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let first = true;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer within ${options.timeoutMs ?? 5000} ms to ${JSON.stringify(String(text).slice(0, 80))}`));
    }, options.timeoutMs ?? 5000);
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      if (first && options.onFirstData)
        options.onFirstData(
          () => socket.pause(),
          () => socket.resume(),
        );
      first = false;
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      const all = Buffer.concat(chunks);
      const split = all.indexOf('\r\n\r\n');
      if (split < 0) {
        reject(new Error(`no response head: ${JSON.stringify(all.toString('latin1').slice(0, 200))}`));
        return;
      }
      const [statusLine, ...lines] = all.subarray(0, split).toString('latin1').split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const body = all.subarray(split + 4);
      const length = headers['content-length'] === undefined ? body.length : Number(headers['content-length']);
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body, cut: body.length < length });
    });
    socket.write(text);
  });
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

function assertSecurityHeaders(r: RawResponse, what: string): void {
  assert.equal(r.headers['content-security-policy'], CONTENT_SECURITY_POLICY, `${what}: CSP`);
  assert.match(r.headers['content-security-policy'], /frame-ancestors 'none'/);
  assert.equal(r.headers['x-frame-options'], 'DENY', `${what}: X-Frame-Options`);
  assert.equal(r.headers['x-content-type-options'], 'nosniff', `${what}: nosniff`);
  assert.equal(r.headers['referrer-policy'], 'no-referrer', `${what}: Referrer-Policy`);
}

describe('the playground server', { timeout: 60_000 }, () => {
  const servers: Server[] = [];
  const logged: string[] = [];
  let port: number; // page + --model folder
  let shippedPort: number; // page only
  let linkedPort: number; // --model folder whose model.json leads out

  /** A GET (or other method) for `path` with the right Host. */
  const get = (path: string, options: { method?: string; host?: string; at?: number } = {}) =>
    raw(
      options.at ?? port,
      `${options.method ?? 'GET'} ${path} HTTP/1.1\r\nHost: ${options.host ?? `127.0.0.1:${options.at ?? port}`}\r\nConnection: close\r\n\r\n`,
    );

  before(async () => {
    const log = (line: string) => logged.push(line);
    servers.push(
      createPlaygroundServer({ root: page, modelDir: model, log }),
      createPlaygroundServer({ root: page, modelDir: null, log }),
      createPlaygroundServer({ root: page, modelDir: linkedModel, log }),
    );
    [port, shippedPort, linkedPort] = await Promise.all(servers.map(listen));
  });

  after(async () => {
    chmodSync(join(page, 'locked.js'), 0o644);
    await Promise.all(servers.map((s) => new Promise((done) => s.close(done))));
    rmSync(base, { recursive: true, force: true });
  });

  test('serves the page, its files and HEAD requests', async () => {
    const index = await get('/');
    assert.equal(index.status, 200);
    assert.match(index.headers['content-type'], /^text\/html/);
    assert.match(index.body.toString(), /dendrite playground/);
    const js = await get('/assets/app.js?v=1#x');
    assert.equal(js.status, 200);
    assert.match(js.headers['content-type'], /^text\/javascript/);
    assert.equal(js.body.toString(), 'console.log(1);');
    assert.equal((await get('/index.html')).status, 200);
    assert.equal((await get('/assets/%61pp.js')).status, 200, 'percent-encoded names are decoded');
    const head = await get('/assets/app.js', { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers['content-length'], '15');
    assert.equal(head.body.length, 0);
    assert.equal((await get('/no-such-file.js')).status, 404);
  });

  test('malformed requests get 400 (or 405, 414, 431) and the server goes on', async () => {
    const cases: [string, number][] = [
      ['GET // HTTP/1.1', 400],
      ['GET //etc/passwd HTTP/1.1', 400],
      ['GET http://x/ HTTP/1.1', 400],
      ['GET http://127.0.0.1/index.html HTTP/1.1', 400],
      ['GET * HTTP/1.1', 400],
      ['OPTIONS * HTTP/1.1', 405],
      ['GET /%E0%A4%A HTTP/1.1', 400],
      ['GET /%ZZ HTTP/1.1', 400],
      ['GET /%ff%fe HTTP/1.1', 400],
      ['GET /%00 HTTP/1.1', 400],
      ['GET /a%2f..%2f..%2fsecret.txt HTTP/1.1', 400],
      ['GET /..%2f..%2fpackage.json HTTP/1.1', 400],
      ['GET /%2e%2e/secret.txt HTTP/1.1', 400],
      ['GET /assets/../index.html HTTP/1.1', 400],
      ['GET /assets//app.js HTTP/1.1', 400],
      ['GET /assets%5capp.js HTTP/1.1', 400],
      [`GET /${'a'.repeat(3000)} HTTP/1.1`, 414],
      ['POST / HTTP/1.1', 405],
      ['DELETE /index.html HTTP/1.1', 405],
    ];
    for (const [line, status] of cases) {
      const r = await raw(port, `${line}\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      assert.equal(r.status, status, line.slice(0, 60));
      assertSecurityHeaders(r, line.slice(0, 60));
      if (status === 405) assert.equal(r.headers.allow, 'GET, HEAD');
    }
    // requests Node's parser refuses: answered by the server's clientError handler, with the same headers
    const broken: [string | Buffer, number][] = [
      ['garbage\r\n\r\n', 400],
      [Buffer.from([0, 1, 2, 3, 13, 10, 13, 10]), 400],
      ['GET / HTTP/9.9\r\n\r\n', 400],
      ['GET /\r\n\r\n', 400],
      [`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nBad Header\r\n\r\n`, 400],
      [`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Big: ${'x'.repeat(70_000)}\r\n\r\n`, 431],
    ];
    for (const [text, status] of broken) {
      const r = await raw(port, text);
      assert.equal(r.status, status, JSON.stringify(String(text).slice(0, 60)));
      assertSecurityHeaders(r, `unparsable ${JSON.stringify(String(text).slice(0, 30))}`);
    }
    assert.equal((await get('/')).status, 200, 'still serving');
  });

  test('files that cannot be read end only their own request', async () => {
    assert.equal((await get('/dir.js')).status, 404, 'a folder named like a file');
    assert.equal((await get('/pipe.js')).status, 404, 'a named pipe does not hang the server');
    const locked = await get('/locked.js');
    if (isRoot) assert.equal(locked.status, 200, 'root reads a chmod 000 file');
    else assert.equal(locked.status, 500, 'a chmod 000 file');
    assertSecurityHeaders(locked, 'a chmod 000 file');
    // a file that shrinks while it is sent: the connection is cut (even a kept-alive one, which would
    // otherwise wait for the missing bytes), nothing else happens
    const shrunk = await raw(port, `GET /big.bin HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`, {
      onFirstData: (pause, resume) => {
        pause();
        truncateSync(join(page, 'big.bin'), 1000);
        setTimeout(resume, 50);
      },
    });
    assert.equal(shrunk.status, 200);
    assert.equal(shrunk.headers['content-length'], String(8 * 1024 * 1024));
    assert.ok(shrunk.cut, 'the response is cut short rather than padded or hung');
    // a file removed between the check and the read
    const many = Array.from({ length: 20 }, (_, i) => {
      writeFileSync(join(page, `gone-${i}.js`), 'x');
      const r = get(`/gone-${i}.js`);
      rmSync(join(page, `gone-${i}.js`));
      return r;
    });
    for (const r of await Promise.all(many)) assert.ok([200, 404].includes(r.status), String(r.status));
    assert.equal((await get('/')).status, 200, 'still serving');
  });

  test('no link leading out of the page folder, no dotfile', async () => {
    assert.equal((await get('/link-out.js')).status, 404);
    assert.equal((await get('/link-root/etc/passwd')).status, 404);
    assert.equal((await get(`/link-root/${base.slice(1)}/secret.txt`)).status, 404);
    assert.equal((await get('/link-dot.js')).status, 404, 'a link to a dotfile inside');
    assert.equal((await get('/.env')).status, 404);
    assert.equal((await get('/%2eenv')).status, 404);
    assert.equal((await get('/.git/config')).status, 404);
    const inside = await get('/link-in.js');
    assert.equal(inside.status, 200, 'a link that stays inside is fine');
    assert.equal(inside.body.toString(), 'console.log(1);');
    for (const r of [await get('/link-out.js'), await get('/link-root/etc/passwd')]) assert.doesNotMatch(r.body.toString(), /outside the folders|root:/);
  });

  test('from the model folder: model.json and exactly the files its manifest names', async () => {
    const json = await get('/models/mnist-cnn/model.json');
    assert.equal(json.status, 200);
    assert.match(json.headers['content-type'], /^application\/json/);
    assert.equal(json.body.toString(), modelJson);
    assert.deepEqual([...(await get('/models/mnist-cnn/weights.bin')).body], [1, 2, 3, 4]);
    assert.deepEqual([...(await get('/models/mnist-cnn/shards/part.bin')).body], [5, 6]);
    assert.equal((await get('/models/mnist-cnn/model.json', { method: 'HEAD' })).status, 200);
    for (const name of ['.hidden', 'checkpoint/state.bin', 'report.html', 'preprocessing.json', 'index.html', 'root/etc/passwd', 'nothing.bin']) {
      const r = await get(`/models/mnist-cnn/${name}`);
      assert.equal(r.status, 404, name);
      assertSecurityHeaders(r, name);
    }
    assert.equal((await get('/models/mnist-cnn/')).status, 404);
    // named by the manifest, but leading out of the folder, or not a regular file
    assert.equal((await get('/models/mnist-cnn/link-out.bin')).status, 404);
    assert.equal((await get('/models/mnist-cnn/pipe.bin')).status, 404);
    assert.equal((await get('/models/mnist-cnn/..%2fsecret.txt')).status, 400);
    assert.equal((await get('/models/mnist-cnn/%2fetc%2fpasswd')).status, 400);
    // the page's own copy is not reachable in its place
    assert.doesNotMatch((await get('/models/mnist-cnn/model.json')).body.toString(), /shipped/);
    // without --model the page's own copy is served like any page file
    assert.equal((await get('/models/mnist-cnn/model.json', { at: shippedPort })).body.toString(), '{"shipped":true}');
    // a model.json that is a link leading out of its folder is not served
    const linked = await get('/models/mnist-cnn/model.json', { at: linkedPort });
    assert.equal(linked.status, 404);
    assert.doesNotMatch(linked.body.toString(), /weightsManifest/);
  });

  test('answers only requests for localhost, 127.0.0.1 or [::1] on its port (DNS rebinding)', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LocalHost:${port}`, `[::1]:${port}`])
      assert.equal((await get('/', { host })).status, 200, host);
    for (const host of [
      'evil.example',
      `evil.example:${port}`,
      `localhost.evil.example:${port}`,
      `127.0.0.1:${port + 1}`,
      'localhost',
      '127.0.0.1',
      `127.0.0.1:0${port}`,
      `localhost:${port}.evil`,
      `[::2]:${port}`,
      `user@localhost:${port}`,
      `0.0.0.0:${port}`,
      `127.0.0.2:${port}`,
      '',
    ]) {
      const r = await get('/', { host });
      assert.equal(r.status, host === '' ? 421 : 421, JSON.stringify(host));
      assertSecurityHeaders(r, `Host ${host}`);
      assert.doesNotMatch(r.body.toString(), /dendrite playground/);
    }
    // no Host at all (HTTP/1.0), or two
    assert.equal((await raw(port, 'GET / HTTP/1.0\r\n\r\n')).status, 400);
    assert.equal((await raw(port, `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nHost: evil.example\r\nConnection: close\r\n\r\n`)).status, 400);
    // the model is refused the same way
    assert.equal((await get('/models/mnist-cnn/weights.bin', { host: `evil.example:${port}` })).status, 421);
  });

  test('the security headers are on every response', async () => {
    const responses: [string, RawResponse][] = [
      ['200 page', await get('/')],
      ['200 script', await get('/assets/app.js')],
      ['200 model.json', await get('/models/mnist-cnn/model.json')],
      ['200 weights', await get('/models/mnist-cnn/weights.bin')],
      ['HEAD', await get('/', { method: 'HEAD' })],
      ['400', await get('/%ZZ')],
      ['404', await get('/nothing')],
      ['405', await get('/', { method: 'PUT' })],
      ['421', await get('/', { host: 'evil.example' })],
      // Node's own answer to HTTP/1.1 without a Host header carried no headers at all
      ['400 no Host (HTTP/1.1)', await raw(port, 'GET / HTTP/1.1\r\nConnection: close\r\n\r\n')],
      ['400 no Host (HTTP/1.0)', await raw(port, 'GET / HTTP/1.0\r\n\r\n')],
    ];
    for (const [what, r] of responses) {
      assertSecurityHeaders(r, what);
      assert.equal(r.headers['cross-origin-resource-policy'], 'same-origin', what);
    }
    assert.deepEqual(
      logged.filter((l) => !/locked\.js|permission/i.test(l)),
      [],
      'nothing but the locked file reached the log',
    );
  });

  test('the page is served cross-origin isolated (COOP + COEP), so wasm can share memory with its threads', async () => {
    for (const path of ['/', '/assets/app.js', '/models/mnist-cnn/weights.bin', '/nothing']) {
      const r = await get(path);
      assert.equal(r.headers['cross-origin-opener-policy'], 'same-origin', `${path}: COOP`);
      assert.equal(r.headers['cross-origin-embedder-policy'], 'require-corp', `${path}: COEP`);
      assert.equal(r.headers['cross-origin-resource-policy'], 'same-origin', `${path}: CORP`);
    }
    // the wasm backend's thread workers are blob: workers of the page's own script
    assert.match(CONTENT_SECURITY_POLICY, /worker-src 'self' blob:(;|$)/);
  });
});

describe('request parsing', () => {
  test('parseTarget', () => {
    assert.deepEqual(parseTarget('/'), ['index.html']);
    assert.deepEqual(parseTarget('/a/b.js?x=1'), ['a', 'b.js']);
    assert.deepEqual(parseTarget('/a/'), ['a', 'index.html']);
    assert.deepEqual(parseTarget('/a%20b'), ['a b']);
    for (const bad of ['', '*', '//', 'http://x/', 'a', '/%', '/%zz', '/..', '/.', '/a//b', '/%2F', '/%5C', '/%0a'])
      assert.throws(() => parseTarget(bad), JSON.stringify(bad));
  });

  test('hostAllowed', () => {
    assert.ok(hostAllowed('localhost:4173', 4173));
    assert.ok(hostAllowed('[::1]:4173', 4173));
    assert.ok(hostAllowed('localhost', 80));
    assert.ok(!hostAllowed('localhost', 4173));
    assert.ok(!hostAllowed('localhost:4173', undefined));
    assert.ok(!hostAllowed(undefined, 4173));
    assert.ok(!hostAllowed('example.com:4173', 4173));
    assert.ok(hostAllowed('example.com:4173', 4173, ['example.com']));
  });
});
