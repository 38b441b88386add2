// Damaging a JSON document at random places, for the fuzz tests of model files: each edit picks one of the
// document's values (by its position in a walk of the tree) and deletes it or puts another value there.

/** One edit: the value at the `path`-th place of the tree (modulo the number of places) is deleted or set to `value`. */
export interface JsonEdit {
  kind: 'delete' | 'set';
  path: number;
  value: unknown;
}

type JsonPath = (string | number)[];

/** Every place in `value`, the root first, as the keys that lead there. */
export function jsonPaths(value: unknown, prefix: JsonPath = [], out: JsonPath[] = []): JsonPath[] {
  out.push(prefix);
  if (Array.isArray(value))
    value.forEach((v, i) => {
      jsonPaths(v, [...prefix, i], out);
    });
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) jsonPaths(v, [...prefix, k], out);
  return out;
}

/** The document `text` parsed, with `edits` applied in order (the root itself is never replaced). */
export function editJson(text: string, edits: readonly JsonEdit[]): unknown {
  const json = JSON.parse(text) as Record<string, unknown>;
  const places = jsonPaths(json).filter((p) => p.length > 0);
  for (const edit of edits) {
    const path = places[edit.path % places.length];
    let parent: unknown = json;
    for (const key of path.slice(0, -1)) {
      if (typeof parent !== 'object' || parent === null) break;
      parent = (parent as Record<string | number, unknown>)[key];
    }
    if (typeof parent !== 'object' || parent === null) continue;
    const last = path[path.length - 1];
    if (edit.kind === 'delete') {
      if (Array.isArray(parent) && typeof last === 'number') parent.splice(last, 1);
      else delete (parent as Record<string | number, unknown>)[last];
    } else {
      (parent as Record<string | number, unknown>)[last] = edit.value;
    }
  }
  return json;
}
