// Where data.csv reads its bytes: a local file (a path, or a file:// URL as TF.js takes it in Node.js), read in
// chunks, or an http(s) URL, fetched and read as its body arrives. Nothing here holds the whole file.

/** Bytes read from a file at a time: a few thousand rows, so that memory stays small and the first batch comes soon. */
const CHUNK_BYTES = 256 * 1024;

function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

function isBrowser(): boolean {
  return typeof (globalThis as { window?: unknown }).window !== 'undefined' && typeof (globalThis as { process?: unknown }).process === 'undefined';
}

/** How errors name the source: the path or URL as given. */
export function sourceName(source: string | URL): string {
  return source instanceof URL ? source.href : source;
}

/** The chunks of a local file, the file checked first (a folder or a missing file is a clear error, not a hang). */
async function fileChunks(path: string, what: string): Promise<AsyncIterable<Uint8Array>> {
  const { stat } = await import('node:fs/promises');
  const { createReadStream } = await import('node:fs');
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new Error(error.code === 'ENOENT' ? `${what}: cannot read '${path}': no such file.` : `${what}: cannot read '${path}': ${error.message}`);
  });
  if (info.isDirectory()) throw new Error(`${what}: cannot read '${path}': it is a folder, not a CSV file.`);
  const stream = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  return (async function* () {
    try {
      for await (const chunk of stream) yield chunk as Uint8Array;
    } finally {
      stream.destroy();
    }
  })();
}

/** The body of a URL as it arrives. */
async function urlChunks(url: string, what: string): Promise<AsyncIterable<Uint8Array>> {
  const response = await fetch(url).catch((error: Error) => {
    throw new Error(`${what}: cannot fetch '${url}': ${error.message}`);
  });
  if (!response.ok) throw new Error(`${what}: fetching '${url}' failed: HTTP ${response.status} ${response.statusText}.`);
  const body = response.body;
  if (!body) throw new Error(`${what}: '${url}' has no body.`);
  const reader = body.getReader();
  return (async function* () {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      await reader.cancel().catch(() => undefined);
    }
  })();
}

/**
 * The bytes of `source`, chunk by chunk: an http(s) URL is fetched; in Node.js a file:// URL or any other string is
 * a local file; in a browser every source is fetched (relative URLs too).
 */
export async function sourceChunks(source: string | URL, what: string): Promise<AsyncIterable<Uint8Array>> {
  const name = sourceName(source);
  if (isUrl(name) || isBrowser()) return urlChunks(name, what);
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(name)?.[1]?.toLowerCase();
  if (scheme === undefined) return fileChunks(name, what);
  if (scheme !== 'file') throw new Error(`${what}: '${name}' is a ${scheme}:// URL; data.csv reads a local path, a file:// URL or an http(s):// URL.`);
  // as TF.js (and model.save here) take it: `file://./data.csv` and `file://data.csv` are relative paths, which
  // a URL parser would read as host names
  const rest = name.slice('file://'.length);
  if (!rest.startsWith('/')) return fileChunks(decodeURIComponent(rest), what);
  const { fileURLToPath } = await import('node:url');
  let path: string;
  try {
    path = fileURLToPath(`file://${rest}`);
  } catch (error) {
    throw new Error(`${what}: '${name}' is not a file:// URL of this machine: ${(error as Error).message}`);
  }
  return fileChunks(path, what);
}
