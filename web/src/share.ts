// A link that restores the neurons section: its settings live in the page's query string. The URL is
// untrusted input, so each value is checked against its own control's options or range, and a value that
// does not fit is dropped (the control keeps its default). Parameter names come from the fixed table below,
// never from the URL.
import { byId } from './ui.js';

/** URL parameter → id of the control it sets. */
const CONTROLS: ReadonlyArray<readonly [param: string, id: string]> = [
  ['dataset', 'nl-dataset'],
  ['noise', 'nl-noise'],
  ['points', 'nl-samples'],
  ['validation', 'nl-validation'],
  ['layers', 'nl-layers'],
  ['activation', 'nl-activation'],
  ['init', 'nl-init'],
  ['lr', 'nl-lr'],
  ['optimizer', 'nl-optimizer'],
  ['batch', 'nl-batch'],
  ['l1', 'nl-l1'],
  ['l2', 'nl-l2'],
  ['dropout', 'nl-dropout'],
  ['discretize', 'nl-discretize'],
];

/** What the section keeps outside its controls: neurons per hidden layer and the two seeds. */
export interface SetupState {
  units: number[];
  seed: number;
  dataSeed: number;
}

const MAX_LAYERS = 6;
const MAX_UNITS = 8;
const MAX_SEED = 2 ** 31 - 1;

/** Whether `value` is one `el` offers: a select's option, a number on a range's or number field's steps, 0/1 for a checkbox. */
export function accepts(el: HTMLInputElement | HTMLSelectElement, value: string): boolean {
  if (el instanceof HTMLSelectElement) return Array.from(el.options).some((o) => o.value === value);
  if (el.type === 'checkbox') return value === '0' || value === '1';
  if (!/^\d{1,6}(\.\d{1,6})?$/.test(value)) return false;
  const n = Number(value);
  const min = Number(el.min);
  const max = Number(el.max);
  const step = Number(el.step) || 1;
  if (!(n >= min && n <= max)) return false;
  const k = (n - min) / step;
  return Math.abs(k - Math.round(k)) < 1e-6;
}

/** An integer in [min, max] written in plain digits, or null. */
function integer(value: string | null, min: number, max: number): number | null {
  if (value === null || !/^\d{1,10}$/.test(value)) return null;
  const n = Number(value);
  return n >= min && n <= max ? n : null;
}

/**
 * Sets the section's controls from `search` (location.search) and returns `state` with the URL's units and
 * seeds in place of the defaults given; every unknown or malformed value is ignored.
 */
export function restoreSetup(search: string, state: SetupState): SetupState {
  const params = new URLSearchParams(search);
  for (const [param, id] of CONTROLS) {
    const value = params.get(param);
    const el = byId<HTMLInputElement | HTMLSelectElement>(id);
    if (value === null || !accepts(el, value)) continue;
    if (el instanceof HTMLInputElement && el.type === 'checkbox') el.checked = value === '1';
    else el.value = value;
  }
  const units = state.units.slice();
  const list = params.get('units')?.split(',') ?? [];
  if (list.length <= MAX_LAYERS) {
    const parsed = list.map((u) => integer(u, 1, MAX_UNITS));
    if (parsed.every((u) => u !== null)) {
      for (let i = 0; i < parsed.length; i++) units[i] = parsed[i] as number;
    }
  }
  return {
    units,
    seed: integer(params.get('seed'), 0, MAX_SEED) ?? state.seed,
    dataSeed: integer(params.get('dataSeed'), 0, MAX_SEED) ?? state.dataSeed,
  };
}

/** The page's URL with the section's setup in its query (the hash, a section anchor, is kept). */
export function setupUrl(state: SetupState, layers: number): string {
  const params = new URLSearchParams();
  for (const [param, id] of CONTROLS) {
    const el = byId<HTMLInputElement | HTMLSelectElement>(id);
    params.set(param, el instanceof HTMLInputElement && el.type === 'checkbox' ? (el.checked ? '1' : '0') : el.value);
  }
  params.set('units', state.units.slice(0, layers).join(','));
  params.set('seed', String(state.seed));
  params.set('dataSeed', String(state.dataSeed));
  const url = new URL(window.location.href);
  url.search = params.toString();
  return url.href;
}

/** Writes the setup into the address bar without a new history entry, and returns the link. */
export function saveSetup(state: SetupState, layers: number): string {
  const url = setupUrl(state, layers);
  if (url !== window.location.href) history.replaceState(history.state, '', url);
  return url;
}
