// What an optimizer factory takes: its options object, or a number, which is the learning rate (as TF.js'
// `tf.train.adam(0.05)` and Keras' `Adam(0.05)` take it). Anything else, or an option the optimizer does not
// have, is an error naming the optimizer: a misspelt `learningrate` would otherwise train silently at the
// default rate.

/** `args` as the options object of optimizer `name`, whose options are `keys`. */
export function optimizerArgs<T extends { learningRate?: number }>(name: string, args: T | number | undefined, keys: readonly (keyof T & string)[]): T {
  const usage = `${name}() takes a learning rate (a number) or an options object { ${keys.join(', ')} }`;
  if (args === undefined) return {} as T;
  if (typeof args === 'number') return { learningRate: args } as T;
  if (args === null || typeof args !== 'object' || Array.isArray(args)) throw new Error(`${usage}, got ${describe(args)}.`);
  const unknown = Object.keys(args).filter((k) => !(keys as readonly string[]).includes(k));
  if (unknown.length > 0) throw new Error(`${usage}; it has no option ${unknown.map((k) => `'${k}'`).join(', ')}.`);
  return args;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `the string '${value}'` : `a ${typeof value}`;
}
