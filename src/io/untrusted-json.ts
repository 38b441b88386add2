// Reading a JSON file anyone may have written (a model folder downloaded from the internet). Messages about it
// show a short excerpt of a bad value, never all of it: a value can be megabytes long or nested so deeply that
// JSON.stringify (and every other recursive reader) overflows the stack. Browser-safe.

export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `object[key]` only when the object holds the key itself: a file's `"constructor"` must not find Object's. */
export function ownValue(object: Json, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

/**
 * Model files nest a dozen levels at most (topology > config > layers > layer > config > initializer > config);
 * a value nested far deeper would overflow the stack of the recursive code that reads configs.
 */
export const MAX_JSON_DEPTH = 100;

/**
 * Throws when `value` nests lists or objects more than `MAX_JSON_DEPTH` levels deep, naming `file` and the
 * top-level field. It walks with its own stack, so it cannot overflow itself on a 100,000-level `[[[[...`.
 */
export function checkDepth(value: unknown, file: string): void {
  const stack: [unknown, number, string][] = [[value, 0, '']];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const [v, depth, top] = stack.pop()!;
    if (typeof v !== 'object' || v === null || ArrayBuffer.isView(v) || seen.has(v)) continue;
    if (depth > MAX_JSON_DEPTH) {
      throw new Error(
        `${file}: ${top ? `the field '${top}' nests` : 'the file nests'} lists or objects more than ${MAX_JSON_DEPTH} levels deep; a model file needs far fewer, so the file is damaged or not a model file.`,
      );
    }
    seen.add(v);
    for (const [key, child] of Object.entries(v)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1, depth === 0 ? key : top]);
    }
  }
}

/** A one-line excerpt of any value for an error message: at most about `max` characters. */
export function shortJson(value: unknown, max = 60): string {
  const text = render(value, 0, max);
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

function render(value: unknown, depth: number, max: number): string {
  if (typeof value === 'string') return JSON.stringify(value.length > max ? `${value.slice(0, max)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (value === undefined) return 'undefined';
  if (typeof value !== 'object') return `a ${typeof value}`;
  // only the first few items of the first two levels: enough to recognise the value, bounded for any value
  const items = Array.isArray(value)
    ? value.slice(0, 4).map((v) => render(v, depth + 1, max))
    : Object.keys(value)
        .slice(0, 4)
        .map((k) => `${JSON.stringify(k)}: ${render((value as Json)[k], depth + 1, max)}`);
  const more = (Array.isArray(value) ? value.length : Object.keys(value).length) > 4 ? ', ...' : '';
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  if (depth >= 2 && items.length > 0) return `${open}...${close}`;
  return `${open}${items.join(', ')}${more}${close}`;
}

/** Names for a message: the first `max` of them, quoted, then how many more. */
export function listNames(names: readonly string[], max = 8): string {
  if (names.length === 0) return 'none';
  const shown = names
    .slice(0, max)
    .map((n) => `'${n}'`)
    .join(', ');
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}

/** A whole number >= 0 that is exact in a double (a count, an epoch, a dimension). */
export function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}
