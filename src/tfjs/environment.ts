// TF.js' backends, environment flags and version, mapped onto dendrite. dendrite's backends all run on the CPU
// and are held to the same results (native, wasm, js; src/backend/registry.ts), so TF.js' backend names choose
// among them: 'cpu', 'tensorflow' (tfjs-node) and the GPU ones ('webgl', 'webgpu') take the fastest available
// (native, then wasm, then js), 'wasm' takes dendrite's wasm backend, and dendrite's own names ('js', 'wasm',
// 'native') are taken as they are. `getBackend()` answers the name last set, as TF.js does ('cpu' until then).
import { getBackend as ddGetBackend, listBackends, setBackend as ddSetBackend } from '../backend/registry.js';

const FASTEST_FIRST = ['native', 'wasm', 'js'];
const TO_FASTEST = new Set(['cpu', 'tensorflow', 'webgl', 'webgpu']);

let chosen = 'cpu';

/** The dendrite backend a TF.js (or dendrite) backend name runs on, or null when there is none. */
export function dendriteBackendFor(name: string): string | null {
  const available = listBackends();
  if (TO_FASTEST.has(name)) return FASTEST_FIRST.find((b) => available.includes(b)) ?? null;
  return available.includes(name) ? name : null;
}

/**
 * tf.setBackend(name): resolves to true once the name's dendrite backend is active (see the file's comment), to
 * false when the name is known but not available here (e.g. 'native' without the built addon), and throws for an
 * unknown name, as TF.js does.
 */
export async function setBackend(backendName: string): Promise<boolean> {
  const target = dendriteBackendFor(backendName);
  if (target == null) {
    if (!TO_FASTEST.has(backendName) && !FASTEST_FIRST.includes(backendName)) throw new Error(`Backend name '${backendName}' not found in registry`);
    return false;
  }
  ddSetBackend(target);
  chosen = backendName;
  return true;
}

/** tf.getBackend(): the name last given to setBackend ('cpu' until then). */
export function getBackend(): string {
  return chosen;
}

/** The dendrite backend that runs the kernels now ('native', 'wasm' or 'js'). */
export function dendriteBackend(): string {
  return ddGetBackend();
}

/** tf.ready(): resolves at once; dendrite's backends are ready when loaded. */
export async function ready(): Promise<void> {}

const isNode = typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string';

const DEFAULT_FLAGS: Record<string, number | boolean> = {
  IS_BROWSER: typeof (globalThis as { window?: unknown }).window !== 'undefined' && typeof (globalThis as { document?: unknown }).document !== 'undefined',
  IS_NODE: isNode,
  DEBUG: false,
  PROD: false,
  IS_TEST: false,
};

/**
 * TF.js' Environment, reduced to its flags: read and set, with TF.js' flag names where dendrite has a meaning for
 * them. Flags live in a Map: a flag name is the caller's string, never a key of a plain object (`constructor`
 * is an unknown flag, not Object's constructor).
 */
export class Environment {
  private flags = new Map<string, number | boolean>(Object.entries(DEFAULT_FLAGS));
  readonly platformName = isNode ? 'node' : 'browser';

  get(flag: string): number | boolean {
    const value = this.flags.get(flag);
    if (value === undefined) throw new Error(`Cannot evaluate flag '${flag}': no evaluation function found.`);
    return value;
  }
  getBool(flag: string): boolean {
    return this.get(flag) as boolean;
  }
  getNumber(flag: string): number {
    return this.get(flag) as number;
  }
  set(flag: string, value: number | boolean): void {
    this.flags.set(flag, value);
  }
  getFlags(): Record<string, number | boolean> {
    return Object.fromEntries(this.flags);
  }
  get features(): Record<string, number | boolean> {
    return this.getFlags();
  }
  setFlags(flags: Record<string, number | boolean>): void {
    this.flags = new Map(Object.entries(flags));
  }
  reset(): void {
    this.flags = new Map(Object.entries(DEFAULT_FLAGS));
  }
}

const environment = new Environment();

/** tf.env(): the environment's flags (IS_NODE, IS_BROWSER, DEBUG, PROD, IS_TEST; others may be set and read back). */
export function env(): Environment {
  return environment;
}

/** tf.enableProdMode(): sets PROD (dendrite has no debug checks to turn off). */
export function enableProdMode(): void {
  environment.set('PROD', true);
}

/** tf.enableDebugMode(): sets DEBUG (dendrite has no extra checks behind it). */
export function enableDebugMode(): void {
  environment.set('DEBUG', true);
}

/** The TF.js version whose API dendrite/tfjs follows, under TF.js' package names, and dendrite's own. */
export const version: Readonly<Record<string, string>> = Object.freeze({
  'tfjs-core': '4.22.0',
  'tfjs-layers': '4.22.0',
  'tfjs-data': '4.22.0',
  tfjs: '4.22.0',
  dendrite: '0.1.0',
});
