// `dendrite playground`: builds the browser playground (web/) with Vite when needed and serves it on
// 127.0.0.1 with a small static server (playground-server.ts: only the page's files and the model's
// model.json + weights, only for requests addressed to localhost, with security headers on every response).
// Everything is local: no network access at build or run time.
//
// Vite is a development dependency: the npm package ships the built page (web/dist, built by `prepack`), so a
// library user serves that and never needs a bundler. A checkout, which has Vite, rebuilds the page when its
// sources change.
import { readdir, stat } from 'node:fs/promises';
import type { Server } from 'node:http';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { FolderFileError, readRegularFile, resolveInFolder } from '../io/folder-files.js';
import { intOption, UsageError } from './errors.js';
import { createPlaygroundServer, MAX_MODEL_JSON_BYTES } from './playground-server.js';

/** The repository root: this file lives in src/cli/ (or, compiled, in dist/cli/). */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const WEB_DIR = join(ROOT, 'web');
export const DIST_DIR = join(WEB_DIR, 'dist');
/** Where `dendrite train mnist` saves its CNN; served in place of the shipped model when present. */
export const TRAINED_MODEL_DIR = join('dendrite-models', 'mnist-cnn');
const DEFAULT_PORT = 4173;

export interface PlaygroundOptions {
  /** 0 picks a free port. Default 4173. */
  port?: number;
  /** Build even when web/dist looks current. */
  rebuild?: boolean;
  /** A model folder (model.json + weights.bin) for the CNN section; null or 'shipped' = the shipped model. */
  modelDir?: string | null;
  log?: (line: string) => void;
}

export interface Playground {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** The newest modification time of any file under `path` (skipping build output and dependencies). */
async function newest(path: string): Promise<number> {
  const info = await stat(path).catch(() => null);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  let latest = 0;
  for (const entry of await readdir(path)) {
    if (entry === 'dist' || entry === 'node_modules' || entry.startsWith('.')) continue;
    latest = Math.max(latest, await newest(join(path, entry)));
  }
  return latest;
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isFile() ?? false;
}

/** Whether web/dist is missing or older than the page's or the library's sources (a page without its sources is as built). */
export async function needsBuild(): Promise<boolean> {
  const built = await stat(join(DIST_DIR, 'index.html')).catch(() => null);
  if (!built) return true;
  if (!(await isFile(join(WEB_DIR, 'index.html')))) return false;
  const sources = Math.max(await newest(WEB_DIR), await newest(join(ROOT, 'src')));
  return sources > built.mtimeMs;
}

/** Vite's JavaScript API, or null where it is not installed (a package installed from npm, without dev dependencies). */
export async function loadVite(): Promise<typeof import('vite') | null> {
  try {
    return await import('vite');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') return null;
    throw error;
  }
}

/** Builds web/ into web/dist with Vite's JavaScript API (offline). */
export async function buildPlayground(log: (line: string) => void = () => {}): Promise<void> {
  if (!(await isFile(join(WEB_DIR, 'index.html'))))
    throw new UsageError(`the playground's sources are missing (${WEB_DIR}); run dendrite from its repository checkout.`);
  const vite = await loadVite();
  if (!vite) {
    const why = (await isFile(join(DIST_DIR, 'index.html')))
      ? '--rebuild needs'
      : 'the playground page is not built (no web/dist/index.html), and building it needs';
    throw new UsageError(
      `${why} Vite, a development dependency of dendrite: run npm install in a dendrite checkout (the npm package ships the built page), or add vite to this project.`,
    );
  }
  log('building the playground with Vite...');
  const started = performance.now();
  await vite.build({ configFile: join(WEB_DIR, 'vite.config.ts'), root: WEB_DIR, logLevel: 'warn', mode: 'production' });
  log(`built web/dist in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** Builds the page when asked (--rebuild) or when it is missing or older than its sources, where Vite is there to do it. */
async function preparePage(rebuild: boolean, log: (line: string) => void): Promise<void> {
  if (!rebuild && !(await needsBuild())) return;
  if (!rebuild && (await isFile(join(DIST_DIR, 'index.html'))) && !(await loadVite())) {
    // sources edited in an installation without Vite: the page as built still works
    log('note: the page sources are newer than web/dist, but Vite (a development dependency) is not installed: serving web/dist as built.');
    return;
  }
  await buildPlayground(log);
}

/**
 * The model folder to serve: an explicit one, else `./dendrite-models/mnist-cnn` when it holds a model. Its
 * model.json must be a regular file inside it (not a link leading out), of at most MAX_MODEL_JSON_BYTES, and
 * hold JSON; the server checks it again (and the weight files it names) on every request.
 */
async function chooseModelDir(option: string | null | undefined): Promise<string | null> {
  if (option === null || option === 'shipped') return null;
  const dir = option ?? TRAINED_MODEL_DIR;
  const found = await stat(join(dir, 'model.json')).catch(() => null);
  if (!found) {
    if (option !== undefined) throw new UsageError(`--model: no model.json in '${option}'; pass a folder written by model.save or 'dendrite train mnist'.`);
    return null;
  }
  const flag = option === undefined ? `the model in ${dir}` : '--model';
  let why: string;
  try {
    const { path } = await resolveInFolder(dir, 'model.json', { namedBy: 'the playground' });
    const bytes = await readRegularFile(path, { maxBytes: MAX_MODEL_JSON_BYTES });
    JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
    return resolve(dir);
  } catch (error) {
    if (error instanceof SyntaxError) why = `it is not valid JSON (${error.message})`;
    else if (!(error instanceof FolderFileError)) throw error;
    else if (error.reason === 'outside') why = 'it is a symbolic link leading out of its folder';
    else if (error.reason === 'not-a-file') why = 'it is not a regular file';
    else if (error.reason === 'too-large') why = `it is larger than the ${MAX_MODEL_JSON_BYTES / 2 ** 20} MiB the playground reads`;
    else why = error.message.replace(/\.$/, '');
  }
  throw new UsageError(`${flag}: ${join(dir, 'model.json')} cannot be served: ${why}. (--model shipped serves the playground's own model.)`);
}

function listen(server: Server, port: number, log: (line: string) => void): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const failed = (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') reject(new UsageError(`port ${port} is already in use; choose another with --port N (or --port 0 for any free port).`));
      else if (error.code === 'EACCES') reject(new UsageError(`port ${port} needs privileges here; choose a port above 1023 with --port N.`));
      else reject(error);
    };
    server.once('error', failed);
    server.listen(port, '127.0.0.1', () => {
      // from now on an error of the listening socket (e.g. too many open files on accept) is reported, not fatal
      server.off('error', failed);
      server.on('error', (error) => log(`playground: ${error.message}`));
      const address = server.address();
      resolvePort(typeof address === 'object' && address ? address.port : port);
    });
  });
}

/**
 * Builds the playground if needed and serves it on 127.0.0.1; resolves once it listens.
 *
 *     const pg = await startPlayground({ port: 0 });   // pg.url = 'http://127.0.0.1:PORT/'
 */
export async function startPlayground(options: PlaygroundOptions = {}): Promise<Playground> {
  const log = options.log ?? (() => {});
  const port = options.port ?? DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`port must be an integer between 0 and 65535, got ${port}.`);
  const modelDir = await chooseModelDir(options.modelDir);
  const server = createPlaygroundServer({ root: resolve(DIST_DIR), modelDir, log });
  // take the port first, so a busy port fails at once rather than after a build
  const actualPort = await listen(server, port, log);
  try {
    await preparePage(options.rebuild ?? false, log);
  } catch (error) {
    server.close();
    throw error;
  }
  if (modelDir) log(`CNN section: serving the model in ${modelDir} (--model shipped uses the playground's own)`);
  return {
    url: `http://127.0.0.1:${actualPort}/`,
    port: actualPort,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

interface PlaygroundFlags {
  port: number;
  rebuild?: boolean;
  model?: string;
}

/** `dendrite playground [--port N]`. */
export function registerPlayground(program: Command): void {
  program
    .command('playground')
    .description('build (if needed) and serve the browser playground on 127.0.0.1; works offline')
    .option('--port <n>', `port to listen on (0 = any free port)`, intOption('--port', 0, 65535), DEFAULT_PORT)
    .option('--rebuild', 'build the page even if web/dist is up to date')
    .option('--model <dir>', `model folder for the CNN section (default: ./${TRAINED_MODEL_DIR.split(sep).join('/')} if it exists, else 'shipped')`)
    .action(async (flags: PlaygroundFlags) => {
      const playground = await startPlayground({ port: flags.port, rebuild: flags.rebuild, modelDir: flags.model, log: (line) => console.log(line) });
      console.log(`dendrite playground: ${playground.url}  (open it in a browser; Ctrl+C stops the server)`);
    });
}
