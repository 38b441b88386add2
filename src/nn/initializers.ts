// PLACEHOLDER: replaced by the initializers implementation.
export type InitializerIdentifier = string | Initializer;
export interface Initializer {
  readonly className: string;
  generate(shape: readonly number[]): Float32Array;
  getConfig(): Record<string, unknown>;
}
export function getInitializer(id: InitializerIdentifier): Initializer {
  if (typeof id !== 'string') return id;
  throw new Error('not implemented');
}
