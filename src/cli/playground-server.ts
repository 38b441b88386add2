// The HTTP side of `dendrite playground`: a small static server for the built page (web/dist) and, when a
// model folder is given, for that model's files. It answers only what the page needs and never lets one
// request end the process:
//
// - only requests addressed to this machine by name (Host `localhost`, `127.0.0.1` or `[::1]` with the
//   listening port) are answered, so a web page cannot read the playground through DNS rebinding;
// - the request target is parsed by hand (no `new URL`, which throws on `//`): an origin-form path of at most
//   MAX_TARGET characters whose segments decode to plain names, else 400;
// - page files are served only from inside the page folder (no `..`, no symbolic link leading out, no
//   dotfile, only regular files); from the model folder only `model.json` and the files its
//   `weightsManifest[].paths` name (TF.js layers format) are served, each checked the same way;
// - every response, errors included (also the ones for requests Node cannot parse), carries a
//   Content-Security-Policy, X-Frame-Options, X-Content-Type-Options: nosniff and Referrer-Policy, and the
//   cross-origin isolation headers (COOP same-origin, COEP require-corp) that give the page SharedArrayBuffer;
// - read errors (a file removed or made unreadable after the check, a stream failing half-way) end that
//   response only: a 404/500 before the headers went out, a cut connection after.
import { constants } from 'node:fs';
import { open, realpath, type FileHandle } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { extname, relative, sep } from 'node:path';
import { pipeline } from 'node:stream';
import { checkRelativeName, FolderFileError, readRegularFile, resolveInFolder } from '../io/folder-files.js';

/** The URL prefix under which the page fetches its CNN (`web/src/sections/cnn.ts`). */
export const MODEL_PREFIX = ['models', 'mnist-cnn'] as const;
/** The longest request target answered (longer ones get 400). */
export const MAX_TARGET = 2048;
/** The largest model.json read from the model folder. */
export const MAX_MODEL_JSON_BYTES = 16 * 1024 * 1024;

/**
 * What the page needs, and nothing more: its own scripts (ES modules and a module Web Worker, no inline
 * script), WebAssembly compiled from bytes (the wasm backend: 'wasm-unsafe-eval', not 'unsafe-eval'), the wasm
 * backend's thread workers (made from a `blob:` of the library's own source), fetches of its own data and model,
 * its stylesheet, canvases and a `data:` favicon. No framing, no forms, no plugins.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Sent with every response, errors included. COOP same-origin with COEP require-corp make the page
 * cross-origin isolated: SharedArrayBuffer exists there, so the wasm backend runs on threads in its workers.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.bin': 'application/octet-stream',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.map': 'application/json; charset=utf-8',
};

/** The names this server answers to (besides any given in `hosts`), lower case. */
const LOCAL_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

export interface PlaygroundServerOptions {
  /** The built page (web/dist). */
  root: string;
  /** A model folder served under /models/mnist-cnn/ in place of the page's own copy; null = the page's own. */
  modelDir: string | null;
  /** Further host names accepted in the Host header (lower case; IPv6 in brackets). */
  hosts?: readonly string[];
  /** Where to report requests that failed on the server's side (500s); never called for a client's mistake. */
  log?: (line: string) => void;
}

/** Why a request is not answered with a file. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  413: 'Content Too Large',
  414: 'URI Too Long',
  421: 'Misdirected Request',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
};

/** Strips control characters (a terminal escape in a file name must not reach the log). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this strips
const printable = (text: string): string => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');

/**
 * Whether the Host header names this server: one of the local names (or `hosts`) with the port the
 * connection came in on (the port may be left out only when it is 80).
 */
export function hostAllowed(host: string | undefined, port: number | undefined, hosts: readonly string[] = []): boolean {
  if (!host || port === undefined) return false;
  const m = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/i.exec(host);
  if (!m) return false;
  const name = m[1].toLowerCase();
  if (!LOCAL_HOSTS.includes(name) && !hosts.includes(name)) return false;
  return m[2] === undefined ? port === 80 : m[2] === String(port);
}

/**
 * The decoded path segments of an origin-form request target (`/a/b.js?x` -> ['a', 'b.js']), with
 * 'index.html' for a trailing slash; throws HttpError(400) for anything else: an absolute URL, `*`, `//...`,
 * a target longer than MAX_TARGET, invalid percent-encoding, an empty, `.` or `..` segment, or a segment
 * that decodes to a '/', a '\' or a control character.
 */
export function parseTarget(target: string | undefined): string[] {
  if (target === undefined || target.length === 0) throw new HttpError(400, 'bad request target');
  if (target.length > MAX_TARGET) throw new HttpError(414, 'request target too long');
  if (target[0] !== '/' || target.startsWith('//')) throw new HttpError(400, 'bad request target');
  const end = target.search(/[?#]/);
  const path = end < 0 ? target : target.slice(0, end);
  const raw = path.slice(1).split('/');
  if (raw[raw.length - 1] === '') raw[raw.length - 1] = 'index.html';
  return raw.map((segment) => {
    let name: string;
    try {
      name = decodeURIComponent(segment);
    } catch {
      throw new HttpError(400, 'bad percent-encoding in the path');
    }
    // biome-ignore lint/suspicious/noControlCharactersInRegex: a segment holding a control character is refused
    if (name === '' || name === '.' || name === '..' || /[/\\\u0000-\u001f\u007f]/.test(name)) throw new HttpError(400, 'bad path');
    return name;
  });
}

/** Whether a request for `segments` reaches into the model folder (when one is served). */
function inModelPrefix(segments: readonly string[]): boolean {
  return segments.length > MODEL_PREFIX.length && MODEL_PREFIX.every((s, i) => segments[i] === s);
}

/** model.json of `modelDir`, read through the same checks as its weights (inside, regular, size-limited). */
async function readModelJson(modelDir: string): Promise<{ bytes: Uint8Array; paths: Set<string> }> {
  const { path } = await resolveInFolder(modelDir, 'model.json', { namedBy: 'the playground' });
  const bytes = await readRegularFile(path, { maxBytes: MAX_MODEL_JSON_BYTES });
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch (error) {
    throw new HttpError(500, `${path} is not valid JSON: ${(error as Error).message}`);
  }
  // the files the page will fetch: weightsManifest[].paths, relative to the folder; names that could not
  // lie inside the folder are left out (the page's fetch of them then fails with 404)
  const paths = new Set<string>();
  const manifest = (json as { weightsManifest?: unknown } | null)?.weightsManifest;
  if (Array.isArray(manifest)) {
    for (const group of manifest) {
      const groupPaths = (group as { paths?: unknown } | null)?.paths;
      if (!Array.isArray(groupPaths)) continue;
      for (const p of groupPaths) {
        try {
          paths.add(checkRelativeName(p, "model.json's weightsManifest").join('/'));
        } catch {
          // not a name inside the folder: never served
        }
      }
    }
  }
  return { bytes, paths };
}

/** The real path of the page file `segments` under `root`: inside it, no dotfile on the way, a regular file. */
async function pageFile(root: string, segments: readonly string[]): Promise<string> {
  if (segments.some((s) => s.startsWith('.'))) throw new HttpError(404, 'not found');
  const { path } = await resolveInFolder(root, segments.join('/'), { namedBy: 'the request' });
  // a link inside the folder may still lead to a dotfile (or dot folder) there
  const inside = relative(await realpath(root), path).split(sep);
  if (inside.some((s) => s.startsWith('.'))) throw new HttpError(404, 'not found');
  return path;
}

function send(response: ServerResponse, status: number, body: string, extra: Record<string, string> = {}): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const text = `${body}\n`;
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...extra,
  });
  response.end(response.req.method === 'HEAD' ? undefined : text);
}

function fileHeaders(path: string, size: number): Record<string, string | number> {
  return {
    ...SECURITY_HEADERS,
    'Content-Type': TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': size,
    'Cache-Control': 'no-cache',
  };
}

/**
 * Streams the regular file at `path` (a real path checked by the caller). It is opened without following
 * a link in its last component and without blocking (a named pipe swapped in after the check cannot hang
 * the server), and its type and size are taken from the open file.
 */
async function sendFile(request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // removed (or replaced by a link) since the check
    if (code === 'ENOENT' || code === 'ELOOP' || code === 'ENOTDIR') throw new HttpError(404, 'not found');
    throw error;
  }
  let size: number;
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new HttpError(404, 'not found');
    size = info.size;
  } catch (error) {
    await handle.close().catch(() => {});
    throw error;
  }
  response.writeHead(200, fileHeaders(path, size));
  if (request.method === 'HEAD' || size === 0) {
    await handle.close().catch(() => {});
    response.end();
    return;
  }
  // exactly the announced bytes: a file that grew is cut at `size`; one that shrank cuts the connection
  const stream = handle.createReadStream({ start: 0, end: size - 1 });
  // the connection, kept here: a finished response lets go of it
  const socket = response.socket;
  let sent = 0;
  stream.on('data', (chunk: string | Buffer) => {
    sent += chunk.length;
  });
  // (registered before pipeline's own listener, so the connection is cut before the response is ended)
  stream.on('end', () => {
    if (sent !== size) socket?.destroy();
  });
  await new Promise<void>((done) => {
    pipeline(stream, response, (error) => {
      if (error || sent !== size) socket?.destroy();
      done();
    });
  });
}

async function handle(request: IncomingMessage, response: ServerResponse, options: PlaygroundServerOptions): Promise<void> {
  let hostHeaders = 0;
  for (let i = 0; i < request.rawHeaders.length; i += 2) if (request.rawHeaders[i].toLowerCase() === 'host') hostHeaders++;
  if (hostHeaders !== 1) throw new HttpError(400, 'exactly one Host header is needed');
  if (!hostAllowed(request.headers.host, request.socket.localPort, options.hosts)) {
    throw new HttpError(421, 'this server answers only requests for localhost, 127.0.0.1 or [::1] on its own port');
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    send(response, 405, 'method not allowed', { Allow: 'GET, HEAD' });
    return;
  }
  const segments = parseTarget(request.url);
  if (options.modelDir && inModelPrefix(segments)) {
    const name = segments.slice(MODEL_PREFIX.length).join('/');
    const model = await readModelJson(options.modelDir);
    if (name === 'model.json') {
      response.writeHead(200, fileHeaders(name, model.bytes.length));
      response.end(request.method === 'HEAD' ? undefined : model.bytes);
      return;
    }
    if (!model.paths.has(name)) throw new HttpError(404, 'not found');
    const { path } = await resolveInFolder(options.modelDir, name, { namedBy: "model.json's weightsManifest" });
    await sendFile(request, response, path);
    return;
  }
  await sendFile(request, response, await pageFile(options.root, segments));
}

/** A raw response for a request Node's parser refused (no ServerResponse exists for it). */
function rawResponse(status: number): string {
  const body = `${STATUS_TEXT[status] ?? 'error'}\n`;
  const headers = {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(body.length),
    'Cache-Control': 'no-store',
    Connection: 'close',
  };
  return `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n${body}`;
}

/**
 * The playground's request handler as an http.Server (not yet listening). Listen on 127.0.0.1 only.
 *
 *     const server = createPlaygroundServer({ root: 'web/dist', modelDir: null });
 *     server.listen(0, '127.0.0.1');
 */
export function createPlaygroundServer(options: PlaygroundServerOptions): Server {
  const log = options.log ?? (() => {});
  // NOTE: Node answers an HTTP/1.1 request without a Host header with its own bare 400 (no security headers)
  // unless told not to; the handler's own check gives that 400, with the headers.
  const server = createServer({ requireHostHeader: false }, (request, response) => {
    request.on('error', () => {});
    response.on('error', () => {});
    handle(request, response, options).catch((error: unknown) => {
      if (error instanceof HttpError) {
        if (error.status >= 500) log(`playground: ${printable(error.message)}`);
        send(response, error.status, error.status >= 500 ? STATUS_TEXT[error.status].toLowerCase() : error.message);
      } else if (error instanceof FolderFileError && error.reason !== 'unreadable') {
        // missing, outside the folder (through a link), not a regular file, too large: all the same to a client
        send(response, 404, 'not found');
      } else {
        log(`playground: ${printable(error instanceof Error ? error.message : String(error))}`);
        send(response, 500, 'internal server error');
      }
    });
  });
  // requests Node cannot parse (bad request line, bad header, too large headers, timeouts): answer them
  // with the same headers, then close
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : error.code === 'HPE_URI_TOO_LONG' ? 414 : 400;
    socket.end(rawResponse(status));
  });
  return server;
}
