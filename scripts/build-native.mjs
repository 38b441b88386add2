#!/usr/bin/env node
// Builds the optional native backend (native/ -> native/build/Release/dendrite_native.node) with node-gyp.
// Run by `npm install` (the package's install script) and by `npm run build:native`. It never fails the
// install: without a compiler or Node headers dendrite simply keeps using its wasm and js backends. Strict
// (`--strict`, which `npm run build:native` passes, or DENDRITE_STRICT_BUILD=1, which CI sets for the whole
// install) it exits 1 when the addon does not build or does not load, so a compile error cannot hide behind
// skipped native tests. Its environment switches are listed in src/env.ts and the README.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const strict = process.argv.includes('--strict') || process.env.DENDRITE_STRICT_BUILD === '1'; // exit 1 on failure (for developers and CI)

function done(ok, message) {
  console.log(`dendrite: ${message}`);
  process.exit(ok || !strict ? 0 : 1);
}

if (process.env.DENDRITE_SKIP_NATIVE) done(true, 'native backend not built (DENDRITE_SKIP_NATIVE is set); using the js backend.');
if (!existsSync(join(root, 'native', 'binding.gyp'))) done(true, 'no native/ sources here; using the js backend.');

/** The node-gyp to run, as [command, ...args]. */
function nodeGyp() {
  const candidates = [];
  if (process.env.npm_config_node_gyp) candidates.push(process.env.npm_config_node_gyp);
  // the node-gyp bundled with the npm that sits next to this node
  const prefix = resolve(dirname(process.execPath), '..');
  candidates.push(join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  candidates.push(join(dirname(process.execPath), 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  try {
    candidates.push(createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // not installed locally
  }
  const found = candidates.find((c) => existsSync(c));
  if (found) return found.endsWith('.js') ? [process.execPath, found] : [found];
  return [process.platform === 'win32' ? 'npx.cmd' : 'npx', '--no-install', 'node-gyp'];
}

// Node's own headers, when this node was installed with them (Debian's nodejs-dev, the official
// tarballs): pointing node-gyp at them avoids a download, which fails offline.
const args = ['rebuild', '-C', join(root, 'native'), '--jobs', 'max'];
const headersPrefix = resolve(dirname(process.execPath), '..');
if (!process.env.npm_config_nodedir && existsSync(join(headersPrefix, 'include', 'node', 'node_api.h'))) {
  args.push(`--nodedir=${headersPrefix}`);
}

const [command, ...pre] = nodeGyp();
const started = Date.now();
const result = spawnSync(command, [...pre, ...args], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const seconds = ((Date.now() - started) / 1000).toFixed(1);
const built = join(root, 'native', 'build', 'Release', 'dendrite_native.node');

if (result.status === 0 && existsSync(built)) {
  // a library that links but cannot load (a missing symbol shows only here) would leave the backend unused
  let loadError = null;
  try {
    createRequire(import.meta.url)(built).info();
  } catch (error) {
    loadError = error instanceof Error ? error.message.split('\n')[0] : String(error);
  }
  if (loadError === null) done(true, `native backend built in ${seconds} s (native/build/Release/dendrite_native.node).`);
  done(false, `native backend built but it does not load (${loadError}); using the wasm and js backends.`);
}
const log = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n');
const reason = result.error
  ? result.error.message
  : log
      .filter((l) => /error/i.test(l))
      .slice(0, 3)
      .join(' | ') || `node-gyp exited with ${result.status}`;
if (process.env.DENDRITE_NATIVE_VERBOSE) console.log(log.join('\n'));
done(false, `native backend not built (${reason}); using the js backend. Set DENDRITE_NATIVE_VERBOSE=1 for the full log.`);
