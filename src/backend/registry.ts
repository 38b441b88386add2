import type { Backend } from './backend.js';
import { jsBackend } from './js/index.js';

const backends = new Map<string, Backend>([[jsBackend.name, jsBackend]]);
let active: Backend = jsBackend;

/** The backend that runs every kernel now. */
export function backend(): Backend {
  return active;
}

/** Makes a backend available to `setBackend`. */
export function registerBackend(b: Backend): void {
  backends.set(b.name, b);
}

/** Switches all kernels to the named backend (`'js'` is always available). */
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
