/** Checks the `className` tag of a saved encoder or scaler, so loading the wrong file fails loudly. */
export function checkClassName(json: unknown, expected: string): Record<string, unknown> {
  const got = typeof json === 'object' && json !== null ? (json as { className?: unknown }).className : undefined;
  if (got !== expected) {
    const shown = typeof got === 'string' ? `'${got}'` : String(got);
    throw new Error(`${expected}.fromJSON(): expected an object with className '${expected}', got ${shown}.`);
  }
  return json as Record<string, unknown>;
}

/** Reads a saved list of finite numbers, naming the field when it is missing or has the wrong length. */
export function numberArray(json: Record<string, unknown>, field: string, length: number | null, where: string): number[] {
  const v = json[field];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    throw new Error(`${where}: field '${field}' must be an array of finite numbers.`);
  }
  if (length !== null && v.length !== length) throw new Error(`${where}: field '${field}' has ${v.length} entries, expected ${length}.`);
  return v as number[];
}
