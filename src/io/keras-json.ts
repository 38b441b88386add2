// Keras / TensorFlow.js model files spell config keys in snake_case and nested objects as
// {class_name, config}; dendrite's getConfig() uses camelCase. These two functions translate.

function toSnake(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

function toCamel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function mapKeys(value: unknown, rename: (k: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => mapKeys(v, rename));
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [rename(k), mapKeys(v, rename)]));
}

/** camelCase config (ours) -> snake_case config (Keras files). */
export function toKerasConfig(config: Record<string, unknown>): Record<string, unknown> {
  return mapKeys(config, toSnake) as Record<string, unknown>;
}

/** snake_case config (Keras files) -> camelCase config (ours). */
export function fromKerasConfig(config: Record<string, unknown>): Record<string, unknown> {
  return mapKeys(config, toCamel) as Record<string, unknown>;
}
