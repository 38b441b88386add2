// Keras / TensorFlow.js model files spell config keys in snake_case and nested objects as
// {class_name, config}; dendrite's getConfig() uses camelCase. TF.js converts *string values* too
// ('channelsLast' <-> 'channels_last', 'fanAvg' <-> 'fan_avg'), except the values of `name` (and, when
// writing, `className`). These functions do exactly what TF.js' convertTsToPythonic / convertPythonicToTs do,
// so a file reads the same in both libraries.

/** TF.js' `toSnakeCase`: `dilationRate` -> `dilation_rate`, `Conv2D` -> `conv2_d`, `beta1` -> `beta1`. */
export function toSnake(name: string): string {
  const intermediate = name.replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2');
  const snake = intermediate.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  // NOTE: TF.js turns a leading underscore into 'private_'; names with one do not occur in our configs
  return snake[0] !== '_' ? snake : `private${snake}`;
}

/** TF.js' `toCamelCase`: `dilation_rate` -> `dilationRate`, `beta_1` -> `beta1`. */
export function toCamel(name: string): string {
  return name.replace(/[_](\w)/g, (_, c: string) => c.toUpperCase());
}

/** camelCase config (ours) -> snake_case keys and string values (Keras files), as TF.js writes them. */
export function toKerasConfig(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return toSnake(value);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map((v) => toKerasConfig(v));
  if (typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    out[toSnake(key)] = (key === 'name' || key === 'className') && typeof v === 'string' ? v : toKerasConfig(v);
  }
  return out;
}

/** snake_case config (Keras files) -> camelCase keys and string values (ours), as TF.js reads them. */
export function fromKerasConfig(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return toCamel(value);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map((v) => fromKerasConfig(v));
  if (typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    out[toCamel(key)] = key === 'name' && typeof v === 'string' ? v : fromKerasConfig(v);
  }
  return out;
}
