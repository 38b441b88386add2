// dendrite's own model classes (Model, Sequential), registered by their files. Code that must tell a model used
// as a layer from other layers (buffer reuse, model configs) asks here: importing the model files would be a
// cycle, since they import that code.

const MODEL_CLASSES = new Set<unknown>();

/** Registers one of dendrite's model classes (model.ts and sequential.ts do, when loaded). */
export function registerModelClass(cls: abstract new (...args: never[]) => unknown): void {
  MODEL_CLASSES.add(cls);
}

/** Whether `layer` is exactly one of dendrite's models (not a user's subclass, which may run code of its own). */
export function isOwnModel(layer: object): boolean {
  return MODEL_CLASSES.has(layer.constructor);
}
