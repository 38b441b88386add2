import { requestedBackend } from '../env.js';
import type { Backend } from './backend.js';
import { jsBackend } from './js/index.js';
import { nativeBackend } from './native/index.js';
import { wasmBackend } from './wasm/index.js';

// Backends by name. 'js' is always there; 'native' is there when its addon was built (by `npm install`)
// and loads; 'wasm' wherever WebAssembly SIMD runs (Node, browsers, workers). The default is the fastest
// one available (native, then wasm, then js); the environment variable DENDRITE_BACKEND=js|wasm|native
// chooses instead (in Node), and setBackend() switches at any time.
const backends = new Map<string, Backend>([[jsBackend.name, jsBackend]]);
if (wasmBackend) backends.set(wasmBackend.name, wasmBackend);
if (nativeBackend) backends.set(nativeBackend.name, nativeBackend);
const fastest = nativeBackend ?? wasmBackend ?? jsBackend;

function initialBackend(): Backend {
  const wanted = requestedBackend();
  if (wanted) {
    const b = backends.get(wanted);
    if (b) return b;
    console.warn(`dendrite: DENDRITE_BACKEND=${wanted} is not available (available: ${[...backends.keys()].join(', ')}); using ${fastest.name}.`);
  }
  return fastest;
}

let active: Backend = initialBackend();

/** The backend that runs every kernel now. */
export function backend(): Backend {
  return active;
}

/** Makes a backend available to `setBackend`. */
export function registerBackend(b: Backend): void {
  backends.set(b.name, b);
}

/** Switches all kernels to the named backend (`'js'` is always available, `'wasm'` with WebAssembly SIMD, `'native'` when built). */
export function setBackend(name: string): void {
  const b = backends.get(name);
  if (!b) throw new Error(`Unknown backend '${name}'. Available: ${[...backends.keys()].join(', ')}.`);
  active = b;
}

/** The name of the active backend. */
export function getBackend(): string {
  return active.name;
}

/** Names of the registered backends. */
export function listBackends(): string[] {
  return [...backends.keys()];
}
